//===----------------------------------------------------------------------===//
// gshare — GShareProcess tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareProcess
import Testing

/// A test that measures the whole process — its open descriptors, its child processes, its
/// thread pools — cannot share it with the suites running in parallel: they would disturb
/// the measure, or be disturbed (stalled for seconds). Such a test re-runs itself alone in
/// a fresh process of this test binary, and passes when that run passes.
enum SoloRun {
    /// Names the one test the fresh process is for.
    static let variable = "GSHARE_SOLO_TEST"

    /// True inside the fresh process started for `test` (`#function`).
    static func isInside(_ test: String) -> Bool {
        ProcessInfo.processInfo.environment[variable] == name(test)
    }

    /// Runs `suite/test` alone in a fresh process of this test binary and records an issue
    /// (with everything it printed) unless exactly that one test ran and passed.
    static func expectPasses(suite: String, test: String, within deadline: Duration = .seconds(240)) async throws {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let result = try await ChildProcess(
            executable: binary, arguments: ["--testing-library", "swift-testing", "--filter", "\(suite)/\(name(test))"],
            environment: .inheritUpdating([variable: name(test), "NO_COLOR": "1"])
        ).run(deadline: deadline)
        let output = String(decoding: result.standardOutput + result.standardError, as: UTF8.self)
        #expect(result.termination == .exited(0), "the solo run of \(suite)/\(test) \(result.termination):\n\(output)")
        #expect(output.contains("Test run with 1 test"), "the solo run ran something else than \(suite)/\(test):\n\(output)")
    }

    private static func name(_ test: String) -> String {
        test.hasSuffix("()") ? String(test.dropLast(2)) : test
    }
}
