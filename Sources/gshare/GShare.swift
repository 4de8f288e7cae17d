//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import TenantPKI

/// The `gshare` command: parses, dispatches, prints. All logic lives in the libraries.
@main
struct GShare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gshare",
        abstract: "GlusterFS shares for tenants, and exactly the right TLS identities let in.",
        discussion: """
            gshare checks tenant certificates the way GlusterFS will see them (first subject CN, \
            raw bytes) and against a strict tenant policy, before any name goes into a volume's \
            auth.ssl-allow.

            Start with:
              gshare cert verify tenant-a.pem --ca tenant-root.pem
              gshare pki lab --dir pki/out     (a lab PKI, laid out for GlusterFS)
              gshare config check              (gshare.toml: pool, system CNs…)
              gshare pool check                (is every pool volume's TLS safe?)
              gshare share create --size 2 --name tenant-a-data
              gshare access allow tenant-a-data --cert tenant-a.pem
              gshare access deny tenant-a-data --cn tenant-a
              gshare tenant onboard tenant-a.pem     (the registry: allow/deny by tenant name)
              gshare audit --since 7d
              gshare share delete tenant-a-data
              gshare status                    (every share and who is let in)
              gshare doctor [--fix]            (what is wrong, and the fix)
            """,
        version: "0.1.0",
        subcommands: [
            Cert.self, Pki.self, Config.self, Pool.self, Share.self, Access.self, Tenant.self, Audit.self, Status.self, Doctor.self, Ssh.self, Serve.self, ApiUser.self,
        ]
    )

    /// OpenSSL keeps its global state until the process is gone (first, before any OpenSSL
    /// call): see ``OpenSSLLifetime``.
    static func main() async {
        OpenSSLLifetime.keepGlobalStateUntilExit()
        await main(nil)
    }
}
