//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct Cert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cert",
            abstract: "Inspect and verify tenant certificates.",
            discussion: """
                'inspect' shows what a certificate says and the name GlusterFS will authorise; \
                'verify' says whether GlusterFS would accept it and whether it meets gshare's \
                tenant policy, with every reason and its fix.
                """,
            subcommands: [Inspect.self, Verify.self]
        )
    }
}
