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
}
