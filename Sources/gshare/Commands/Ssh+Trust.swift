//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareSSH
import GlusterDriver

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
            let address: GlusterServer
            do {
                // GlusterServer's parser checks host and port; a port needs a user there.
                address = try GlusterServer(parsing: server.contains("@") ? server : "trust@" + server)
            } catch {
                Console.printError("\(server): \(error)")
                throw ExitStatus.couldNotRun
            }
            let file = try knownHosts ?? configuration.knownHostsPath()
            let port = address.port ?? 22
            let key: SSHHostKey
            do {
                key = try await SSHHostKeyScan.fetch(host: address.host, port: port, timeout: .seconds(timeout))
            } catch {
                Console.printError("\(error)")
                throw ExitStatus.couldNotRun
            }
            let shown = port == 22 ? address.host : "[\(address.host)]:\(port)"
            if !output.json {
                print("\(shown) presents a \(key.type) host key")
                print("  fingerprint: \(key.fingerprint)")
            }
            if let fingerprint {
                guard fingerprint == key.fingerprint else {
                    Console.printError("\(shown): the host key's fingerprint is \(key.fingerprint), not \(fingerprint): NOT recorded (is this the right server?)")
                    throw ExitStatus.rejected
                }
            } else {
                guard isatty(STDIN_FILENO) == 1 else {
                    Console.printError("not on a terminal: check the fingerprint out of band and pass --fingerprint \(key.fingerprint) to record it")
                    throw ExitStatus.rejected
                }
                FileHandle.standardOutput.write(Data("Is this the key of \(shown)? Type 'yes' to record it in \(file): ".utf8))
                guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                    Console.printError("not confirmed: nothing recorded")
                    throw ExitStatus.rejected
                }
            }
            do {
                try KnownHostsFile.add(key, host: address.host, port: port, to: file)
            } catch let error as SSHError where error.code == .hostKeyChanged {
                Console.printError("\(error)")
                throw ExitStatus.rejected
            } catch {
                Console.printError("\(error)")
                throw ExitStatus.couldNotRun
            }
            if output.json {
                try Console.printJSON(TrustDocument(host: address.host, port: port, type: key.type, fingerprint: key.fingerprint, knownHosts: file))
            } else {
                print("recorded in \(file)")
            }
        }
    }
}

/// `gshare ssh trust --json`.
struct TrustDocument: Codable {
    let host: String
    let port: Int
    let type: String
    let fingerprint: String
    let knownHosts: String
}
