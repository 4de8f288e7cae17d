//===----------------------------------------------------------------------===//
// gshare — GShareTOML tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTOML
import GShareTestSupport
import Testing

@Suite("Valid documents parse to exact values")
struct ValidDocumentTests {
    static let labProfile = """
        # gshare lab PKI profile: what `gshare pki lab --dir DIR` builds.
        #
        # Two independent hierarchies (a security property).

        # GlusterFS servers (node certificates: serverAuth + clientAuth, SAN DNS:<name>).
        nodes = ["gluster-node-1"]
        # Extra SANs for every node certificate.
        node_sans = ["IP:127.0.0.2"]
        manager = "gshare-manager"
        tenants = ["tenant-a", "tenant-b", "tenant-c"]

        [node_ca]
        root_cn = "gshare Lab Node Root"
        intermediate_cn = "gshare Lab Node Intermediate"
        key_type = "p256"        # p256 | p384 | ed25519 | rsa2048 | rsa3072 | rsa4096
        root_days = 3650
        intermediate_days = 1825

        [tenant_ca]
        root_cn = "gshare Lab Tenant Root"
        intermediate_cn = "gshare Lab Tenant Intermediate"
        key_type = "p256"
        root_days = 3650
        intermediate_days = 1825

        [leaves]
        key_type = "p256"
        days = 825               # at most the issuing chain's remaining validity
        crl_days = 30            # CRL nextUpdate; GlusterFS rejects everyone once a CRL expires

        """

    @Test func labProfileParsesToExactValues() throws {
        let table = try TOMLTable.parse(Self.labProfile, source: "lab.toml")
        let expected: TOMLTable = [
            "nodes": ["gluster-node-1"],
            "node_sans": ["IP:127.0.0.2"],
            "manager": "gshare-manager",
            "tenants": ["tenant-a", "tenant-b", "tenant-c"],
            "node_ca": [
                "root_cn": "gshare Lab Node Root", "intermediate_cn": "gshare Lab Node Intermediate", "key_type": "p256",
                "root_days": 3650, "intermediate_days": 1825,
            ],
            "tenant_ca": [
                "root_cn": "gshare Lab Tenant Root", "intermediate_cn": "gshare Lab Tenant Intermediate", "key_type": "p256",
                "root_days": 3650, "intermediate_days": 1825,
            ],
            "leaves": ["key_type": "p256", "days": 825, "crl_days": 30],
        ]
        #expect(table == expected)
        #expect(table.keys == ["nodes", "node_sans", "manager", "tenants", "node_ca", "tenant_ca", "leaves"])
        #expect(table.line(of: "nodes") == 6)
        #expect(table.line(of: "node_ca") == 12)
        #expect(table.position(of: "node_ca") == TOMLPosition(line: 12, column: 2))
        #expect(table["leaves"]?.tableValue?.line(of: "crl_days") == 29)
        #expect(table["leaves"]?.tableValue?.position(of: "days") == TOMLPosition(line: 28, column: 1))
    }

    @Test func gshareConfigWithTargetsAcrossLinesParsesToExactValues() throws {
        let text = """
            # gshare configuration
            glusterfs_targets = [
              "root@gluster-node-1:/gv-pool-01",   # the first node
              # "root@gluster-node-9:/gv-old",     (retired)

              'root@gluster-node-2:/gv-pool-02',
              "root@[fd00::3]:/gv-pool-03" ,
            ]
            database = "/var/lib/gshare/gshare.sqlite"
            lock_timeout_seconds = 30
            verify_after_write = true
            dry_run = false

            [ssh]
            user = "root"
            port = 22
            known_hosts = '/etc/gshare/known_hosts'

            [pool]
            volume_prefix = "gv-pool-"
            size_bytes = 10_737_418_240
            system_cns = ["gluster-node-1", "gluster-node-2", "gshare-manager"]

            [tenants."tenant-a"]
            quota = { volumes = 2, bytes = 0x2_8000_0000 }
            contact.email = "ops@tenant-a.example"
            """
        let table = try TOMLTable.parse(text, source: "gshare.toml")
        let expected: TOMLTable = [
            "glusterfs_targets": [
                "root@gluster-node-1:/gv-pool-01", "root@gluster-node-2:/gv-pool-02", "root@[fd00::3]:/gv-pool-03",
            ],
            "database": "/var/lib/gshare/gshare.sqlite",
            "lock_timeout_seconds": 30,
            "verify_after_write": true,
            "dry_run": false,
            "ssh": ["user": "root", "port": 22, "known_hosts": "/etc/gshare/known_hosts"],
            "pool": [
                "volume_prefix": "gv-pool-", "size_bytes": 10_737_418_240,
                "system_cns": ["gluster-node-1", "gluster-node-2", "gshare-manager"],
            ],
            "tenants": [
                "tenant-a": [
                    "quota": ["volumes": 2, "bytes": 10_737_418_240],
                    "contact": ["email": "ops@tenant-a.example"],
                ]
            ],
        ]
        #expect(table == expected)
        #expect(table.line(of: "glusterfs_targets") == 2)
        #expect(table.line(of: "database") == 9)
        let tenant = try #require(table["tenants"]?.tableValue?["tenant-a"]?.tableValue)
        #expect(tenant.line(of: "quota") == 25)
        #expect(tenant["quota"]?.tableValue?.position(of: "bytes") == TOMLPosition(line: 25, column: 24))
        #expect(table["tenants"]?.tableValue?.position(of: "tenant-a") == TOMLPosition(line: 24, column: 10))
    }

    @Test func basicStringEscapesAreDecoded() throws {
        let table = try TOMLTable.parse(
            #"s = "tab\there \"quoted\" back\\slash \b\f\n\r caf\u00E9 \U0001F600 \u0000 end""#, source: "t")
        #expect(table["s"] == .string("tab\there \"quoted\" back\\slash \u{8}\u{C}\n\r café 😀 \u{0} end"))
    }

    @Test func literalStringsKeepBackslashesAndRawTabs() throws {
        let table = try TOMLTable.parse("path = 'C:\\Users\\nobody\\n'\ntabbed = \"a\tb\"\nempty = ''\nalso = \"\"\n", source: "t")
        #expect(table["path"] == "C:\\Users\\nobody\\n")
        #expect(table["tabbed"] == "a\tb")
        #expect(table["empty"] == "")
        #expect(table["also"] == "")
    }

    @Test func integersParseInEveryBaseWithSeparatorsAndAtTheLimits() throws {
        let text = """
            zero = 0
            plus_zero = +0
            minus_zero = -0
            plain = 42
            positive = +17
            negative = -17
            separated = 1_000_000
            hex = 0xDEAD_beef
            hex_leading_zeros = 0x00ff
            octal = 0o755
            binary = 0b1101_0110
            max = 9223372036854775807
            min = -9223372036854775808
            hex_max = 0x7FFFFFFFFFFFFFFF
            """
        let table = try TOMLTable.parse(text, source: "t")
        let expected: TOMLTable = [
            "zero": 0, "plus_zero": 0, "minus_zero": 0, "plain": 42, "positive": 17, "negative": -17,
            "separated": 1_000_000, "hex": 0xDEAD_BEEF, "hex_leading_zeros": 255, "octal": 0o755, "binary": 0b1101_0110,
            "max": .integer(Int.max), "min": .integer(Int.min), "hex_max": .integer(Int.max),
        ]
        #expect(table == expected)
    }

    @Test func booleansAndMixedArraysAreValues() throws {
        let table = try TOMLTable.parse(
            "flags = [true, false]\nmixed = [1, \"two\", [3, 'four'], { five = 5 }, true]\nempty = []\nnested = [[], [[]]]", source: "t")
        #expect(table["flags"] == [true, false])
        #expect(table["mixed"] == [1, "two", [3, "four"], ["five": 5], true])
        #expect(table["empty"] == [])
        #expect(table["nested"] == [[], [[]]])
    }

    @Test func dottedKeysCreateSubTablesInDocumentOrder() throws {
        let text = """
            name = "lab"
            server.host = "node-1"
            server.port = 24007
            server . tls . enabled = true
            "quoted key".'literal part' = 1
            """
        let table = try TOMLTable.parse(text, source: "t")
        let expected: TOMLTable = [
            "name": "lab",
            "server": ["host": "node-1", "port": 24007, "tls": ["enabled": true]],
            "quoted key": ["literal part": 1],
        ]
        #expect(table == expected)
        #expect(table.line(of: "server") == 2)
        #expect(table["server"]?.tableValue?.line(of: "port") == 3)
        #expect(table["server"]?.tableValue?.position(of: "tls") == TOMLPosition(line: 4, column: 10))
    }

    @Test func quotedKeysAndQuotedTableNamesAreKeys() throws {
        let text = """
            "x z" = 1
            'a.b' = 2
            "" = 3
            "caf\\u00E9" = 4
            1234 = 5

            ["x y".z]
            w = 6

            ['eu 1'."rack 2"]
            v = 7
            """
        let table = try TOMLTable.parse(text, source: "t")
        #expect(table.keys == ["x z", "a.b", "", "café", "1234", "x y", "eu 1"])
        #expect(table["x z"] == 1)
        #expect(table["x y"] == .table(["z": ["w": 6]]))
        #expect(table["a.b"] == 2)
        #expect(table[""] == 3)
        #expect(table["café"] == 4)
        #expect(table["1234"] == 5)
        #expect(table["eu 1"] == ["rack 2": ["v": 7]])
    }

    @Test func headerMayDefineATableItsSubTableCreatedEarlier() throws {
        let table = try TOMLTable.parse("[a.b.c]\nx = 1\n\n[a]\ny = 2\n\n[a.b]\nz = 3\n", source: "t")
        #expect(table == ["a": ["b": ["c": ["x": 1], "z": 3], "y": 2]])
        #expect(table.line(of: "a") == 4, "an implicitly created table's line is where it is finally defined")
    }

    @Test func headerMayAddASubTableToADottedKeyTable() throws {
        let text = """
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true

            [fruit.apple.texture]
            smooth = true
            """
        let table = try TOMLTable.parse(text, source: "t")
        #expect(table == ["fruit": ["apple": ["color": "red", "taste": ["sweet": true], "texture": ["smooth": true]]]])
    }

    @Test func inlineTablesMayHoldDottedKeysAndNestedValues() throws {
        let table = try TOMLTable.parse(
            "point = { x = 1, y = -2, tag.name = 'p', tag.kind = \"q\", list = [1, 2,], inner = {} }", source: "t")
        #expect(table["point"] == ["x": 1, "y": -2, "tag": ["name": "p", "kind": "q"], "list": [1, 2], "inner": [:]])
        #expect(table["point"]?.tableValue?.position(of: "y") == TOMLPosition(line: 1, column: 18))
    }

    @Test func whitespaceAndCommentsAreAllowedWhereverTOMLAllowsThem() throws {
        let text = "\t# tab-indented comment \u{85} ünïcödé\n  a=1#no space\n\tb\t=\t\"x\"\t# tabs\n[ t ]#c\n[ u . v ]  \n"
        let table = try TOMLTable.parse(text, source: "t")
        #expect(table == ["a": 1, "b": "x", "t": [:], "u": ["v": [:]]])
    }

    @Test func crlfLineEndsAndAByteOrderMarkAreAccepted() throws {
        let lf = "# comment\na = 1\nb = [\n  2, # two\n  3,\n]\n\n[t]\nc = \"x\"\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let plain = try TOMLTable.parse(lf, source: "t")
        let windows = try TOMLTable.parse(crlf, source: "t")
        let withBOM = try TOMLTable.parse(utf8: [0xEF, 0xBB, 0xBF] + Array(crlf.utf8), source: "t")
        #expect(plain == ["a": 1, "b": [2, 3], "t": ["c": "x"]])
        #expect(windows == plain)
        #expect(withBOM == plain)
        #expect(windows.line(of: "t") == plain.line(of: "t"))
        #expect(withBOM.position(of: "a") == TOMLPosition(line: 2, column: 1))
        #expect(parseError(utf8: [0xEF, 0xBB, 0xBF] + Array("x = =".utf8))?.column == 5, "the BOM takes no column")
    }

    @Test func emptyAndCommentOnlyDocumentsAreEmptyTables() throws {
        #expect(try TOMLTable.parse("", source: "t").isEmpty)
        #expect(try TOMLTable.parse("\n\n   \n", source: "t").isEmpty)
        #expect(try TOMLTable.parse("# only\n# comments", source: "t") == TOMLTable())
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = TOMLTable.maximumNestingDepth
        // The key's value sits at level 1, so 64 nested arrays reach level 64.
        let arrays = try TOMLTable.parse("deep = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth), source: "t")
        var value = try #require(arrays["deep"])
        for _ in 1..<depth { value = try #require(value.arrayValue?.first) }
        #expect(value == [])
        let header = "[" + Array(repeating: "a", count: depth).joined(separator: ".") + "]\nx = 1"
        #expect(try TOMLTable.parse(header, source: "t")["a"] != nil)
    }

    @Test func theRepositoryLabProfileParses() throws {
        let path = repositoryRoot.appendingPathComponent("pki/lab.toml").path
        let table = try TOMLTable.parse(fileAt: path)
        #expect(!table.isEmpty)
        #expect(table.entries.count == table.count)
    }

    @Test func fileParsingUsesThePathAsSourceUnlessNamed() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gshare.toml")
        try Data("a = 1\na = 2\n".utf8).write(to: file)
        #expect(caughtError { _ = try TOMLTable.parse(fileAt: file.path) }?.source == file.path)
        #expect(caughtError { _ = try TOMLTable.parse(fileAt: file.path, source: "gshare.toml") }?.description.hasPrefix("gshare.toml:2:1: ") == true)
        try Data("a = 1\n".utf8).write(to: file)
        #expect(try TOMLTable.parse(fileAt: file.path) == ["a": 1])
    }
}
