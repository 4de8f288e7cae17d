//===----------------------------------------------------------------------===//
// gshare — TenantRegistry tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantRegistry

@Suite("Registry file: modes, migrations, newer and corrupt databases left alone")
struct RegistryFileTests {
    @Test func aNewRegistryIsCreatedInAPrivateFolderAsAPrivateFile() throws {
        let folder = try stateFolder()
        let registry = try TenantRegistry(stateDirectory: folder)
        #expect(registry.path == folder + "/gshare.sqlite")
        #expect(try mode(of: folder) == 0o700)
        #expect(try mode(of: registry.path) == 0o600)
    }

    @Test func anEmptyFileIsMigratedToTheCurrentSchema() async throws {
        let folder = try stateFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/gshare.sqlite"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(), attributes: [.posixPermissions: 0o600]))
        let registry = try TenantRegistry(stateDirectory: folder)
        #expect(try registry.tenants().isEmpty)
        #expect(try registry.audit().isEmpty)
        let applied = try await runProcess("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; print([r[0] for r in sqlite3.connect(sys.argv[1]).execute('select identifier from grdb_migrations')])", path])
        #expect(applied.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "['v1']", "\(applied.stderr)")
    }

    @Test func aNewRegistryCarriesGsharesApplicationID() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        #expect(try applicationID(registry.path) == 0x6773_6872)
        #expect(Schema.applicationID == 0x6773_6872)
    }

    @Test func anSQLiteDatabaseWithoutTablesIsAdoptedAndStamped() async throws {
        // a real SQLite file (header written), no tables, no mark
        let (folder, path) = try await sqliteStateFolder("c.execute('vacuum')")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).starts(with: Data("SQLite format 3\0".utf8)))
        let registry = try TenantRegistry(stateDirectory: folder)
        #expect(try registry.tenants().isEmpty)
        #expect(try applicationID(path) == Schema.applicationID)
    }

    @Test func anEmptyDatabaseWithAnotherApplicationsMarkIsRefusedAndLeftByteIdentical() async throws {
        let (folder, path) = try await sqliteStateFolder("c.execute('pragma application_id=1196444487')")  // GeoPackage's "GPKG"
        let before = try await sha256(of: path)
        let error = try #require(throws: RegistryError.self) { try TenantRegistry(stateDirectory: folder) }
        #expect(error.code == .foreignDatabase)
        #expect(error.description.contains("application_id is 0x47504b47"), "\(error)")
        #expect(error.description.contains("mv \(path) \(path).foreign"))
        await #expect(try sha256(of: path) == before)
    }

    @Test func aDatabaseFromANewerGshareIsRefusedAndLeftByteIdentical() async throws {
        let folder = try stateFolder()
        let path = try TenantRegistry(stateDirectory: folder).path
        // a newer gshare applied a migration this build does not know
        let newer = try await runProcess(
            "/usr/bin/env",
            ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into grdb_migrations values ('v2-quotas')\"); c.execute('create table quotas (x)'); c.commit()", path])
        #expect(newer.status == 0, "\(newer.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = try #require(throws: RegistryError.self) { try TenantRegistry(stateDirectory: folder) }
        #expect(error.code == .newerVersion)
        #expect(error.description.contains(path))
        #expect(error.description.contains("v2-quotas") && error.description.contains("v1"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test(arguments: [
        Data("this is not a database, it is a note someone left here\n".utf8),
        Data("SQLite format 3\0".utf8) + Data(repeating: 0xA5, count: 4080),
    ])
    func aCorruptFileIsRefusedAndLeftByteIdentical(_ content: Data) throws {
        let folder = try stateFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/gshare.sqlite"
        try content.write(to: URL(fileURLWithPath: path))

        let error = try #require(throws: RegistryError.self) { try TenantRegistry(stateDirectory: folder) }
        #expect(error.code == .corrupt)
        #expect(error.description.contains("mv \(path) \(path).corrupt"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
    }

    @Test func aDamagedPageInARealDatabaseIsRefusedAndLeftByteIdentical() throws {
        let folder = try stateFolder()
        let path = try TenantRegistry(stateDirectory: folder).path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 4096)
        // scribble over the second page (a table's b-tree page)
        for index in 4096..<min(bytes.count, 4096 + 64) { bytes[index] = 0xFF }
        try bytes.write(to: URL(fileURLWithPath: path))

        let error = try #require(throws: RegistryError.self) { try TenantRegistry(stateDirectory: folder) }
        #expect(error.code == .corrupt)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }
}

/// A state folder whose gshare.sqlite python3's sqlite3 made: `c` is the connection, then
/// `statements` run, then a commit.
private func sqliteStateFolder(_ statements: String) async throws -> (folder: String, path: String) {
    let folder = try stateFolder()
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/gshare.sqlite"
    let made = try await runProcess("/usr/bin/env", ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \(statements); c.commit(); c.close()", path])
    #expect(made.status == 0, "\(made.stderr)")
    return (folder, path)
}

@Suite("Audit log")
struct AuditLogTests {
    @Test func entriesRoundTripOldestFirstAndFilterBySince() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        let t0 = Date(timeIntervalSince1970: 1_780_272_000)
        let first = AuditEntry(time: t0, user: "alice", host: "h1", command: ["gshare", "share", "create"], target: "pool", result: .ok, message: "created s1")
        let second = AuditEntry(time: t0.addingTimeInterval(3600), user: "bob", host: "h2", command: ["gshare", "access", "allow", "s1", "tenant-b"], target: "s1", result: .refused, message: "expired")
        try registry.record(first)
        try registry.record(second)
        #expect(try registry.audit() == [first, second])
        #expect(try registry.audit(since: t0.addingTimeInterval(60)) == [second])
    }

    @Test func valuesOfSecretLookingOptionsAreNeverStored() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        try registry.record(
            AuditEntry(
                time: Date(), user: "u", host: "h",
                command: ["gshare", "x", "--password", "hunter2", "--key-passphrase=s3cret", "--api-token", "t0k", "--name", "keep"],
                target: "t", result: .failed))
        let stored = try #require(try registry.audit().first)
        #expect(stored.command == ["gshare", "x", "--password", "<redacted>", "--key-passphrase=<redacted>", "--api-token", "<redacted>", "--name", "keep"])
        let raw = try String(contentsOfFile: registry.path, encoding: .isoLatin1)
        #expect(!raw.contains("hunter2") && !raw.contains("s3cret") && !raw.contains("t0k"))
    }

    @Test func theCurrentEntryNamesTheUserAndHost() {
        let entry = AuditEntry.current(command: ["gshare"], target: "t", result: .ok, environment: ["SUDO_USER": "alice"])
        #expect(!entry.user.isEmpty && !entry.host.isEmpty)
        #expect(entry.user.contains("alice"))
    }
}
