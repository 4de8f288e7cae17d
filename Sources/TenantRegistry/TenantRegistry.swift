//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

import Foundation
internal import GRDB

/// The tenant registry and the audit log: one SQLite database, `<state_dir>/gshare.sqlite`
/// (folder 0700, file 0600), schema versioned by migrations.
///
/// Opening never damages what it cannot read: a database written by a newer gshare
/// (``RegistryError/Code-swift.struct/newerVersion``), a file that is not a healthy SQLite
/// database (``RegistryError/Code-swift.struct/corrupt``) or another application's database
/// (``RegistryError/Code-swift.struct/foreignDatabase``) is refused and left byte for byte
/// as it was.
///
/// The registry marks itself: `PRAGMA application_id` = ``Schema/applicationID`` (`gshr`),
/// stamped at creation. An unmarked file is gshare's only when it is empty (no tables: a new
/// registry) or exactly the schema an earlier gshare wrote (its migrations and tables); such
/// a registry is stamped on first open. Anything else is refused.
///
/// Reading never trusts the file: every value is decoded from its raw SQLite value by
/// ``RegistryRow``, and a value gshare cannot have written is
/// ``RegistryError/Code-swift.struct/malformedRow``, naming the table, row and column.
///
/// Safe across processes: SQLite locks the file, and a writer waits up to ``busyTimeout``.
public final class TenantRegistry: Sendable {
    /// The database file name inside the state folder.
    public static let fileName = "gshare.sqlite"
    /// How long a write waits for another gshare process holding the database.
    public static let busyTimeout: Double = 30

    /// The database file.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the registry in `stateDirectory`, migrating it to this
    /// build's schema.
    /// - Throws: ``RegistryError`` `.newerVersion`, `.corrupt`, `.foreignDatabase` (the file is
    ///   left untouched), `.unavailable` (the folder or file cannot be created or opened).
    public convenience init(stateDirectory: String) throws {
        try self.init(path: (stateDirectory as NSString).appendingPathComponent(Self.fileName))
    }

    /// Opens (creating if needed) the registry at `path`; see ``init(stateDirectory:)``.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        try Self.prepareFolder(folder)
        var ownership = Ownership.unmarked
        if try Self.inspectExisting(path) {
            ownership = try Self.checkReadable(path)
        } else {
            try Self.createPrivateFile(path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            if ownership == .unmarked {
                try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)") }
            }
            // Up to the tenants' schema only: the API users' table (v2) is made when the first
            // API user is added, so that opening a registry (even one refused later for a
            // malformed row) changes nothing an earlier gshare wrote.
            try Self.migrate(queue, upTo: Schema.tenantsMigration)
        } catch let error as DatabaseError where Self.isCorruption(error) {
            throw Self.corrupt(path, error.message ?? "\(error)")
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError(
                .unavailable, path: path, reason: "cannot open the registry: \(error)", hint: "check the state folder's permissions (state_dir in gshare.toml)")
        }
    }

    // MARK: Opening

    private static func prepareFolder(_ folder: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw RegistryError(.unavailable, path: folder, reason: "the state folder is not a folder", hint: "set state_dir in gshare.toml to a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RegistryError(
                .unavailable, path: folder, reason: "cannot create the state folder: \(error.localizedDescription)",
                hint: "create it (mode 0700) or set state_dir in gshare.toml")
        }
    }

    /// Whether the file exists with content; a non-SQLite header is `.corrupt`.
    private static func inspectExisting(_ path: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RegistryError(.unavailable, path: path, reason: "cannot read the registry", hint: "check its owner and permissions (it should be 0600, owned by the user running gshare)")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return false }  // an empty file is a new database
        guard header == Data("SQLite format 3\0".utf8) else { throw corrupt(path, "it is not an SQLite database") }
        return true
    }

    /// Whose an existing database is.
    enum Ownership {
        /// It carries gshare's mark.
        case marked
        /// No mark yet: a new (empty) database, or an earlier gshare's registry; stamped on open.
        case unmarked
    }

    /// Reads the existing database without writing: integrity, whether it is gshare's, and
    /// whether a newer gshare wrote it.
    private static func checkReadable(_ path: String) throws -> Ownership {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? reader.close() }
            return try reader.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else { throw corrupt(path, "SQLite's integrity check failed: \(check.prefix(3).joined(separator: "; "))") }
                let ownership = try owner(of: db, path: path)
                guard try db.tableExists("grdb_migrations") else { return ownership }
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                let unknown = applied.filter { !Schema.migrationIdentifiers.contains($0) }
                guard unknown.isEmpty else {
                    throw RegistryError(
                        .newerVersion, path: path,
                        reason: "the registry was written by a newer gshare (schema \(applied.joined(separator: ", ")); this gshare knows only \(Schema.migrationIdentifiers.joined(separator: ", "))); it was not changed",
                        hint: "run the newer gshare, or move the file aside (mv \(path) \(path).newer) to start an empty registry")
                }
                return ownership
            }
        } catch let error as RegistryError {
            throw error
        } catch let error as DatabaseError {
            throw corrupt(path, error.message ?? "\(error)")
        } catch {
            throw corrupt(path, "\(error)")
        }
    }

    /// gshare's mark → `.marked`. No mark, and no tables at all (a new database) or exactly
    /// the schema an earlier gshare wrote → `.unmarked`. Anything else is another
    /// application's database: `.foreignDatabase`.
    private static func owner(of db: Database, path: String) throws -> Ownership {
        let mark = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if mark == Schema.applicationID { return .marked }
        guard mark == 0 else {
            throw foreign(path, "its application_id is \(hex(mark)), another application's mark (gshare's is \(hex(Schema.applicationID)))")
        }
        let encoding = try String.fetchOne(db, sql: "PRAGMA encoding") ?? "?"
        let objects = try Row.fetchAll(db, sql: "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
            .map { row in try (RegistryRow.plainText(row, "type"), RegistryRow.plainText(row, "name")) }
        if objects.isEmpty && encoding == "UTF-8" { return .unmarked }
        let tables = objects.filter { $0.0 == "table" }.map(\.1)
        let others = Set(objects.filter { $0.0 != "table" }.map(\.1))
        var columns: [String: [String]] = [:]
        for table in tables where Schema.unmarkedTables[table] != nil {
            columns[table] = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { try RegistryRow.plainText($0, "name") }
        }
        var applied: Set<String> = []
        if columns["grdb_migrations"] != nil {
            applied = Set(try Row.fetchAll(db, sql: "SELECT CAST(identifier AS TEXT) AS identifier FROM grdb_migrations").map { try RegistryRow.plainText($0, "identifier") })
        }
        if encoding == "UTF-8" && columns == Schema.unmarkedTables && others == Schema.unmarkedIndexes && applied == Schema.unmarkedMigrations {
            return .unmarked
        }
        func list(_ names: [String]) -> String { names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "") }
        let schema = tables.isEmpty ? "schema (no tables; \(list(others.sorted()))) is" : "tables (\(list(tables))) are"
        if encoding != "UTF-8" {
            throw foreign(path, "it has no application_id, and its text encoding is \(encoding) (gshare's registry is UTF-8)")
        }
        if !applied.isEmpty {
            throw foreign(path, "it has no application_id; it has GRDB migrations (\(applied.sorted().joined(separator: ", "))), but its \(schema) not a gshare registry's")
        }
        throw foreign(path, "it has no application_id, and its \(schema) not gshare's")
    }

    private static func hex(_ value: Int32) -> String { "0x" + String(UInt32(bitPattern: value), radix: 16) }

    static func foreign(_ path: String, _ reason: String) -> RegistryError {
        RegistryError(
            .foreignDatabase, path: path, reason: "this SQLite database is not a gshare registry: \(reason); it was left as it is",
            hint: "point state_dir in gshare.toml at a folder of gshare's own, or move the file aside (mv \(path) \(path).foreign) to start an empty registry")
    }

    private static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw RegistryError(.unavailable, path: path, reason: "cannot create the registry: \(reason)", hint: "check the state folder's permissions (state_dir in gshare.toml)")
        }
        fchmod(fd, 0o600)
        close(fd)
    }

    private static func isCorruption(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    static func corrupt(_ path: String, _ reason: String) -> RegistryError {
        RegistryError(
            .corrupt, path: path, reason: "the registry cannot be read (\(reason)); it was left as it is",
            hint: "move it aside (mv \(path) \(path).corrupt) and gshare starts an empty registry; onboard the tenants' certificates again")
    }

    // MARK: Running

    /// Applies the migrations up to `identifier` (one made later than at open: see init).
    func migrate(upTo identifier: String) throws {
        do {
            try Self.migrate(queue, upTo: identifier)
        } catch {
            throw Self.databaseFailure(path, error)
        }
    }

    /// Applies the migrations up to `identifier` unless it is applied already (GRDB traps
    /// when asked to migrate "up to" a migration older than the newest applied one).
    private static func migrate(_ queue: DatabaseQueue, upTo identifier: String) throws {
        let applied = try queue.read { db in try Schema.migrator.appliedIdentifiers(db) }
        guard !applied.contains(identifier) else { return }
        try Schema.migrator.migrate(queue, upTo: identifier)
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw Self.databaseFailure(path, error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch let error as RegistryError {
            throw error
        } catch {
            throw Self.databaseFailure(path, error)
        }
    }

    private static func databaseFailure(_ path: String, _ error: any Error) -> RegistryError {
        if let error = error as? DatabaseError, isCorruption(error) { return corrupt(path, error.message ?? "\(error)") }
        return RegistryError(.databaseFailure, path: path, reason: "SQLite failed: \(error)", hint: "try again; if it persists, check the disk and the file's permissions")
    }
}
