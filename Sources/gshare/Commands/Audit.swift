//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GlusterDriver
import TenantPKI
import TenantRegistry

extension GShare {
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Show the audit log: every state-changing gshare command, who ran it and how it ended.",
            discussion: """
                Recorded in the registry (state_dir/gshare.sqlite) by share create/delete, access \
                allow/deny, pool prepare and tenant onboard/remove: time, OS user, host, the \
                command line, the target, and ok/refused/failed with a message.

                  gshare audit --since 7d
                  gshare audit --since 2026-06-01T00:00:00Z --json

                Exit status: 0 shown; 2 could not run (a bad --since, the registry cannot be opened).
                """
        )

        @Option(help: ArgumentHelp("Only entries since this RFC 3339 time, or this long ago (30m, 1h, 7d, 2w).", valueName: "time"))
        var since: String?

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        /// `--since`: an RFC 3339 time, or an age (`90s`, `30m`, `1h`, `7d`, `2w`) before `now`.
        static func parseSince(_ text: String, now: Date) throws -> Date {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
            if let unit = text.last, let seconds = units[unit], let count = Int(text.dropLast()), count >= 0 {
                return now.addingTimeInterval(-Double(count) * seconds)
            }
            do {
                return try RFC3339.parse(text)
            } catch {
                throw CommandFailure(code: "invalid-time", message: "--since '\(text)': give an RFC 3339 time (2026-06-01T00:00:00Z) or an age (30m, 1h, 7d, 2w)")
            }
        }

        func run() async throws {
            let config = try configuration.load()
            let entries = try await DriverExit.reporting(json: output.json) {
                let start = try since.map { try Self.parseSince($0, now: Date()) }
                return try TenantRegistry(stateDirectory: config.stateDirectory).audit(since: start)
            }
            if output.json {
                try Console.printJSON(["entries": entries.map(AuditDocument.init)])
            } else if entries.isEmpty {
                print("no audit entries" + (since.map { " since \($0)" } ?? ""))
            } else {
                entries.forEach { print(TenantText.audit($0)) }
            }
        }
    }
}
