//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import WorkflowTestbed
import GlusterDriver
import InMemoryLogging
import Logging
import Testing

/// The workflows and the driver log through the Logger they are given: every gluster call
/// with its duration, lock waits; never a secret.
@Suite("Logging: gluster calls with durations, locks, no secrets")
struct LoggingTests {
    static let secret = "s3cret-Pa55-\(UUID().uuidString)"

    @Test func aGrantLogsEveryGlusterCallWithItsDurationAndTheLock() async throws {
        let bed = try Testbed { $0.serverPassword = .inline(Self.secret) }
        _ = try await bed.share("data")
        bed.logs.clear()
        _ = try await bed.workflows.allow(share: "data", identity: .commonName("tenant-a"))
        let text = bed.logText
        let glusterLines = bed.logs.entries.filter { "\($0.message)".hasPrefix("gluster ") }
        #expect(glusterLines.map { "\($0.message)".split(separator: " ").prefix(3).joined(separator: " ") } == [
            "gluster volume info", "gluster volume set", "gluster volume get",
        ])
        #expect(glusterLines.allSatisfy { $0.level == .debug && $0.metadata["ms"] != nil && $0.metadata["server"] == "127.0.0.2" })
        #expect(text.contains("lock acquired"), "\(text)")
        #expect(text.contains("allow tenant-a on data"))
        #expect(!text.contains(Self.secret))
    }

    @Test func atInfoLevelNoGlusterCallIsLoggedAndTheDriverSkipsTheWrapper() async throws {
        let bed = try Testbed(logLevel: .info)
        _ = try await bed.share("data")
        _ = try await bed.workflows.allow(share: "data", identity: .commonName("tenant-a"))
        #expect(!bed.logs.entries.contains { "\($0.message)".hasPrefix("gluster ") })
        #expect(bed.logs.entries.contains { $0.level == .info && "\($0.message)" == "allow tenant-a on data" })
    }
}
