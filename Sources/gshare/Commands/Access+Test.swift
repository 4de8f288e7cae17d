//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows

extension GShare.Access {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Connect to HOST:/VOLUME as an identity; write, read back and remove a probe file.",
            discussion: """
                This is how an admin proves what GlusterFS enforces for a tenant: the connection \
                runs in an isolated helper process (gshare-gfapi-worker, installed beside gshare) \
                with a deadline, so a refused certificate never hangs the command. At the same \
                time it connects as anyone (no certificate, plain text, reading only): a volume \
                with TLS off lets that in, and then the certificate is never checked and \
                auth.ssl-allow is ignored; the test says so loudly (ADMITS ANYONE).

                Exit status: 0 allowed and working (and the volume refuses clients without TLS); \
                1 refused, saying which: not in auth.ssl-allow, TLS rejected (unknown CA, key not \
                matching the certificate), or volume stopped; 2 could not run: glusterd \
                unreachable, unknown volume, timed out, unreadable or invalid certificate/key/CA \
                files; 4 the volume admits anyone: TLS is off, a client without a certificate got \
                in (whatever this identity got).

                Example:
                  gshare access test 127.0.0.2:/gshare-test-access \\
                      --cert hosts/tenant-a/glusterfs/glusterfs.pem \\
                      --key hosts/tenant-a/glusterfs/glusterfs.key \\
                      --ca hosts/tenant-a/glusterfs/glusterfs.ca

                On a cluster with management TLS, as its export says:
                  gshare access test 127.0.0.11:/gshare-cpool-01-1G \\
                      --backup-volfile-servers 127.0.0.12:127.0.0.13 --management-tls \\
                      --cert … --key … --ca …
                """
        )

        @Argument(help: ArgumentHelp("The volume, as HOST:/VOLUME (or HOST:PORT:/VOLUME).", valueName: "host:/volume"))
        var volume: String

        @Option(help: ArgumentHelp("The certificate chain, leaf first (glusterfs.pem).", valueName: "file"), completion: .file())
        var cert: String

        @Option(help: ArgumentHelp("Its private key, unencrypted (glusterfs.key).", valueName: "file"), completion: .file())
        var key: String

        @Option(help: ArgumentHelp("The CAs that verify the servers (glusterfs.ca).", valueName: "file"), completion: .file())
        var ca: String

        @Option(
            help: ArgumentHelp(
                "Other nodes of the volume's pool to fetch the volume file from when HOST does not answer (as the share's export says: backup-volfile-servers).",
                valueName: "host[:host…]"))
        var backupVolfileServers: String?

        @Flag(
            help: ArgumentHelp(
                "The servers use management TLS (/var/lib/glusterd/secure-access): fetch the volume file over TLS as this identity too (needs root, or unprivileged user namespaces)."))
        var managementTLS = false

        @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
        var timeout: Double = 20

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
            if let backupVolfileServers, backupVolfileServers.split(separator: ":", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                throw ValidationError("--backup-volfile-servers takes host names separated by ':' (e.g. 127.0.0.12:127.0.0.13), without empty ones")
            }
        }

        func run() async throws {
            try await CLI.run(output) { cli in
                let probe = try await AccessProbeWorkflow.probe(
                    volume: volume, cert: cert, key: key, ca: ca, timeout: .milliseconds(Int(timeout * 1000)),
                    backupVolfileServers: backupVolfileServers.map { $0.split(separator: ":").map(String.init) } ?? [],
                    managementTLS: managementTLS)
                try cli.emit(AccessTestDocument(probe)) { AccessText.render(AccessTestDocument(probe)) }
                try cli.finish(ExitStatus.of(probe))
            }
        }
    }
}
