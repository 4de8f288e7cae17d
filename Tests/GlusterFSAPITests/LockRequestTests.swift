//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import GlusterFSAPI

/// The worker's lock requests: keys are file names inside the lock folder, waits are waits.
@Suite("Lock requests to the worker")
struct LockRequestTests {
    static func request(keys: [String], wait: Double = 5) -> Data {
        let connection = #"{"address":{"host":"127.0.0.11","volume":"gluster_shared_storage","port":24007,"transport":"tcp"},"transport":"followVolume"}"#
        let keyList = keys.map { "\"\($0)\"" }.joined(separator: ",")
        return Data(
            #"{"protocolVersion":1,"deadlineSeconds":30,"connection":\#(connection),"operation":{"kind":"lock","keys":[\#(keyList)],"holder":"h","waitSeconds":\#(wait)}}"#
                .utf8)
    }

    @Test func aLockRequestNamesItsKeysAndRoundTrips() throws {
        let decoded = try JSONDecoder().decode(WorkerRequest.self, from: Self.request(keys: ["claim", "volume-6c93-1"]))
        #expect(decoded.operation == .lock(keys: ["claim", "volume-6c93-1"], holder: "h", waitSeconds: 5))
        #expect(try JSONDecoder().decode(WorkerRequest.self, from: try JSONEncoder().encode(decoded)) == decoded)
        #expect(GlusterLockFiles.path(of: "claim") == "/gshare/locks/claim.lock")
    }

    /// The worker kept connected for `gshare serve` is asked with no keys; they come later as
    /// one `lock` operation line (checked as a request's keys are).
    @Test func aLockOnOrderRequestRoundTripsAndItsOrderIsALockOperation() throws {
        let request = WorkerRequest(
            connection: GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.11", volume: "gluster_shared_storage"), identity: nil),
            operation: .lockOnOrder, deadlineSeconds: 30)
        let encoded = try JSONEncoder().encode(request)
        #expect(String(decoding: encoded, as: UTF8.self).contains(#""kind":"lock-on-order""#))
        #expect(try JSONDecoder().decode(WorkerRequest.self, from: encoded) == request)
        let order = try JSONDecoder().decode(WorkerOperation.self, from: Data(#"{"kind":"lock","keys":["volume-1"],"holder":"h","waitSeconds":2}"#.utf8))
        #expect(order == .lock(keys: ["volume-1"], holder: "h", waitSeconds: 2))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WorkerOperation.self, from: Data(#"{"kind":"lock","keys":["../x"],"holder":"h","waitSeconds":2}"#.utf8))
        }
    }

    @Test(arguments: [[], ["../etc"], ["a/b"], [".."], ["."], [""], ["sp ace"], [String(repeating: "k", count: 201)]])
    func aKeyThatIsNotAPlainFileNameIsRefused(keys: [String]) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkerRequest.self, from: Self.request(keys: keys)) }
    }

    @Test func aNegativeWaitIsRefused() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkerRequest.self, from: Self.request(keys: ["claim"], wait: -1)) }
    }

    @Test func theClientRefusesKeysThatAreNotFileNamesBeforeStartingAWorker() async throws {
        let client = try IsolatedGlusterClient(workerPath: URL(fileURLWithPath: "/bin/true"))
        let connection = GlusterConnection(address: GlusterVolumeAddress(host: "127.0.0.1", volume: "v"), identity: nil)
        let error = await #expect(throws: GlusterFSError.self) {
            _ = try await client.holdLocks(connection, keys: ["../x"], holder: "h", wait: .seconds(1), holdLimit: .seconds(1))
        }
        #expect(error?.code == .invalidArgument)
    }
}
