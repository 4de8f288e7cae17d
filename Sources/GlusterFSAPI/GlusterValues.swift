//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#endif

/// What kind of file a directory entry is.
public struct GlusterFileKind: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    private init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let regular = GlusterFileKind("file")
    public static let directory = GlusterFileKind("directory")
    public static let symbolicLink = GlusterFileKind("symlink")
    /// A device, FIFO or socket.
    public static let other = GlusterFileKind("other")
    /// Neither the directory entry nor `stat` said.
    public static let unknown = GlusterFileKind("unknown")

    static let all: [GlusterFileKind] = [.regular, .directory, .symbolicLink, .other, .unknown]

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = Self.all.first { $0.rawValue == raw } ?? .unknown
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case 0: self = .unknown
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }

    init(directoryEntryType type: UInt8) {
        switch Int(type) {
        case Int(DT_REG): self = .regular
        case Int(DT_DIR): self = .directory
        case Int(DT_LNK): self = .symbolicLink
        case Int(DT_UNKNOWN): self = .unknown
        default: self = .other
        }
    }
}

/// One file or directory met by a walk.
public struct GlusterDirectoryEntry: Hashable, Sendable, Codable {
    /// The absolute path inside the volume.
    public let path: String
    public let kind: GlusterFileKind
    /// The size in bytes for a regular file, else 0.
    public let size: Int64
    /// 1 for an entry of the walk's starting directory, 2 one level down, and so on.
    public let depth: Int

    public init(path: String, kind: GlusterFileKind, size: Int64, depth: Int) {
        self.path = path
        self.kind = kind
        self.size = size
        self.depth = depth
    }
}

/// A volume's capacity and usage, as `statvfs` reports it.
public struct GlusterVolumeSpace: Hashable, Sendable, Codable {
    public let blockSize: UInt64
    /// The unit of the block counts.
    public let fragmentSize: UInt64
    public let totalBlocks: UInt64
    public let freeBlocks: UInt64
    /// Free blocks an unprivileged user may use.
    public let availableBlocks: UInt64
    public let totalFiles: UInt64
    public let freeFiles: UInt64
    public let maximumNameLength: UInt64

    public init(
        blockSize: UInt64, fragmentSize: UInt64, totalBlocks: UInt64, freeBlocks: UInt64, availableBlocks: UInt64,
        totalFiles: UInt64, freeFiles: UInt64, maximumNameLength: UInt64
    ) {
        self.blockSize = blockSize
        self.fragmentSize = fragmentSize
        self.totalBlocks = totalBlocks
        self.freeBlocks = freeBlocks
        self.availableBlocks = availableBlocks
        self.totalFiles = totalFiles
        self.freeFiles = freeFiles
        self.maximumNameLength = maximumNameLength
    }

    private var unit: UInt64 { fragmentSize != 0 ? fragmentSize : blockSize }
    /// The volume's size in bytes (saturating at `UInt64.max`: the counts come from the bricks).
    public var totalBytes: UInt64 { totalBlocks.multipliedSaturating(by: unit) }
    /// Free bytes (including any reserve), saturating like ``totalBytes``.
    public var freeBytes: UInt64 { freeBlocks.multipliedSaturating(by: unit) }
    /// Bytes an unprivileged user may still write, saturating like ``totalBytes``.
    public var availableBytes: UInt64 { availableBlocks.multipliedSaturating(by: unit) }
}

/// What a wipe removed so far (also its progress reports).
///
/// The wipe counts through the `count…` methods, which saturate instead of trapping: sizes
/// come from the volume, and a tenant's sparse files may each claim up to 2^63 - 1 bytes
/// (XFS bricks; ext4 caps a file at 16 TiB), so a plain sum would overflow `Int64` and kill
/// the worker at the same file on every retry.
public struct WipeCounts: Hashable, Sendable, Codable {
    /// Regular files unlinked.
    public var files: Int = 0
    /// Directories removed.
    public var directories: Int = 0
    /// Symbolic links and other non-directories unlinked.
    public var others: Int = 0
    /// Bytes in the files unlinked (their sizes as listed, which sparse files inflate);
    /// `Int64.max` when the sum is larger.
    public var bytes: Int64 = 0
    /// Entries already gone when the wipe reached them (`ENOENT`: a concurrent or
    /// interrupted earlier wipe removed them).
    public var alreadyGone: Int = 0
    /// Entries that could not be removed.
    public var failures: Int = 0

    public init() {}

    /// Every entry handled: removed, already gone or failed (saturating at `Int.max`).
    public var handled: Int {
        [directories, others, alreadyGone, failures].reduce(files) { $0.addingSaturating($1) }
    }

    /// Counts a regular file unlinked, of `size` bytes as listed (a negative size, which no
    /// file system reports, counts as 0).
    public mutating func countFile(size: Int64) {
        files = files.addingSaturating(1)
        bytes = bytes.addingSaturating(max(0, size))
    }

    /// Counts a directory removed.
    public mutating func countDirectory() { directories = directories.addingSaturating(1) }

    /// Counts a symbolic link or other non-directory unlinked.
    public mutating func countOther() { others = others.addingSaturating(1) }

    /// Counts an entry that was gone already.
    public mutating func countAlreadyGone() { alreadyGone = alreadyGone.addingSaturating(1) }

    /// Counts an entry that could not be removed.
    public mutating func countFailure() { failures = failures.addingSaturating(1) }
}

extension FixedWidthInteger {
    /// `self + other`, clamped to the type's range instead of trapping on overflow.
    func addingSaturating(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self * other`, clamped to the type's range instead of trapping on overflow.
    func multipliedSaturating(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}

/// What a fill created.
/// What ``GlusterVolume/stream(to:upTo:chunkBytes:)`` wrote before it stopped.
public struct StreamReport: Hashable, Sendable, Codable {
    /// Bytes the volume accepted (written and, at the end, flushed by the close).
    public var bytesWritten: Int64
    /// The errno that stopped it (`EDQUOT`, `ENOSPC`…), nil when it wrote everything.
    public var stoppedBy: Int32?

    public init(bytesWritten: Int64, stoppedBy: Int32?) {
        self.bytesWritten = bytesWritten
        self.stoppedBy = stoppedBy
    }
}

public struct FillCounts: Hashable, Sendable, Codable {
    public var files: Int = 0
    public var directories: Int = 0
    /// Bytes written; `Int64.max` when the sum is larger.
    public var bytes: Int64 = 0

    public init() {}
}
