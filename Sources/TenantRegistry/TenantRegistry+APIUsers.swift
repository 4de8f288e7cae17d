//===----------------------------------------------------------------------===//
// gshare — TenantRegistry
//===----------------------------------------------------------------------===//

public import struct Foundation.Date
internal import GRDB

/// A user of the share API (`gshare serve` with client certificates): the certificate it
/// presents (its CN and SHA-256 fingerprint), the project it acts for, and its role.
public struct APIUserRecord: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// Sees and changes every project's shares (`all_tenants`).
        case admin
        /// Sees and changes its project's shares only.
        case member
    }

    public let name: String
    public let commonName: String
    /// The SHA-256 fingerprint of the one certificate that authenticates this user.
    public let fingerprint: String
    public let notAfter: Date
    public let project: String
    public let role: Role
    public let createdAt: Date

    public init(name: String, commonName: String, fingerprint: String, notAfter: Date, project: String, role: Role, createdAt: Date) {
        self.name = name
        self.commonName = commonName
        self.fingerprint = fingerprint
        self.notAfter = notAfter
        self.project = project
        self.role = role
        self.createdAt = createdAt
    }
}

extension TenantRegistry {
    /// Records an API user.
    /// - Throws: ``RegistryError`` `.apiUserTaken` when the name or the CN is taken,
    ///   `.invalidName` for a name that is not one.
    public func addAPIUser(_ user: APIUserRecord) throws {
        guard TenantName.isValid(user.name) else {
            throw RegistryError(.invalidName, path: user.name, reason: "not a valid API user name", hint: "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        try migrate(upTo: Schema.apiUsersMigration)
        try write { db in
            if let holder = try apiUserRows(db, where: "name = ? OR commonName = ?", [user.name, user.commonName]).first {
                throw RegistryError(
                    .apiUserTaken, path: user.name,
                    reason: holder.name == user.name ? "an API user called '\(user.name)' exists (CN \(holder.commonName))" : "API user '\(holder.name)' holds the CN '\(user.commonName)' already",
                    hint: "remove it first (gshare api-user remove \(holder.name)), or choose another name")
            }
            try db.execute(
                sql: "INSERT INTO api_users (name, commonName, fingerprint, notAfter, project, role, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [user.name, user.commonName, user.fingerprint, user.notAfter, user.project, user.role.rawValue, user.createdAt])
        }
    }

    /// Every API user, by name.
    public func apiUsers() throws -> [APIUserRecord] {
        try read { db in try apiUserRows(db, where: "1", []) }
    }

    /// The API user whose certificate has the CN `commonName`, or nil.
    public func apiUser(commonName: String) throws -> APIUserRecord? {
        try read { db in try apiUserRows(db, where: "commonName = ?", [commonName]).first }
    }

    /// Removes an API user.
    /// - Throws: ``RegistryError`` `.unknownAPIUser`.
    @discardableResult
    public func removeAPIUser(named name: String) throws -> APIUserRecord {
        try write { db in
            guard let user = try apiUserRows(db, where: "name = ?", [name]).first else {
                throw RegistryError(.unknownAPIUser, path: name, reason: "no API user has this name", hint: "see gshare api-user list")
            }
            try db.execute(sql: "DELETE FROM api_users WHERE name = ?", arguments: [name])
            return user
        }
    }

    static let apiUsersTable = RegistryTable(
        name: "api_users", alias: "u", namedByID: false,
        columns: [.text("name"), .text("commonName"), .text("fingerprint"), .date("notAfter"), .text("project"), .text("role"), .date("createdAt")])

    private func apiUserRows(_ db: Database, where condition: String, _ arguments: [String]) throws -> [APIUserRecord] {
        // No table yet: no API user was ever added.
        guard try db.tableExists("api_users") else { return [] }
        let sql = "SELECT \(Self.apiUsersTable.selection) FROM api_users u WHERE \(condition) ORDER BY u.name"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            var user = try RegistryRow(row, Self.apiUsersTable, path: path)
            let name = try user.text("name")
            user.describe("API user \(RegistryRow.quoted(name))")
            let roleText = try user.text("role")
            guard let role = APIUserRecord.Role(rawValue: roleText) else {
                throw RegistryError(
                    .malformedRow, path: path, reason: "API user \(RegistryRow.quoted(name)) has the role '\(roleText)', which is neither admin nor member",
                    hint: "remove the user and add it again (gshare api-user remove/add)")
            }
            return APIUserRecord(
                name: name, commonName: try user.text("commonName"), fingerprint: try user.text("fingerprint"), notAfter: try user.date("notAfter"),
                project: try user.text("project"), role: role, createdAt: try user.date("createdAt"))
        }
    }
}
