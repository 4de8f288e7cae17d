//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GlusterDriver

/// `--config`, shared by every command that needs gshare.toml.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file. Default: $GSHARE_CONFIG, else ./gshare.toml, else /etc/gshare/gshare.toml.", valueName: "file"),
        completion: .file(extensions: ["toml"]))
    var config: String?

    /// Where the configuration is, and why there (`--config`, `$GSHARE_CONFIG`, …).
    func locate() throws(GShareConfigError) -> ConfigLocation {
        try GShareConfig.locate(
            explicit: config, environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The configuration file, located and read; errors are the library's.
    func located() throws(GShareConfigError) -> (location: ConfigLocation, config: GShareConfig) {
        let location = try locate()
        return (location, try GShareConfig.load(fileAt: location.path))
    }

    /// The configuration, located and read. A missing or invalid configuration is printed on
    /// stderr (file, line, key and fix) and ends the command with exit status 2.
    func load() throws -> GShareConfig {
        do {
            return try located().config
        } catch {
            Console.printError(error.description)
            throw ExitStatus.couldNotRun
        }
    }

    /// ssh_known_hosts from the configuration; when there is no configuration file at all,
    /// ~/.ssh/known_hosts. An invalid configuration ends the command (exit 2).
    func knownHostsPath() throws -> String {
        do {
            return try located().config.knownHostsPath
        } catch let error where error.code == .notFound {
            return GShareConfig.defaultKnownHostsPath(environment: ProcessInfo.processInfo.environment)
        } catch {
            Console.printError(error.description)
            throw ExitStatus.couldNotRun
        }
    }
}
