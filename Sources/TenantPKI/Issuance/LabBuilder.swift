//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import Dispatch
public import Foundation
internal import Synchronization

/// What `gshare pki lab` builds (see `pki/lab.toml` for the checked-in default).
public struct LabProfile: Sendable, Equatable {
    /// One trust hierarchy: a root and the intermediate that issues leaves.
    public struct Hierarchy: Sendable, Equatable {
        public var rootCommonName: String
        public var intermediateCommonName: String
        public var keyType: KeyType
        public var rootDays: Int
        public var intermediateDays: Int

        public init(rootCommonName: String, intermediateCommonName: String, keyType: KeyType = .p256, rootDays: Int = 3650, intermediateDays: Int = 1825) {
            self.rootCommonName = rootCommonName
            self.intermediateCommonName = intermediateCommonName
            self.keyType = keyType
            self.rootDays = rootDays
            self.intermediateDays = intermediateDays
        }
    }

    /// Signs the GlusterFS nodes and gshare's own identity.
    public var nodeHierarchy: Hierarchy
    /// Signs tenants. Independent of the node hierarchy (see ``GlusterFSLayout``).
    public var tenantHierarchy: Hierarchy
    public var nodes: [CommonName]
    /// gshare's own TLS identity (a node certificate: it connects to volumes to wipe them).
    public var manager: CommonName
    public var tenants: [CommonName]
    /// Extra SANs for every node certificate (each node also gets `DNS:<name>`).
    public var nodeSubjectAlternativeNames: [SubjectAlternativeName]
    public var leafKeyType: KeyType
    public var leafDays: Int
    public var crlDays: Int

    public init(
        nodeHierarchy: Hierarchy, tenantHierarchy: Hierarchy, nodes: [CommonName], manager: CommonName, tenants: [CommonName],
        nodeSubjectAlternativeNames: [SubjectAlternativeName] = [], leafKeyType: KeyType = .p256, leafDays: Int = 825, crlDays: Int = 30
    ) {
        self.nodeHierarchy = nodeHierarchy
        self.tenantHierarchy = tenantHierarchy
        self.nodes = nodes
        self.manager = manager
        self.tenants = tenants
        self.nodeSubjectAlternativeNames = nodeSubjectAlternativeNames
        self.leafKeyType = leafKeyType
        self.leafDays = leafDays
        self.crlDays = crlDays
    }
}

/// One step of a lab build, for progress displays.
public struct LabProgress: Sendable {
    public let completed: Int
    public let total: Int
    public let name: String
}

/// Builds (or completes) a lab PKI in a folder:
///
/// ```
/// DIR/ca/node-root, DIR/ca/node-int         node hierarchy (nodes, gshare's identity)
/// DIR/ca/tenant-root, DIR/ca/tenant-int     tenant hierarchy
/// DIR/hosts/<name>/<name>.pem|.key          each node, the manager, each tenant
/// DIR/hosts/<name>/glusterfs/               its glusterfs.pem, .key, .ca
/// DIR/crl/*.crl.pem, DIR/crl/hashed/        CRLs of all four CAs; hashed/ is ssl.crl-path
/// ```
///
/// Re-running adds what is missing and refreshes the CRLs; it never reissues what exists.
public enum LabBuilder {
    public struct Outcome: Sendable {
        public let directory: String
        /// CA folders created in this run.
        public let createdAuthorities: [String]
        /// Hosts issued in this run, and hosts that already existed.
        public let issued: [String]
        public let skipped: [String]
        public let crl: CRLPublisher.Outcome
        public let warnings: [String]
    }

    private struct Host: Sendable {
        let name: CommonName
        let profile: CertificateProfile
        let authority: CertificateAuthority
        let peerRoots: [Certificate]
        let subjectAlternativeNames: [SubjectAlternativeName]
    }

    public static func build(
        _ profile: LabProfile, in directory: String, now: Date = Date(),
        progress: (@Sendable (LabProgress) -> Void)? = nil
    ) throws -> Outcome {
        let directory = CertificateAuthority.normalized(directory)
        let names = profile.nodes + [profile.manager] + profile.tenants
        if let duplicate = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw PKIError(
                .invalidProfile, path: "lab host \"\(duplicate)\"", reason: "is named more than once (nodes, manager and tenants share one namespace)",
                hint: "give every node, the manager and every tenant a distinct name")
        }
        try SecureFiles.makeDirectory("\(directory)/hosts", mode: 0o755)
        var created: [String] = []
        // The tenant CAs know the system names (every node, the manager) and refuse to issue
        // them; CAs made by an older gshare are marked on the next run.
        let systemNames = (profile.nodes + [profile.manager]).map(\.value)
        func hierarchy(
            _ kind: CertificateHierarchy, _ settings: LabProfile.Hierarchy
        ) throws -> (root: CertificateAuthority, intermediate: CertificateAuthority) {
            let prefix = kind.rawValue
            let reserved = kind == .tenant ? systemNames : []
            func loadOrCreate(_ name: String, _ make: () throws -> CertificateAuthority) throws -> CertificateAuthority {
                let path = "\(directory)/ca/\(name)"
                if SecureFiles.exists("\(path)/ca.json") {
                    return try CertificateAuthority.load(from: path).marking(hierarchy: kind, reservedNames: reserved)
                }
                created.append(path)
                return try make()
            }
            let root = try loadOrCreate("\(prefix)-root") {
                try CertificateAuthority.create(
                    in: "\(directory)/ca/\(prefix)-root", commonName: settings.rootCommonName, keyType: settings.keyType,
                    days: settings.rootDays, hierarchy: kind, reservedNames: reserved, now: now)
            }
            let intermediate = try loadOrCreate("\(prefix)-int") {
                try CertificateAuthority.create(
                    in: "\(directory)/ca/\(prefix)-int", commonName: settings.intermediateCommonName, keyType: settings.keyType,
                    days: min(settings.intermediateDays, Int(root.chainNotAfter.timeIntervalSince(now) / 86400)), parent: root,
                    hierarchy: kind, reservedNames: reserved, now: now)
            }
            return (root, intermediate)
        }
        let nodeCA = try hierarchy(.node, profile.nodeHierarchy)
        let tenantCA = try hierarchy(.tenant, profile.tenantHierarchy)

        var hosts: [Host] = []
        for node in profile.nodes {
            let dns = (try? SubjectAlternativeName(validating: "DNS:\(node.value)")).map { [$0] } ?? []
            hosts.append(Host(
                name: node, profile: .node, authority: nodeCA.intermediate, peerRoots: [tenantCA.root.certificate],
                subjectAlternativeNames: dns + profile.nodeSubjectAlternativeNames))
        }
        hosts.append(Host(
            name: profile.manager, profile: .node, authority: nodeCA.intermediate, peerRoots: [tenantCA.root.certificate],
            subjectAlternativeNames: []))
        for tenant in profile.tenants {
            hosts.append(Host(
                name: tenant, profile: .client, authority: tenantCA.intermediate, peerRoots: [nodeCA.root.certificate],
                subjectAlternativeNames: []))
        }

        var pending: [Host] = []
        var skipped: [String] = []
        for host in hosts {
            let folder = "\(directory)/hosts/\(host.name)"
            if SecureFiles.exists("\(folder)/glusterfs/glusterfs.pem") && SecureFiles.exists("\(folder)/glusterfs/glusterfs.key") {
                skipped.append(host.name.value)
            } else if SecureFiles.exists(folder), (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == false {
                throw PKIError(
                    .alreadyExists, path: folder, reason: "holds an incomplete host layout (no glusterfs/glusterfs.pem or .key)",
                    hint: "move the folder away and re-run gshare pki lab to issue this host again")
            } else {
                pending.append(host)
            }
        }

        // Issue and write the missing hosts in parallel (each host has its own folder).
        let results = Mutex<[Result<(IssuedCertificate, [String]), PKIError>?]>(Array(repeating: nil, count: pending.count))
        let completed = Atomic<Int>(0)
        let leafDays = profile.leafDays
        let leafKeyType = profile.leafKeyType
        let toIssue = pending
        DispatchQueue.concurrentPerform(iterations: toIssue.count) { index in
            let host = toIssue[index]
            let result: Result<(IssuedCertificate, [String]), PKIError>
            do {
                let issued = try host.authority.issue(
                    commonName: host.name, profile: host.profile, keyType: leafKeyType,
                    subjectAlternativeNames: host.subjectAlternativeNames, days: leafDays, now: now)
                let outcome = try GlusterFSLayout.write(
                    issued, name: host.name.value, to: "\(directory)/hosts/\(host.name)", peerRoots: host.peerRoots)
                result = .success((issued, outcome.warnings))
            } catch let error as PKIError {
                result = .failure(error)
            } catch {
                result = .failure(PKIError(.openSSLFailure, path: host.name.value, reason: "\(error)", hint: ""))
            }
            results.withLock { $0[index] = result }
            let done = completed.add(1, ordering: .relaxed).newValue
            progress?(LabProgress(completed: done, total: toIssue.count, name: host.name.value))
        }
        let outcomes = results.withLock { $0.map { $0! } }

        // Record what was issued (also when some host failed: what is on disk is recorded).
        var warnings: [String] = []
        for authority in [nodeCA.intermediate, tenantCA.intermediate] {
            let records = zip(pending, outcomes).compactMap { host, outcome -> IssuanceRecord? in
                guard host.authority === authority, case .success(let (issued, _)) = outcome else { return nil }
                return issued.record
            }
            if !records.isEmpty { try authority.appendRecords(records) }
        }
        for case .success(let (_, hostWarnings)) in outcomes { warnings += hostWarnings }
        if let failure = outcomes.lazy.compactMap({ outcome -> PKIError? in
            if case .failure(let error) = outcome { return error }
            return nil
        }).first {
            throw failure
        }

        let crl = try CRLPublisher.publish(
            for: [nodeCA.root, nodeCA.intermediate, tenantCA.root, tenantCA.intermediate], days: profile.crlDays, now: now,
            to: "\(directory)/crl")
        return Outcome(
            directory: directory, createdAuthorities: created, issued: pending.map(\.name.value), skipped: skipped, crl: crl,
            warnings: warnings + crl.warnings)
    }
}
