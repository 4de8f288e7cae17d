//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Logging

/// `--json`, `--verbose` and `--log-level`, shared by every command.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON document on stdout (stable field names, for scripts) instead of text.")
    var json = false

    @Flag(name: [.customShort("v"), .long], help: "Log what gshare does on stderr: every gluster call with its duration, SSH connects, lock waits (= --log-level debug).")
    var verbose = false

    @Option(
        name: .customLong("log-level"),
        help: ArgumentHelp("Log on stderr from this level up: trace, debug, info, notice, warning, error, critical. Default: warning.", valueName: "level"))
    var logLevel: Logger.Level?

    /// The level logged: `--log-level`, else debug with `--verbose`, else warning.
    var level: Logger.Level { logLevel ?? (verbose ? .debug : .warning) }

    /// The logger every workflow and library below gets: stderr, from ``level`` up.
    func logger() -> Logger {
        let level = self.level
        var logger = Logger(label: "gshare") { label in StandardErrorLogHandler(label: label, logLevel: level) }
        logger.logLevel = level
        return logger
    }
}
