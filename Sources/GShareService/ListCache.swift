//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import GShareWorkflows
import GlusterDriver
import NIOCore
import Synchronization

/// The rendered bodies of share lists (`GET /shares`, `/shares/detail`), kept while what
/// they are rendered from has not changed: the same read of the pool (``PoolView``'s read
/// number), the same creates and deletes under way (``ShareOperations``' version), the same
/// caller's scope and the same query. Fifty clients polling a list then cost one JSON
/// encoding per read of the pool (about one a second), not one per request.
///
/// Only bodies are kept: each answer still carries its own view age. A new read or a change
/// makes every kept body unreachable, and they are dropped when the next one is stored.
///
/// Sendable by construction: its state is behind the `Mutex`.
final class ListCache: Sendable {
    struct Key: Hashable, Sendable {
        let read: Int
        let operations: Int
        let scope: ShareScope
        let detail: Bool
        let query: String
    }

    /// At most this many bodies of one read (scopes × queries) are kept.
    static let capacity = 64

    private struct State {
        var bodies: [Key: ByteBuffer] = [:]
        var read = -1
        var operations = -1
    }

    private let state = Mutex(State())

    func body(for key: Key) -> ByteBuffer? {
        state.withLock { $0.bodies[key] }
    }

    func store(_ body: ByteBuffer, for key: Key) {
        state.withLock { state in
            if key.read != state.read || key.operations != state.operations || state.bodies.count >= Self.capacity {
                // Rendered from an older read or version (or too many): none can be asked for again.
                guard key.read >= state.read else { return }
                state.bodies = [:]
                state.read = key.read
                state.operations = key.operations
            }
            state.bodies[key] = body
        }
    }
}
