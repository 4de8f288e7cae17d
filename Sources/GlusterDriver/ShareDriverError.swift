//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

/// A share or access operation gshare refused or could not finish. Says which share/volume,
/// what was wrong, and the fix. Equality compares ``code``.
public struct ShareDriverError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No share has this id, name or volume.
        public static let unknownShare = Code("unknown-share")
        /// The share was deleted (the volume remembers it): nothing left to do.
        public static let alreadyDeleted = Code("already-deleted")
        /// No free volume passing the posture check fits the request.
        public static let noFreeVolume = Code("no-free-volume")
        /// A share with this name exists already.
        public static let nameTaken = Code("name-taken")
        /// The request itself is not acceptable (a bad name, size, access type or level).
        public static let invalidRequest = Code("invalid-request")
        /// The volume's TLS posture is not safe for granting access.
        public static let postureNotReady = Code("posture-not-ready")
        /// The change would remove a system CN.
        public static let systemCN = Code("system-cn")
        /// After writing, glusterd holds something else: another writer got in.
        public static let verifyFailed = Code("verify-failed")
        /// The volume lock could not be taken in time.
        public static let lockTimeout = Code("lock-timeout")
        /// The lock file could not be created or opened.
        public static let lockFailed = Code("lock-failed")
        /// The wipe did not finish; the volume stays marked needs-wipe.
        public static let wipeFailed = Code("wipe-failed")
        /// The share's quota (its size) could not be set: the create stepped back.
        public static let quotaFailed = Code("quota-failed")
        /// A resize past what the share's volume holds (gshare does not move data).
        public static let sizeExceedsVolume = Code("size-exceeds-volume")
        /// A shrink below what the share holds (Manila's shrinking_possible_data_loss_error):
        /// refused, nothing changed.
        public static let shrinkBelowUsage = Code("shrink-below-usage")
        /// The configuration lacks something this operation needs.
        public static let notConfigured = Code("not-configured")
        /// The volume is not one of the configured pool's volumes.
        public static let notInPool = Code("not-in-pool")
        /// The volume is in a state this operation cannot work from.
        public static let volumeBusy = Code("volume-busy")
        /// Several shares carry the name given: say which one (its id).
        public static let ambiguousShare = Code("ambiguous-share")
        /// A pattern in auth.ssl-allow (or an unset list) would still admit the name a deny removes.
        public static let patternAdmits = Code("pattern-admits")
        /// A change was sent but did not finish (a node hung: a timeout, or glusterd's
        /// "Another transaction is in progress"), and reading the volume again does not show
        /// it: it may still take effect when the node recovers.
        public static let outcomeUnknown = Code("outcome-unknown")
        /// Too many nodes of the pool are down for a change (server or client quorum lost):
        /// refused, nothing changed.
        public static let quorumLost = Code("quorum-lost")
    }

    public let code: Code
    /// The share (id or name as given), when one is concerned.
    public let share: String?
    /// The volume (`host:/volume` or name), when one is concerned.
    public let volume: String?
    /// What went wrong.
    public let message: String
    /// What to do about it.
    public let hint: String?

    public init(_ code: Code, share: String? = nil, volume: String? = nil, message: String, hint: String?) {
        self.code = code
        self.share = share
        self.volume = volume
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = message
        if let hint, !hint.isEmpty { text += "\n  fix: \(hint)" }
        return text
    }

    public static func == (lhs: ShareDriverError, rhs: ShareDriverError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
