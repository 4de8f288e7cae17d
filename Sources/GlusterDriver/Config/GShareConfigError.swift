//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

/// Why a `gshare.toml` (or one value of it) was refused: the file, the line and column of
/// the offending value, the key, what is wrong, and how to fix it.
///
/// ``description`` is the form to show a person:
///
/// ```
/// /etc/gshare/gshare.toml:4:5: glusterfs_targets: "root@gluster1:vol" has no ":/" before the volume; write [user@]host:/volume, e.g. root@gluster1:/manila-share-1
/// ```
///
/// Errors about a whole file (not found, unreadable) have line and column 0; errors about a
/// value that did not come from a file (``GlusterTarget/init(parsing:)`` on its own) have an
/// empty ``source``. Equality compares ``code`` only.
public struct GShareConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier of the kind of error.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, e.g. `invalid-target`.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        /// The identifier, e.g. `invalid-target`.
        public var description: String { rawValue }

        /// No configuration file was given and none was found where gshare looks.
        public static let notFound = Code("config-not-found")
        /// The file does not exist, is a directory, cannot be read, or is too large.
        public static let fileUnreadable = Code("file-unreadable")
        /// The file is not valid TOML (gshare's strict subset); the message is the reader's.
        public static let invalidTOML = Code("invalid-toml")
        /// A key gshare does not know (a misspelling, a Manila option gshare does not use).
        public static let unknownKey = Code("unknown-key")
        /// A key holds a value of the wrong type.
        public static let wrongType = Code("wrong-type")
        /// A required key is absent.
        public static let missingKey = Code("missing-key")
        /// A `glusterfs_targets` entry is not `[user@]host[:port]:/volume`.
        public static let invalidTarget = Code("invalid-target")
        /// A `glusterfs_servers` entry is not `[user@]host[:port]`.
        public static let invalidServer = Code("invalid-server")
        /// The same target (or server) is listed twice.
        public static let duplicateEntry = Code("duplicate-entry")
        /// `glusterfs_volume_pattern` is not a usable pattern.
        public static let invalidVolumePattern = Code("invalid-volume-pattern")
        /// Neither `glusterfs_targets` nor discovery (`glusterfs_servers` and
        /// `glusterfs_volume_pattern`) is configured, or only half of discovery is.
        public static let noVolumes = Code("no-volumes")
        /// `glusterfs_server_password` is malformed (an empty secret, a bad reference).
        public static let invalidSecret = Code("invalid-secret")
        /// A secret reference cannot be resolved: the file is unreadable, the variable unset.
        public static let secretUnavailable = Code("secret-unavailable")
        /// Some but not all of `manager_cert`, `manager_key`, `manager_ca` are given.
        public static let incompleteManagerIdentity = Code("incomplete-manager-identity")
        /// A `system_cns` entry is not a name that is safe in `auth.ssl-allow`.
        public static let invalidCommonName = Code("invalid-common-name")
        /// A path is empty or holds characters no path should (a NUL, a line break).
        public static let invalidPath = Code("invalid-path")
        /// A value is of the right type but out of range (a timeout, an empty list).
        public static let invalidValue = Code("invalid-value")

        /// Every code, in the order declared above.
        public static let all: [Code] = [
            .notFound, .fileUnreadable, .invalidTOML, .unknownKey, .wrongType, .missingKey, .invalidTarget, .invalidServer,
            .duplicateEntry, .invalidVolumePattern, .noVolumes, .invalidSecret, .secretUnavailable,
            .incompleteManagerIdentity, .invalidCommonName, .invalidPath, .invalidValue,
        ]
    }

    /// What kind of error this is.
    public let code: Code
    /// The configuration file (or the name the caller gave); empty when the value did not
    /// come from a file.
    public let source: String
    /// The 1-based line of the offending value; 0 when the error is about the whole file.
    public let line: Int
    /// The 1-based column of the offending value; 0 when the error is about the whole file.
    public let column: Int
    /// The configuration key the error is about, when there is one.
    public let key: String?
    /// What is wrong, without the place.
    public let message: String
    /// How to fix it; empty when the message already says.
    public let hint: String

    /// An error about `key` at `line`:`column` of `source`.
    public init(
        _ code: Code, source: String = "", line: Int = 0, column: Int = 0, key: String? = nil, message: String, hint: String = ""
    ) {
        self.code = code
        self.source = source
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.hint = hint
    }

    /// `source:line:column: key: message; hint` (parts that are unknown are left out).
    public var description: String {
        var text = ""
        if !source.isEmpty { text += line > 0 ? "\(source):\(line):\(column): " : "\(source): " }
        if let key { text += "\(key): " }
        text += message
        if !hint.isEmpty { text += "; \(hint)" }
        return text
    }

    /// This error placed at a value of `key` in a file.
    func placed(source: String, line: Int, column: Int, key: String) -> GShareConfigError {
        GShareConfigError(code, source: source, line: line, column: column, key: key, message: message, hint: hint)
    }

    /// Errors are equal when their codes are.
    public static func == (lhs: GShareConfigError, rhs: GShareConfigError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
