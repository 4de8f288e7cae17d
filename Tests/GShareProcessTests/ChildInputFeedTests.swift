//===----------------------------------------------------------------------===//
// gshare — GShareProcess tests
//===----------------------------------------------------------------------===//

import Foundation
import Synchronization
import Testing

@testable import GShareProcess

/// More stdin for a running child (``ChildInputFeed``): what the gfapi worker kept connected
/// for `gshare serve` reads its lock order through.
@Suite("Child processes: more stdin while the child runs")
struct ChildInputFeedTests {
    final class Lines: Sendable {
        let seen = Mutex<[String]>([])
        func append(_ line: String) { seen.withLock { $0.append(line) } }
        var all: [String] { seen.withLock { $0 } }
    }

    /// `tail -f` on its stdin (a file, not a pipe: it follows it) prints the first line, then
    /// the line appended while it runs; the run ends when the task is cancelled.
    @Test(.timeLimit(.minutes(1)))
    func aLineAppendedWhileTheChildRunsReachesItAfterTheFirst() async throws {
        let feed = ChildInputFeed()
        #expect(!feed.append(Array("early\n".utf8)), "nothing is written before the run starts")
        let lines = Lines()
        let tail = ChildProcess(executable: "/usr/bin/tail", arguments: ["-n", "+1", "-f", "-s", "0.05"])
        let run = Task {
            try await tail.stream(input: Array("first\n".utf8), feed: feed, deadline: .seconds(50), maxLineLength: 1024, standardErrorTail: 4096) { line in
                lines.append(String(decoding: line, as: UTF8.self))
            }
        }
        func wait(for count: Int) async throws {
            for _ in 0..<400 where lines.all.count < count { try await Task.sleep(for: .milliseconds(25)) }
        }
        try await wait(for: 1)
        #expect(lines.all == ["first"])
        #expect(feed.append(Array("second\n".utf8)))
        try await wait(for: 2)
        #expect(lines.all == ["first", "second"])
        run.cancel()
        let ended = try await run.value
        #expect(ended.termination == .cancelled)
        #expect(!feed.append(Array("late\n".utf8)), "nothing is written after the run ended")
    }
}
