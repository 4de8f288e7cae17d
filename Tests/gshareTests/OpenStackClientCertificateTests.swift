//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// The unmodified OpenStack CLI against `gshare serve` with client certificates (HTTPS;
/// `--os-cacert/--os-cert/--os-key`), on the real lab: API users named by their
/// certificates' CNs, each acting for its project; an admin sees every project with
/// `--all-projects`; a certificate of no API user, another project in the URL and no
/// certificate at all are refused. Fails (never skips) without the lab or GSHARE_OPENSTACK.
@Suite("The unmodified OpenStack CLI with client certificates against gshare serve, on the real lab")
struct OpenStackClientCertificateTests {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The CLI as one API user (its certificate and key) of one project.
    struct Caller {
        let binary: String
        let endpoint: String
        let tls: [String]

        func run(_ arguments: [String]) async throws -> ProcessResult {
            try await runProcess(binary, tls + arguments, environment: ["OS_AUTH_TYPE": "none", "OS_ENDPOINT": endpoint])
        }

        func json(_ arguments: String...) async throws -> Any {
            let result = try await run(arguments + ["-f", "json"])
            try #require(result.status == 0, "openstack \(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func apiUsersAreNamedByTheirCertificatesAndActForTheirProjectOnly() async throws {
        guard let openstack = ProcessInfo.processInfo.environment["GSHARE_OPENSTACK"], FileManager.default.isExecutableFile(atPath: openstack) else {
            throw Failure(description: "GSHARE_OPENSTACK does not name the openstack binary: run scripts/openstack-venv and set it (scripts/test does both)")
        }
        let lab = try LabDescription.load()
        let pool = try await ScratchPool.create(lab, prefix: "gshare-test-apitls", sizesGB: [5])
        defer { pool.removeBlocking() }
        let driver = pool.driver
        let onboard = try await driver.gshare(["tenant", "onboard", try lab.identity(named: "tenant-a").cert])
        try #require(onboard.status == 0, "\(onboard.stderr)")

        // The API's PKI: a CA, the server's certificate for 127.0.0.1, three clients.
        let pki = driver.folder.appendingPathComponent("api").path
        var commands = [["pki", "init-ca", "--dir", "\(pki)/ca", "--cn", "API test root"]]
        commands.append(["pki", "issue", "--ca", "\(pki)/ca", "--cn", "gshare-api", "--profile", "server", "--san", "IP:127.0.0.1", "--out", "\(pki)/server"])
        for user in ["alice", "bob", "mallory"] {
            commands.append(["pki", "issue", "--ca", "\(pki)/ca", "--cn", user, "--profile", "client", "--out", "\(pki)/\(user)"])
        }
        let projectA = "proj-\(UUID().uuidString.prefix(8).lowercased())"
        let projectB = "proj-\(UUID().uuidString.prefix(8).lowercased())"
        commands.append(["api-user", "add", "alice", "--cert", "\(pki)/alice/alice.pem", "--project", projectA, "--role", "member"])
        commands.append(["api-user", "add", "bob", "--cert", "\(pki)/bob/bob.pem", "--project", projectB, "--role", "admin"])
        for command in commands {
            // The PKI commands take no configuration; api-user does.
            let result = try await (command[0] == "pki" ? runProcess(EndToEndTests.binary, command) : driver.gshare(command))
            try #require(result.status == 0, "gshare \(command.joined(separator: " ")): \(result.stdout) \(result.stderr)")
        }

        let server = try driver.start([
            "serve", "--listen", "127.0.0.1:0", "--tls-cert", "\(pki)/server/gshare-api.pem", "--tls-key", "\(pki)/server/gshare-api.key", "--client-ca",
            "\(pki)/ca/ca.pem",
        ])
        defer { GShareServe.stopBlocking(server) }
        let base = "https://127.0.0.1:\(try await GShareServe.port(of: server))/v2/"
        func caller(_ user: String?, _ project: String) -> Caller {
            Caller(
                binary: openstack, endpoint: base + project,
                tls: ["--os-cacert", "\(pki)/ca/ca.pem"] + (user.map { ["--os-cert", "\(pki)/\($0)/\($0).pem", "--os-key", "\(pki)/\($0)/\($0).key"] } ?? []))
        }
        let alice = caller("alice", projectA)

        let created = try #require(try await alice.json("share", "create", "GLUSTERFS", "1", "--name", "x", "--wait") as? [String: Any])
        #expect(created["status"] as? String == "available" && created["project_id"] as? String == projectA, "\(created)")
        let rule = try #require(try await alice.json("share", "access", "create", "x", "cert", "tenant-a", "--wait") as? [String: Any])
        #expect(rule["state"] as? String == "active", "\(rule)")
        #expect((try await alice.json("share", "list") as? [[String: Any]])?.count == 1)

        // bob, an admin of another project: its own project is empty; --all-projects sees x.
        let bob = caller("bob", projectB)
        #expect((try await bob.json("share", "list") as? [[String: Any]])?.isEmpty == true)
        let everything = try #require(try await bob.json("share", "list", "--all-projects") as? [[String: Any]])
        #expect(everything.contains { $0["Name"] as? String == "x" || $0["name"] as? String == "x" }, "\(everything)")

        // Refused: another project in the URL, a certificate of no API user, no certificate.
        let wrongProject = try await caller("alice", projectB).run(["share", "list"])
        #expect(wrongProject.status != 0 && wrongProject.stderr.contains("acts for project \(projectA)"), "\(wrongProject.stderr)")
        let mallory = try await caller("mallory", projectA).run(["share", "list"])
        #expect(mallory.status != 0 && mallory.stderr.contains("not an API user's"), "\(mallory.stderr)")
        let anonymous = try await caller(nil, projectA).run(["share", "list"])
        #expect(anonymous.status != 0 && anonymous.stderr.contains("SSL"), "\(anonymous.stderr)")

        let deleted = try await alice.run(["share", "delete", "x", "--wait"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let audit = try await driver.gshare(["audit", "--json"])
        #expect(audit.stdout.contains("api:alice (project \(projectA))"), "the changes are audited with the API user")

        server.kill(SIGTERM)
        let ended = try await server.finish()
        #expect(ended.status == 0 && ended.stdout.contains("gshare serve: stopped"), "\(ended.stdout) \(ended.stderr)")
    }
}
