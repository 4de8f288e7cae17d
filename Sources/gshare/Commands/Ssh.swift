//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Ssh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ssh",
            abstract: "SSH servers: record a server's host key, deliberately.",
            discussion: """
                gshare checks every SSH server's host key strictly against ssh_known_hosts \
                (gshare.toml; default ~/.ssh/known_hosts): an unknown host is refused with its \
                fingerprint, a changed key is refused loudly. Nothing is ever trusted \
                automatically: 'trust' shows the fingerprint and records it only when you confirm \
                it (or give it with --fingerprint, checked out of band).

                  gshare ssh trust gluster1
                  gshare ssh trust 127.0.0.2:2222 --fingerprint SHA256:…
                """,
            subcommands: [Trust.self]
        )
    }
}
