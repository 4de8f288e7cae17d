//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import TenantPKI
#if canImport(Glibc)
import Glibc
#endif

/// A volume's `auth.ssl-allow`, read exactly as GlusterFS reads it.
///
/// GlusterFS (`gf_auth` in xlators/protocol/auth/login/src/login.c) splits the value with
/// `strtok_r(list, " ,")`: every space and every comma separates, empty tokens are skipped,
/// and nothing else separates (a tab or a newline stays inside its token). Each token is
/// then `fnmatch`ed against the client's CN, case-sensitively; the first match lets the
/// client in. An option that is not set behaves as `*`: everyone.
///
/// The value is pure: the merge operations (``allowing(_:)``, ``denying(_:systemCNs:)``,
/// ``ensuring(_:)``) return a new list and return an *equal* list when nothing changes, so
/// a caller can compare and skip the write. Entries gshare did not write are kept as they
/// are, however odd; only ``PreparePlan`` drops wildcard entries, on purpose.
public struct SSLAllowList: Sendable, Hashable, CustomStringConvertible {
    /// The option is not set: GlusterFS uses its default, `*`.
    public let isUnset: Bool
    /// The tokens GlusterFS sees, in order, duplicates kept as found.
    public let entries: [String]

    /// Reads the option's value.
    /// - Parameter optionValue: the value as set, or nil when the option is not set. A value
    ///   that is set but holds no token (`""`, `" , "`) is a set, empty list, not an unset one.
    public init(optionValue: String?) {
        self.isUnset = optionValue == nil
        self.entries = optionValue.map(Self.tokens(of:)) ?? []
    }

    /// A set list of these entries. Each is split the way GlusterFS would split it, so
    /// ``entries`` always holds what GlusterFS sees (`["a,b"]` becomes `["a", "b"]`).
    public init(entries: [String]) {
        self.isUnset = false
        self.entries = entries.flatMap(Self.tokens(of:))
    }

    /// A list that admits exactly these names (in this order).
    public static func exactly(_ cns: [CommonName]) -> SSLAllowList {
        SSLAllowList(isUnset: false, entries: cns.map(\.value))
    }

    private init(isUnset: Bool, entries: [String]) {
        self.isUnset = isUnset
        self.entries = entries
    }

    /// Splits like `strtok_r(value, " ,")`: on the bytes 0x20 and 0x2C only, skipping empty tokens.
    static func tokens(of value: String) -> [String] {
        value.utf8.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ",") })
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// The entries without repeats, first occurrence kept.
    public var uniqueEntries: [String] {
        var seen = Set<String>()
        return entries.filter { seen.insert($0).inserted }
    }

    /// The value to write with `gluster volume set VOL auth.ssl-allow …`: the entries
    /// de-duplicated in order and joined with "," (no spaces: the gluster CLI strips spaces
    /// from values, so "a b" would be stored as "ab").
    ///
    /// An unset list renders as `*`, the value GlusterFS uses for it. An empty list renders
    /// as "", which the CLI refuses to set: keep system CNs in every list you write.
    /// An entry that holds a tab or newline (only ever found, never written by gshare) is
    /// rendered as it is, but the CLI may strip that whitespace too.
    public var rendered: String {
        isUnset ? "*" : uniqueEntries.joined(separator: ",")
    }

    /// For messages: the rendered list, or what an unset or empty list means.
    public var description: String {
        if isUnset { return "unset (default *)" }
        return entries.isEmpty ? "empty (admits no one)" : rendered
    }

    /// The de-duplicated entries that are glob patterns (`*`, `?` or `[`): they can match
    /// more than one name, so they grant access to names nobody checked.
    public var wildcardEntries: [String] {
        uniqueEntries.filter(Self.isWildcard)
    }

    static func isWildcard(_ token: String) -> Bool {
        token.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    /// The de-duplicated entries that are not plain names (a CN gshare would write: letters,
    /// digits, `.`, `_`, `@`, `-`): glob patterns, `\` escapes, and any other byte fnmatch or
    /// the brick's volfile lexer may read specially. gshare cannot say whom they admit.
    public var irregularEntries: [String] {
        uniqueEntries.filter { (try? CommonName(validating: $0)) == nil }
    }

    /// True when an entry holds a backslash. The bricks cannot parse it in their volfile: a
    /// running brick keeps the list it started with and ignores every later change, until it
    /// is restarted (measured on GlusterFS 10.3).
    public var freezesTheBricks: Bool {
        entries.contains { $0.utf8.contains(UInt8(ascii: "\\")) }
    }

    /// The entries that admit `cn`, as GlusterFS decides it: `fnmatch(entry, cn, 0) == 0`.
    public func entries(admitting cn: CommonName) -> [String] {
        uniqueEntries.filter { fnmatch($0, cn.value, 0) == 0 }
    }

    /// True when every client gets in whatever its CN: the option is unset, or a token
    /// matches every name, the empty one included (`*`, `**`, … : only stars).
    ///
    /// Other wildcards (`?*`, `tenant-*`) admit many names but not all; they are in
    /// ``wildcardEntries``.
    public var admitsAnyone: Bool {
        isUnset || entries.contains { !$0.isEmpty && $0.utf8.allSatisfy { $0 == UInt8(ascii: "*") } }
    }

    /// True when `cn` is listed literally (a token equal to it; wildcards do not count).
    public func contains(_ cn: CommonName) -> Bool {
        entries.contains(cn.value)
    }

    /// The system CNs that are not listed literally, in the order given, without repeats.
    public func missing(_ systemCNs: [CommonName]) -> [CommonName] {
        var seen = Set<CommonName>()
        return systemCNs.filter { !contains($0) && seen.insert($0).inserted }
    }

    /// The list with `cn` appended, or this same list (equal: nothing to write) when `cn`
    /// is already listed.
    ///
    /// On an unset list (everyone) the result is set and lists only `cn`: combine with
    /// ``ensuring(_:)`` so the system CNs stay in.
    public func allowing(_ cn: CommonName) -> SSLAllowList {
        contains(cn) ? self : SSLAllowList(isUnset: false, entries: entries + [cn.value])
    }

    /// The list without every entry that admits `cn` as a name spelt another way (`cn`
    /// itself, or an escaped spelling such as `tenant\-a`), or this same list when none does.
    ///
    /// - Throws: ``AccessListError`` with code ``AccessListError/Code-swift.struct/systemCN``
    ///   when `cn` is one of `systemCNs`, listed or not: nodes and gshare itself must keep
    ///   their access; ``AccessListError/Code-swift.struct/patternAdmits`` when a pattern
    ///   (`*`, `tenant-*`, `tenant-[ab]`) would still admit `cn`: removing the name alone would
    ///   not cut it off, and removing the pattern would change who else gets in.
    public func denying(_ cn: CommonName, systemCNs: [CommonName]) throws(AccessListError) -> SSLAllowList {
        if systemCNs.contains(cn) {
            throw AccessListError(
                .systemCN, cn: cn.value,
                message: "\(cn) is a system CN: the GlusterFS nodes and gshare itself connect with it "
                    + "(self-heal, quota, gshare's own mounts), so no tenant operation may remove it",
                hint: "deny a tenant CN instead; to retire a system identity, change gshare's system CNs first")
        }
        if isUnset {
            throw AccessListError(
                .patternAdmits, cn: cn.value, message: "auth.ssl-allow is not set, so GlusterFS lets in every trusted client, \(cn) included",
                hint: "narrow the list first (gshare pool prepare VOLUME), then deny again")
        }
        let admitting = Set(entries(admitting: cn))
        let patterns = admitting.filter(Self.isWildcard).sorted()
        if !patterns.isEmpty {
            throw AccessListError(
                .patternAdmits, cn: cn.value,
                message: "auth.ssl-allow holds \(patterns.map { "'\($0)'" }.joined(separator: ", ")), which GlusterFS matches with fnmatch: it would still let \(cn) in",
                hint: "narrow the list first (gshare pool prepare VOLUME drops every pattern), then deny again")
        }
        guard !admitting.isEmpty else { return self }
        return SSLAllowList(isUnset: false, entries: entries.filter { !admitting.contains($0) })
    }

    /// The list with the missing system CNs added at the front (in the order given) and
    /// every other entry kept; this same list when none is missing.
    ///
    /// On an unset list the result lists exactly the system CNs: this narrows, never widens.
    public func ensuring(_ systemCNs: [CommonName]) -> SSLAllowList {
        let absent = self.missing(systemCNs)
        if absent.isEmpty && !isUnset { return self }
        return SSLAllowList(isUnset: false, entries: absent.map(\.value) + entries)
    }

    /// Each de-duplicated entry, in order, with what it is.
    ///
    /// - Parameters:
    ///   - systemCNs: the nodes' and gshare's own CNs.
    ///   - granted: the CNs gshare granted on this volume (as recorded on the volume).
    /// - Returns: `.system` for a system CN; `.tenant` for a granted name that is a valid
    ///   ``CommonName``; `.unknown` for anything else (a wildcard, a name someone else added,
    ///   a token with a tab in it), which is kept as it is.
    public func classified(systemCNs: [CommonName], granted: Set<String>) -> [AllowListEntry] {
        let system = Set(systemCNs.map(\.value))
        return uniqueEntries.map { name in
            if system.contains(name) { return AllowListEntry(name: name, kind: .system) }
            if granted.contains(name), (try? CommonName(validating: name)) != nil {
                return AllowListEntry(name: name, kind: .tenant)
            }
            return AllowListEntry(name: name, kind: .unknown)
        }
    }
}

/// One entry of an `auth.ssl-allow` list and who it belongs to.
public struct AllowListEntry: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// A node's or gshare's own CN: never removed by a tenant operation.
        case system
        /// A tenant CN that gshare granted (recorded on the volume).
        case tenant
        /// Anything else: added by hand or by another tool. Kept as it is.
        case unknown
    }

    public let name: String
    public let kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// An `auth.ssl-allow` change gshare refuses to make. Equality compares ``code``.
public struct AccessListError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A deny named a system CN (a node or gshare itself).
        public static let systemCN = Code("system-cn")
        /// A glob pattern (or an unset list) would still admit the name being denied.
        public static let patternAdmits = Code("pattern-admits")
    }

    public let code: Code
    /// The CN the change was about.
    public let cn: String
    /// What was wrong, and why.
    public let message: String
    /// What to do instead.
    public let hint: String

    init(_ code: Code, cn: String, message: String, hint: String) {
        self.code = code
        self.cn = cn
        self.message = message
        self.hint = hint
    }

    public var description: String { "CN \(cn): \(message) (\(hint))" }

    public static func == (lhs: AccessListError, rhs: AccessListError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
