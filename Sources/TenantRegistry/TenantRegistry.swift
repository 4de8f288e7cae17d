//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

import Foundation
internal import GRDB

/// The tenant registry and the audit log: one SQLite database, `<state_dir>/gshare.sqlite`
/// (folder 0700, file 0600), schema versioned by migrations.
///
/// Opening never damages what it cannot read: a database written by a newer gshare
/// (``RegistryError/Code-swift.struct/newerVersion``) or a file that is not a healthy SQLite
/// database (``RegistryError/Code-swift.struct/corrupt``) is refused and left byte for byte
/// as it was.
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
    /// - Throws: ``RegistryError`` `.newerVersion`, `.corrupt` (the file is left untouched),
    ///   `.unavailable` (the folder or file cannot be created or opened).
    public convenience init(stateDirectory: String) throws {
        try self.init(path: (stateDirectory as NSString).appendingPathComponent(Self.fileName))
    }

    /// Opens (creating if needed) the registry at `path`; see ``init(stateDirectory:)``.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        try Self.prepareFolder(folder)
        let existing = try Self.inspectExisting(path)
        if existing {
            try Self.checkReadable(path)
        } else {
            try Self.createPrivateFile(path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Schema.migrator.migrate(queue)
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

    /// Reads the existing database without writing: integrity, and whether a newer gshare wrote it.
    private static func checkReadable(_ path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? reader.close() }
            try reader.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else { throw corrupt(path, "SQLite's integrity check failed: \(check.prefix(3).joined(separator: "; "))") }
                guard try db.tableExists("grdb_migrations") else { return }
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                let unknown = applied.filter { !Schema.migrationIdentifiers.contains($0) }
                guard unknown.isEmpty else {
                    throw RegistryError(
                        .newerVersion, path: path,
                        reason: "the registry was written by a newer gshare (schema \(applied.joined(separator: ", ")); this gshare knows only \(Schema.migrationIdentifiers.joined(separator: ", "))); it was not changed",
                        hint: "run the newer gshare, or move the file aside (mv \(path) \(path).newer) to start an empty registry")
                }
            }
        } catch let error as RegistryError {
            throw error
        } catch let error as DatabaseError {
            throw corrupt(path, error.message ?? "\(error)")
        } catch {
            throw corrupt(path, "\(error)")
        }
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
