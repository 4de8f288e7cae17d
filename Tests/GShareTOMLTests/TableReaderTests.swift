//===----------------------------------------------------------------------===//
// gshare — GShareTOML tests
//===----------------------------------------------------------------------===//

import GShareTOML
import Testing

@Suite("TOMLTableReader refuses wrong types and unknown keys by path and line")
struct TableReaderTests {
    static let profile = """
        name = "lab"
        nodes = ["gluster-node-1", "gluster-node-2"]
        verbose = true
        days = "thirty"

        [defaults]
        key_type = "p256"
        days = 825
        tenant = "acme"
        limits = { volumes = 2, size = "10G" }

        ["eu 1".rack]
        slots = 4
        """

    static func reader() throws -> TOMLTableReader {
        TOMLTableReader(try TOMLTable.parse(profile, source: "lab.toml"), source: "lab.toml")
    }

    @Test func readsTypedValuesAndReportsAbsentKeysAsNil() throws {
        var root = try Self.reader()
        #expect(try root.string("name") == "lab")
        #expect(try root.strings("nodes") == ["gluster-node-1", "gluster-node-2"])
        #expect(try root.boolean("verbose") == true)
        #expect(try root.integer("absent") == nil)
        #expect(try root.string("absent") == nil)
        #expect(try root.table("absent") == nil)
        var defaults = try #require(try root.table("defaults"))
        #expect(defaults.path == "defaults")
        #expect(try defaults.integer("days") == 825)
        #expect(try defaults.requiredString("key_type") == "p256")
        var limits = try defaults.requiredTable("limits")
        #expect(limits.path == "defaults.limits")
        #expect(try limits.requiredInteger("volumes") == 2)
        #expect(root.value("days") == "thirty")
        #expect(root.knownKeys == ["name", "nodes", "verbose", "absent", "defaults", "days"])
    }

    @Test func wrongTypeNamesTheKeyTheTypesAndTheLine() throws {
        var root = try Self.reader()
        let error = try #require(caughtError { _ = try root.integer("days") })
        #expect(error.code == .wrongType)
        #expect(error.description == "lab.toml:4:1: \"days\" must be an integer, found a string")

        let others: [(TOMLError?, String)] = [
            (caughtError { _ = try root.string("nodes") }, "lab.toml:2:1: \"nodes\" must be a string, found an array"),
            (caughtError { _ = try root.boolean("name") }, "lab.toml:1:1: \"name\" must be a boolean, found a string"),
            (caughtError { _ = try root.table("verbose") }, "lab.toml:3:1: \"verbose\" must be a table, found a boolean"),
            (caughtError { _ = try root.strings("verbose") }, "lab.toml:3:1: \"verbose\" must be an array of strings, found a boolean"),
            (caughtError { _ = try root.requiredInteger("name") }, "lab.toml:1:1: \"name\" must be an integer, found a string"),
        ]
        for (error, description) in others {
            #expect(error?.code == .wrongType)
            #expect(error?.description == description)
        }
    }

    @Test func nestedTableMessagesUseTheDottedPath() throws {
        var root = try Self.reader()
        var defaults = try root.requiredTable("defaults")
        let wrong = try #require(caughtError { _ = try defaults.boolean("days") })
        #expect(wrong.description == "lab.toml:8:1: \"defaults.days\" must be a boolean, found an integer")

        var limits = try defaults.requiredTable("limits")
        let inline = try #require(caughtError { _ = try limits.integer("size") })
        #expect(inline.description == "lab.toml:10:25: \"defaults.limits.size\" must be an integer, found a string")

        var eu = try root.requiredTable("eu 1")
        #expect(eu.path == "\"eu 1\"")
        var rack = try eu.requiredTable("rack")
        let quoted = try #require(caughtError { _ = try rack.string("slots") })
        #expect(quoted.description == "lab.toml:13:1: \"eu 1\".rack.slots must be a string, found an integer")
    }

    @Test func arrayElementOfTheWrongTypeIsNamed() throws {
        var reader = TOMLTableReader(
            try TOMLTable.parse("glusterfs_targets = [\n  \"root@a:/v\",\n  42,\n]\n", source: "gshare.toml"), source: "gshare.toml")
        let error = try #require(caughtError { _ = try reader.strings("glusterfs_targets") })
        #expect(error.code == .wrongType)
        #expect(error.description == "gshare.toml:1:1: \"glusterfs_targets\" must be an array of strings, but element 2 is an integer")
    }

    @Test func unknownKeyIsRefusedWithItsLineAndTheKnownKeys() throws {
        var root = try Self.reader()
        var defaults = try root.requiredTable("defaults")
        _ = try defaults.string("key_type")
        _ = try defaults.integer("days")
        _ = try defaults.table("limits")
        #expect(defaults.unknownKeys == ["tenant"])
        let error = try #require(caughtError { try defaults.requireNoUnknownKeys() })
        #expect(error.code == .unknownKey)
        #expect(
            error.description
                == "lab.toml:9:1: unknown key \"tenant\" in [defaults]; known keys: key_type, days, limits; remove it or correct its spelling")

        defaults.markKnown("tenant")
        #expect(caughtError { try defaults.requireNoUnknownKeys() } == nil)
    }

    @Test func unknownTopLevelKeysAreAllNamedAndMisspellingsGetASuggestion() throws {
        var reader = TOMLTableReader(
            try TOMLTable.parse("nodes = []\nnodse = []\ntenats = []\n\"odd key\" = 1\n", source: "lab.toml"), source: "lab.toml")
        _ = try reader.strings("nodes")
        _ = try reader.strings("tenants")
        let error = try #require(caughtError { try reader.requireNoUnknownKeys() })
        #expect(error.line == 2 && error.column == 1)
        #expect(error.message.hasPrefix("unknown key \"nodse\" at the top level (did you mean \"nodes\"?); known keys: nodes, tenants"))
        #expect(error.message.hasSuffix("(other unknown keys: tenats, \"odd key\")"))
    }

    @Test func tableThatTakesNoKeysSaysSo() throws {
        let reader = TOMLTableReader(try TOMLTable.parse("[x]\nstray = 1\n", source: "t.toml"), source: "t.toml", path: "x")
        let inner = TOMLTableReader(try #require(reader.table["x"]?.tableValue), source: "t.toml", path: "x")
        let error = try #require(caughtError { try inner.requireNoUnknownKeys() })
        #expect(error.description == "t.toml:2:1: unknown key \"stray\" in [x]; this table takes no keys, so remove it")
    }

    @Test func missingRequiredKeyNamesTheTableAndWhereItIs() throws {
        var root = try Self.reader()
        let top = try #require(caughtError { _ = try root.requiredString("manager") })
        #expect(top.code == .missingKey)
        #expect(top.description == "lab.toml: missing required key \"manager\"; add manager = <a string>")

        var defaults = try root.requiredTable("defaults")
        let nested = try #require(caughtError { _ = try defaults.requiredStrings("nodes") })
        #expect(nested.description == "lab.toml:6:2: missing required key \"nodes\" in [defaults]; add nodes = <an array of strings>")
        #expect(caughtError { _ = try defaults.requiredBoolean("x") }?.code == .missingKey)
        #expect(caughtError { _ = try root.requiredTable("x") }?.code == .missingKey)
    }
}
