//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// `gshare config check` through the built binary.
@Suite("gshare config check, end to end")
struct ConfigCommandTests {
    /// A folder with a gshare.toml in it; remove it with `remove()`.
    struct Site {
        let folder: URL
        var file: String { folder.appendingPathComponent("gshare.toml").path }

        init(_ text: String) throws {
            folder = try makeTemporaryDirectory()
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func gshare(_ arguments: String..., in directory: URL? = nil, environment: [String: String] = [:]) async throws -> ProcessResult {
        // A GSHARE_CONFIG set around the tests must not leak into them.
        try await runProcess(EndToEndTests.binary, arguments, in: directory, environment: ["GSHARE_CONFIG": ""].merging(environment) { $1 })
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "stdout: \(result.stdout)")
    }

    static let valid = """
        glusterfs_targets = ["root@gluster1:/share-1", "user@[fe80::1]:2222:/share-2"]
        glusterfs_server_password = "hunter2-literal"
        system_cns = ["gluster1", "gshare-manager"]
        tenant_ca = "tenant.pem"
        """

    @Test func aValidFileExitsZeroAndMasksTheInlinePassword() async throws {
        let site = try Site(Self.valid)
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", "--config", site.file)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(site.file): valid (given with --config)\n"))
        // (issue 12: the key column is as wide as the longest key now)
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("  glusterfs_server_password: ") && $0.hasSuffix(" ***inline***") })
        #expect(result.stdout.contains("user@[fe80::1]:2222:/share-2"))
        #expect(result.stdout.contains(site.folder.appendingPathComponent("tenant.pem").standardizedFileURL.path))
        #expect(!result.stdout.contains("hunter2") && !result.stderr.contains("hunter2"))
        #expect(result.stderr.contains("gshare: warning: glusterfs_server_password is written inline"))
    }

    @Test func jsonGivesTheEffectiveConfigurationWithSecretsMasked() async throws {
        let site = try Site(Self.valid.replacingOccurrences(of: "\"hunter2-literal\"", with: "{ env = \"GSHARE_PW\" }"))
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", "--config", site.file, "--json", environment: ["GSHARE_PW": "from-env-secret"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("from-env-secret"))
        let document = try Self.json(result)
        #expect(document["valid"] as? Bool == true)
        let file = try #require(document["file"] as? [String: Any])
        #expect(file["path"] as? String == site.file && file["reason"] as? String == "flag")
        let config = try #require(document["config"] as? [String: Any])
        #expect(config["glusterfs_server_password"] as? String == "env:GSHARE_PW")
        #expect(config["glusterfs_targets"] as? [String] == ["root@gluster1:/share-1", "user@[fe80::1]:2222:/share-2"])
        #expect(config["system_cns"] as? [String] == ["gluster1", "gshare-manager"])
        #expect(config["gluster_cli"] as? String == "/usr/sbin/gluster")
        #expect(config["command_timeout_seconds"] as? Int == 120)
        #expect(document["servers"] as? [String] == ["root@gluster1", "user@[fe80::1]:2222"])

        let inline = try Site(Self.valid)
        defer { inline.remove() }
        let masked = try Self.json(try await Self.gshare("config", "check", "--config", inline.file, "--json"))
        #expect((masked["config"] as? [String: Any])?["glusterfs_server_password"] as? String == "***inline***")
    }

    @Test func anInvalidFileExitsTwoNamingTheKeyAndLine() async throws {
        let site = try Site("system_cns = [\"g1\"]\nglusterfs_targets = [\n    \"g1:/ok\",\n    \"g1;reboot:/v\",\n]\n")
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", "--config", site.file)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("gshare: error: \(site.file):4:5: glusterfs_targets: \"g1;reboot:/v\" is not [user@]host[:port]:/volume"))

        let json = try await Self.gshare("config", "check", "--config", site.file, "--json")
        #expect(json.status == 2)
        let document = try Self.json(json)
        #expect(document["valid"] as? Bool == false)
        let error = try #require(document["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid-target")
        #expect(error["line"] as? Int == 4 && error["key"] as? String == "glusterfs_targets")
    }

    @Test func everyValueStartsInOneColumnEvenAfterTheLongestKey() async throws {
        let site = try Site(Self.valid)
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", "--config", site.file)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains(": ") && !$0.hasPrefix("   ") }
        let columns = Set(rows.compactMap { row in row.range(of: ": ").map { range in
            row.distance(from: row.startIndex, to: range.upperBound) + (row[range.upperBound...].prefix { $0 == " " }.count)
        } })
        #expect(rows.contains { $0.contains("glusterfs_private_key_passphrase:") }, "\(result.stdout)")
        #expect(columns.count == 1, "values start in different columns: \(result.stdout)")
    }

    @Test func twoSpellingsOfOneVolumeOnOneHostAreRefusedNamingBoth() async throws {
        let site = try Site("""
            glusterfs_targets = ["127.0.0.1:/gshare-x", "localhost:/gshare-x", "127.0.0.1:/gshare-y"]
            system_cns = ["gluster-node-1"]
            """)
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", "--config", site.file, "--json")
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("\"127.0.0.1:/gshare-x\" and \"localhost:/gshare-x\" are one volume on one host (127.0.0.1)"), "\(result.stderr)")
        let error = try #require(try Self.json(result)["error"] as? [String: Any])
        #expect(error["code"] as? String == "duplicate-entry" && error["key"] as? String == "glusterfs_targets")
    }

    @Test func theEnvironmentVariableNamesTheFile() async throws {
        let site = try Site(Self.valid)
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", "--json", environment: ["GSHARE_CONFIG": site.file])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try #require(try Self.json(result)["file"] as? [String: Any])
        #expect(file["path"] as? String == site.file && file["reason"] as? String == "environment")
    }

    @Test func theFlagWinsOverTheEnvironment() async throws {
        let site = try Site(Self.valid)
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", "--config", site.file, environment: ["GSHARE_CONFIG": "/nonexistent/gshare.toml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(given with --config)"))
    }

    @Test func aFileInTheCurrentFolderIsFound() async throws {
        let site = try Site(Self.valid)
        defer { site.remove() }
        let result = try await Self.gshare("config", "check", in: site.folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("valid (found in the current folder)"))
    }

    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/etc/gshare/gshare.toml")))
    func noConfigurationAnywhereExitsTwoSayingWhereItLooked() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.gshare("config", "check", in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no configuration") && result.stderr.contains("/etc/gshare/gshare.toml"))
        #expect(result.stderr.contains("--config"))
    }

    @Test func aMissingFileGivenWithTheFlagExitsTwo() async throws {
        let result = try await Self.gshare("config", "check", "--config", "/nonexistent/gshare.toml")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("gshare: error: /nonexistent/gshare.toml: cannot read the file"))
    }

    @Test func helpSaysTheMountPointBaseIsUnused() async throws {
        let result = try await Self.gshare("config", "check", "--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("glusterfs_mount_point_base") && result.stdout.contains("libgfapi"))
        #expect(result.stdout.contains("--config"))
    }
}
