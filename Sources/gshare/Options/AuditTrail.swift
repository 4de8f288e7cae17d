//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import TenantRegistry

/// The audit log as the commands use it: one entry per state-changing command, in the
/// registry of the configuration's state_dir. A failure to write it is a warning on stderr
/// and never hides the command's own result.
enum AuditTrail {
    /// What a command acts on, and where its entry goes.
    struct Target {
        let config: GShareConfig
        let target: String

        func record(_ result: AuditEntry.Result, message: String?) {
            AuditTrail.record(config: config, command: AuditTrail.commandLine, target: target, result: result, message: message)
        }
    }

    /// This process's command line, `gshare` first.
    static var commandLine: [String] { ["gshare"] + CommandLine.arguments.dropFirst() }

    static func record(config: GShareConfig, command: [String], target: String, result: AuditEntry.Result, message: String? = nil) {
        do {
            try TenantRegistry(stateDirectory: config.stateDirectory)
                .record(AuditEntry.current(command: command, target: target, result: result, message: message))
        } catch {
            Console.printWarning("the audit log could not be written (\(error)); the command's result stands")
        }
    }
}
