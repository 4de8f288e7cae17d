//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import GlusterDriver
import TenantPKI
public import TenantRegistry

/// A tenant with its certificate history.
public struct TenantDetails: Sendable {
    public let tenant: TenantRecord
    /// Every certificate ever onboarded for it, oldest first.
    public let history: [CertificateRecord]
}

/// What `tenant remove` did.
public struct TenantRemoval: Sendable, Codable, Equatable {
    public let tenant: String
    public let commonName: String
    /// The shares its CN was denied on first (with `revokeAccess`).
    public let revokedFrom: [String]
}

extension Workflows {
    /// Every onboarded tenant, by name.
    public func tenants() throws(WorkflowError) -> [TenantRecord] {
        try reportedSync { try registry().tenants() }
    }

    /// One tenant and its certificate history.
    public func tenant(_ name: String) throws(WorkflowError) -> TenantDetails {
        try reportedSync {
            let registry = try registry()
            guard let tenant = try registry.tenant(named: name) else {
                throw GrantPolicy.unknownTenant(name, known: try registry.tenants().map(\.name), registry: registry.path)
            }
            return TenantDetails(tenant: tenant, history: try registry.history(of: name))
        }
    }

    /// Forgets a tenant. Refused while its CN is in any share's auth.ssl-allow, unless
    /// `revokeAccess`: then its CN is first denied on every such share. One audit entry.
    public func removeTenant(_ name: String, revokeAccess: Bool) async throws(WorkflowError) -> TenantRemoval {
        try await audit.audited(
            name,
            summary: { done in
                "removed tenant \(done.tenant) (CN \(done.commonName))" + (done.revokedFrom.isEmpty ? "" : "; denied on \(done.revokedFrom.joined(separator: ", "))")
            }
        ) {
            let registry = try registry()
            guard let tenant = try registry.tenant(named: name) else {
                throw GrantPolicy.unknownTenant(name, known: try registry.tenants().map(\.name), registry: registry.path)
            }
            let listing = try await driver.shares().filter { share in share.access.contains { $0.name == tenant.commonName } }
            if !listing.isEmpty && !revokeAccess {
                let names = listing.map { "\($0.name ?? $0.id) (\($0.volume))" }.joined(separator: ", ")
                throw WorkflowError(
                    .tenantHasAccess, .refused, subject: name,
                    message: "tenant '\(name)' (CN \(tenant.commonName)) is still allowed on \(names); nothing was changed",
                    fix: "deny it there first, or run again with --revoke-access")
            }
            let granted = GrantedName(try CommonName(validating: tenant.commonName))
            var revoked: [String] = []
            for share in listing {
                do {
                    _ = try await driver.deny(share.id, granted)
                } catch {
                    // Say what was already done: the denies before this one stand.
                    let failure = WorkflowError(error)
                    throw WorkflowError(
                        failure.code, failure.verdict, subject: failure.subject,
                        message: (revoked.isEmpty ? "" : "denied on \(revoked.joined(separator: ", ")), then ") + failure.message
                            + "; tenant '\(name)' was not removed",
                        fix: failure.fix ?? "run the same command again")
                }
                revoked.append(share.name ?? share.id)
            }
            try registry.remove(named: name)
            return TenantRemoval(tenant: name, commonName: tenant.commonName, revokedFrom: revoked)
        }
    }
}
