//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Pool: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pool",
            abstract: "The volume pool shares are taken from: what is free, and is its TLS safe?",
            discussion: """
                The pool is every volume in glusterfs_targets plus, on glusterfs_servers, every \
                volume whose name matches glusterfs_volume_pattern (#{size} = its size in GB). \
                gshare reads it with ONE 'gluster volume info all' per server.

                A volume is ready to hand out only when server.ssl and client.ssl are on \
                ('maybe' accepts plain-text clients), auth.ssl-allow is set, not '*' and without \
                globs, every system CN is in it, server.dynamic-auth is on, and it is started.

                  gshare pool list
                  gshare pool check
                  gshare pool prepare gshare-pool-07-5G --restart
                """,
            subcommands: [List.self, Check.self, Prepare.self]
        )
    }
}
