//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

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
              gshare cert inspect tenant-a.pem
              gshare cert verify tenant-a.pem --ca tenant-root.pem --untrusted tenant-int.pem
              gshare pki lab --dir pki/out     (a lab PKI: both hierarchies, nodes, tenants, CRLs)
            """,
        version: "0.1.0",
        subcommands: [Cert.self, Pki.self, Config.self, Pool.self, Share.self, Access.self]
    )
}
