//===----------------------------------------------------------------------===//
// gshare — shared test support (not shipped)
//===----------------------------------------------------------------------===//

/// Exclusive use of a lab volume across suites. Every test target runs in one process and
/// suites run in parallel; `.serialized` orders the tests of ONE suite only. So a test that
/// changes a shared volume's settings (its `auth.ssl-allow`) and a test of another suite
/// that depends on them both run inside ``withExclusiveUse(of:_:)`` for that volume.
///
/// Waiting suspends the task (no thread is blocked).
public func withExclusiveUse<T: Sendable>(of volume: String, _ body: () async throws -> T) async throws -> T {
    await LabVolumeLeases.shared.acquire(volume)
    do {
        let result = try await body()
        await LabVolumeLeases.shared.release(volume)
        return result
    } catch {
        await LabVolumeLeases.shared.release(volume)
        throw error
    }
}

/// The volumes in exclusive use, and who waits for them (first come, first served).
actor LabVolumeLeases {
    static let shared = LabVolumeLeases()

    private var held: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func acquire(_ volume: String) async {
        guard held.contains(volume) else {
            held.insert(volume)
            return
        }
        await withCheckedContinuation { waiting[volume, default: []].append($0) }
    }

    func release(_ volume: String) {
        if var queue = waiting[volume], !queue.isEmpty {
            // The lease passes to the next waiter directly: `held` stays set.
            queue.removeFirst().resume()
            waiting[volume] = queue.isEmpty ? nil : queue
        } else {
            held.remove(volume)
        }
    }
}
