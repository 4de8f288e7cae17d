//===----------------------------------------------------------------------===//
// gshare — GShareService tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareService
import GShareWorkflows
import GlusterDriver
import Hummingbird
import HummingbirdTesting
import Logging
import WorkflowTestbed

/// The share API in process, over the workflow test bed (an in-memory pool, a tenant CA, a
/// registry and audit log of its own). Requests go through the real router and middleware
/// (HummingbirdTesting's router framework); no socket.
struct APIBed {
    let bed: Testbed
    let api: ShareAPI

    /// - Parameter view: the API's view of the pool; default: read afresh for every request
    ///   (a change made "by another host" in a test shows at once).
    init(
        volumes: [InMemoryPool.Volume]? = nil, view: PoolView = PoolView(refreshAfter: .zero, maximumAge: .zero), now: @escaping @Sendable () -> Date = { Date() },
        configure: (inout GShareConfig) -> Void = { _ in }
    ) throws {
        bed =
            try volumes.map { try Testbed(volumes: $0, configure: configure) }
            ?? Testbed(
                volumes: [InMemoryPool.readyVolume("vol-a"), InMemoryPool.readyVolume("vol-b"), InMemoryPool.readyVolume("vol-c")], configure: configure)
        var logger = Logger(label: "gshare.api.test")
        logger.logLevel = .critical
        api = ShareAPI(
            config: bed.config, runners: bed.pool, operations: ShareOperations(view: view), authentication: .projectInURL, logger: logger, now: now)
    }

    /// A tenant onboarded in the bed's registry (a certificate from its tenant CA).
    func onboard(_ cn: String, days: Int = 365) async throws {
        let onboarding = try await bed.workflows.onboard([try bed.issue(cn, days: days)])
        guard onboarding.results.first?.kind == .onboarded else { throw Failure("could not onboard \(cn): \(onboarding.results)") }
    }

    /// One answer: its status, headers and JSON body.
    struct Answer {
        let status: Int
        let headers: HTTPFields
        let body: [String: Any]
        let text: String

        /// The Manila fault message, when the body is `{"<fault>": {"code", "message"}}`.
        var fault: (name: String, code: Int, message: String)? {
            guard body.count == 1, let (name, value) = body.first, let fault = value as? [String: Any], let code = fault["code"] as? Int,
                let message = fault["message"] as? String
            else { return nil }
            return (name, code, message)
        }

        subscript(key: String) -> [String: Any]? { body[key] as? [String: Any] }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `body` with a client of the API.
    func run<T: Sendable>(_ body: @Sendable (Client) async throws -> T) async throws -> T {
        let app = Application(router: api.router())
        return try await app.test(.router) { client in try await body(Client(client: client)) }
    }

    struct Client: Sendable {
        let client: any TestClientProtocol

        func call(_ method: HTTPRequest.Method, _ path: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> Answer {
            try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
                let text = String(buffer: response.body)
                let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
                return Answer(status: Int(response.status.code), headers: response.headers, body: object, text: text)
            }
        }

        func get(_ path: String) async throws -> Answer { try await call(.get, path) }
        func post(_ path: String, _ json: String) async throws -> Answer { try await call(.post, path, json: json) }
        func delete(_ path: String) async throws -> Answer { try await call(.delete, path) }

        /// Creates a share in `project` and waits until it is available; its id.
        func createShare(project: String, name: String?, size: Int = 1) async throws -> String {
            let nameField = name.map { #""name": "\#($0)", "# } ?? ""
            let created = try await post("/v2/\(project)/shares", #"{"share": {\#(nameField)"share_proto": "GLUSTERFS", "size": \#(size)}}"#)
            guard created.status == 202, let id = created["share"]?["id"] as? String else { throw Failure("create: \(created.status) \(created.text)") }
            try await waitForStatus(project: project, id: id, "available")
            return id
        }

        /// Polls `GET /shares/{id}` until its status is `status` (up to 10 s).
        @discardableResult
        func waitForStatus(project: String, id: String, _ status: String) async throws -> Answer {
            let deadline = ContinuousClock.now + .seconds(10)
            var last: Answer
            repeat {
                last = try await get("/v2/\(project)/shares/\(id)")
                if last["share"]?["status"] as? String == status { return last }
                try await Task.sleep(for: .milliseconds(20))
            } while ContinuousClock.now < deadline
            throw Failure("share \(id) never became \(status): \(last.status) \(last.text)")
        }
    }
}
