//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import Foundation

/// Where a secret (the SSH password of `glusterfs_server_password`) comes from. It is
/// never taken from the command line, where every user of the machine could read it.
///
/// ```toml
/// glusterfs_server_password = { env = "GSHARE_SSH_PASSWORD" }
/// glusterfs_server_password = { file = "/etc/gshare/ssh-password" }
/// glusterfs_server_password = "literal"    # allowed; keep the file 0600
/// ```
///
/// ``description`` never shows an inline secret: it is `***inline***`, `file:PATH` or
/// `env:NAME`.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    /// The secret itself, written in the configuration file.
    case inline(String)
    /// A file holding the secret (one trailing line break is not part of it); an absolute path.
    case file(String)
    /// An environment variable holding the secret.
    case environment(String)

    /// The secret.
    ///
    /// - Parameter environment: the variables ``environment(_:)`` reads.
    /// - Throws: ``GShareConfigError/Code-swift.struct/secretUnavailable`` when the file
    ///   cannot be read, the variable is unset, or the secret is empty.
    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(GShareConfigError) -> String {
        func unavailable(_ message: String, _ hint: String) -> GShareConfigError {
            GShareConfigError(.secretUnavailable, key: "glusterfs_server_password", message: message, hint: hint)
        }
        switch self {
        case .inline(let secret):
            return secret
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw unavailable("cannot read the password file \(path)", "check that it exists and that gshare's user may read it")
            }
            var secret = String(decoding: data, as: UTF8.self)
            if secret.hasSuffix("\r\n") {
                secret.removeLast(1)
            } else if secret.hasSuffix("\n") {
                secret.removeLast()
            }
            guard !secret.isEmpty else { throw unavailable("the password file \(path) is empty", "write the password into it") }
            return secret
        case .environment(let name):
            guard let secret = environment[name] else {
                throw unavailable("the environment variable \(name) is not set", "export \(name) in gshare's environment")
            }
            guard !secret.isEmpty else {
                throw unavailable("the environment variable \(name) is empty", "set \(name) to the password")
            }
            return secret
        }
    }

    /// `***inline***`, `file:PATH` or `env:NAME`: never the secret itself.
    public var description: String {
        switch self {
        case .inline: "***inline***"
        case .file(let path): "file:\(path)"
        case .environment(let name): "env:\(name)"
        }
    }

    /// Whether `name` is usable as an environment variable name (`[A-Za-z_][A-Za-z0-9_]*`).
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || AddressText.isAlphanumeric(first), !("0"..."9").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || AddressText.isAlphanumeric($0) }
    }
}

/// gshare's own TLS identity (`manager_cert`, `manager_key`, `manager_ca`): what it
/// presents to the volumes it wipes through libgfapi. Absolute paths.
public struct ManagerIdentity: Sendable, Equatable, Codable {
    /// The certificate (PEM), whose CN must be in every volume's `auth.ssl-allow`.
    public let certificate: String
    /// Its private key (PEM).
    public let privateKey: String
    /// The CA certificates that sign the nodes' certificates (PEM).
    public let certificateAuthorities: String

    /// An identity from three paths.
    public init(certificate: String, privateKey: String, certificateAuthorities: String) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificateAuthorities = certificateAuthorities
    }
}
