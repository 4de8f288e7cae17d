//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import TenantPKI

@Suite("CommonName: names that may go into auth.ssl-allow")
struct CommonNameTests {
    @Test(arguments: ["tenant-a", "a", "A1", "tenant.b_c@example-d", "0tenant", String(repeating: "x", count: 64)])
    func acceptsSafeNames(_ name: String) throws {
        #expect(try CommonName(validating: name).value == name)
    }

    /// Each of these could widen access (globs, separators) or be seen differently by GlusterFS.
    @Test(arguments: [
        ("", "empty"), ("*", "starts with '*'"), ("tenant*", "'*'"), ("tenant?", "'?'"), ("tenant[ab]", "'['"),
        ("tenant,a", "a comma"), ("tenant a", "a space"), (" tenant", "starts with a space"), ("tenant\t", "0x09"),
        ("admin\u{0}.evil", "NUL"), ("ténant", "non-ASCII"), ("-tenant", "starts with '-'"), (".tenant", "starts with '.'"),
        ("tenant/a", "'/'"), ("tenant\\a", "'\\'"), ("tenant;rm", "';'"), ("tenant$(id)", "'$'"), ("tenant`id`", "'`'"),
        ("tenant'a", "'''"), ("tenant\"a", "'\"'"), ("tenant\na", "0x0A"), (String(repeating: "x", count: 65), "65 bytes"),
    ])
    func refusesHostileNamesNamingTheProblem(_ name: String, _ expectedInReason: String) {
        #expect {
            try CommonName(validating: name)
        } throws: { error in
            guard let error = error as? PKIError else { return false }
            return error.code == .invalidCommonName && error.reason.contains(expectedInReason)
                && error.hint.contains("A-Z a-z 0-9")
        }
    }

    @Test func decodingRefusesAnInvalidName() throws {
        let json = Data("[\"tenant*\"]".utf8)
        #expect(throws: PKIError.self) { try JSONDecoder().decode([CommonName].self, from: json) }
    }
}


