//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import GShareDoctor
import GlusterDriver
import TenantRegistry

/// The registry's tenants as `status` and `doctor` judge them.
enum RegistryTenants {
    /// Every onboarded tenant with its current certificate. The registry is the complete list
    /// of tenants: a CN on a share that no tenant owns is drift.
    static func load(config: GShareConfig) throws -> [DoctorTenant] {
        let registry = try TenantRegistry(stateDirectory: config.stateDirectory)
        return try registry.tenants().map { try DoctorTenant(name: $0.name, certificatePEM: $0.certificate.pem) }
    }
}
