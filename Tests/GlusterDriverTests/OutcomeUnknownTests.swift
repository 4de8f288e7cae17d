//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import GlusterDriver

/// A `volume set` that a hung node leaves unfinished ("Request timed out") is never reported
/// as failed: the volume is read again, and the change counts as made when it shows, else
/// the outcome is unknown (naming the command that tells). Used by create and delete.
@Suite("Changes whose outcome a hung node leaves unknown")
struct OutcomeUnknownTests {
    /// `volume set` times out; `volume info` shows `options` (the state after the timeout).
    struct HungSet: GlusterCommandRunner {
        let options: [String: String]

        func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
            if arguments.starts(with: ["volume", "set"]) {
                return GlusterCommandOutput(exitStatus: 1, standardOutput: Data("Error : Request timed out\n".utf8), standardError: "")
            }
            let rendered = options.map { "<option><name>\($0.key)</name><value>\($0.value)</value></option>" }.joined()
            let xml = """
                <?xml version="1.0"?><cliOutput><opRet>0</opRet><opErrno>0</opErrno><volInfo><volumes><volume><name>v</name><id>1</id>\
                <statusStr>Started</statusStr><bricks></bricks><options>\(rendered)</options></volume></volumes></volInfo></cliOutput>
                """
            return GlusterCommandOutput(exitStatus: 0, standardOutput: Data(xml.utf8), standardError: "")
        }
    }

    func set(seeing options: [String: String]) async throws {
        let driver = ShareDriver(config: GShareConfig(systemCNs: []))
        try await driver.setConfirming(
            GlusterCLI(runner: HungSet(options: options)), "v", [VolumeSetting(key: "user.gshare.state", value: "needs-wipe")], share: "s",
            exportLocation: "h:/v", what: "marking", check: "gshare share show s"
        ) { ShareMarks(options: $0.options).state == .needsWipe }
    }

    @Test func aTimedOutSetThatShowsOnTheVolumeCountsAsMade() async throws {
        try await set(seeing: ["user.gshare.state": "needs-wipe"])
    }

    @Test func aTimedOutSetThatDoesNotShowIsAnUnknownOutcomeNamingTheCommandThatTells() async throws {
        let error = await #expect(throws: ShareDriverError.self) { try await set(seeing: ["user.gshare.state": "active"]) }
        #expect(error?.code == .outcomeUnknown)
        #expect(error?.hint?.contains("gshare share show s") == true)
    }
}
