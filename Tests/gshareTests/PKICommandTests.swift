//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import TenantPKI
import Testing

/// `gshare pki …` run as the built binary, each test in its own temporary folder.
@Suite("gshare pki, end to end")
struct PKICommandTests {
    static func gshare(_ arguments: String...) async throws -> ProcessResult { try await runProcess(EndToEndTests.binary, arguments) }

    /// Runs the binary with `directory` as its current folder (for defaults relative to it).
    static func gshare(in directory: URL, _ arguments: String...) async throws -> ProcessResult {
        try await runProcess(EndToEndTests.binary, arguments, in: directory)
    }

    static func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "stdout: \(result.stdout)")
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// A temporary folder with a tenant root + intermediate and a node root.
    struct Hierarchies {
        let folder: URL
        var path: String { folder.path }
        var tenantRoot: String { path + "/tenant-root" }
        var tenantInt: String { path + "/tenant-int" }
        var nodeRoot: String { path + "/node-root" }
        var nodeInt: String { path + "/node-int" }

        init() async throws {
            folder = try makeTemporaryDirectory()
            for arguments in [
                ["pki", "init-ca", "--dir", tenantRoot], ["pki", "init-ca", "--dir", tenantInt, "--parent", tenantRoot],
                ["pki", "init-ca", "--dir", nodeRoot, "--cn", "Test Node Root"], ["pki", "init-ca", "--dir", nodeInt, "--parent", nodeRoot],
            ] {
                let result = try await runProcess(EndToEndTests.binary, arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
            }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: - init-ca

    @Test func initCAMakesARootWithEveryFileAndAPrivateKey() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.path + "/tenant-root"
        let result = try await Self.gshare("pki", "init-ca", "--dir", root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.stdout.hasPrefix("Created a root CA in \(root)\n"))
        #expect(result.stdout.contains("Subject:            CN=gshare tenant-root CA"))
        for label in ["Serial:", "Valid:", "pathlen:1"] { #expect(result.stdout.contains(label), "missing \(label)") }
        for file in ["ca.pem", "ca.key", "chain.pem", "issued.tsv", "ca.json"] {
            #expect(Self.exists("\(root)/\(file)"), "\(file)")
            #expect(result.stdout.contains("\(root)/\(file)"), "\(file) not reported")
        }
        #expect(try Self.mode(root + "/ca.key") == 0o600)
        #expect(result.stdout.contains("the CA's private key, mode 0600"))
    }

    @Test func initCAWithAParentMakesAnIntermediateAndSaysSoInJSON() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try await Self.gshare("pki", "init-ca", "--dir", folder.path + "/root", "--cn", "Test Root", "--key-type", "p384").status == 0)
        let result = try await Self.gshare("pki", "init-ca", "--dir", folder.path + "/int", "--parent", folder.path + "/root", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Self.json(result)
        #expect(document["role"] as? String == "intermediate")
        #expect((document["parent"] as? String)?.hasSuffix("/root") == true)
        #expect((document["directory"] as? String)?.hasSuffix("/int") == true)
        #expect(document["keyType"] as? String == "p256")
        #expect((document["files"] as? [String])?.count == 5)
        let certificate = try #require(document["certificate"] as? [String: Any])
        #expect(certificate["subject"] as? String == "CN=gshare int CA")
        #expect(certificate["issuer"] as? String == "CN=Test Root")
        #expect((certificate["basicConstraints"] as? String)?.contains("pathlen:0") == true)
        let record = try String(contentsOfFile: folder.path + "/root/issued.tsv", encoding: .utf8)
        #expect(record.contains("\tgshare int CA\tintermediate-ca\t"))
    }

    @Test func anExistingCAFolderIsRefusedAndLeftUntouched() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.path + "/root"
        #expect(try await Self.gshare("pki", "init-ca", "--dir", root).status == 0)
        let before = try ["ca.pem", "ca.key", "ca.json"].map { try Data(contentsOf: URL(fileURLWithPath: "\(root)/\($0)")) }
        let result = try await Self.gshare("pki", "init-ca", "--dir", root, "--cn", "Another Root")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("gshare: error: \(root): already holds a CA"))
        #expect(try ["ca.pem", "ca.key", "ca.json"].map { try Data(contentsOf: URL(fileURLWithPath: "\(root)/\($0)")) } == before)
    }

    @Test func aParentThatIsNotACACannotRun() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.gshare("pki", "init-ca", "--dir", folder.path + "/int", "--parent", folder.path + "/missing", "--json")
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(folder.path)/missing: is not a folder"))
        #expect((try Self.json(result)["error"] as? [String: Any])?["code"] as? String == "not-a-ca")
        #expect(!Self.exists(folder.path + "/int"))
    }

    // MARK: - issue

    @Test func aClientAndANodeGetTheGlusterFSLayoutAndTheClientVerifies() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let client = pki.path + "/out/tenant-a"
        let issued = try await Self.gshare(
            "pki", "issue", "--ca", pki.tenantInt, "--cn", "tenant-a", "--profile", "client", "--peer-ca", pki.nodeRoot + "/ca.pem",
            "--out", client)
        #expect(issued.status == 0, "\(issued.stderr)")
        #expect(issued.stderr == "", "a client given the node root draws no warning")
        #expect(issued.stdout.hasPrefix("Issued \"tenant-a\" (client) from the CA in \(pki.tenantInt)\n"))
        #expect(issued.stdout.contains("GlusterFS name:     \"tenant-a\""))
        #expect(issued.stdout.contains("Recorded in \(pki.tenantInt)/issued.tsv"))

        let node = pki.path + "/out/node-1"
        let nodeResult = try await Self.gshare(
            "pki", "issue", "--ca", pki.nodeInt, "--cn", "node-1", "--profile", "node", "--san", "DNS:node-1", "--san", "IP:192.0.2.10",
            "--peer-ca", pki.tenantRoot + "/ca.pem", "--out", node, "--key-type", "ed25519")
        #expect(nodeResult.status == 0, "\(nodeResult.stderr)")
        #expect(nodeResult.stdout.contains("SANs:               DNS:node-1, IP:192.0.2.10"))

        for (folder, name) in [(client, "tenant-a"), (node, "node-1")] {
            for file in ["\(name).pem", "\(name).key", "glusterfs/glusterfs.pem", "glusterfs/glusterfs.key", "glusterfs/glusterfs.ca"] {
                #expect(Self.exists("\(folder)/\(file)"), "\(folder)/\(file)")
            }
            #expect(try Self.mode("\(folder)/\(name).key") == 0o600)
            #expect(try Self.mode("\(folder)/glusterfs/glusterfs.key") == 0o600)
        }

        let chain = try Certificate.load(fromFile: client + "/glusterfs/glusterfs.pem")
        #expect(chain.map(\.subject) == ["CN=tenant-a", "CN=gshare tenant-int CA"])
        #expect(try Certificate.load(fromFile: client + "/glusterfs/glusterfs.ca").map(\.subject) == ["CN=Test Node Root"])
        #expect(try Certificate.load(fromFile: node + "/glusterfs/glusterfs.ca").map(\.subject) == ["CN=Test Node Root", "CN=gshare tenant-root CA"])

        let verified = try await Self.gshare("cert", "verify", client + "/glusterfs/glusterfs.pem", "--ca", pki.tenantRoot + "/ca.pem")
        #expect(verified.status == 0, "\(verified.stdout)")
        #expect(verified.stdout.contains("VALID — tenant CN \"tenant-a\""))

        let record = try String(contentsOfFile: pki.tenantInt + "/issued.tsv", encoding: .utf8)
        #expect(record.contains("valid\t\(chain[0].serialNumberHex)\ttenant-a\tclient\t"))
    }

    @Test func issueJSONHasTheDocumentedFields() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let result = try await Self.gshare(
            "pki", "issue", "--ca", pki.nodeInt, "--cn", "gshare-manager", "--profile", "node", "--out", pki.path + "/manager",
            "--peer-ca", pki.tenantRoot + "/ca.pem", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try Self.json(result)
        #expect(document["commonName"] as? String == "gshare-manager")
        #expect(document["profile"] as? String == "node")
        #expect(document["keyType"] as? String == "p256")
        #expect(document["ca"] as? String == pki.nodeInt)
        #expect(document["directory"] as? String == pki.path + "/manager")
        #expect((document["files"] as? [String])?.count == 5)
        #expect(document["intermediates"] as? [String] == ["CN=gshare node-int CA"])
        #expect(document["trustAnchors"] as? [String] == ["CN=Test Node Root", "CN=gshare tenant-root CA"])
        #expect(document["record"] as? String == pki.nodeInt + "/issued.tsv")
        #expect(document["warnings"] as? [String] == [])
        #expect((document["certificate"] as? [String: Any])?["extendedKeyUsage"] as? String == "serverAuth, clientAuth")
    }

    @Test func aClientWithoutThePeerRootIsIssuedWithALoudWarning() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let result = try await Self.gshare("pki", "issue", "--ca", pki.tenantInt, "--cn", "tenant-b", "--profile", "client", "--out", pki.path + "/b")
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("gshare: warning: glusterfs.ca holds the root that issued this tenant"))
        #expect(result.stderr.contains("--peer-ca"))
        #expect(try Certificate.load(fromFile: pki.path + "/b/glusterfs/glusterfs.ca").map(\.subject) == ["CN=gshare tenant-root CA"])
    }

    @Test func issueWithoutOutWritesIntoAFolderNamedAfterTheCN() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let result = try await Self.gshare(in: pki.folder, "pki", "issue", "--ca", pki.tenantInt, "--cn", "tenant-c", "--profile", "client",
            "--peer-ca", pki.nodeRoot + "/ca.pem")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.exists(pki.path + "/tenant-c/glusterfs/glusterfs.pem"))
    }

    @Test(arguments: ["tenant*", "a b", "a,b", "-x", String(repeating: "a", count: 65), "tenant?", "é", "a\tb"])
    func hostileCommonNamesAreRefusedAndNothingIsWritten(name: String) async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let recordBefore = try String(contentsOfFile: pki.tenantInt + "/issued.tsv", encoding: .utf8)
        let out = pki.path + "/out"
        let result = try await Self.gshare("pki", "issue", "--ca", pki.tenantInt, "--cn=\(name)", "--profile", "client", "--out", out, "--json")
        #expect(result.status == 1, "\(result.stderr)")
        let shown = name.replacingOccurrences(of: "\t", with: "\\x09")  // control bytes are shown escaped
        #expect(result.stderr.hasPrefix("gshare: error: CN \"\(shown)\": "))
        #expect(result.stderr.contains("\n  fix: use 1-64 characters from A-Z a-z 0-9 . _ @ -"))
        #expect((try Self.json(result)["error"] as? [String: Any])?["code"] as? String == "invalid-common-name")
        #expect(!Self.exists(out))
        #expect(try String(contentsOfFile: pki.tenantInt + "/issued.tsv", encoding: .utf8) == recordBefore)
    }

    @Test func daysBeyondTheIssuersValidityAreRefusedAndNothingIsWritten() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try await Self.gshare("pki", "init-ca", "--dir", folder.path + "/short", "--days", "30").status == 0)
        let out = folder.path + "/out"
        let result = try await Self.gshare("pki", "issue", "--ca", folder.path + "/short", "--cn", "tenant-a", "--profile", "client",
            "--days", "60", "--out", out)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\"tenant-a\": 60 days would end on"))
        #expect(result.stderr.contains("after the issuing CA chain expires"))
        #expect(result.stderr.contains("\n  fix: ask for fewer days (at most 29)"))
        #expect(!Self.exists(out))
    }

    @Test func anIntermediateMayNotOutliveItsParent() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try await Self.gshare("pki", "init-ca", "--dir", folder.path + "/root", "--days", "30").status == 0)
        let result = try await Self.gshare("pki", "init-ca", "--dir", folder.path + "/int", "--parent", folder.path + "/root", "--days", "60")
        #expect(result.status == 1)
        #expect(result.stderr.contains("after the issuing CA chain expires"))
        #expect(!Self.exists(folder.path + "/int"))
    }

    @Test func anUnknownKeyTypeIsAUsageErrorListingTheValidTypes() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let result = try await Self.gshare("pki", "issue", "--ca", pki.tenantInt, "--cn", "tenant-a", "--profile", "client",
            "--key-type", "dsa1024", "--out", pki.path + "/out")
        #expect(result.status == 64)
        #expect(result.stderr.contains("'dsa1024' is invalid for '--key-type <type>'"))
        for type in KeyType.allCases { #expect(result.stderr.contains(type.rawValue), "\(type) not listed") }
        #expect(!Self.exists(pki.path + "/out"))
    }

    @Test func aBadSANIsRefused() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let result = try await Self.gshare("pki", "issue", "--ca", pki.nodeInt, "--cn", "node-1", "--profile", "node", "--san", "URI:x",
            "--out", pki.path + "/out")
        #expect(result.status == 1)
        #expect(result.stderr.contains("--san \"URI:x\": only DNS: and IP: names are issued"))
        #expect(!Self.exists(pki.path + "/out"))
    }

    @Test func existingFilesAreRefusedWithoutForceAndAWideKeyComesBackPrivateWithIt() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let out = pki.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let key = out + "/tenant-a.key"
        try Data("old key\n".utf8).write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)

        let refused = try await Self.gshare("pki", "issue", "--ca", pki.tenantInt, "--cn", "tenant-a", "--profile", "client", "--out", out,
            "--peer-ca", pki.nodeRoot + "/ca.pem")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(key))
        #expect(try String(contentsOfFile: key, encoding: .utf8) == "old key\n")
        #expect(!Self.exists(out + "/glusterfs"))

        let forced = try await Self.gshare("pki", "issue", "--ca", pki.tenantInt, "--cn", "tenant-a", "--profile", "client", "--out", out,
            "--peer-ca", pki.nodeRoot + "/ca.pem", "--force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: key, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try Self.mode(key) == 0o600)
        #expect(try Self.mode(out + "/glusterfs/glusterfs.key") == 0o600)
    }

    @Test func aMissingCAFolderCannotRun() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.gshare("pki", "issue", "--ca", folder.path + "/nope", "--cn", "tenant-a", "--profile", "client",
            "--out", folder.path + "/out")
        #expect(result.status == 2)
        // (unified error rendering: the fix on its own line)
        #expect(result.stderr.contains("\(folder.path)/nope: is not a folder\n  fix: give a folder made by gshare pki init-ca"))
        #expect(!Self.exists(folder.path + "/out"))
    }

    // MARK: - revoke and crl

    @Test func aRevokedCertificateIsListedInTheCRLsAndVerifyRejectsIt() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let out = pki.path + "/tenant-a"
        #expect(try await Self.gshare("pki", "issue", "--ca", pki.tenantInt, "--cn", "tenant-a", "--profile", "client", "--out", out,
            "--peer-ca", pki.nodeRoot + "/ca.pem").status == 0)

        let revoked = try await Self.gshare("pki", "revoke", "--ca", pki.tenantInt, "--cert", out + "/tenant-a.pem", "--reason", "keyCompromise")
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(revoked.stdout.contains("Revoked serial"))
        #expect(revoked.stdout.contains("reason keyCompromise"))
        #expect(revoked.stdout.contains("gshare pki crl --ca \(pki.tenantInt)"))
        #expect(try String(contentsOfFile: pki.tenantInt + "/issued.tsv", encoding: .utf8).contains("\tkeyCompromise\n"))

        let again = try await Self.gshare("pki", "revoke", "--ca", pki.tenantInt, "--cert", out + "/glusterfs/glusterfs.pem", "--json")
        #expect(again.status == 0)
        let document = try Self.json(again)
        #expect(document["alreadyRevoked"] as? Bool == true)
        #expect(document["reason"] as? String == "keyCompromise")
        #expect(document["commonName"] as? String == "tenant-a")
        #expect(document["publishWith"] as? String == "gshare pki crl --ca \(pki.tenantInt)")
        #expect(document["serial"] as? String == (try Certificate.load(fromFile: out + "/tenant-a.pem")[0].serialNumberHex))

        let crl = try await Self.gshare("pki", "crl", "--ca", pki.tenantInt)
        #expect(crl.status == 0, "\(crl.stderr)")
        #expect(crl.stderr == "")
        let hashed = pki.tenantInt + "/crl/hashed"
        #expect(crl.stdout.contains("ssl.crl-path: \(hashed)"))
        #expect(crl.stdout.contains("tenant-int CA: 1 revoked"))
        let names = try FileManager.default.contentsOfDirectory(atPath: hashed)
        #expect(names.count == 2, "one CRL per CA in the chain: \(names)")
        #expect(names.allSatisfy { $0.range(of: #"^[0-9a-f]{8}\.r0$"#, options: .regularExpression) != nil }, "\(names)")

        let verified = try await Self.gshare(
            "cert", "verify", out + "/glusterfs/glusterfs.pem", "--ca", pki.tenantRoot + "/ca.pem",
            "--crl", pki.tenantInt + "/crl/tenant-int.crl.pem", "--crl", pki.tenantInt + "/crl/tenant-root.crl.pem", "--json")
        #expect(verified.status == 1)
        let results = try #require(try Self.json(verified)["results"] as? [[String: Any]])
        let codes = (results.first?["findings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(codes.contains("certificate-revoked"), "\(codes)")
    }

    @Test func crlJSONHasTheDocumentedFieldsAndWarnsOfShortValidity() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let out = pki.path + "/published"
        let result = try await Self.gshare("pki", "crl", "--ca", pki.nodeInt, "--days", "3", "--out", out, "--json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("gshare: warning: the CRLs expire in 3 day(s)"))
        let document = try Self.json(result)
        #expect(document["hashedDirectory"] as? String == out + "/hashed")
        #expect((document["files"] as? [String])?.count == 4)
        #expect((document["nextUpdate"] as? String)?.hasSuffix("Z") == true)
        #expect((document["warnings"] as? [String])?.count == 1)
        let authorities = try #require(document["authorities"] as? [[String: Any]])
        #expect(authorities.compactMap { $0["directory"] as? String } == [pki.nodeInt, pki.nodeRoot])
        #expect(authorities.compactMap { $0["revoked"] as? Int } == [0, 0])
        #expect(!Self.exists(pki.nodeInt + "/crl"))
    }

    @Test func revokingASerialTheCANeverIssuedIsRefused() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        let result = try await Self.gshare("pki", "revoke", "--ca", pki.tenantInt, "--serial", "0A:BC:DE", "--json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("serial 0A:BC:DE: was not issued by the CA in \(pki.tenantInt)"))
        #expect((try Self.json(result)["error"] as? [String: Any])?["code"] as? String == "unknown-serial")
    }

    @Test func revokingACertificateFromAnotherCAIsRefused() async throws {
        let pki = try await Hierarchies()
        defer { pki.remove() }
        #expect(try await Self.gshare("pki", "issue", "--ca", pki.nodeInt, "--cn", "node-1", "--profile", "node", "--out", pki.path + "/n").status == 0)
        let result = try await Self.gshare("pki", "revoke", "--ca", pki.tenantInt, "--cert", pki.path + "/n/node-1.pem")
        #expect(result.status == 1)
        #expect(result.stderr.contains("certificate \"CN=node-1\": was not issued by the CA in \(pki.tenantInt)"))
    }

    @Test func revokeNeedsExactlyOneOfSerialAndCert() async throws {
        let none = try await Self.gshare("pki", "revoke", "--ca", "/nonexistent")
        #expect(none.status == 64)
        #expect(none.stderr.contains("give exactly one of --serial HEX or --cert FILE"))
        let both = try await Self.gshare("pki", "revoke", "--ca", "/nonexistent", "--serial", "01", "--cert", "x.pem")
        #expect(both.status == 64)
    }

    // MARK: - lab

    static let labProfile = """
        nodes = ["node-1"]
        node_sans = ["IP:127.0.0.2"]
        manager = "gshare-manager"
        tenants = ["tenant-a", "tenant-b"]

        [node_ca]
        root_cn = "Test Lab Node Root"
        intermediate_cn = "Test Lab Node Intermediate"
        key_type = "p256"
        root_days = 3650
        intermediate_days = 1825

        [tenant_ca]
        root_cn = "Test Lab Tenant Root"
        intermediate_cn = "Test Lab Tenant Intermediate"
        key_type = "p256"
        root_days = 3650
        intermediate_days = 1825

        [leaves]
        key_type = "p256"
        days = 825
        crl_days = 30

        """

    static func writeProfile(in folder: URL) throws -> String {
        let path = folder.path + "/lab.toml"
        try Data(labProfile.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aTenantCANeverIssuesASystemCNAndCertVerifyWithAConfigurationRefusesOne() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.writeProfile(in: folder)
        let lab = folder.path + "/lab"
        #expect(try await Self.gshare("pki", "lab", "--dir", lab, "--profile", profile).status == 0)
        // the lab's tenant CA refuses the names of the nodes and of gshare itself
        for name in ["gshare-manager", "node-1"] {
            let out = folder.path + "/impostor-\(name)"
            let refused = try await Self.gshare(
                "pki", "issue", "--ca", lab + "/ca/tenant-int", "--cn", name, "--profile", "client", "--out", out, "--json")
            #expect(refused.status == 1, "\(name): \(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.contains("is a system CN"), "\(refused.stderr)")
            #expect((try Self.json(refused)["error"] as? [String: Any])?["code"] as? String == "issuance-refused")
            #expect(!Self.exists(out), "nothing written")
        }
        // the node CA still issues them
        let node = try await Self.gshare("pki", "issue", "--ca", lab + "/ca/node-int", "--cn", "node-2", "--profile", "node", "--out", folder.path + "/node-2")
        #expect(node.status == 0, "\(node.stderr)")

        // a certificate carrying a system CN from a CA that does not know (init-ca without --hierarchy)
        #expect(try await Self.gshare("pki", "init-ca", "--dir", folder.path + "/other-root").status == 0)
        let impostor = try await Self.gshare(
            "pki", "issue", "--ca", folder.path + "/other-root", "--cn", "gshare-manager", "--profile", "client", "--out", folder.path + "/impostor")
        #expect(impostor.status == 0, "without a configuration, that CA cannot know: \(impostor.stderr)")
        let config = folder.path + "/gshare.toml"
        try """
            glusterfs_targets = ["127.0.0.1:/never-contacted"]
            system_cns = ["node-1", "gshare-manager"]
            state_dir = "\(folder.path)/state"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let leaf = folder.path + "/impostor/gshare-manager.pem"
        let strict = try await Self.gshare("cert", "verify", leaf, "--ca", folder.path + "/other-root/ca.pem", "--config", config)
        #expect(strict.status == 1 && strict.stdout.contains("[cn-is-system-cn]"), "\(strict.stdout) \(strict.stderr)")
        let plain = try await Self.gshare("cert", "verify", leaf, "--ca", folder.path + "/other-root/ca.pem")
        #expect(plain.status == 0, "without a configuration the system CNs are not known: \(plain.stdout)")
        // with the configuration, that CA refuses the name too
        let again = try await Self.gshare(
            "pki", "issue", "--ca", folder.path + "/other-root", "--cn", "node-1", "--profile", "client", "--out", folder.path + "/impostor-2",
            "--config", config)
        #expect(again.status == 1 && again.stderr.contains("is a system CN"), "\(again.stderr)")
    }

    @Test func labBuildsEverythingOnceAndAReRunIssuesNothing() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.writeProfile(in: folder)
        let lab = folder.path + "/lab"

        let first = try await Self.gshare("pki", "lab", "--dir", lab, "--profile", profile, "--json")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr == "", "no progress line when stderr is not a terminal, no warning for a sound lab")
        let built = try Self.json(first)
        #expect(built["directory"] as? String == lab)
        #expect(built["profile"] as? String == profile)
        #expect((built["createdAuthorities"] as? [String])?.map { String($0.dropFirst(lab.count)) }.sorted()
            == ["/ca/node-int", "/ca/node-root", "/ca/tenant-int", "/ca/tenant-root"])
        #expect(Set(built["issued"] as? [String] ?? []) == ["node-1", "gshare-manager", "tenant-a", "tenant-b"])
        #expect(built["alreadyPresent"] as? [String] == [])
        let crl = try #require(built["crl"] as? [String: Any])
        #expect(crl["hashedDirectory"] as? String == lab + "/crl/hashed")
        #expect((crl["files"] as? [String])?.count == 8)
        #expect(built["warnings"] as? [String] == [])
        #expect(try Self.mode(lab + "/hosts/tenant-a/glusterfs/glusterfs.key") == 0o600)
        let keyBefore = try Data(contentsOf: URL(fileURLWithPath: lab + "/hosts/tenant-a/glusterfs/glusterfs.key"))

        let second = try await Self.gshare("pki", "lab", "--dir", lab, "--profile", profile)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("Lab PKI in \(lab) (profile \(profile))\n"))
        #expect(second.stdout.contains("CAs created:        none (all already present)"))
        #expect(second.stdout.contains("Hosts issued:       none"))
        #expect(second.stdout.contains("Already present:    4: "))
        #expect(second.stdout.contains("ssl.crl-path:       \(lab)/crl/hashed"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: lab + "/hosts/tenant-a/glusterfs/glusterfs.key")) == keyBefore)

        let verified = try await Self.gshare(
            "cert", "verify", lab + "/hosts/tenant-b/glusterfs/glusterfs.pem", "--ca", lab + "/ca/tenant-root/ca.pem")
        #expect(verified.status == 0, "\(verified.stdout)")
    }

    @Test func labTenantsFromTheCommandLineReplaceTheProfiles() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.writeProfile(in: folder)
        let lab = folder.path + "/lab"
        let result = try await Self.gshare("pki", "lab", "--dir", lab, "--profile", profile, "--nodes", "n1,n2", "--tenant-count", "3", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Set(try Self.json(result)["issued"] as? [String] ?? [])
            == ["n1", "n2", "gshare-manager", "tenant-0001", "tenant-0002", "tenant-0003"])
        #expect(!Self.exists(lab + "/hosts/tenant-a"))

        let more = try await Self.gshare("pki", "lab", "--dir", lab, "--profile", profile, "--nodes", "n1,n2", "--tenants", "tenant-0001,extra", "--json")
        #expect(more.status == 0, "\(more.stderr)")
        let document = try Self.json(more)
        #expect(document["issued"] as? [String] == ["extra"])
        #expect(Set(document["alreadyPresent"] as? [String] ?? []) == ["n1", "n2", "gshare-manager", "tenant-0001"])
    }

    @Test func aHostileNameOnTheLabCommandLineIsRefusedBeforeAnythingIsWritten() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try Self.writeProfile(in: folder)
        let result = try await Self.gshare("pki", "lab", "--dir", folder.path + "/lab", "--profile", profile, "--tenants", "tenant-a,tenant*")
        #expect(result.status == 1)
        #expect(result.stderr.contains("CN \"tenant*\": the name contains '*'"))
        #expect(!Self.exists(folder.path + "/lab"))
    }

    @Test func labWithoutAProfileHereNamesTheProfileOption() async throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.gshare(in: folder, "pki", "lab", "--dir", "lab")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("gshare: error: pki/lab.toml: there is no lab profile here"))
        #expect(result.stderr.contains("--profile FILE"))
        #expect(!Self.exists(folder.path + "/lab"))
    }
}
