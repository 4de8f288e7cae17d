//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

public import Foundation

/// One state-changing command, as the audit log keeps it.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// How the command ended.
    public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        /// Done.
        case ok
        /// Understood but refused (exit status 1).
        case refused
        /// Could not run (exit status 2).
        case failed
        /// Sent, but whether it took effect is not known (exit status 3): a GlusterFS node
        /// hung while the change was in flight.
        case unknown
    }

    public let time: Date
    /// The OS user who ran it (`root (sudo: alice)` under sudo).
    public let user: String
    public let host: String
    /// The command line, with the values of secret-looking options replaced (see ``redacted(_:)``).
    public let command: [String]
    /// What it acted on: a share, a volume, a tenant, files.
    public let target: String
    public let result: Result
    public let message: String?

    public init(time: Date, user: String, host: String, command: [String], target: String, result: Result, message: String? = nil) {
        self.time = time
        self.user = user
        self.host = host
        self.command = Self.redacted(command)
        self.target = target
        self.result = result
        self.message = message
    }

    /// An entry for the current process: its effective user and this host.
    public static func current(
        command: [String], target: String, result: Result, message: String? = nil, at time: Date = Date(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> AuditEntry {
        AuditEntry(time: time, user: currentUser(environment: environment), host: ProcessInfo.processInfo.hostName, command: command, target: target, result: result, message: message)
    }

    static func currentUser(environment: [String: String]) -> String {
        var name = "uid \(geteuid())"
        if let entry = getpwuid(geteuid()), let login = entry.pointee.pw_name { name = String(cString: login) }
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty, sudo != name { name += " (sudo: \(sudo))" }
        return name
    }

    /// Option names whose values are never stored.
    static let secretWords = ["password", "passphrase", "secret", "token"]

    /// `arguments` with the value of every option named like a secret (`--password X`,
    /// `--key-passphrase=X`, …) replaced by `<redacted>`. Secrets are never in argv by design;
    /// this is the second line of defence.
    public static func redacted(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var hideNext = false
        for argument in arguments {
            if hideNext {
                result.append("<redacted>")
                hideNext = false
                continue
            }
            guard argument.hasPrefix("-") else { result.append(argument); continue }
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            guard secretWords.contains(where: { name.lowercased().contains($0) }) else { result.append(argument); continue }
            if argument.contains("=") {
                result.append(name + "=<redacted>")
            } else {
                result.append(argument)
                hideNext = true
            }
        }
        return result
    }
}
