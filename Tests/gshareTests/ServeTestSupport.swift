//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// `gshare serve` as a child process of a test (OpenStackClientTests, ServeLabTests): its
/// port, and stopping it from a `defer`.
enum GShareServe {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The port `gshare serve --listen 127.0.0.1:0` printed
    /// (`gshare serve: listening on http(s)://127.0.0.1:PORT (…)`), waited for up to a minute.
    static func port(of server: StartedProcess) async throws -> Int {
        for _ in 0..<600 {
            let output = server.standardOutputSoFar
            if let start = output.range(of: "gshare serve: listening on http://127.0.0.1:") ?? output.range(of: "gshare serve: listening on https://127.0.0.1:") {
                let digits = output[start.upperBound...].prefix { $0.isNumber }
                return try #require(Int(digits), "no port in: \(output)")
            }
            if !server.isRunning {
                let ended = try await server.finish()
                throw Failure(description: "gshare serve ended before listening (exit \(ended.status)): \(ended.stdout) \(ended.stderr)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "gshare serve printed no port within a minute: \(server.standardOutputSoFar)")
    }

    /// Stops the server (SIGTERM, SIGKILL after a minute), blocking the calling thread: only
    /// for clean-up in a `defer`, when the test failed before stopping it itself.
    static func stopBlocking(_ server: StartedProcess) {
        guard server.isRunning else { return }
        server.kill(SIGTERM)
        for _ in 0..<600 where server.isRunning { usleep(100_000) }
        server.kill(SIGKILL)
    }

    /// A project id of its own for one test (`proj-<8 hex>`).
    static func newProject() -> String { "proj-\(UUID().uuidString.prefix(8).lowercased())" }
}

/// Volumes made for one test and the config whose whole pool they are, sized by their
/// names (`PREFIX-<8 hex>-<size>G`, and a `glusterfs_volume_pattern` naming exactly them),
/// so no other suite's pool volume is touched. Each is TLS-ready before its first start
/// (server.ssl needs no restart then): auth.ssl-allow the system CNs, server.ssl and
/// client.ssl on.
struct ScratchPool {
    let volumes: [ScratchVolume]
    let driver: DriverLab

    var names: [String] { volumes.map(\.name) }

    /// Makes one volume per size (in GiB) and the config of the pool they form.
    static func create(_ lab: LabDescription, prefix: String, sizesGB: [Int]) async throws -> ScratchPool {
        var volumes: [ScratchVolume] = []
        do {
            for size in sizesGB {
                let volume = try await ScratchVolume.create(lab, prefix: prefix, suffix: "-\(size)G")
                volumes.append(volume)
                try await gluster("volume", "set", volume.name, "auth.ssl-allow", "\(lab.serverCN),\(lab.managerCN)", "server.ssl", "on", "client.ssl", "on")
                try await gluster("volume", "start", volume.name)
            }
            // The names without their size, as alternatives: the pattern matches exactly these volumes.
            let stems = zip(volumes, sizesGB).map { volume, size in String(volume.name.dropLast("-\(size)G".count)) }
            let alternatives = stems.count == 1 ? stems[0] : "(?:\(stems.joined(separator: "|")))"
            let pattern = "glusterfs_servers = [\"\(lab.host)\"]\nglusterfs_volume_pattern = '\(alternatives)-#{size}G'\n"
            return ScratchPool(volumes: volumes, driver: try DriverLab(targets: volumes.map(\.name), extra: pattern))
        } catch {
            for volume in volumes { volume.removeBlocking() }
            throw error
        }
    }

    /// `gluster --mode=script ARGS` on the lab's glusterd, which must succeed.
    private static func gluster(_ arguments: String...) async throws {
        let result = try await runProcess("/usr/sbin/gluster", ["--mode=script"] + arguments)
        try #require(result.status == 0, "gluster \(arguments.joined(separator: " ")): \(result.stdout) \(result.stderr)")
    }

    /// Deletes what shares are left (leftovers of a failed test), the config's folder and
    /// the volumes, blocking the calling thread: only for clean-up in a `defer`.
    func removeBlocking() {
        try? driver.deleteAllSharesBlocking()
        try? FileManager.default.removeItem(at: driver.folder)
        for volume in volumes { volume.removeBlocking() }
    }
}

extension DriverLab {
    /// Makes a tenant CA of the test's own (in the config's folder), makes it the config's
    /// `tenant_ca`, issues a client certificate for each CN and onboards them all.
    /// The certificates are never used to connect: they make the CNs onboarded tenants.
    func onboardOwnTenants(_ names: [String]) async throws {
        let pki = folder.appendingPathComponent("pki")
        try FileManager.default.createDirectory(at: pki, withIntermediateDirectories: true)
        func gshare(_ arguments: String...) async throws {
            let result = try await runProcess(EndToEndTests.binary, arguments, in: pki)
            try #require(result.status == 0, "gshare \(arguments.joined(separator: " ")): \(result.stdout) \(result.stderr)")
        }
        try await gshare("pki", "init-ca", "--dir", "ca", "--cn", "serve-test-tenant-root")
        for name in names { try await gshare("pki", "issue", "--ca", "ca", "--cn", name, "--profile", "client", "--out", name) }
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let own = text.replacingOccurrences(of: "tenant_ca = \"\(lab.tenantRoot)\"", with: "tenant_ca = \"\(pki.path)/ca/ca.pem\"")
        try #require(own != text, "the config names no tenant_ca to replace: \(text)")
        try own.write(toFile: config, atomically: true, encoding: .utf8)
        let onboard = try await self.gshare(["tenant", "onboard"] + names.map { "\(pki.path)/\($0)/\($0).pem" })
        try #require(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")
    }
}

/// One HTTP/1.1 connection to `gshare serve`, as one project (HummingbirdTesting's
/// `TestClient`: one connection, requests one after another on it).
struct ServeConnection: Sendable {
    /// An answer: its status and body.
    struct Answer: Sendable, CustomStringConvertible {
        let status: Int
        let text: String

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]) ?? [:] }

        /// The object under `key` in the body (`share`, `access`, …).
        subscript(key: String) -> [String: Any]? { json[key] as? [String: Any] }

        var description: String { "\(status) \(text)" }
    }

    /// A request that got no answer within the time allowed (the connection is closed then).
    struct NoAnswer: Error, CustomStringConvertible {
        let description: String
    }

    /// The connection now: a new one replaces it when the server closed it (gshare serve
    /// closes a connection silent for 30 s, as HTTP clients expect).
    final class Current: Sendable {
        let client: Mutex<TestClient>
        init(_ client: TestClient) { self.client = Mutex(client) }
    }

    let current: Current
    let port: Int
    let project: String
    let timeout: Duration

    var client: TestClient { current.client.withLock { $0 } }

    /// Starts connecting; ``open()`` waits for it.
    /// - Parameter timeout: how long a request may wait for its answer.
    init(port: Int, project: String, timeout: Duration = .seconds(150)) {
        self.port = port
        self.project = project
        self.timeout = timeout
        current = Current(Self.connect(port: port, timeout: timeout))
    }

    static func connect(port: Int, timeout: Duration) -> TestClient {
        // TestClient's own timeout is left past ours: it never fires when the server does not
        // answer (its wait for the answer is not cancelled), so ``call(_:_:json:)`` closes the
        // connection itself.
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: timeout + .seconds(60)))
        client.connect()
        return client
    }

    /// Waits until connected.
    func open() async throws { _ = try await client.getChannel() }

    /// `METHOD /v2/PROJECT/PATH` with an optional JSON body, on a new connection when the
    /// server closed the idle one (the request was not sent on it: sending it again is safe).
    /// - Throws: ``NoAnswer`` after ``timeout`` without an answer; a connection error.
    func call(_ method: HTTPRequest.Method, _ path: String, json: String? = nil) async throws -> Answer {
        do {
            return try await callOnce(method, path, json: json)
        } catch let error as ChannelError where error == .ioOnClosedChannel {
            let fresh = Self.connect(port: port, timeout: timeout)
            let old = current.client.withLock { client in
                let old = client
                client = fresh
                return old
            }
            try? await old.shutdown()
            try await open()
            return try await callOnce(method, path, json: json)
        }
    }

    private func callOnce(_ method: HTTPRequest.Method, _ path: String, json: String? = nil) async throws -> Answer {
        var headers: HTTPFields = [:]
        if json != nil { headers[.contentType] = "application/json" }
        let request = TestClient.Request("/v2/\(project)/\(path)", method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return try await withThrowingTaskGroup(of: Answer?.self) { group in
            let client = self.client
            group.addTask { [client] in
                let response = try await client.execute(request)
                return Answer(status: Int(response.status.code), text: response.body.map { String(buffer: $0) } ?? "")
            }
            group.addTask { [timeout] in
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            let first: Answer??
            do {
                first = try await group.next()
            } catch {
                // Cancelled (the test's time limit) or the connection failed: closing it ends the wait.
                try? await client.close(mode: .all)
                throw error
            }
            guard let answer = first ?? nil else {
                try? await client.close(mode: .all)
                throw NoAnswer(description: "\(method) /v2/\(project)/\(path): no answer within \(timeout)")
            }
            return answer
        }
    }

    func get(_ path: String) async throws -> Answer { try await call(.get, path) }
    func post(_ path: String, _ json: String) async throws -> Answer { try await call(.post, path, json: json) }
    func delete(_ path: String) async throws -> Answer { try await call(.delete, path) }

    func close() async { try? await client.shutdown() }

    /// `POST /shares` of a `size` GiB share called `name`: 202 and its id.
    func createShare(name: String, size: Int = 1) async throws -> String {
        let created = try await post("shares", #"{"share": {"share_proto": "GLUSTERFS", "size": \#(size), "name": "\#(name)"}}"#)
        #expect(created.status == 202 && created["share"]?["status"] as? String == "creating", "POST /shares: \(created)")
        return try #require(created["share"]?["id"] as? String, "POST /shares: \(created)")
    }

    /// Polls `GET /shares/{id}` (every 250 ms, up to `limit`) until `done` holds for the
    /// answer; the last answer.
    func waitForShare(_ id: String, limit: Duration = .seconds(180), until done: (Answer) -> Bool) async throws -> Answer {
        let deadline = ContinuousClock.now + limit
        var last = try await get("shares/\(id)")
        while !done(last), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            last = try await get("shares/\(id)")
        }
        return last
    }

    /// Waits until the share's status is `status`; fails the test when it never is.
    @discardableResult
    func waitForStatus(_ id: String, _ status: String, limit: Duration = .seconds(180)) async throws -> Answer {
        let last = try await waitForShare(id, limit: limit) { $0.status == 200 && $0["share"]?["status"] as? String == status }
        try #require(last.status == 200 && last["share"]?["status"] as? String == status, "share \(id) never became \(status): \(last)")
        return last
    }

    /// `allow_access` of `cn` (cert) on the share.
    func allow(_ share: String, _ cn: String) async throws -> Answer {
        try await post("shares/\(share)/action", #"{"allow_access": {"access_type": "cert", "access_to": "\#(cn)"}}"#)
    }

    /// `deny_access` of the rule `ruleID` on the share.
    func deny(_ share: String, rule ruleID: String) async throws -> Answer {
        try await post("shares/\(share)/action", #"{"deny_access": {"access_id": "\#(ruleID)"}}"#)
    }
}
