//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import GShareTOML

extension LabProfile {
    /// Reads a lab profile (TOML; `pki/lab.toml` documents every key). Unknown keys, wrong
    /// types and names that break the rules are errors naming the file, line and key.
    ///
    /// - Throws: ``PKIError`` — `file-unreadable` when the file cannot be read, else
    ///   `invalid-profile`.
    public static func load(fromFile path: String) throws -> LabProfile {
        do {
            let table = try TOMLTable.parse(fileAt: path)
            return try LabProfile(table: table, source: path)
        } catch let error as TOMLError {
            throw PKIError(
                error.code == .fileUnreadable ? .fileUnreadable : .invalidProfile, reason: error.description,
                hint: "see pki/lab.toml in the gshare repository for the format")
        }
    }

    init(table: TOMLTable, source: String) throws {
        var reader = TOMLTableReader(table, source: source)
        func place(_ key: String, in table: TOMLTable, prefix: String = "") -> String {
            "\(source):\(table.line(of: key).map(String.init) ?? "?"): \(prefix)\(key)"
        }
        func names(_ key: String, _ values: [String]?) throws -> [CommonName]? {
            try values?.map { value in
                do {
                    return try CommonName(validating: value)
                } catch let error as PKIError {
                    throw PKIError(.invalidProfile, path: place(key, in: table), reason: "\(error.path ?? value): \(error.reason)", hint: error.hint)
                }
            }
        }
        func keyType(_ reader: inout TOMLTableReader, _ tableName: String) throws -> KeyType? {
            guard let text = try reader.string("key_type") else { return nil }
            do {
                return try KeyType(validating: text)
            } catch let error as PKIError {
                throw PKIError(.invalidProfile, path: place("key_type", in: reader.table, prefix: "\(tableName)."), reason: error.reason, hint: error.hint)
            }
        }
        func days(_ reader: inout TOMLTableReader, _ key: String, _ tableName: String, default value: Int) throws -> Int {
            guard let days = try reader.integer(key) else { return value }
            guard (1...36500).contains(days) else {
                throw PKIError(
                    .invalidProfile, path: place(key, in: reader.table, prefix: "\(tableName)."), reason: "must be 1 to 36500 days, not \(days)",
                    hint: "choose a sensible number of days")
            }
            return days
        }
        func hierarchy(_ name: String, defaultPrefix: String) throws -> Hierarchy {
            guard var section = try reader.table(name) else {
                return Hierarchy(rootCommonName: "\(defaultPrefix) Root", intermediateCommonName: "\(defaultPrefix) Intermediate")
            }
            let result = Hierarchy(
                rootCommonName: try section.string("root_cn") ?? "\(defaultPrefix) Root",
                intermediateCommonName: try section.string("intermediate_cn") ?? "\(defaultPrefix) Intermediate",
                keyType: try keyType(&section, name) ?? .p256,
                rootDays: try days(&section, "root_days", name, default: 3650),
                intermediateDays: try days(&section, "intermediate_days", name, default: 1825))
            try section.requireNoUnknownKeys()
            return result
        }

        let nodes = try names("nodes", reader.strings("nodes")) ?? []
        let nodeSANs = try (reader.strings("node_sans") ?? []).map { text in
            do {
                return try SubjectAlternativeName(validating: text)
            } catch let error as PKIError {
                throw PKIError(.invalidProfile, path: place("node_sans", in: table), reason: "\(error.path ?? text): \(error.reason)", hint: error.hint)
            }
        }
        let manager = try names("manager", reader.string("manager").map { [$0] })?.first ?? CommonName(validating: "gshare-manager")
        let tenants = try names("tenants", reader.strings("tenants")) ?? []
        let nodeHierarchy = try hierarchy("node_ca", defaultPrefix: "gshare Lab Node")
        let tenantHierarchy = try hierarchy("tenant_ca", defaultPrefix: "gshare Lab Tenant")
        var leafKeyType = KeyType.p256
        var leafDays = 825
        var crlDays = 30
        if var leaves = try reader.table("leaves") {
            leafKeyType = try keyType(&leaves, "leaves") ?? .p256
            leafDays = try days(&leaves, "days", "leaves", default: 825)
            crlDays = try days(&leaves, "crl_days", "leaves", default: 30)
            try leaves.requireNoUnknownKeys()
        }
        try reader.requireNoUnknownKeys()
        self.init(
            nodeHierarchy: nodeHierarchy, tenantHierarchy: tenantHierarchy, nodes: nodes, manager: manager, tenants: tenants,
            nodeSubjectAlternativeNames: nodeSANs, leafKeyType: leafKeyType, leafDays: leafDays, crlDays: crlDays)
    }
}
