//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

/// A gluster CLI call that did not give what was asked: glusterd unreachable, an unknown
/// volume, a refused command, or output gshare cannot read. Equality compares ``code``.
public struct GlusterDriverError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// "Connection failed. Please check if gluster daemon is operational." (no XML).
        public static let glusterdUnreachable = Code("glusterd-unreachable")
        /// opRet -1 with opErrno 30806: the volume does not exist.
        public static let unknownVolume = Code("unknown-volume")
        /// opRet != 0 for another reason; ``GlusterDriverError/glusterMessage`` has opErrstr.
        public static let commandFailed = Code("command-failed")
        /// The output is not the XML the command gives.
        public static let malformedOutput = Code("malformed-output")
        /// glusterd refused a change because its pool lost server quorum ("Quorum not met"):
        /// too many nodes are down. Nothing was changed.
        public static let quorumLost = Code("quorum-lost")
        /// glusterd refused because a node the command needs is not connected ("Host … not
        /// connected", "… is down"): e.g. a volume start with a brick on a node that is down.
        public static let nodeDown = Code("node-down")
        /// A quota command failed because quotad could not mount the volume ("Failed to start
        /// aux mount"): the bricks refuse the node's own identity (its CN is not in
        /// `auth.ssl-allow`), or the volume is not started. Quota cannot work on it.
        public static let quotadRefused = Code("quotad-refused")
        /// `volume quota VOLUME list` kept answering nothing (no XML): the node's quotad was
        /// restarting (glusterd restarts it whenever quota is turned on or off on any volume).
        public static let quotaUnavailable = Code("quota-unavailable")
        /// The CLI could not be run (missing, timed out).
        public static let runnerFailed = Code("runner-failed")
        /// The command was sent and did not finish in time (glusterd's "Request timed out",
        /// or gshare's own deadline): its outcome is not known.
        public static let timedOut = Code("timed-out")
    }

    public let code: Code
    /// The gluster arguments (after `gluster --mode=script --xml`), for messages.
    public let command: [String]
    /// What went wrong, and what to do.
    public let message: String
    /// glusterd's own words (opErrstr), when it said any.
    public let glusterMessage: String?
    /// opErrno, when the XML carried one.
    public let glusterErrno: Int?

    init(_ code: Code, command: [String], message: String, glusterMessage: String? = nil, glusterErrno: Int? = nil) {
        self.code = code
        self.command = command
        self.message = message
        self.glusterMessage = glusterMessage
        self.glusterErrno = glusterErrno
    }

    public var description: String {
        var text = "gluster \(command.joined(separator: " ")): \(message)"
        if let glusterMessage, !glusterMessage.isEmpty { text += " (glusterd: \(glusterMessage))" }
        return text
    }

    public static func == (lhs: GlusterDriverError, rhs: GlusterDriverError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
