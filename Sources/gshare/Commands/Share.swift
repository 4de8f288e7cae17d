//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Share: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "share",
            abstract: "Shares: whole volumes taken from the pool, one per tenant workload.",
            discussion: """
                A share's state lives on its volume (user.gshare.* options, replicated by \
                glusterd), so every host running gshare sees the same shares.

                  gshare share create --size 2 --name tenant-a-data
                  gshare access allow tenant-a-data --cert tenant-a.pem
                  gshare share show tenant-a-data
                  gshare share resize tenant-a-data 4
                  gshare share delete tenant-a-data
                """,
            subcommands: [Create.self, Delete.self, List.self, Show.self, Resize.self]
        )
    }
}
