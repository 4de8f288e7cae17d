//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

/// A failure of the tenant registry: a database it must not touch (newer, corrupt or
/// another application's), a row it cannot have written, a request it refuses (a CN or name another tenant holds, an unknown tenant), or SQLite
/// failing underneath.
///
/// Every error names the object (``path`` or the tenant), what was wrong (``reason``) and
/// what to do (``hint``). Equality compares ``code`` only.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier (used as-is in `--json` output).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The database was written by a newer gshare (migrations this build does not know).
        public static let newerVersion = Code("registry-newer-version")
        /// The file is not an SQLite database, or it is damaged.
        public static let corrupt = Code("registry-corrupt")
        /// The file is an SQLite database, but not gshare's: another application's mark
        /// (`PRAGMA application_id`) or tables that are not gshare's. It is left as it is.
        public static let foreignDatabase = Code("registry-foreign-database")
        /// A row holds a value gshare cannot have written (a malformed date, a value of the
        /// wrong type, a NULL, an oversized or non-UTF-8 text). The error names the table, the
        /// row and the column.
        public static let malformedRow = Code("registry-malformed-row")
        /// The registry's folder or file cannot be created or opened.
        public static let unavailable = Code("registry-unavailable")
        /// Another tenant already holds this certificate CN.
        public static let cnTaken = Code("tenant-cn-taken")
        /// Another tenant (with another CN) already has this name.
        public static let nameTaken = Code("tenant-name-taken")
        /// A tenant name that breaks the name rules.
        public static let invalidName = Code("invalid-tenant-name")
        /// No tenant has this name.
        public static let unknownTenant = Code("unknown-tenant")
        /// SQLite failed while reading or writing.
        public static let databaseFailure = Code("registry-database-failure")
        /// An API user of that name or CN exists.
        public static let apiUserTaken = Code("api-user-taken")
        /// No API user has that name.
        public static let unknownAPIUser = Code("unknown-api-user")
    }

    public let code: Code
    /// The file or tenant the error is about, if any.
    public let path: String?
    /// What was wrong.
    public let reason: String
    /// What to do about it.
    public let hint: String
    private let location: String

    init(_ code: Code, path: String? = nil, reason: String, hint: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.path = path
        self.reason = reason
        self.hint = hint
        self.location = "\(file):\(line)"
    }

    public var description: String {
        var text = path.map { "\($0): \(reason)" } ?? reason
        if let first = hint.first { text += ". " + first.uppercased() + hint.dropFirst() + "." }
        return text
    }

    public static func == (lhs: RegistryError, rhs: RegistryError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
