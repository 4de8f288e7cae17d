//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

/// A bound a child's output broke.
enum BrokenBound: Sendable, Hashable {
    case outputLimit(ChildOutputStream, limit: Int)
    case lineTooLong(limit: Int)
}

/// Where one output stream of a child goes, chunk by chunk.
protocol OutputSink: Sendable {
    /// Takes the next bytes. False when they broke the sink's bound: reading stops and the
    /// child is killed.
    mutating func take(_ bytes: UnsafeRawBufferPointer) -> Bool
    /// The stream ended (not called after a broken bound).
    mutating func finish()
    /// What the sink keeps.
    var bytes: [UInt8] { get }
    /// The bound the output broke, nil when none.
    var brokenBound: BrokenBound? { get }
}

/// Keeps everything, up to a limit.
struct BoundedCollector: OutputSink {
    let stream: ChildOutputStream
    let limit: Int
    private(set) var bytes: [UInt8] = []
    private(set) var brokenBound: BrokenBound?

    init(stream: ChildOutputStream, limit: Int) {
        self.stream = stream
        self.limit = max(0, limit)
    }

    mutating func take(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard chunk.count <= limit - bytes.count else {
            bytes.append(contentsOf: chunk.prefix(limit - bytes.count))
            brokenBound = .outputLimit(stream, limit: limit)
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }

    mutating func finish() {}
}

/// Keeps the last `limit` bytes.
struct TailCollector: OutputSink {
    let limit: Int
    private var kept: [UInt8] = []
    var brokenBound: BrokenBound? { nil }

    init(limit: Int) { self.limit = max(0, limit) }

    var bytes: [UInt8] { Array(kept.suffix(limit)) }

    mutating func take(_ chunk: UnsafeRawBufferPointer) -> Bool {
        kept.append(contentsOf: chunk)
        // Trim in batches, so a chatty child costs O(n) overall.
        if kept.count > 2 * limit + 4096 { kept.removeFirst(kept.count - limit) }
        return true
    }

    mutating func finish() {}
}

/// Splits stdout into lines for a callback; a line longer than `maxLength` breaks the bound.
struct LineSplitter: OutputSink {
    let maxLength: Int
    let onLine: @Sendable (ArraySlice<UInt8>) -> Void
    private var pending: [UInt8] = []
    private(set) var brokenBound: BrokenBound?
    var bytes: [UInt8] { [] }

    init(maxLength: Int, onLine: @escaping @Sendable (ArraySlice<UInt8>) -> Void) {
        self.maxLength = max(0, maxLength)
        self.onLine = onLine
    }

    mutating func take(_ chunk: UnsafeRawBufferPointer) -> Bool {
        var start = pending.count
        pending.append(contentsOf: chunk)
        var lineStart = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            guard newline - lineStart <= maxLength else { return broken() }
            onLine(pending[lineStart..<newline])
            lineStart = newline + 1
            start = lineStart
        }
        pending.removeFirst(lineStart)
        // A line still without its end may already be too long.
        return pending.count <= maxLength ? true : broken()
    }

    mutating func finish() {
        if !pending.isEmpty { onLine(pending[...]) }
        pending.removeAll()
    }

    private mutating func broken() -> Bool {
        brokenBound = .lineTooLong(limit: maxLength)
        pending.removeAll()
        return false
    }
}
