//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareWorkflows

extension GShare.Ssh {
    struct Trust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trust",
            abstract: "Show an SSH server's host key fingerprint and record it in ssh_known_hosts.",
            discussion: """
                Connects to HOST[:PORT] (port 22 by default; IPv6 as [addr]:port), completes the \
                key exchange only (no login), and prints the host key's SHA256 fingerprint as \
                ssh-keygen -l does. Compare it with the server's own (on the server: \
                ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). Then:
                  on a terminal, answer 'yes' to record it;
                  in a script, pass --fingerprint SHA256:… — recorded only if it matches.
                A different key already recorded for the host is never replaced: remove it \
                yourself (ssh-keygen -R HOST -f FILE) once you know why it changed.

                Exit status: 0 recorded (or already recorded); 1 refused (fingerprint mismatch, \
                not confirmed, a different key on record); 2 could not run (unreachable, \
                unwritable file, configuration).
                """
        )

        @Argument(help: ArgumentHelp("The server: HOST, HOST:PORT or [IPv6]:PORT.", valueName: "host[:port]"))
        var server: String

        @Option(help: ArgumentHelp("The fingerprint you expect (SHA256:…); required when not on a terminal.", valueName: "SHA256:…"))
        var fingerprint: String?

        @Option(
            name: .customLong("known-hosts"),
            help: ArgumentHelp("The known_hosts file to write. Default: ssh_known_hosts from gshare.toml, else ~/.ssh/known_hosts.", valueName: "file"),
            completion: .file())
        var knownHosts: String?

        @Option(help: ArgumentHelp("Give up connecting after this many seconds.", valueName: "seconds"))
        var timeout: Int = 10

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (1...300).contains(timeout) else { throw ValidationError("--timeout must be 1 to 300 seconds") }
            if let fingerprint, !fingerprint.hasPrefix("SHA256:") {
                throw ValidationError("--fingerprint must look like SHA256:… (as ssh-keygen -l prints it)")
            }
        }

        func run() async throws {
            try await CLI.run(output) { cli in
                let knownHostsFile = try knownHosts ?? ConfigurationWorkflow.knownHostsPath(configuration.source)
                let vouch: SSHTrustWorkflow.Vouch
                if let fingerprint {
                    vouch = .fingerprint(fingerprint)
                } else if isatty(STDIN_FILENO) == 1 {
                    vouch = .confirm { key in Self.confirm(key, file: knownHostsFile) }
                } else {
                    vouch = .nobody(because: "not on a terminal and no --fingerprint")
                }
                let json = output.json
                let trusted = try await SSHTrustWorkflow(context: cli.context, auditStateDirectory: ConfigurationWorkflow.auditStateDirectory(configuration.source))
                    .trust(server, knownHosts: knownHostsFile, vouch: vouch, timeout: .seconds(timeout)) { key in
                        if !json { print("\(key.shown) presents a \(key.type) host key\n  fingerprint: \(key.fingerprint)") }
                    }
                try cli.emit(trusted) { "recorded in \(trusted.knownHosts)" }
            }
        }

        /// Asks on the terminal.
        static func confirm(_ key: PresentedHostKey, file: String) -> Bool {
            FileHandle.standardOutput.write(Data("Is this the key of \(key.shown)? Type 'yes' to record it in \(file): ".utf8))
            return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
        }
    }
}
