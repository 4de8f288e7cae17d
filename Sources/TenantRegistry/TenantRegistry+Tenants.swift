//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

public import struct Foundation.Date
internal import GRDB
public import TenantPKI

extension TenantRegistry {
    /// Records a validated tenant certificate.
    ///
    /// - A CN no tenant holds: a new tenant named `name` (default: the CN) → `.new`.
    /// - The CN of an existing tenant (and `name` nil or that tenant's name): a different
    ///   certificate replaces the current one and is added to the history → `.renewed`; the
    ///   same certificate → `.unchanged`.
    /// - Parameters:
    ///   - identity: a certificate that passed verification (only ``CertificateVerifier`` makes one).
    ///   - name: the tenant's name; nil = the CN (or the existing tenant's name on renewal).
    ///   - time: the onboarding time to record.
    /// - Throws: ``RegistryError`` `.cnTaken` (another tenant holds the CN), `.nameTaken`
    ///   (the name belongs to a tenant with another CN), `.invalidName`.
    @discardableResult
    public func onboard(_ identity: TenantIdentity, name: String? = nil, at time: Date) throws -> OnboardOutcome {
        let cn = identity.commonName.value
        let certificate = CertificateRecord(
            commonName: cn, fingerprint: identity.fingerprint, subject: identity.certificate.subject,
            issuer: identity.certificate.issuer, serial: identity.certificate.serialNumberHex,
            notBefore: identity.certificate.notBefore, notAfter: identity.certificate.notAfter,
            onboardedAt: time, pem: Self.presentedChainPEM(identity))
        if let name, !TenantName.isValid(name) {
            throw RegistryError(
                .invalidName, path: name, reason: "not a valid tenant name",
                hint: "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        return try write { db in
            if let holder = try tenantRow(db, where: "commonName = ?", cn) {
                if let name, name != holder.name {
                    throw RegistryError(
                        .cnTaken, path: name, reason: "tenant '\(holder.name)' already holds the CN '\(cn)'",
                        hint: "onboard it as '\(holder.name)' (omit --name), or remove that tenant first (gshare tenant remove \(holder.name))")
                }
                if holder.certificate.fingerprint == certificate.fingerprint { return .unchanged }
                try Self.insertHistory(db, tenant: holder.name, certificate)
                try db.execute(sql: "UPDATE tenants SET fingerprint = ? WHERE name = ?", arguments: [certificate.fingerprint, holder.name])
                return .renewed(previousFingerprint: holder.certificate.fingerprint)
            }
            let tenantName = name ?? cn
            guard TenantName.isValid(tenantName) else {
                throw RegistryError(
                    .invalidName, path: tenantName, reason: "the CN is not a valid tenant name",
                    hint: "give a name with --name (1-64 letters, digits, '.', '_' or '-')")
            }
            if let holder = try tenantRow(db, where: "name = ?", tenantName) {
                throw RegistryError(
                    .nameTaken, path: tenantName, reason: "the tenant name is taken by the tenant with CN '\(holder.commonName)'",
                    hint: "choose another name with --name")
            }
            try db.execute(
                sql: "INSERT INTO tenants (name, commonName, createdAt, fingerprint) VALUES (?, ?, ?, ?)",
                arguments: [tenantName, cn, time, certificate.fingerprint])
            try Self.insertHistory(db, tenant: tenantName, certificate)
            return .new
        }
    }

    /// Every tenant, by name.
    public func tenants() throws -> [TenantRecord] {
        try read { db in try tenantRows(db, where: "1", orderBy: "t.name") }
    }

    /// The tenant called `name`, or nil.
    public func tenant(named name: String) throws -> TenantRecord? {
        try read { db in try tenantRow(db, where: "name = ?", name) }
    }

    /// The tenant holding the CN `commonName`, or nil.
    public func tenant(commonName: String) throws -> TenantRecord? {
        try read { db in try tenantRow(db, where: "commonName = ?", commonName) }
    }

    /// Every certificate ever onboarded for the tenant, oldest first.
    /// - Throws: ``RegistryError`` `.unknownTenant`.
    public func history(of name: String) throws -> [CertificateRecord] {
        try read { db in
            guard try tenantRow(db, where: "name = ?", name) != nil else { throw Self.unknown(name) }
            return try Row.fetchAll(db, sql: "SELECT \(Self.certificatesTable.selection) FROM certificates c WHERE c.tenant = ? ORDER BY c.id", arguments: [name])
                .map(certificate)
        }
    }

    /// Removes the tenant and its certificate history (the audit log keeps the removal).
    /// - Returns: the removed tenant.
    /// - Throws: ``RegistryError`` `.unknownTenant`.
    @discardableResult
    public func remove(named name: String) throws -> TenantRecord {
        try write { db in
            guard let record = try tenantRow(db, where: "name = ?", name) else { throw Self.unknown(name) }
            try db.execute(sql: "DELETE FROM tenants WHERE name = ?", arguments: [name])
            return record
        }
    }

    // MARK: Rows

    static func unknown(_ name: String) -> RegistryError {
        RegistryError(.unknownTenant, path: name, reason: "no tenant has this name", hint: "see gshare tenant list")
    }

    private static func insertHistory(_ db: Database, tenant: String, _ certificate: CertificateRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO certificates (tenant, commonName, fingerprint, subject, issuer, serial, notBefore, notAfter, onboardedAt, pem)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant, fingerprint) DO UPDATE SET onboardedAt = excluded.onboardedAt
                """,
            arguments: [
                tenant, certificate.commonName, certificate.fingerprint, certificate.subject, certificate.issuer, certificate.serial,
                certificate.notBefore, certificate.notAfter, certificate.onboardedAt, certificate.pem,
            ])
    }

    private func tenantRow(_ db: Database, where condition: String, _ value: String) throws -> TenantRecord? {
        try tenantRows(db, where: "t." + condition, arguments: [value], orderBy: "t.name").first
    }

    static let tenantsTable = RegistryTable(name: "tenants", alias: "t", namedByID: false, columns: [.text("name"), .date("createdAt")])
    static let certificatesTable = RegistryTable(
        name: "certificates", alias: "c", namedByID: true,
        columns: [
            .integer("id"), .text("tenant"), .text("commonName"), .text("fingerprint"), .text("subject", limit: RegistryTable.longText),
            .text("issuer", limit: RegistryTable.longText), .text("serial"), .date("notBefore"), .date("notAfter"), .date("onboardedAt"),
            .text("pem", limit: RegistryTable.longText),
        ])

    private func tenantRows(_ db: Database, where condition: String, arguments: StatementArguments = [], orderBy: String) throws -> [TenantRecord] {
        let sql = """
            SELECT \(Self.tenantsTable.selection), \(Self.certificatesTable.selection) FROM tenants t
            JOIN certificates c ON c.tenant = t.name AND c.fingerprint = t.fingerprint
            WHERE \(condition) ORDER BY \(orderBy)
            """
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            var tenant = try RegistryRow(row, Self.tenantsTable, path: path)
            let name = try tenant.text("name")
            tenant.describe("tenant \(RegistryRow.quoted(name))")
            return TenantRecord(name: name, createdAt: try tenant.date("createdAt"), certificate: try certificate(row))
        }
    }

    private func certificate(_ row: Row) throws -> CertificateRecord {
        var row = try RegistryRow(row, Self.certificatesTable, path: path)
        row.describe("tenant \(RegistryRow.quoted(try row.text("tenant")))")
        return CertificateRecord(
            commonName: try row.text("commonName"), fingerprint: try row.text("fingerprint"), subject: try row.text("subject"),
            issuer: try row.text("issuer"), serial: try row.text("serial"), notBefore: try row.date("notBefore"), notAfter: try row.date("notAfter"),
            onboardedAt: try row.date("onboardedAt"), pem: try row.text("pem"))
    }
}

extension TenantRegistry {
    /// The certificate as the tenant presents it: the leaf, then the intermediates it was
    /// verified with (not the trust anchor), so that its revocation can be checked later
    /// for every CA of the chain.
    static func presentedChainPEM(_ identity: TenantIdentity) -> String {
        let chain = identity.chain.count > 1 ? Array(identity.chain.dropLast()) : [identity.certificate]
        return (chain.first == identity.certificate ? chain : [identity.certificate]).map(\.pemString).joined()
    }
}
