//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
public import Foundation

/// A certificate authority kept in a folder:
///
/// ```
/// DIR/ca.pem       the CA certificate
/// DIR/ca.key       its private key (0600; the folder is 0700)
/// DIR/chain.pem    this CA, then its issuers up to and including the root
/// DIR/ca.json      state: parent CA folder, next CRL number, hierarchy, reserved names
/// DIR/issued.tsv   human-readable record: every certificate issued or revoked
/// ```
///
/// Immutable and `Sendable` once loaded: ``issue(commonName:profile:keyType:subjectAlternativeNames:days:now:)``
/// may run concurrently. Changes to the record and the CRL number take a lock on the
/// folder, so several processes can issue from one CA.
public final class CertificateAuthority: Sendable {
    public let directory: String
    public let certificate: Certificate
    let key: PrivateKey
    /// This CA, its issuers, the root last.
    public let chain: [Certificate]
    /// The folder of the CA that signed this one, nil for a root.
    public let parentDirectory: String?
    /// Which trust hierarchy this CA belongs to, when it was told (`pki init-ca --hierarchy`,
    /// `pki lab`): nil for a CA that does not know.
    public let hierarchy: CertificateHierarchy?
    /// Names a tenant CA refuses to issue: the system CNs (the nodes, gshare's own identity),
    /// which are in every volume's auth.ssl-allow.
    public let reservedNames: [String]

    /// The root of this hierarchy.
    public var root: Certificate { chain.last! }
    /// The first moment a certificate of this chain expires: nothing issued may outlive it.
    public var chainNotAfter: Date { chain.map(\.notAfter).min()! }
    public var isRoot: Bool { parentDirectory == nil }

    private init(
        directory: String, certificate: Certificate, key: PrivateKey, chain: [Certificate], parentDirectory: String?,
        hierarchy: CertificateHierarchy?, reservedNames: [String]
    ) {
        self.directory = directory
        self.certificate = certificate
        self.key = key
        self.chain = chain
        self.parentDirectory = parentDirectory
        self.hierarchy = hierarchy
        self.reservedNames = reservedNames
    }

    // MARK: - Files

    struct State: Codable {
        var format: Int = 1
        var parent: String?
        var nextCRLNumber: Int = 1
        var hierarchy: CertificateHierarchy?
        var reservedNames: [String]?
    }

    static let recordHeader = """
        # gshare CA record: every certificate this CA issued, and its revocations. Tab-separated.
        status\tserial\tcommonName\tprofile\tnotBefore\tnotAfter\trevokedAt\treason

        """

    private var certificatePath: String { "\(directory)/ca.pem" }
    private var keyPath: String { "\(directory)/ca.key" }
    private var chainPath: String { "\(directory)/chain.pem" }
    private var statePath: String { "\(directory)/ca.json" }
    private var recordPath: String { "\(directory)/issued.tsv" }
    private var lockPath: String { "\(directory)/.lock" }

    // MARK: - Creating and loading

    /// Creates a root CA (pathlen 1) or, with `parent`, an intermediate (pathlen 0) in `directory`.
    ///
    /// - Parameters:
    ///   - days: validity; default 3650 for a root, 1825 (at most the parent's) for an intermediate.
    /// - Throws: ``PKIError`` when the folder already holds a CA (nothing is overwritten), the
    ///   parent may not sign CAs or would expire first, or a file cannot be written.
    ///   - hierarchy: the trust hierarchy (an intermediate inherits its parent's when nil).
    ///   - reservedNames: names a tenant CA refuses to issue (added to its parent's).
    public static func create(
        in directory: String, commonName: String, keyType: KeyType = .p256, days: Int? = nil,
        parent: CertificateAuthority? = nil, hierarchy: CertificateHierarchy? = nil, reservedNames: [String] = [], now: Date = Date()
    ) throws -> CertificateAuthority {
        let hierarchy = hierarchy ?? parent?.hierarchy
        let reservedNames = Self.merged(parent?.reservedNames ?? [], reservedNames)
        let directory = normalized(directory)
        for file in ["ca.pem", "ca.key", "ca.json"] where SecureFiles.exists("\(directory)/\(file)") {
            throw PKIError(
                .alreadyExists, path: directory, reason: "already holds a CA (\(file))",
                hint: "choose another --dir, or remove the old CA deliberately (gshare never overwrites a CA)")
        }
        guard !commonName.isEmpty, !commonName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            commonName.utf8.count <= 64
        else {
            throw PKIError(
                .issuanceRefused, path: "CA name \"\(escapingControlCharacters(commonName))\"",
                reason: "a CA common name must be 1-64 bytes without control characters", hint: "choose another --cn")
        }
        if let parent, let pathLength = parent.certificate.basicConstraints?.pathLength, pathLength < 1 {
            throw PKIError(
                .issuanceRefused, path: parent.directory,
                reason: "this CA has pathlen \(pathLength): it may sign leaf certificates, not another CA",
                hint: "create the intermediate under the root CA instead")
        }
        let notAfter = try validityEnd(
            days: days, defaultDays: parent == nil ? 3650 : 1825, issuerLimit: parent?.chainNotAfter, now: now,
            subject: "the CA \"\(commonName)\"")
        let key = PrivateKey.generate(keyType)
        var extensions: [(nid: Int32, value: String)] = [
            (NID_basic_constraints, parent == nil ? "critical,CA:TRUE,pathlen:1" : "critical,CA:TRUE,pathlen:0"),
            (NID_key_usage, "critical,keyCertSign,cRLSign"), (NID_subject_key_identifier, "hash"),
        ]
        extensions.append((NID_authority_key_identifier, "keyid:always"))
        let certificate = try CertificateBuilder.sign(
            CertificateTemplate(commonName: commonName, notBefore: now.addingTimeInterval(-300), notAfter: notAfter, extensions: extensions),
            subjectKey: key, issuer: parent.map { ($0.certificate, $0.key) })
        let chain = [certificate] + (parent?.chain ?? [])

        try SecureFiles.makeDirectory(directory, mode: 0o700)
        var written: [String] = []
        do {
            try SecureFiles.write(key.pemBytes, to: "\(directory)/ca.key", mode: 0o600, existing: .refuse)
            written.append("\(directory)/ca.key")
            try SecureFiles.write(certificate.pemString, to: "\(directory)/ca.pem", mode: 0o644, existing: .refuse)
            written.append("\(directory)/ca.pem")
            try SecureFiles.write(chain.map(\.pemString).joined(), to: "\(directory)/chain.pem", mode: 0o644, existing: .replace)
            written.append("\(directory)/chain.pem")
            try SecureFiles.write(recordHeader, to: "\(directory)/issued.tsv", mode: 0o644, existing: .replace)
            written.append("\(directory)/issued.tsv")
            try writeState(
                State(parent: parent?.directory, hierarchy: hierarchy, reservedNames: reservedNames.isEmpty ? nil : reservedNames),
                to: "\(directory)/ca.json", existing: .refuse)
        } catch {
            written.forEach(SecureFiles.remove)
            throw error
        }
        let authority = CertificateAuthority(
            directory: directory, certificate: certificate, key: key, chain: chain, parentDirectory: parent?.directory,
            hierarchy: hierarchy, reservedNames: reservedNames)
        if let parent {
            try parent.appendRecords([
                IssuanceRecord(
                    status: .valid, serial: certificate.serialNumberHex, commonName: commonName, profile: "intermediate-ca",
                    notBefore: certificate.notBefore, notAfter: certificate.notAfter)
            ])
        }
        return authority
    }

    /// Loads the CA kept in `directory`.
    /// - Throws: ``PKIError/Code-swift.struct/notACertificateAuthority`` naming what is missing or wrong.
    public static func load(from directory: String) throws -> CertificateAuthority {
        let directory = normalized(directory)
        func broken(_ why: String) -> PKIError {
            PKIError(
                .notACertificateAuthority, path: directory, reason: why,
                hint: "give a folder made by gshare pki init-ca (it holds ca.pem, ca.key, chain.pem, ca.json)")
        }
        guard SecureFiles.isDirectory(directory) else { throw broken("is not a folder") }
        for file in ["ca.pem", "ca.key", "chain.pem", "ca.json"] where !SecureFiles.exists("\(directory)/\(file)") {
            throw broken("has no \(file)")
        }
        let certificate = try Certificate.load(fromFile: "\(directory)/ca.pem")[0]
        guard let key = try PrivateKeyFile(path: "\(directory)/ca.key").key else { throw broken("ca.key is encrypted") }
        guard certificate.matches(key) else { throw broken("ca.key does not belong to ca.pem") }
        guard certificate.basicConstraints?.isCA == true else { throw broken("ca.pem is not a CA certificate") }
        let chain = try Certificate.load(fromFile: "\(directory)/chain.pem")
        guard chain.first == certificate else { throw broken("chain.pem does not start with ca.pem") }
        let state: State
        do {
            state = try JSONDecoder().decode(State.self, from: Data(readFile("\(directory)/ca.json").bytes))
        } catch let error as PKIError {
            throw error
        } catch {
            throw broken("ca.json cannot be read: \(error)")
        }
        return CertificateAuthority(
            directory: directory, certificate: certificate, key: key, chain: chain, parentDirectory: state.parent,
            hierarchy: state.hierarchy, reservedNames: state.reservedNames ?? [])
    }

    /// Records (or completes) which hierarchy this CA belongs to and the names it must never
    /// issue, in its ca.json (under the folder lock). Names are only ever added.
    /// - Returns: the CA as loaded again.
    public func marking(hierarchy: CertificateHierarchy, reservedNames: [String]) throws -> CertificateAuthority {
        let names = Self.merged(self.reservedNames, reservedNames)
        guard hierarchy != self.hierarchy || names != self.reservedNames else { return self }
        try SecureFiles.withExclusiveLock(lockPath) {
            var state = try JSONDecoder().decode(State.self, from: Data(readFile(statePath).bytes))
            state.hierarchy = hierarchy
            state.reservedNames = Self.merged(state.reservedNames ?? [], names)
            try Self.writeState(state, to: statePath, existing: .replace)
        }
        return try Self.load(from: directory)
    }

    /// `first` then the names of `second` it lacks, in order.
    static func merged(_ first: [String], _ second: [String]) -> [String] {
        var seen = Set(first)
        return first + second.filter { seen.insert($0).inserted }
    }

    /// This CA's issuers, nearest first (loaded from their folders).
    public func ancestors() throws -> [CertificateAuthority] {
        var result: [CertificateAuthority] = []
        var next = parentDirectory
        while let directory = next, result.count < 8 {
            let authority = try CertificateAuthority.load(from: directory)
            result.append(authority)
            next = authority.parentDirectory
        }
        return result
    }

    // MARK: - Issuing

    /// Issues a leaf certificate with a new key. Pure: nothing is written (see
    /// ``appendRecords(_:)`` and ``GlusterFSLayout``).
    ///
    /// - Parameters:
    ///   - days: validity; default 825, or less when the chain expires sooner.
    ///   - reserved: more names a tenant-side CA must refuse (the system CNs of a configuration).
    /// - Throws: ``PKIError`` when `days` would outlive the issuing chain, or when a tenant CA
    ///   (``hierarchy`` tenant; a CA that does not know its hierarchy, for the client
    ///   profile) is asked for a reserved name.
    public func issue(
        commonName: CommonName, profile: CertificateProfile, keyType: KeyType = .p256,
        subjectAlternativeNames: [SubjectAlternativeName] = [], days: Int? = nil, reserved: Set<String> = [], now: Date = Date()
    ) throws -> IssuedCertificate {
        let tenantSide = hierarchy == .tenant || (hierarchy == nil && profile == .client)
        if tenantSide, reserved.contains(commonName.value) || reservedNames.contains(commonName.value) {
            throw PKIError(
                .issuanceRefused, path: "CN \"\(commonName)\"",
                reason: "is a system CN (a GlusterFS node or gshare's own identity, in every volume's auth.ssl-allow): \(directory) issues tenant certificates, and a tenant holding this name would be let into every volume",
                hint: "give the tenant a name of its own; system names come from the node hierarchy only")
        }
        let notAfter = try Self.validityEnd(
            days: days, defaultDays: 825, issuerLimit: chainNotAfter, now: now, subject: "\"\(commonName)\"")
        let key = PrivateKey.generate(keyType)
        let template = CertificateTemplate(
            commonName: commonName.value, notBefore: now.addingTimeInterval(-300), notAfter: notAfter,
            extensions: profile.extensions(for: keyType, subjectAlternativeNames: subjectAlternativeNames))
        let certificate = try CertificateBuilder.sign(template, subjectKey: key, issuer: (self.certificate, self.key))
        return IssuedCertificate(
            certificate: certificate, key: key, profile: profile, intermediates: Array(chain.dropLast()), root: root)
    }

    /// The end of a validity period: `now + days`, refused when beyond `issuerLimit`; the
    /// default is capped to the issuer's end instead.
    static func validityEnd(days: Int?, defaultDays: Int, issuerLimit: Date?, now: Date, subject: String) throws -> Date {
        if let days, days < 1 || days > 36500 {
            throw PKIError(.issuanceRefused, path: "--days \(days)", reason: "validity must be 1 to 36500 days", hint: "choose a sensible --days")
        }
        if let issuerLimit, issuerLimit <= now.addingTimeInterval(86400) {
            throw PKIError(
                .issuanceRefused, path: subject, reason: "the issuing CA chain expires on \(iso8601(issuerLimit)), within a day",
                hint: "renew the CA before issuing from it")
        }
        let requested = now.addingTimeInterval(Double(days ?? defaultDays) * 86400)
        guard let issuerLimit, requested > issuerLimit else { return requested }
        guard days == nil else {
            throw PKIError(
                .issuanceRefused, path: subject,
                reason: "\(days!) days would end on \(iso8601(requested)), after the issuing CA chain expires (\(iso8601(issuerLimit)))",
                hint: "ask for fewer days (at most \(Int(issuerLimit.timeIntervalSince(now) / 86400))) or renew the CA first")
        }
        return issuerLimit
    }

    // MARK: - The record

    /// Every certificate this CA issued or revoked, in issuing order.
    public func records() throws -> [IssuanceRecord] {
        try Self.parseRecords(readFile(recordPath).bytes, path: recordPath)
    }

    /// Adds issued certificates to the record (one locked read-modify-write).
    public func appendRecords(_ records: [IssuanceRecord]) throws {
        try SecureFiles.withExclusiveLock(lockPath) {
            let existing = try self.records()
            try writeRecords(existing + records)
        }
    }

    /// Marks a certificate revoked in the record. The next CRL lists it.
    /// - Parameter serial: hex, any case, optional colons.
    /// - Throws: ``PKIError/Code-swift.struct/unknownSerial`` when this CA never issued it.
    @discardableResult
    public func revoke(serial: String, reason: RevocationReason = .unspecified, at time: Date = Date()) throws -> IssuanceRecord {
        let wanted = serial.replacingOccurrences(of: ":", with: "").uppercased().drop(while: { $0 == "0" })
        return try SecureFiles.withExclusiveLock(lockPath) {
            var records = try self.records()
            guard let index = records.firstIndex(where: { $0.serial.drop(while: { $0 == "0" }) == wanted }) else {
                throw PKIError(
                    .unknownSerial, path: "serial \(serial)", reason: "was not issued by the CA in \(directory)",
                    hint: "check the serial with gshare cert inspect, and that --ca names the CA that issued it")
            }
            if records[index].status == .revoked { return records[index] }
            records[index].status = .revoked
            records[index].revokedAt = time
            records[index].reason = reason
            try writeRecords(records)
            return records[index]
        }
    }

    /// Revokes `certificate`, which must have been issued by this CA.
    @discardableResult
    public func revoke(certificate: Certificate, reason: RevocationReason = .unspecified, at time: Date = Date()) throws -> IssuanceRecord {
        guard X509_check_issued(self.certificate.ref, certificate.ref) == X509_V_OK else {
            throw PKIError(
                .unknownSerial, path: "certificate \"\(certificate.subject)\"",
                reason: "was not issued by the CA in \(directory) (its issuer is \"\(certificate.issuer)\")",
                hint: "give the --ca folder of the CA that issued it")
        }
        return try revoke(serial: certificate.serialNumberHex, reason: reason, at: time)
    }

    private func writeRecords(_ records: [IssuanceRecord]) throws {
        let lines = records.map { record in
            [record.status.rawValue, record.serial, record.commonName, record.profile, iso8601(record.notBefore),
             iso8601(record.notAfter), record.revokedAt.map(iso8601) ?? "-", record.reason?.rawValue ?? "-"]
                .joined(separator: "\t")
        }
        try SecureFiles.write(Self.recordHeader + lines.map { $0 + "\n" }.joined(), to: recordPath, mode: 0o644, existing: .replace)
    }

    static func parseRecords(_ bytes: [UInt8], path: String) throws -> [IssuanceRecord] {
        var records: [IssuanceRecord] = []
        for (index, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
            if line.hasPrefix("#") || line.hasPrefix("status\t") || line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8, let status = IssuanceRecord.Status(rawValue: fields[0]),
                let notBefore = try? RFC3339.parse(fields[4]), let notAfter = try? RFC3339.parse(fields[5])
            else {
                throw PKIError(
                    .notACertificateAuthority, path: "\(path):\(index + 1)", reason: "this record line is damaged",
                    hint: "restore issued.tsv from a backup; each line has 8 tab-separated fields")
            }
            records.append(IssuanceRecord(
                status: status, serial: fields[1], commonName: fields[2], profile: fields[3], notBefore: notBefore,
                notAfter: notAfter, revokedAt: fields[6] == "-" ? nil : try? RFC3339.parse(fields[6]),
                reason: RevocationReason(rawValue: fields[7])))
        }
        return records
    }

    // MARK: - State

    static func writeState(_ state: State, to path: String, existing: SecureFiles.Existing) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try SecureFiles.write(Array(try encoder.encode(state)) + [0x0A], to: path, mode: 0o644, existing: existing)
    }

    /// Takes the next CRL number (persisted, under the folder lock).
    func takeCRLNumber() throws -> Int {
        try SecureFiles.withExclusiveLock(lockPath) {
            var state = try JSONDecoder().decode(State.self, from: Data(readFile(statePath).bytes))
            let number = state.nextCRLNumber
            state.nextCRLNumber += 1
            try Self.writeState(state, to: statePath, existing: .replace)
            return number
        }
    }

    /// An absolute path without a trailing slash (so a recorded parent stays valid from anywhere).
    static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }
}

/// Which of gshare's two trust hierarchies a CA belongs to: nodes and gshare's own identity
/// (trusted by tenants), or tenants (trusted by nodes only).
public enum CertificateHierarchy: String, Sendable, Hashable, Codable, CaseIterable {
    case tenant
    case node
}
