//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

internal import SystemPackage
internal import Synchronization
#if canImport(Glibc)
internal import Glibc
#endif

/// More stdin for a running child, after the bytes it started with: for a child that waits
/// for an order (the gfapi worker holding a connection until it is told which locks to take).
///
/// The child's stdin stays what ``ChildProcess`` always gives it — an unlinked file, never a
/// pipe, so nothing gshare writes can raise `SIGPIPE` — and ``append(_:)`` writes after its
/// end with `pwrite(2)`; the child, polling it, reads the new bytes where its reads stopped
/// (end of file until then). Bytes appended before the run starts or after it ended are not
/// written (``append(_:)`` returns false).
///
/// Sendable by construction: its state is behind the `Mutex`.
public final class ChildInputFeed: Sendable {
    private struct State {
        var file: FileDescriptor?
        var end: Int64 = 0
        var ended = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Appends `bytes` to the child's stdin; false when the run has not started or has ended,
    /// or the write failed.
    @discardableResult
    public func append(_ bytes: [UInt8]) -> Bool {
        state.withLock { state in
            guard let file = state.file, !state.ended else { return false }
            do {
                let written = try file.writeAll(toAbsoluteOffset: state.end, bytes)
                state.end += Int64(written)
                return written == bytes.count
            } catch {
                return false
            }
        }
    }

    /// The run started: `file` is a descriptor of the child's stdin file (this feed's own,
    /// closed by ``close()``) holding `length` bytes.
    func attach(_ file: FileDescriptor, length: Int64) {
        let stale = state.withLock { state -> FileDescriptor? in
            guard state.file == nil, !state.ended else { return file }
            state.file = file
            state.end = length
            return nil
        }
        try? stale?.close()
    }

    /// The run ended: nothing more is written.
    func close() {
        let file = state.withLock { state -> FileDescriptor? in
            state.ended = true
            defer { state.file = nil }
            return state.file
        }
        try? file?.close()
    }
}
