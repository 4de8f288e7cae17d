//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

@Suite("LabBuilder: two hierarchies, hosts, CRLs, idempotent re-runs")
struct LabBuilderTests {
    static func profile(tenants: [String] = ["tenant-a", "tenant-b"]) throws -> LabProfile {
        LabProfile(
            nodeHierarchy: .init(rootCommonName: "Lab Node Root", intermediateCommonName: "Lab Node Int"),
            tenantHierarchy: .init(rootCommonName: "Lab Tenant Root", intermediateCommonName: "Lab Tenant Int"),
            nodes: [try CommonName(validating: "node-1")], manager: try CommonName(validating: "gshare-manager"),
            tenants: try tenants.map(CommonName.init(validating:)),
            nodeSubjectAlternativeNames: [try SubjectAlternativeName(validating: "IP:127.0.0.2")])
    }

    @Test func aLabHasEveryHostCAAndCRL() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try LabBuilder.build(Self.profile(), in: folder.path)
        #expect(outcome.createdAuthorities.count == 4)
        #expect(Set(outcome.issued) == ["node-1", "gshare-manager", "tenant-a", "tenant-b"])
        #expect(outcome.warnings.isEmpty, "\(outcome.warnings)")
        for host in outcome.issued {
            for file in ["\(host).pem", "\(host).key", "glusterfs/glusterfs.pem", "glusterfs/glusterfs.key", "glusterfs/glusterfs.ca"] {
                #expect(FileManager.default.fileExists(atPath: folder.path + "/hosts/\(host)/\(file)"), "\(host)/\(file)")
            }
        }
        let hashed = try FileManager.default.contentsOfDirectory(atPath: outcome.crl.hashedDirectory)
        #expect(hashed.count == 4 && hashed.allSatisfy { $0.hasSuffix(".r0") })
    }

    @Test func reRunningAddsOnlyWhatIsMissingAndRefreshesCRLs() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try LabBuilder.build(Self.profile(), in: folder.path)
        let keyBefore = try Data(contentsOf: folder.appendingPathComponent("hosts/tenant-a/glusterfs/glusterfs.key"))
        let second = try LabBuilder.build(Self.profile(tenants: ["tenant-a", "tenant-b", "tenant-c"]), in: folder.path)
        #expect(second.createdAuthorities.isEmpty)
        #expect(second.issued == ["tenant-c"])
        #expect(Set(second.skipped) == ["node-1", "gshare-manager", "tenant-a", "tenant-b"])
        #expect(try Data(contentsOf: folder.appendingPathComponent("hosts/tenant-a/glusterfs/glusterfs.key")) == keyBefore)
        let tenantInt = try CertificateAuthority.load(from: folder.path + "/ca/tenant-int")
        #expect(try tenantInt.records().map(\.commonName) == ["tenant-a", "tenant-b", "tenant-c"])
        let crl = try RevocationList.load(fromFile: folder.path + "/crl/tenant-int.crl.pem")[0]
        #expect(crl.number == 2)
    }

    @Test func aDuplicateHostNameIsRefusedBeforeAnythingIsWritten() throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try LabBuilder.build(Self.profile(tenants: ["tenant-a", "node-1"]), in: folder.path + "/lab")
        } throws: { ($0 as? PKIError)?.code == .invalidProfile }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/lab"))
    }

    @Test func theCheckedInLabProfileDescribesTheLab() throws {
        let profile = try LabProfile.load(fromFile: repositoryRoot.appendingPathComponent("pki/lab.toml").path)
        #expect(profile.nodes.map(\.value) == ["gluster-node-1"])
        #expect(profile.manager.value == "gshare-manager")
        #expect(profile.tenants.map(\.value) == ["tenant-a", "tenant-b", "tenant-c"])
        #expect(profile.nodeSubjectAlternativeNames.map(\.description) == ["IP:127.0.0.2"])
        #expect(profile.nodeHierarchy.rootCommonName == "gshare Lab Node Root")
        #expect(profile.tenantHierarchy.intermediateCommonName == "gshare Lab Tenant Intermediate")
        #expect(profile.leafKeyType == .p256 && profile.leafDays == 825 && profile.crlDays == 30)
    }

    /// Each bad profile is refused with the file, the line and what to change.
    @Test(arguments: [
        ("tenants = [\"tenant-a\", \"tenant*\"]\n", "lab.toml:1: tenants", "'*'"),
        ("nodes = [\"n1\"]\ntennants = [\"x\"]\n", "lab.toml:2:1: unknown key \"tennants\"", "known keys"),
        ("[leaves]\nkey_type = \"rsa1024\"\n", "lab.toml:2: leaves.key_type", "p256"),
        ("[leaves]\ndays = \"825\"\n", "lab.toml:2:1: \"leaves.days\" must be an integer", "string"),
        ("[node_ca]\nroot_days = 0\n", "lab.toml:2: node_ca.root_days", "1 to 36500"),
        ("node_sans = [\"IP:999.1.1.1\"]\n", "lab.toml:1: node_sans", "IPv4"),
        ("manager = \"a b\"\n", "lab.toml:1: manager", "space"),
        ("nodes = [\"n1\"\n", "lab.toml:1:", "unterminated"),
    ])
    func aBadProfileIsRefusedNamingTheLine(_ text: String, _ place: String, _ detail: String) throws {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try LabProfile.load(fromFile: path)
        } throws: { error in
            guard let error = error as? PKIError, error.code == .invalidProfile else { return false }
            let message = error.description.replacingOccurrences(of: folder.path + "/", with: "")
            return message.contains(place) && message.contains(detail)
        }
    }
}
