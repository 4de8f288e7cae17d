//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser

extension GShare {
    struct ApiUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-user",
            abstract: "The users of the share API (gshare serve with --client-ca).",
            discussion: """
                With client certificates, every caller of gshare serve presents a certificate \
                (issued under --client-ca); its CN names an API user registered here, and only \
                that very certificate (its SHA-256 fingerprint) authenticates the user. A member \
                acts for its project only; an admin may list every project's shares \
                (all_tenants) and reach any share by id.

                  gshare pki issue --ca ca/api --cn alice --profile client --out api/alice
                  gshare api-user add alice --cert api/alice/alice.pem --project p1 --role member
                  gshare api-user list
                  gshare api-user remove alice
                """,
            subcommands: [Add.self, List.self, Remove.self]
        )
    }
}
