//===----------------------------------------------------------------------===//
// gshare — shared test support (not shipped)
//===----------------------------------------------------------------------===//

internal import Foundation

/// The test sshd started by `scripts/ssh-lab up`, as its ssh-lab.json describes it
/// (`/var/tmp/gshare-ssh-lab/ssh-lab.json`, or `GSHARE_SSH_LAB_JSON`). The SSH tests load it
/// and FAIL (never skip) when it is missing.
public struct SSHLabDescription: Decodable, Sendable {
    public struct Keys: Decodable, Sendable {
        /// ed25519, no passphrase, authorized.
        public let ed25519: String
        /// ECDSA P-256 with the passphrase in ``SSHLabDescription/passphraseFile``, authorized.
        public let ecdsaWithPassphrase: String
        /// RSA, authorized (but libssh2 1.10 cannot sign with it for OpenSSH 9.2).
        public let rsa: String
        /// ed25519, NOT authorized.
        public let unauthorized: String
    }

    public struct HostKey: Decodable, Sendable {
        /// The `.pub` file of the server's host key.
        public let `public`: String
        /// `SHA256:…`, as `ssh-keygen -lf` prints it.
        public let fingerprint: String
    }

    public let root: String
    /// 127.0.0.1
    public let host: String
    /// Every address sshd listens on (127.0.0.1, 127.0.0.2).
    public let hosts: [String]
    public let port: Int
    public let user: String
    public let passwordFile: String
    public let keys: Keys
    public let passphraseFile: String
    /// known_hosts with the ed25519 host key for `[127.0.0.1]:2222` and `[127.0.0.2]:2222`.
    public let knownHosts: String
    /// By type: `ed25519`, `ecdsa`.
    public let hostKeys: [String: HostKey]
    public let sshdConfig: String
    public let sshdPidFile: String
    /// How the remote user runs the gluster CLI: `sudo -n /usr/sbin/gluster`.
    public let remoteGluster: String

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    public static var path: String {
        ProcessInfo.processInfo.environment["GSHARE_SSH_LAB_JSON"] ?? "/var/tmp/gshare-ssh-lab/ssh-lab.json"
    }

    /// The lab, or an error that says how to start it.
    public static func load() throws -> SSHLabDescription {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Missing(description: "no SSH lab: \(path) is missing — run scripts/ssh-lab up (as root)")
        }
        do {
            return try JSONDecoder().decode(SSHLabDescription.self, from: data)
        } catch {
            throw Missing(description: "\(path) cannot be read (\(error)) — run scripts/ssh-lab up")
        }
    }

    /// The lab user's password.
    public func password() throws -> String { try Self.secret(passwordFile) }

    /// The passphrase of ``Keys/ecdsaWithPassphrase``.
    public func passphrase() throws -> String { try Self.secret(passphraseFile) }

    /// The host key of `type` (`ed25519`, `ecdsa`).
    public func hostKey(_ type: String) throws -> HostKey {
        guard let key = hostKeys[type] else {
            throw Missing(description: "ssh-lab.json has no \(type) host key — run scripts/ssh-lab up")
        }
        return key
    }

    private static func secret(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Missing(description: "\(path) is missing or unreadable — run scripts/ssh-lab up (as root)")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
