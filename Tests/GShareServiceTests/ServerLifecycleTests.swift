//===----------------------------------------------------------------------===//
// gshare — GShareService tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareService
import GShareWorkflows
import GlusterDriver
import Hummingbird
import HummingbirdTesting
import Testing
import WorkflowTestbed

@Suite("gshare serve: where it listens, and a shutdown finishes the changes under way")
struct ServerLifecycleTests {
    @Test func withoutClientCertificatesOnlyALoopbackAddressIsServed() throws {
        let api = try APIBed().api
        for address in ["127.0.0.1:8786", "127.9.8.7:0", "[::1]:8786", "localhost:1", ":8786"] {
            #expect(throws: Never.self, "\(address)") { _ = try ShareAPIServer(api: api, listen: try ListenAddress(parsing: address)) }
        }
        for address in ["0.0.0.0:8786", "10.0.0.1:8786", "[::]:8786", "example.org:8786", "127.0.0.1.evil:8786"] {
            #expect("\(address)") {
                _ = try ShareAPIServer(api: api, listen: try ListenAddress(parsing: address))
            } throws: { error in
                (error as? WorkflowError)?.message.contains("listens on loopback only") == true
            }
        }
        for text in ["8786", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:8786", "[::1]8786"] {
            #expect(throws: WorkflowError.self, "\(text)") { _ = try ListenAddress(parsing: text) }
        }
    }

    @Test func aShutdownDuringACreateLetsTheClaimFinishBeforeTheServerStops() async throws {
        let api = try APIBed()
        api.bed.pool.setDelay = .milliseconds(700)
        let server = try ShareAPIServer(api: api.api, listen: ListenAddress(host: "127.0.0.1", port: 0))
        let id = try await server.application().test(.live) { client in
            let created = try await client.execute(
                uri: "/v2/p1/shares", method: .post, body: ByteBuffer(string: #"{"share": {"name": "x", "share_proto": "GLUSTERFS", "size": 1}}"#))
            #expect(created.status == .accepted)
            let object = try JSONSerialization.jsonObject(with: Data(String(buffer: created.body).utf8)) as? [String: Any]
            // The claim (one slow `volume set`) is still under way when the test ends and the
            // server is told to shut down.
            #expect(api.bed.pool.options(of: "vol-a")[ShareMarks.Key.share] == nil)
            return ((object?["share"] as? [String: Any])?["id"] as? String) ?? ""
        }
        #expect(!id.isEmpty)
        #expect(api.bed.pool.options(of: "vol-a")[ShareMarks.Key.share] == id, "the claim finished before the server stopped")
        #expect(api.bed.pool.options(of: "vol-a")[InMemoryPool.quotaLimitKey] == String(1 << 30), "and so did the quota")
        #expect(await api.api.operations.runningCount == 0)
        await #expect(throws: WorkflowError.self, "after the drain no new change is taken") {
            try await api.api.operations.beginCreate(api.bed.workflows, name: "late", sizeGB: 1, project: "p1")
        }
    }
}
