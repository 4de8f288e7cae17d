//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

/// How an attempt to use a volume as an identity ended. Every value but ``ok`` names a
/// distinct reason, so a caller can say *why* a tenant is not in.
public struct GlusterAccessOutcome: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    private init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// Connected, and the requested operation succeeded.
    public static let ok = GlusterAccessOutcome("ok")
    /// The bricks refused the certificate's common name (`auth.ssl-allow`), at connect time
    /// or later (`server.dynamic-auth` drops a client removed from the list).
    public static let refusedByAuthAllow = GlusterAccessOutcome("refusedByAuthAllow")
    /// The TLS handshake failed (unknown CA, key not matching the certificate, unreadable
    /// identity files, plain client against a TLS brick).
    public static let tlsRejected = GlusterAccessOutcome("tlsRejected")
    /// Nothing answered at the volfile server (glusterd).
    public static let glusterdUnreachable = GlusterAccessOutcome("glusterdUnreachable")
    /// glusterd does not know the volume.
    public static let unknownVolume = GlusterAccessOutcome("unknownVolume")
    /// The volume exists but is not started.
    public static let volumeStopped = GlusterAccessOutcome("volumeStopped")
    /// The deadline passed first; the worker was stopped.
    public static let timedOut = GlusterAccessOutcome("timedOut")
    /// The caller cancelled; the worker was stopped.
    public static let cancelled = GlusterAccessOutcome("cancelled")
    /// Something else failed: see the accompanying errno, operation and message.
    public static let failed = GlusterAccessOutcome("failed")

    /// Every outcome this version knows, in a stable order.
    public static let known: [GlusterAccessOutcome] = [
        .ok, .refusedByAuthAllow, .tlsRejected, .glusterdUnreachable, .unknownVolume, .volumeStopped, .timedOut,
        .cancelled, .failed,
    ]

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        // An outcome a newer worker knows and this parent does not is still a failure.
        self = Self.known.first { $0.rawValue == raw } ?? GlusterAccessOutcome(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
