//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// Hostile share sizes are refused before gshare asks any server (the configured one here
/// does not exist): a clear error naming the value and the range, nothing created, nothing
/// but the refusal's audit entry written. A value that is not a whole number (or overflows one) is a usage error.
@Suite("share create: hostile sizes")
struct HostileSizeTests {
    static func attempt(_ size: String) async throws -> (ProcessResult, URL) {
        try await unreachablePool { ["share", "create", "--size=\(size)", "--config", $0] }
    }

    /// Runs gshare with a configuration whose only server does not exist (TEST-NET-1), in a
    /// folder of its own: `arguments` gets the configuration's path.
    static func unreachablePool(_ arguments: (String) -> [String]) async throws -> (ProcessResult, URL) {
        let folder = try makeTemporaryDirectory()
        let config = folder.appendingPathComponent("gshare.toml")
        try """
            glusterfs_targets = ["192.0.2.1:/gshare-pool-01-1G"]
            system_cns = ["gluster-node-1", "gshare-manager"]
            state_dir = "\(folder.appendingPathComponent("state").path)"
            """.write(to: config, atomically: true, encoding: .utf8)
        return (try await runProcess(EndToEndTests.binary, arguments(config.path)), folder)
    }

    @Test(arguments: ["0", "-1", "1048577", "9223372036854775807"])
    func aSizeOutOfRangeIsRefusedNamingTheRangeAndNothingIsCreated(size: String) async throws {
        let (result, folder) = try await Self.attempt(size)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.status == 1, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("--size \(size) is not a share size") && result.stderr.contains("1 to 1048576 GiB"), "\(result.stderr)")
        #expect(result.stderr.contains("fix: give a whole number of GiB"), "\(result.stderr)")
        // No share index, no lock taken, no cluster map learned: only the audit of the refusal.
        let state = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("state").path)) ?? []
        #expect(Set(state).isSubset(of: ["gshare.sqlite"]), "\(state)")
    }

    @Test(arguments: ["abc", "2.5", "99999999999999999999", "", "1e3", "0x10"])
    func aSizeThatIsNotAWholeNumberIsAUsageError(size: String) async throws {
        let (result, folder) = try await Self.attempt(size)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.status == 64, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("--size"), "\(result.stderr)")
    }
}

/// The same sizes given to `share resize`: refused before any server is asked.
@Suite("share resize: hostile sizes")
struct HostileResizeTests {
    static func attempt(_ size: String) async throws -> (ProcessResult, URL) {
        try await HostileSizeTests.unreachablePool { ["share", "resize", "some-share", "--config", $0, "--", size] }
    }

    @Test(arguments: ["0", "-1", "1048577", "9223372036854775807"])
    func aSizeOutOfRangeIsRefusedNamingTheRangeBeforeAnyServerIsAsked(size: String) async throws {
        let (result, folder) = try await Self.attempt(size)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.status == 1, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("\(size) is not a share size") && result.stderr.contains("1 to 1048576 GiB"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was changed") && result.stderr.contains("fix: give a whole number of GiB"), "\(result.stderr)")
        let state = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("state").path)) ?? []
        #expect(Set(state).isSubset(of: ["gshare.sqlite"]), "\(state)")
    }

    @Test(arguments: ["abc", "2.5", "99999999999999999999", "", "1e3"])
    func aSizeThatIsNotAWholeNumberIsAUsageError(size: String) async throws {
        let (result, folder) = try await Self.attempt(size)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.status == 64, "\(result.status) \(result.stderr)")
    }
}
