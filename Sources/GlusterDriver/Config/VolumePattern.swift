//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

/// Which volumes on the `glusterfs_servers` form the pool of shares, and what size each
/// one is (Manila's `glusterfs_volume_pattern`).
///
/// The pattern is a regular expression matched against the WHOLE volume name (no `^` or
/// `$` needed; `x-gshare-pool-1G` does not match `gshare-pool-#{size}G`). It may contain
/// `#{size}` once: it matches a decimal number, the volume's size in GB. Manila's example:
///
/// ```
/// manila-share-volume-#{size}G-\d+
/// ```
///
/// Character classes such as `\d` and `\w` match ASCII only.
public struct VolumePattern: Sendable, CustomStringConvertible {
    /// The pattern as written in the configuration.
    public let source: String
    /// Whether the pattern has `#{size}`.
    public let capturesSize: Bool
    /// The regular expression actually matched: `#{size}` replaced by a named capture.
    /// Kept as text and compiled per match, because `Regex` is not `Sendable`.
    private let expanded: String

    /// The name of the capture that stands for `#{size}`.
    private static let sizeCapture = "gsharesizegb"

    /// Checks and compiles `source`.
    ///
    /// - Throws: ``GShareConfigError/Code-swift.struct/invalidVolumePattern`` when the
    ///   pattern is empty, has `#{size}` more than once or another `#{…}` placeholder, or is
    ///   not a valid regular expression.
    public init(_ source: String) throws(GShareConfigError) {
        func refuse(_ why: String, _ hint: String) -> GShareConfigError {
            GShareConfigError(.invalidVolumePattern, message: "\(AddressText.quoted(source)): \(why)", hint: hint)
        }
        let example = "e.g. manila-share-volume-#{size}G-\\d+"
        guard !source.isEmpty else { throw refuse("the pattern is empty", "write a pattern, \(example)") }
        let pieces = source.split(separator: "#{size}", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else {
            throw refuse("#{size} appears \(pieces.count - 1) times; it may appear once", "keep one #{size}, \(example)")
        }
        if pieces.contains(where: { $0.contains("#{") }) {
            throw refuse("the only placeholder is #{size}", "remove the other #{…}, \(example)")
        }
        let expanded = pieces.joined(separator: "(?<\(Self.sizeCapture)>[0-9]+)")
        do {
            _ = try Self.compile(expanded)
        } catch {
            throw refuse("not a valid regular expression (\(error))", "fix the expression, \(example)")
        }
        self.source = source
        self.expanded = expanded
        self.capturesSize = pieces.count == 2
    }

    /// Whether `volumeName` is a pool volume, and its size when the pattern has `#{size}`.
    ///
    /// - Returns: nil when the whole name does not match, or when the size is 0 or too
    ///   large to be a size in GB.
    public func match(_ volumeName: String) -> VolumePatternMatch? {
        makeMatcher()?.match(volumeName)
    }

    /// The compiled pattern, for matching many names (compiling costs far more than
    /// matching; `Regex` is not Sendable, so the matcher stays with its caller).
    public func makeMatcher() -> VolumePatternMatcher? {
        guard let regex = try? Self.compile(expanded) else { return nil }
        return VolumePatternMatcher(regex: regex, capturesSize: capturesSize)
    }

    static let sizeCaptureName = sizeCapture

    private static func compile(_ expression: String) throws -> Regex<AnyRegexOutput> {
        try Regex(expression).asciiOnlyCharacterClasses()
    }

    /// The pattern as written.
    public var description: String { source }
}

/// A volume name that matched a ``VolumePattern``.
public struct VolumePatternMatch: Sendable, Equatable {
    /// The size in GB `#{size}` matched; nil when the pattern has no `#{size}`.
    public let sizeGB: Int?

    /// A match.
    public init(sizeGB: Int?) { self.sizeGB = sizeGB }
}

/// A compiled ``VolumePattern``.
public struct VolumePatternMatcher {
    let regex: Regex<AnyRegexOutput>
    let capturesSize: Bool

    /// The match of the whole name (nil: not a pool volume; a size of 0 or too large: no match).
    public func match(_ volumeName: String) -> VolumePatternMatch? {
        guard let found = try? regex.wholeMatch(in: volumeName) else { return nil }
        guard capturesSize else { return VolumePatternMatch(sizeGB: nil) }
        guard let digits = found.output[VolumePattern.sizeCaptureName]?.substring, let size = Int(digits), size > 0 else { return nil }
        return VolumePatternMatch(sizeGB: size)
    }
}
