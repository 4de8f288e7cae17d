//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GShareWorkflows
import GlusterDriver

/// Who to let in or throw out: a registered TENANT, `--cn NAME` or `--cert FILE`, and
/// Manila's access type/level. Parsed only: the grant policy is the workflows'.
struct IdentityOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A tenant from the registry (gshare tenant list): its recorded CN is used.", valueName: "tenant"))
    var tenant: String?

    @Option(help: ArgumentHelp("The common name, checked by the same rules as certificates (letters, digits, . _ @ -; no globs).", valueName: "cn"))
    var cn: String?

    @Option(
        help: ArgumentHelp("The tenant's certificate (PEM, chain after the leaf allowed). For allow it must pass validation against tenant_ca; its first CN is what GlusterFS sees.", valueName: "file"),
        completion: .file())
    var cert: String?

    @Option(help: ArgumentHelp("Intermediate CAs that complete the --cert chain. Repeatable.", valueName: "file"), completion: .file())
    var untrusted: [String] = []

    @Option(help: ArgumentHelp("CRLs to check the --cert chain against. Repeatable.", valueName: "file"), completion: .file())
    var crl: [String] = []

    @Option(name: .customLong("access-type"), help: ArgumentHelp("Manila's access type: only 'cert' is supported.", valueName: "type"))
    var accessType: String = "cert"

    @Option(help: ArgumentHelp("Manila's access level: only 'rw' is supported.", valueName: "level"))
    var level: String = "rw"

    func validate() throws {
        guard [tenant != nil, cn != nil, cert != nil].count(where: { $0 }) == 1 else {
            throw ValidationError("give exactly one of TENANT (a registered tenant's name), --cn NAME or --cert FILE")
        }
    }

    var selector: IdentitySelector {
        if let tenant { return .tenant(tenant) }
        if let cn { return .commonName(cn) }
        return .certificate(path: cert ?? "", untrusted: untrusted, crls: crl)
    }

    var request: AccessRequest { AccessRequest(accessType: accessType, level: level) }
}
