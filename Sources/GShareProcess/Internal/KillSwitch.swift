//===----------------------------------------------------------------------===//
// gshare — GShareProcess
//===----------------------------------------------------------------------===//

internal import Synchronization

/// Why gshare killed a child.
enum KillReason: Sendable, Hashable {
    /// Its deadline passed (the watchdog).
    case deadline
    /// The calling task was cancelled.
    case cancelled
    /// Its output broke a bound (a limit, a line too long).
    case output
}

/// Sends `SIGKILL` to one running child, at most once, and never after ``disarm()``.
///
/// Armed with a closure that signals through the child's `Execution` (its pidfd), which is
/// valid only inside swift-subprocess's body closure: the body disarms the switch before it
/// returns, and a kill in progress holds the lock, so `disarm()` returns only once no signal
/// can follow. Sendable by construction: its state is behind the `Mutex`.
final class KillSwitch: Sendable {
    private struct State {
        /// Nil once disarmed.
        var send: (@Sendable () -> Void)?
        var reason: KillReason?
    }

    private let state: Mutex<State>

    init(_ send: @escaping @Sendable () -> Void) {
        state = Mutex(State(send: send, reason: nil))
    }

    /// Kills the child for `reason`, unless it was killed already or the switch is disarmed.
    func kill(_ reason: KillReason) {
        state.withLock { state in
            guard let send = state.send, state.reason == nil else { return }
            state.reason = reason
            send()
        }
    }

    /// From now on ``kill(_:)`` does nothing.
    func disarm() {
        state.withLock { $0.send = nil }
    }

    /// The reason of the one kill, nil when there was none.
    var reason: KillReason? { state.withLock { $0.reason } }
}
