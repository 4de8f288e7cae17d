//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

import Foundation
import Synchronization

/// The fuzz entry of the worker protocol (WorkerProtocol.swift), shared by the libFuzzer
/// target (`Fuzz/worker-protocol`, built by `scripts/fuzz`) and the corpus replay tests
/// (`Tests/FuzzCorpusTests`), so both run exactly the same code. Not API: `package`, and
/// nothing in gshare calls it.
///
/// Both directions are read as gshare reads them: the whole input as the one request the
/// worker decodes from stdin, and the input as the worker's stdout, line by line, through
/// ``WorkerLines`` (what the parent runs), the result turned into its error as
/// ``IsolatedGlusterClient/Run`` does. Decoding may fail, never trap; whatever decodes
/// encodes and decodes again to the same value. Returns every broken invariant as a
/// sentence (empty: all held).
package enum WorkerProtocolFuzzing {
    package static func fuzzOne(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        if let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(bytes)) {
            _ = (request.operation.kind, request.deadline)  // what the worker computes first
            if case .lock(let keys, _, let wait) = request.operation {
                // The worker opens these paths: never outside the lock folder.
                for key in keys where !GlusterLockFiles.isValidKey(key) || key.contains("/") {
                    broken.append("a lock request with the key \(key.debugDescription) was accepted")
                }
                if !(wait.isFinite && wait >= 0) { broken.append("a lock request waiting \(wait) s was accepted") }
            }
            checkRoundTrip(request, "the request", &broken)
        }
        let events = Mutex<[WorkerMessage]>([])
        let lines = WorkerLines { message in events.withLock { $0.append(message) } }
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lines.handle(line)
        }
        for event in events.withLock({ $0 }) {
            if event.event == "result" { broken.append("a result was passed on as an event") }
            checkRoundTrip(event, "the \(event.event) event", &broken)
        }
        if let result = lines.result {
            if result.event != "result" { broken.append("the result is a \(result.event) event") }
            _ = IsolatedGlusterClient.Run(result: result, elapsed: .zero).error.description
            checkRoundTrip(result, "the result", &broken)
        }
        return broken
    }

    /// Encoded and decoded again (as the other side would), a decoded value is the same;
    /// values JSON cannot carry (a non-finite number) cannot be encoded at all.
    private static func checkRoundTrip<T: Codable & Equatable>(_ value: T, _ what: String, _ broken: inout [String]) {
        guard let data = try? JSONEncoder().encode(value) else { return }
        do {
            let again = try JSONDecoder().decode(T.self, from: data)
            if again != value { broken.append("\(what) encoded and decoded again differs: \(String(decoding: data.prefix(300), as: UTF8.self))") }
        } catch {
            broken.append("\(what), encoded, does not decode: \(error)")
        }
    }
}
