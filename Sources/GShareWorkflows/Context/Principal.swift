//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who asks for a change: recorded with every audit entry the change produces.
///
/// The CLI acts as the OS user on this host (``currentProcess(environment:)``); a server
/// front end names its authenticated API user instead.
public struct Principal: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `root`, `root (sudo: alice)`, or an API user such as `api:alice (project p1)`.
    public let user: String
    /// The host the request was made on (the CLI) or served by (a server).
    public let host: String

    public init(user: String, host: String) {
        self.user = user
        self.host = host
    }

    /// The OS user running this process (its effective user, and the sudo user behind it)
    /// on this host.
    public static func currentProcess(environment: [String: String] = ProcessInfo.processInfo.environment) -> Principal {
        var name = "uid \(geteuid())"
        if let entry = getpwuid(geteuid()), let login = entry.pointee.pw_name { name = String(cString: login) }
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty, sudo != name { name += " (sudo: \(sudo))" }
        return Principal(user: name, host: ProcessInfo.processInfo.hostName)
    }

    public var description: String { "\(user)@\(host)" }
}
