//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Access: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove what GlusterFS enforces: connect to a volume as a TLS identity.",
            discussion: """
                'test' connects through libgfapi as the identity you give, writes, reads back and \
                removes a probe file, and says exactly why it could not when it could not.
                """,
            subcommands: [Test.self]
        )
    }
}
