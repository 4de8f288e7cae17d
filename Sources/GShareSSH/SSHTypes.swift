//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

public import Foundation

/// Where to connect and as whom.
public struct SSHEndpoint: Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let user: String

    public init(host: String, port: Int = 22, user: String) {
        self.host = host
        self.port = port
        self.user = user
    }

    /// `user@host:port`, with an IPv6 address in brackets (`user@[::1]:22`).
    public var description: String { user.isEmpty ? hostAndPort : "\(user)@\(hostAndPort)" }

    /// `host:port` (`[v6]:port`).
    var hostAndPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// What to give `gshare ssh trust`: `host` for port 22, `host:port` otherwise.
    var trustArgument: String { port == 22 ? host : hostAndPort }
}

/// How to authenticate. The secrets stay in memory only; they are never logged, and the
/// description masks them.
public enum SSHCredential: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A private key file (OpenSSH or PEM format; ed25519 or ECDSA — see ``SSHError/Code/rsaKeyUnsupported``),
    /// with its passphrase if it has one.
    case privateKey(path: String, passphrase: String?)
    case password(String)

    public var description: String {
        switch self {
        case .privateKey(let path, let passphrase):
            return "private key \(path)\(passphrase == nil ? "" : " (passphrase: ***)")"
        case .password:
            return "password ***"
        }
    }

    public var debugDescription: String { description }

    /// The method, for messages: "public key (…)" or "password".
    var methodName: String {
        switch self {
        case .privateKey(let path, _): return "public key authentication with \(path)"
        case .password: return "password authentication"
        }
    }
}

/// Connection settings. Timeouts: ``connectTimeout`` bounds the TCP connection and the SSH
/// key exchange, ``authTimeout`` the authentication, ``commandTimeout`` each remote command.
public struct SSHOptions: Sendable {
    /// The OpenSSH known_hosts file host keys are checked against (strictly: an unknown host
    /// is refused). A missing file means every host is unknown.
    ///
    /// The host key algorithm is negotiated like OpenSSH does: the types this file lists for
    /// the host (plain `host` / `[host]:port` entries) first, then ed25519, ECDSA, RSA.
    /// (libssh2 1.10 on its own negotiates ECDSA first, and a file that lists only another
    /// type for the host would then read as "unknown host".) Hashed entries are checked, but
    /// do not steer that choice.
    public var knownHostsPath: String
    public var connectTimeout: Duration = .seconds(10)
    public var authTimeout: Duration = .seconds(20)
    public var commandTimeout: Duration = .seconds(120)

    public init(knownHostsPath: String) {
        self.knownHostsPath = knownHostsPath
    }
}

/// How a remote command ended and what it printed. A non-zero exit is a result, not an error.
public struct SSHCommandResult: Sendable, Equatable {
    /// The exit status, or nil when the command was killed by a signal (or the server sent none).
    public let exitStatus: Int32?
    /// The signal that killed the command, without "SIG" (`TERM`, `KILL`), if any.
    public let exitSignal: String?
    public let standardOutput: Data
    public let standardError: Data

    public init(exitStatus: Int32?, exitSignal: String?, standardOutput: Data, standardError: Data) {
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// True when the command exited with status 0.
    public var succeeded: Bool { exitStatus == 0 && exitSignal == nil }
}
