//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import GShareSSH
import GlusterDriver
import Logging

/// A host key recorded in known_hosts.
public struct TrustedHost: Sendable, Codable, Equatable {
    public let host: String
    public let port: Int
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`…
    public let type: String
    /// `SHA256:…`
    public let fingerprint: String
    public let knownHosts: String
}

/// A host key as the server presented it, before it is trusted.
public struct PresentedHostKey: Sendable, Equatable {
    /// `host` or `[host]:port`, as known_hosts writes it.
    public let shown: String
    public let type: String
    public let fingerprint: String
}

/// `ssh trust`: fetch a server's host key and record it in known_hosts, only when the
/// caller vouches for it (a matching fingerprint, or a confirmation).
public struct SSHTrustWorkflow: Sendable {
    public let context: WorkflowContext
    /// Where trusting a key is audited.
    public let audit: AuditLog

    public init(context: WorkflowContext, auditStateDirectory: String) {
        self.context = context
        self.audit = AuditLog(stateDirectory: auditStateDirectory, context: context)
    }

    /// How the caller vouches for the key.
    public enum Vouch: Sendable {
        /// The fingerprint checked out of band: recorded only when the server's matches.
        case fingerprint(String)
        /// Ask: `confirm` sees the key and answers (a terminal prompt, say).
        case confirm(@Sendable (PresentedHostKey) async -> Bool)
        /// Nobody can vouch (no fingerprint, nobody to ask): refused, saying how to vouch.
        case nobody(because: String)
    }

    /// Fetches the host key of `server` (`host[:port]`, or `user@host[:port]`) and records it
    /// in `knownHosts`. Refused when the fingerprint differs, the caller does not confirm, or
    /// known_hosts holds another key for the host. Audited.
    /// - Parameter presented: called with the key as soon as it is fetched.
    public func trust(
        _ server: String, knownHosts: String, vouch: Vouch, timeout: Duration, presented: @Sendable (PresentedHostKey) -> Void = { _ in }
    ) async throws(WorkflowError) -> TrustedHost {
        try await audit.audited(server, summary: { "recorded \($0.type) \($0.fingerprint) in \($0.knownHosts)" }) {
            let address: GlusterServer
            do {
                // GlusterServer's parser checks host and port; a port needs a user there.
                address = try GlusterServer(parsing: server.contains("@") ? server : "trust@" + server)
            } catch {
                throw WorkflowError(.invalidRequest, .failed, subject: server, message: "\(server): \(error)", fix: "give HOST or HOST:PORT")
            }
            let port = address.port ?? 22
            context.logger.debug("fetching the host key", metadata: ["host": "\(address.host)", "port": "\(port)"])
            let key = try await SSHHostKeyScan.fetch(host: address.host, port: port, timeout: timeout)
            let shown = port == 22 ? address.host : "[\(address.host)]:\(port)"
            let offered = PresentedHostKey(shown: shown, type: key.type, fingerprint: key.fingerprint)
            presented(offered)
            switch vouch {
            case .fingerprint(let expected):
                guard expected == key.fingerprint else {
                    throw WorkflowError(
                        .notConfirmed, .refused, subject: shown,
                        message: "\(shown): the host key's fingerprint is \(key.fingerprint), not \(expected): NOT recorded",
                        fix: "is this the right server? check the fingerprint with its administrator (ssh-keygen -lf on the server's host key)")
                }
            case .confirm(let confirm):
                guard await confirm(offered) else {
                    throw WorkflowError(.notConfirmed, .refused, subject: shown, message: "not confirmed: nothing recorded")
                }
            case .nobody(let reason):
                throw WorkflowError(
                    .notConfirmed, .refused, subject: shown, message: "\(reason): nothing recorded",
                    fix: "check the fingerprint out of band and pass --fingerprint \(key.fingerprint) to record it")
            }
            do {
                try KnownHostsFile.add(key, host: address.host, port: port, to: knownHosts)
            } catch let error as SSHError where error.code == .hostKeyChanged {
                let failure = WorkflowError(error)
                throw WorkflowError(failure.code, .refused, subject: shown, message: failure.message, fix: failure.fix, context: failure.context)
            }
            return TrustedHost(host: address.host, port: port, type: key.type, fingerprint: key.fingerprint, knownHosts: knownHosts)
        }
    }
}
