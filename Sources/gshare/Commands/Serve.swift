//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareService
import GShareWorkflows

extension GShare {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the OpenStack share API (Manila v2, microversion 2.68) over the pool.",
            discussion: """
                The unmodified `openstack share …` commands drive gshare as they would Manila:

                  gshare serve --listen 127.0.0.1:8786 &
                  export OS_AUTH_TYPE=none OS_ENDPOINT=http://127.0.0.1:8786/v2/PROJECT
                  openstack share create GLUSTERFS 1 --name x --wait
                  openstack share access create x cert tenant-a --wait
                  openstack share show x

                The URL names the project (any project ID); each share belongs to the project \
                it was created in, and a project sees and changes only its own shares (another \
                project's share is 404, by id and by name). Shares made with the CLI belong to \
                no project. Without client certificates gshare serve listens on loopback only \
                and nobody is admin (all_tenants is ignored).

                access_to is the CN of an onboarded tenant (gshare tenant onboard) whose \
                certificate has neither expired nor been revoked; only cert access at rw. \
                Every change is audited with the API caller (gshare audit).

                On start it finishes deletes left half done; on SIGTERM or SIGINT it stops \
                taking requests, finishes those under way and the background creates and \
                wipes, then exits. GET /healthz answers {"status":"ok"}; GET /metrics gives \
                Prometheus metrics.

                Exit status: 0 stopped by a signal; 1 refused (e.g. a non-loopback --listen \
                without client certificates); 2 could not run (configuration, the address).
                """
        )

        @Option(help: ArgumentHelp("Where to listen: HOST:PORT (port 0: any free port; the port is printed).", valueName: "host:port"))
        var listen = "127.0.0.1:8786"

        @Option(name: .customLong("tls-cert"), help: ArgumentHelp("The server's certificate chain (PEM): serve HTTPS. Needs --tls-key and --client-ca.", valueName: "file"))
        var tlsCert: String?

        @Option(name: .customLong("tls-key"), help: ArgumentHelp("The server's private key (PEM).", valueName: "file"))
        var tlsKey: String?

        @Option(
            name: .customLong("client-ca"),
            help: ArgumentHelp("The CA of the API users' client certificates: every caller must present one, whose CN is an API user (gshare api-user add).", valueName: "file"))
        var clientCA: String?

        func validate() throws {
            let given = [tlsCert, tlsKey, clientCA].compactMap { $0 }.count
            guard given == 0 || given == 3 else {
                throw ValidationError("--tls-cert, --tls-key and --client-ca go together (HTTPS with client certificates); give all three or none")
            }
        }

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await CLI.run(output) { cli in
                let config = try ConfigurationWorkflow.load(configuration.source).config
                let address = try ListenAddress(parsing: listen)
                let tls: ServerTLS? = tlsCert.flatMap { cert in
                    tlsKey.flatMap { key in clientCA.map { ServerTLS(certificateChain: cert, privateKey: key, clientCA: $0) } }
                }
                let api = ShareAPI.serving(config: config, clientCertificates: tls != nil, logger: cli.context.logger)
                let server = try ShareAPIServer(api: api, listen: address, tls: tls)
                try await server.run { port, resumed in
                    let shown = ListenAddress(host: address.host, port: port)
                    var lines =
                        tls == nil
                        ? "gshare serve: listening on http://\(shown) (the project in the URL: http://\(shown)/v2/PROJECT; loopback only)\n"
                        : "gshare serve: listening on https://\(shown) (client certificates of API users; https://\(shown)/v2/PROJECT)\n"
                    if !resumed.isEmpty { lines += "gshare serve: finishing \(resumed.count) delete(s) left half done: \(resumed.joined(separator: ", "))\n" }
                    // Unbuffered: a script waiting for the port reads it at once.
                    FileHandle.standardOutput.write(Data(lines.utf8))
                }
                FileHandle.standardOutput.write(Data("gshare serve: stopped\n".utf8))
            }
        }
    }
}
