//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

internal import GRDB

/// The registry's schema, one migration per version. Never edit a released migration: add one.
enum Schema {
    static let migrationIdentifiers = ["v1"]

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
        return migrator
    }
}
