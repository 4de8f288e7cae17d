//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import Testing

@testable import GlusterDriver

/// Which failures of a change mean "sent, and it may still take effect" (a node hung), as
/// the cluster lab showed them; only those make a change's outcome unknown.
@Suite("A change a hung node holds: outcome unknown, not failed")
struct OutcomeUnknownTests {
    @Test func theCLIsRequestTimedOutIsATimeout() throws {
        let output = GlusterCommandOutput(exitStatus: 1, standardOutput: Data("Error : Request timed out\n".utf8), standardError: "")
        let error = #expect(throws: GlusterDriverError.self) { try GlusterCLIDocument(output, command: ["volume", "set"]) }
        #expect(error?.code == .timedOut)
        #expect(ShareDriver.mayStillTakeEffect(try #require(error)))
    }

    @Test func anotherTransactionInProgressMayStillTakeEffect() {
        let error = GlusterDriverError(
            .commandFailed, command: ["volume", "set"], message: "refused", glusterMessage: "Another transaction is in progress for v. Please try again after some time.",
            glusterErrno: 30802)
        #expect(ShareDriver.mayStillTakeEffect(error))
    }

    @Test func anSSHCommandThatTimedOutAfterItWasSentMayStillTakeEffect() {
        #expect(ShareDriver.mayStillTakeEffect(SSHError(.timedOut, host: "root@n1:22", step: .exec, message: "did not finish")))
        #expect(!ShareDriver.mayStillTakeEffect(SSHError(.timedOut, host: "root@n1:22", step: .connect, message: "no answer")))
        #expect(!ShareDriver.mayStillTakeEffect(SSHError(.connectFailed, host: "root@n1:22", step: .connect, message: "refused")))
    }

    @Test func aRefusalOrAnUnreachableGlusterdIsNot() {
        #expect(!ShareDriver.mayStillTakeEffect(GlusterDriverError(.commandFailed, command: ["volume", "set"], message: "no", glusterMessage: "Quorum not met", glusterErrno: 30800)))
        #expect(!ShareDriver.mayStillTakeEffect(GlusterDriverError(.glusterdUnreachable, command: ["volume", "set"], message: "down")))
    }
}
