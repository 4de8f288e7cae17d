//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import TenantPKI
import Testing

@testable import GlusterDriver

/// A CommonName for a test; the names used here are all valid.
func cn(_ text: String) throws -> CommonName { try CommonName(validating: text) }

/// The lab's system CNs: the node and gshare's own identity.
func labSystemCNs() throws -> [CommonName] { [try cn("gluster-node-1"), try cn("gshare-manager")] }

@Suite("SSLAllowList: auth.ssl-allow read as GlusterFS reads it, merged without surprises")
struct SSLAllowListTests {
    // MARK: Parsing (strtok_r(list, " ,"))

    @Test("spaces and commas both separate, and empty tokens are skipped")
    func spacesAndCommasSeparate() {
        #expect(SSLAllowList(optionValue: "a, b,,c  d").entries == ["a", "b", "c", "d"])
        #expect(SSLAllowList(optionValue: ",,a,").entries == ["a"])
        #expect(SSLAllowList(optionValue: "gluster-node-1,gshare-manager").entries == ["gluster-node-1", "gshare-manager"])
    }

    @Test("a set but empty value is an empty list, not an unset one")
    func emptyValueIsSetAndEmpty() {
        for value in ["", " , ", ",", "   "] {
            let list = SSLAllowList(optionValue: value)
            #expect(!list.isUnset, "\(value)")
            #expect(list.entries.isEmpty, "\(value)")
            #expect(!list.admitsAnyone, "\(value)")
        }
    }

    @Test("an option that is not set is unset and admits anyone (GlusterFS uses *)")
    func unsetAdmitsAnyone() {
        let list = SSLAllowList(optionValue: nil)
        #expect(list.isUnset && list.entries.isEmpty && list.admitsAnyone)
        #expect(list.rendered == "*")
        #expect(list.description == "unset (default *)")
        #expect(list != SSLAllowList(optionValue: ""))
    }

    @Test("tabs and newlines do not separate: they stay inside their token, which is unknown")
    func tabsAndNewlinesStayInsideTokens() throws {
        let list = SSLAllowList(optionValue: "a\tb,c\nd e\r")
        #expect(list.entries == ["a\tb", "c\nd", "e\r"])
        let kinds = list.classified(systemCNs: try labSystemCNs(), granted: ["a\tb", "c\nd", "e\r"]).map(\.kind)
        #expect(kinds == [.unknown, .unknown, .unknown])
        #expect(!list.contains(try cn("a")))
    }

    @Test("entries given one by one are split the way GlusterFS would split them")
    func entriesAreTokenised() {
        #expect(SSLAllowList(entries: ["a,b", "c d", "", "e"]).entries == ["a", "b", "c", "d", "e"])
        #expect(!SSLAllowList(entries: []).isUnset)
    }

    @Test("duplicates are kept as found but collapse when rendered, in first-seen order")
    func duplicatesCollapseInRendering() {
        let list = SSLAllowList(optionValue: "b a,b,c a")
        #expect(list.entries == ["b", "a", "b", "c", "a"])
        #expect(list.uniqueEntries == ["b", "a", "c"])
        #expect(list.rendered == "b,a,c")
        #expect(list.description == "b,a,c")
    }

    @Test("rendering uses commas only, never spaces")
    func renderingUsesCommas() throws {
        #expect(SSLAllowList(optionValue: "x y  z").rendered == "x,y,z")
        #expect(SSLAllowList.exactly([try cn("gluster-node-1"), try cn("tenant-a")]).rendered == "gluster-node-1,tenant-a")
        #expect(SSLAllowList(optionValue: " , ").rendered == "")
    }

    // MARK: Wildcards

    @Test("tokens with *, ? or [ are wildcard entries", arguments: [
        ("tenant-*", true), ("tenant-?", true), ("tenant-[ab]", true), ("*", true), ("a[", true),
        ("tenant-a", false), ("a.b@c", false), ("a]", false),
    ])
    func wildcardEntriesAreFound(token: String, isWildcard: Bool) {
        let list = SSLAllowList(optionValue: "gluster-node-1,\(token),\(token)")
        #expect(list.wildcardEntries == (isWildcard ? [token] : []))
    }

    @Test("only a token of stars admits anyone; other wildcards admit many but not all", arguments: [
        ("*", true), ("**", true), ("a,***", true), ("a *", true),
        ("?*", false), ("tenant-*", false), ("[*]", false), ("\\*", false), ("a", false),
    ])
    func admitsAnyoneOnlyForStars(value: String, anyone: Bool) {
        #expect(SSLAllowList(optionValue: value).admitsAnyone == anyone)
    }

    // MARK: Lookups

    @Test("contains is an exact, case-sensitive token match: a wildcard that would match does not count")
    func containsIsExact() throws {
        let list = SSLAllowList(optionValue: "tenant-*,Tenant-b,gluster-node-1")
        #expect(!list.contains(try cn("tenant-a")))
        #expect(!list.contains(try cn("tenant-b")))
        #expect(list.contains(try cn("Tenant-b")))
        #expect(list.contains(try cn("gluster-node-1")))
    }

    @Test("missing lists the system CNs not listed by name, in the order given, once each")
    func missingSystemCNs() throws {
        let system = try labSystemCNs()
        #expect(SSLAllowList(optionValue: "gshare-manager,tenant-a").missing(system) == [try cn("gluster-node-1")])
        #expect(SSLAllowList(optionValue: nil).missing(system) == system)
        #expect(SSLAllowList(optionValue: "gluster-*").missing(system) == system)
        #expect(SSLAllowList(optionValue: "gluster-node-1 gshare-manager").missing(system).isEmpty)
        #expect(SSLAllowList(optionValue: "").missing(system + system) == system)
    }

    // MARK: Allow

    @Test("allowing an absent CN appends it and keeps everything else in order")
    func allowAppends() throws {
        let list = SSLAllowList(optionValue: "gluster-node-1,gshare-manager,odd\tone,tenant-*")
        let allowed = list.allowing(try cn("tenant-b"))
        #expect(allowed.entries == ["gluster-node-1", "gshare-manager", "odd\tone", "tenant-*", "tenant-b"])
        #expect(allowed.rendered == "gluster-node-1,gshare-manager,odd\tone,tenant-*,tenant-b")
    }

    @Test("allowing a CN already listed is a no-op: the same value, so the caller writes nothing")
    func allowOfPresentIsNoOp() throws {
        let list = SSLAllowList(optionValue: "gluster-node-1, tenant-a,tenant-a")
        #expect(list.allowing(try cn("tenant-a")) == list)
        #expect(list.allowing(try cn("gluster-node-1")) == list)
    }

    @Test("allowing on an unset list narrows it to that CN; ensuring the system CNs puts them back in front")
    func allowOnUnsetNarrows() throws {
        let allowed = SSLAllowList(optionValue: nil).allowing(try cn("tenant-a"))
        #expect(!allowed.isUnset && allowed.entries == ["tenant-a"] && !allowed.admitsAnyone)
        #expect(allowed.ensuring(try labSystemCNs()).rendered == "gluster-node-1,gshare-manager,tenant-a")
    }

    // MARK: Deny

    @Test("denying a listed CN removes every occurrence and keeps the rest in order")
    func denyRemoves() throws {
        let list = SSLAllowList(optionValue: "gluster-node-1,tenant-a,weird[,tenant-b,tenant-a")
        let denied = try list.denying(try cn("tenant-a"), systemCNs: try labSystemCNs())
        #expect(denied.entries == ["gluster-node-1", "weird[", "tenant-b"])
    }

    @Test("denying a CN that is not listed is a no-op: the same value")
    func denyOfAbsentIsNoOp() throws {
        // (changed in issue 12: a list whose pattern still admits the CN now refuses instead)
        let list = SSLAllowList(optionValue: "gluster-node-1,gshare-manager,team-*")
        #expect(try list.denying(try cn("tenant-a"), systemCNs: try labSystemCNs()) == list)
    }

    @Test("a deny removes every escaped spelling of the name: fnmatch reads tenant\\-a as tenant-a", arguments: [
        "tenant\\-a", "\\t\\e\\n\\a\\n\\t\\-\\a", "tenant-a",
    ])
    func denyRemovesEscapedSpellings(spelling: String) throws {
        let list = SSLAllowList(optionValue: "gluster-node-1,gshare-manager,\(spelling),tenant-b")
        #expect(list.entries(admitting: try cn("tenant-a")) == [spelling])
        let denied = try list.denying(try cn("tenant-a"), systemCNs: try labSystemCNs())
        #expect(denied.entries == ["gluster-node-1", "gshare-manager", "tenant-b"])
        #expect(denied.entries(admitting: try cn("tenant-a")).isEmpty)
    }

    @Test("a deny that a pattern or an unset list would undo is refused, naming the pattern", arguments: [
        "gluster-node-1,gshare-manager,tenant-a,tenant-*", "gluster-node-1,*", "gluster-node-1,tenant-[ab]", "gluster-node-1,t?nant-a",
    ])
    func denyRefusesWhenAPatternStillAdmits(value: String) throws {
        let list = SSLAllowList(optionValue: value)
        let error = try #require(throws: AccessListError.self) { try list.denying(try cn("tenant-a"), systemCNs: try labSystemCNs()) }
        #expect(error.code == .patternAdmits && error.message.contains("fnmatch") && error.hint.contains("gshare pool prepare"))
        let unset = try #require(throws: AccessListError.self) {
            try SSLAllowList(optionValue: nil).denying(try cn("tenant-a"), systemCNs: try labSystemCNs())
        }
        #expect(unset.code == .patternAdmits)
    }

    @Test("every entry that is not a plain name is irregular; a backslash also freezes the bricks")
    func irregularEntries() {
        let list = SSLAllowList(optionValue: "gluster-node-1,tenant\\-a,tenant-*,ok.name@x,caf\u{E9},tab\there")
        #expect(list.irregularEntries == ["tenant\\-a", "tenant-*", "caf\u{E9}", "tab\there"])
        #expect(list.freezesTheBricks)
        #expect(!SSLAllowList(optionValue: "gluster-node-1,tenant-*").freezesTheBricks)
    }

    @Test("denying a system CN is refused with code system-cn, naming the CN and why, listed or not")
    func denyOfSystemCNIsRefused() throws {
        let system = try labSystemCNs()
        for value in ["gluster-node-1,gshare-manager,tenant-a", "tenant-a"] {
            let list = SSLAllowList(optionValue: value)
            #expect(throws: AccessListError.self) { try list.denying(system[1], systemCNs: system) }
            do {
                _ = try list.denying(system[1], systemCNs: system)
            } catch {
                #expect(error.code == .systemCN)
                #expect(error.code.rawValue == "system-cn")
                #expect(error.cn == "gshare-manager")
                #expect(error.message.contains("system CN"))
                #expect(!error.hint.isEmpty)
                #expect(error.description.contains("gshare-manager"))
            }
        }
    }

    // MARK: Ensure

    @Test("ensuring adds the missing system CNs at the front and keeps every other entry")
    func ensuringAddsAtFront() throws {
        let list = SSLAllowList(optionValue: "tenant-a,gshare-manager,who?knows")
        let ensured = list.ensuring(try labSystemCNs())
        #expect(ensured.entries == ["gluster-node-1", "tenant-a", "gshare-manager", "who?knows"])
    }

    @Test("ensuring when nothing is missing is a no-op; on an unset list it gives exactly the system CNs")
    func ensuringNoOpAndUnset() throws {
        let system = try labSystemCNs()
        let list = SSLAllowList(optionValue: "gshare-manager,gluster-node-1,tenant-a")
        #expect(list.ensuring(system) == list)
        #expect(SSLAllowList(optionValue: nil).ensuring(system) == .exactly(system))
        #expect(SSLAllowList(optionValue: "").ensuring(system) == .exactly(system))
    }

    // MARK: Classification

    @Test("entries are classified system, tenant (granted by gshare) or unknown, de-duplicated, in order")
    func classification() throws {
        let list = SSLAllowList(optionValue: "gluster-node-1,tenant-a,legacy-host,tenant-*,tenant-a,gshare-manager")
        let entries = list.classified(systemCNs: try labSystemCNs(), granted: ["tenant-a", "tenant-*", "tenant-gone"])
        #expect(
            entries == [
                AllowListEntry(name: "gluster-node-1", kind: .system),
                AllowListEntry(name: "tenant-a", kind: .tenant),
                AllowListEntry(name: "legacy-host", kind: .unknown),
                AllowListEntry(name: "tenant-*", kind: .unknown),
                AllowListEntry(name: "gshare-manager", kind: .system),
            ])
    }

    @Test("a system CN is system even when it is also recorded as granted")
    func systemWinsOverGranted() throws {
        let entries = SSLAllowList(optionValue: "gshare-manager").classified(systemCNs: try labSystemCNs(), granted: ["gshare-manager"])
        #expect(entries.map(\.kind) == [.system])
    }

    // MARK: The merge rules together

    @Test("a grant then a deny round-trips, keeping system CNs and odd pre-existing entries where they were")
    func grantDenyRoundTrip() throws {
        let system = try labSystemCNs()
        let found = SSLAllowList(optionValue: "gluster-node-1, gshare-manager,,legacy\thost")
        let granted = found.ensuring(system).allowing(try cn("tenant-a")).allowing(try cn("tenant-b"))
        #expect(granted.rendered == "gluster-node-1,gshare-manager,legacy\thost,tenant-a,tenant-b")
        let denied = try granted.denying(try cn("tenant-a"), systemCNs: system)
        #expect(denied.rendered == "gluster-node-1,gshare-manager,legacy\thost,tenant-b")
        #expect(try denied.denying(try cn("tenant-b"), systemCNs: system).rendered == found.rendered)
    }

    @Test("the error equates by code only and encodes entries as plain JSON")
    func errorEqualityAndEntryCoding() throws {
        let one = AccessListError(.systemCN, cn: "a", message: "m", hint: "h")
        let two = AccessListError(.systemCN, cn: "b", message: "n", hint: "i")
        #expect(one == two && one.hashValue == two.hashValue)
        let entry = AllowListEntry(name: "tenant-a", kind: .tenant)
        let data = try JSONEncoder().encode(entry)
        #expect(try JSONDecoder().decode(AllowListEntry.self, from: data) == entry)
        #expect(String(decoding: data, as: UTF8.self).contains("\"kind\":\"tenant\""))
    }
}
