//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access",
            abstract: "Who may open a share: allow and deny TLS identities, list them, and prove it.",
            discussion: """
                'allow'/'deny' change a share's auth.ssl-allow (validated names only, system CNs \
                kept, one read and one write, verified); 'list' shows the entries; 'test' connects \
                through libgfapi as an identity, writes, reads back and removes a probe file, and \
                says exactly why it could not when it could not.

                  gshare access allow tenant-a-data --cert tenant-a/glusterfs.pem
                  gshare access test 127.0.0.2:/gshare-pool-03-2G --cert … --key … --ca …
                  gshare access deny tenant-a-data --cn tenant-a
                """,
            subcommands: [Allow.self, Deny.self, List.self, Test.self]
        )
    }
}
