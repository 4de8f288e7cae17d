//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareWorkflows

/// `--config`, shared by every command that needs gshare.toml.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file. Default: $GSHARE_CONFIG, else ./gshare.toml, else /etc/gshare/gshare.toml.", valueName: "file"),
        completion: .file(extensions: ["toml"]))
    var config: String?

    /// Where the workflows look for the configuration.
    var source: ConfigurationSource {
        ConfigurationSource(
            explicit: config, environment: ProcessInfo.processInfo.environment, currentDirectory: FileManager.default.currentDirectoryPath)
    }
}
