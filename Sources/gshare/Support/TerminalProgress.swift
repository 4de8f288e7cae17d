//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import Synchronization

/// The one progress reporter: a single updating line on stderr (`\r[  12/1003] tenant-0012`,
/// `wiping: 120 files, 4 directories removed`), for terminals only. Safe to call from
/// several threads: counted steps only ever move forward.
final class TerminalProgress: ProgressReporter {
    private struct State {
        var shown = 0
        var drawn = false
    }

    private let state = Mutex(State())

    func report(_ event: ProgressEvent) {
        state.withLock { state in
            let text: String
            switch event {
            case .step(let completed, let total, let item):
                guard completed > state.shown else { return }
                state.shown = completed
                let count = String(completed)
                let width = String(total).count
                text = "[" + String(repeating: " ", count: max(0, width - count.count)) + count + "/\(total)] \(item)"
            case .wiping(let files, let directories):
                text = "wiping: \(files) files, \(directories) directories removed"
            }
            state.drawn = true
            FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
        }
    }

    /// Ends the line (so what follows starts on a fresh one).
    func finish() {
        state.withLock { state in
            if state.drawn { FileHandle.standardError.write(Data("\n".utf8)) }
            state.drawn = false
            state.shown = 0
        }
    }
}
