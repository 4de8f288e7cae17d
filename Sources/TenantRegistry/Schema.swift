//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

internal import GRDB

/// The registry's schema, one migration per version. Never edit a released migration: add one.
enum Schema {
    static let migrationIdentifiers = ["v1", "v2"]
    /// The migration every open applies: tenants, certificates, the audit log.
    static let tenantsMigration = "v1"
    /// The API users' table, applied when the first API user is added.
    static let apiUsersMigration = "v2"

    /// gshare's mark in the SQLite header (`PRAGMA application_id`): the bytes `gshr`
    /// (0x67736872 = 1735616626). Stamped when a registry is created, or when an unmarked
    /// registry of an earlier gshare is first opened; a database with any other mark is not
    /// gshare's and is never touched.
    static let applicationID: Int32 = 0x6773_6872

    /// What a registry written before the mark looks like: exactly these migrations applied
    /// (gshare stamps from the release that added ``applicationID`` on, so an unmarked file
    /// can only be at one of them), and exactly these tables with these columns. Anything
    /// else without the mark is another application's database (GRDB's `grdb_migrations`
    /// with a "v1" alone proves nothing: many applications name their first migration so).
    static let unmarkedMigrations: Set<String> = ["v1"]
    static let unmarkedTables: [String: [String]] = [
        "grdb_migrations": ["identifier"],
        "tenants": ["name", "commonName", "createdAt", "fingerprint"],
        "certificates": ["id", "tenant", "commonName", "fingerprint", "subject", "issuer", "serial", "notBefore", "notAfter", "onboardedAt", "pem"],
        "audit": ["id", "time", "user", "host", "command", "target", "result", "message"],
    ]
    /// The indexes v1 creates (SQLite's own `sqlite_*` objects are not counted).
    static let unmarkedIndexes: Set<String> = ["certificates_tenant", "audit_time"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tenants (
                        name TEXT PRIMARY KEY NOT NULL,
                        commonName TEXT NOT NULL UNIQUE,
                        createdAt DATETIME NOT NULL,
                        fingerprint TEXT NOT NULL
                    );
                    CREATE TABLE certificates (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        tenant TEXT NOT NULL REFERENCES tenants(name) ON DELETE CASCADE ON UPDATE CASCADE,
                        commonName TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        issuer TEXT NOT NULL,
                        serial TEXT NOT NULL,
                        notBefore DATETIME NOT NULL,
                        notAfter DATETIME NOT NULL,
                        onboardedAt DATETIME NOT NULL,
                        pem TEXT NOT NULL,
                        UNIQUE (tenant, fingerprint)
                    );
                    CREATE INDEX certificates_tenant ON certificates(tenant);
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        time DATETIME NOT NULL,
                        user TEXT NOT NULL,
                        host TEXT NOT NULL,
                        command TEXT NOT NULL,
                        target TEXT NOT NULL,
                        result TEXT NOT NULL,
                        message TEXT
                    );
                    CREATE INDEX audit_time ON audit(time);
                    """)
        }
        // v2: the users of the share API (gshare serve with client certificates).
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_users (
                        name TEXT PRIMARY KEY NOT NULL,
                        commonName TEXT NOT NULL UNIQUE,
                        fingerprint TEXT NOT NULL,
                        notAfter DATETIME NOT NULL,
                        project TEXT NOT NULL,
                        role TEXT NOT NULL,
                        createdAt DATETIME NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
