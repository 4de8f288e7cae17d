//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Pki: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pki",
            abstract: "Issue lab PKI: CAs, node and tenant certificates, revocations and CRLs, laid out for GlusterFS.",
            discussion: """
                Keep two independent hierarchies: GlusterFS clients never check the server's \
                identity, so a tenant must never trust the root that signs tenants (else one \
                tenant could pose as a server to another). Nodes and gshare's own identity come \
                from a node root, tenants from a tenant root; a tenant's glusterfs.ca holds only \
                the node root, a node's holds both.

                'lab' builds all of it from a profile in one go; the other commands do it by hand:
                  gshare pki init-ca --dir ca/tenant-root
                  gshare pki init-ca --dir ca/tenant-int --parent ca/tenant-root
                  gshare pki issue --ca ca/tenant-int --cn tenant-a --profile client \\
                      --peer-ca ca/node-root/ca.pem
                  gshare pki revoke --ca ca/tenant-int --cert tenant-a/tenant-a.pem
                  gshare pki crl --ca ca/tenant-int

                Exit status (every pki command): 0 done; 1 refused (a hostile name, a folder or \
                file that already exists, a validity beyond the issuer's, an unknown serial): \
                nothing was written; 2 could not run (a missing, unreadable or damaged file or CA \
                folder, an unwritable folder); 64 usage error. The message is on stderr; with \
                --json, stdout also gets {"error": {"code", "message"}} (code: invalid-common-name, \
                already-exists, issuance-refused, unknown-serial, not-a-ca, file-unreadable…).
                """,
            subcommands: [InitCA.self, Issue.self, Revoke.self, CRL.self, Lab.self]
        )
    }
}
