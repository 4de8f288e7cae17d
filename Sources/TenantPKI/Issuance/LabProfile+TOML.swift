//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

extension LabProfile {
    /// Reads a lab profile (TOML, see `pki/lab.toml`). Unknown keys and wrong types are
    /// errors naming the key and line.
    public static func load(fromFile path: String) throws -> LabProfile {
        // Implemented on top of GShareTOML (in progress).
        throw PKIError(.invalidProfile, path: path, reason: "lab profiles cannot be read yet", hint: "")
    }
}
