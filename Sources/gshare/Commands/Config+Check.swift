//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Config {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate gshare.toml and print the effective configuration (secrets masked).",
            discussion: """
                Says which file was used and why (--config, $GSHARE_CONFIG, the current folder, \
                or /etc/gshare/gshare.toml), then every setting with its defaults filled in and \
                relative paths resolved. A password is never printed: it shows as \
                env:VARIABLE, file:PATH or ***inline***. Warnings (an inline password, files that \
                do not exist, glusterfs_mount_point_base, which is accepted but unused because \
                wiping goes through libgfapi) go to stderr.

                Exit status: 0 valid; 2 no configuration found, or it is invalid (the message \
                names the file, line, key and fix; with --json, stdout also gets \
                {"error": {"code", "message", "file", "line", "key"}}).

                Example:
                  gshare config check --config /etc/gshare/gshare.toml
                """
        )

        @OptionGroup var options: ConfigOptions

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output, errorDocument: { ConfigErrorDocument($0) }) { cli in
                let loaded = try ConfigurationWorkflow.check(options.source)
                let document = ConfigDocument(location: loaded.location, config: loaded.config, warnings: loaded.warnings)
                try cli.emit(document) { ConfigText.render(document) }
                loaded.warnings.forEach(Console.printWarning)
            }
        }
    }
}
