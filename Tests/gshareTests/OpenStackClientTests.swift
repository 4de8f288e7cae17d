//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// The REAL, unmodified OpenStack CLI (python-openstackclient 10.5.0 with python-manilaclient
/// 6.3.0, from scripts/openstack-venv; `GSHARE_OPENSTACK` names its `openstack` binary) drives
/// `gshare serve` as it would Manila, against the real one-node TLS lab. The pool is one
/// volume made for the test (`gshare-test-openstack-<hex>-5G`, sized 5 GiB by a pattern naming
/// exactly it, so the share can grow to 2 GiB), so no other suite's pool volume is touched.
/// Fails (never skips) without the lab or without GSHARE_OPENSTACK.
@Suite("The unmodified OpenStack CLI against gshare serve, on the real lab")
struct OpenStackClientTests {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// The `openstack` binary named by GSHARE_OPENSTACK, or an error that says how to get it.
    static func openstackBinary() throws -> String {
        let how = "run scripts/openstack-venv (it prints the path) and set GSHARE_OPENSTACK to it; scripts/test does both"
        guard let path = ProcessInfo.processInfo.environment["GSHARE_OPENSTACK"], !path.isEmpty else {
            throw Missing(description: "GSHARE_OPENSTACK is not set: it names the OpenStack CLI these tests drive — \(how)")
        }
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "GSHARE_OPENSTACK=\(path) is not an executable file — \(how)")
        }
        return path
    }

    /// The `openstack` CLI as one project of one `gshare serve` (no Keystone: the URL names
    /// the project).
    struct OpenStack {
        let binary: String
        let endpoint: String

        init(binary: String, port: Int, project: String) {
            self.binary = binary
            endpoint = "http://127.0.0.1:\(port)/v2/\(project)"
        }

        func run(_ arguments: String...) async throws -> ProcessResult {
            try await runProcess(binary, arguments, environment: ["OS_AUTH_TYPE": "none", "OS_ENDPOINT": endpoint])
        }

        /// `openstack ARGS -f json`, which must succeed and print a JSON object.
        func object(_ arguments: String...) async throws -> [String: Any] {
            let result = try await runProcess(binary, arguments + ["-f", "json"], environment: ["OS_AUTH_TYPE": "none", "OS_ENDPOINT": endpoint])
            #expect(result.status == 0, "openstack \(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
            let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            return try #require(object as? [String: Any], "openstack \(arguments.joined(separator: " ")): not a JSON object: \(result.stdout) \(result.stderr)")
        }

        /// `openstack ARGS -f json`, which must succeed and print a JSON list of rows.
        func rows(_ arguments: String...) async throws -> [[String: Any]] {
            let result = try await runProcess(binary, arguments + ["-f", "json"], environment: ["OS_AUTH_TYPE": "none", "OS_ENDPOINT": endpoint])
            #expect(result.status == 0, "openstack \(arguments.joined(separator: " ")): exit \(result.status): \(result.stderr)")
            let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
            return try #require(object as? [[String: Any]], "openstack \(arguments.joined(separator: " ")): not a JSON list: \(result.stdout) \(result.stderr)")
        }
    }

    /// The value of `key = value` in the text the CLI gives for a share's export locations.
    static func field(_ key: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("\(key) = ") }.map { String($0.dropFirst(key.count + 3)) }
    }

    @Test(.timeLimit(.minutes(6)))
    func aShareMadeGrantedRevokedResizedAndDeletedWithTheOpenStackCLIIsTheLabVolumeAndOnlyItsProjectSeesIt() async throws {
        let openstack = try Self.openstackBinary()
        let lab = try LabDescription.load()

        // The pool: one TLS-ready volume of 5 GiB (by its name), made for this test.
        let pool = try await ScratchPool.create(lab, prefix: "gshare-test-openstack", sizesGB: [5])
        defer { pool.removeBlocking() }
        let volume = pool.names[0]
        let driver = pool.driver
        // access_to is the CN of an onboarded tenant: both lab tenants in the test's registry.
        let onboard = try await driver.gshare(["tenant", "onboard"] + ["tenant-a", "tenant-b"].map { try lab.identity(named: $0).cert })
        try #require(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")

        let server = try driver.start(["serve", "--listen", "127.0.0.1:0"])
        defer { GShareServe.stopBlocking(server) }
        let port = try await GShareServe.port(of: server)
        let project = GShareServe.newProject()
        let other = GShareServe.newProject()
        let cli = OpenStack(binary: openstack, port: port, project: project)
        let stranger = OpenStack(binary: openstack, port: port, project: other)

        // create: available, 1 GiB, in this project, on the volume
        let created = try await cli.object("share", "create", "GLUSTERFS", "1", "--name", "x", "--wait")
        let id = try #require(created["id"] as? String, "\(created)")
        #expect(created["status"] as? String == "available", "\(created)")
        #expect(created["size"] as? Int == 1 && created["name"] as? String == "x", "\(created)")
        #expect(created["project_id"] as? String == project, "\(created)")
        #expect(try await DriverLab.options(of: volume)["user.gshare.share"] == id)

        let listed = try await cli.rows("share", "list")
        #expect(listed.map { $0["ID"] as? String } == [id], "\(listed)")
        #expect(listed.first?["Name"] as? String == "x" && listed.first?["Status"] as? String == "available", "\(listed)")
        #expect(listed.first?["Size"] as? Int == 1, "\(listed)")

        let shown = try await cli.object("share", "show", "x")
        #expect(shown["id"] as? String == id && shown["status"] as? String == "available" && shown["size"] as? Int == 1, "\(shown)")
        let exports = try #require(shown["export_locations"] as? String, "\(shown)")
        #expect(Self.field("path", in: exports) == "\(lab.host):/\(volume)", "\(exports)")
        // nobody but the system CNs yet
        #expect(try await driver.accessTest(volume, as: "tenant-a") == 1)

        // access create: active; tenant-a gets in, tenant-b does not
        let rule = try await cli.object("share", "access", "create", "x", "cert", "tenant-a", "--wait")
        let ruleID = try #require(rule["id"] as? String, "\(rule)")
        #expect(rule["state"] as? String == "active" && rule["access_to"] as? String == "tenant-a", "\(rule)")
        #expect(rule["access_type"] as? String == "cert" && rule["access_level"] as? String == "rw" && rule["share_id"] as? String == id, "\(rule)")
        let rules = try await cli.rows("share", "access", "list", "x")
        #expect(rules.map { $0["ID"] as? String } == [ruleID], "\(rules)")
        #expect(rules.first?["Access To"] as? String == "tenant-a" && rules.first?["State"] as? String == "active", "\(rules)")
        #expect(try await DriverLab.options(of: volume)["auth.ssl-allow"] == "\(lab.serverCN),\(lab.managerCN),tenant-a")
        #expect(try await driver.accessTest(volume, as: "tenant-a") == 0)
        #expect(try await driver.accessTest(volume, as: "tenant-b") == 1)

        // access delete: tenant-a is refused again
        let revoked = try await cli.run("share", "access", "delete", "x", ruleID, "--wait")
        #expect(revoked.status == 0, "\(revoked.stdout) \(revoked.stderr)")
        #expect(try await driver.accessTest(volume, as: "tenant-a") == 1)
        #expect(try await DriverLab.options(of: volume)["auth.ssl-allow"] == "\(lab.serverCN),\(lab.managerCN)")

        // resize: 2 GiB, shown and enforced
        let resized = try await cli.run("share", "resize", "x", "2", "--wait")
        #expect(resized.status == 0, "\(resized.stdout) \(resized.stderr)")
        let grown = try await cli.object("share", "show", "x")
        #expect(grown["size"] as? Int == 2 && grown["status"] as? String == "available", "\(grown)")
        #expect(try await DriverLab.quotaLimit(of: volume) == 2 << 30)

        // another project sees nothing: not by name, not by id, not in its list
        let byName = try await stranger.run("share", "show", "x")
        #expect(byName.status != 0 && byName.stderr.contains("No share with a name or ID of 'x' exists"), "\(byName.stdout) \(byName.stderr)")
        let byID = try await stranger.run("share", "show", id)
        #expect(byID.status != 0 && byID.stderr.contains("No share with a name or ID of '\(id)' exists"), "\(byID.stdout) \(byID.stderr)")
        let strangers = try await stranger.rows("share", "list")
        #expect(strangers.isEmpty, "\(strangers)")

        // delete: gone, the volume free again
        let deleted = try await cli.run("share", "delete", "x", "--wait")
        #expect(deleted.status == 0, "\(deleted.stdout) \(deleted.stderr)")
        let gone = try await cli.run("share", "show", "x")
        #expect(gone.status != 0 && gone.stderr.contains("No share with a name or ID of 'x' exists"), "\(gone.stdout) \(gone.stderr)")
        let options = try await DriverLab.options(of: volume)
        #expect(options["user.gshare.share"] == "NONE" && options["user.gshare.deleted"] == id, "\(options)")
        #expect(options["auth.ssl-allow"] == "\(lab.serverCN),\(lab.managerCN)" && options["features.quota"] == "off", "\(options)")

        // every change audited with the project that asked; the other project changed nothing
        let audit = try driver.json(try await driver.gshare("audit", "--json"))
        let entries = try #require(audit["entries"] as? [[String: Any]], "\(audit)")
        let ours = entries.filter { ($0["user"] as? String)?.contains("(project \(project)") == true }
        #expect(ours.map { ($0["command"] as? [String])?.first } == ["POST", "POST", "POST", "POST", "DELETE"], "\(ours)")
        #expect(ours.allSatisfy { $0["result"] as? String == "ok" }, "\(ours)")
        #expect(!entries.contains { ($0["user"] as? String)?.contains(other) == true }, "\(entries)")

        // SIGTERM: a graceful stop
        server.kill(SIGTERM)
        let stopped = try await server.finish()
        #expect(stopped.status == 0 && !stopped.signaled, "exit \(stopped.status): \(stopped.stdout) \(stopped.stderr)")
        #expect(stopped.stdout.contains("gshare serve: stopped"), "\(stopped.stdout) \(stopped.stderr)")
    }
}
