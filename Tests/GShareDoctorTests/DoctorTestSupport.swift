//===----------------------------------------------------------------------===//
// gshare — GShareDoctor tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareDoctor
import GShareTestSupport
import TenantPKI
import Testing

@testable import GlusterDriver

/// The fixed moment every test judges at.
let referenceTime = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
let day: TimeInterval = 86400

let lab = GlusterServer(user: nil, host: "127.0.0.2", port: nil)

func cn(_ text: String) throws -> CommonName { try CommonName(validating: text) }
func systemCNs() throws -> [CommonName] { [try cn("gluster-node-1"), try cn("gshare-manager")] }

/// The options of a started volume with TLS fully on and the system CNs listed, with
/// `changes` on top (a nil value removes the option).
func readyOptions(_ changes: [String: String?] = [:]) -> [String: String] {
    var options = [
        "server.ssl": "on", "client.ssl": "on", "auth.ssl-allow": "gluster-node-1,gshare-manager", "server.dynamic-auth": "on",
    ]
    for (key, value) in changes { options[key] = value }
    return options
}

/// The share marks of an active share `id` granted to `granted`.
func shareMarks(_ id: String, state: String = "active", granted: [String] = []) -> [String: String?] {
    [
        "user.gshare.share": id, "user.gshare.name": "name-\(id)", "user.gshare.state": state,
        "user.gshare.granted": granted.isEmpty ? "NONE" : granted.joined(separator: ","),
    ]
}

func poolVolume(_ name: String, status: VolumeInfo.Status = .started, _ changes: [String: String?] = [:]) throws -> PoolVolume {
    PoolVolume(
        server: lab, info: VolumeInfo(name: name, status: status, options: readyOptions(changes)), sizeGB: 1, systemCNs: try systemCNs())
}

func inventory(_ volumes: [PoolVolume]) -> PoolInventory { PoolInventory(volumes: volumes, missingTargets: []) }

func input(
    _ volumes: [PoolVolume], tenants: [DoctorTenant] = [], complete: Bool = true, manager: String? = nil, crls: CRLDirectory? = nil,
    cas: [Certificate] = [], days: Int = 30
) throws -> DoctorInput {
    DoctorInput(
        inventory: inventory(volumes), tenants: tenants, tenantsAreComplete: complete, systemCNs: try systemCNs(),
        managerCertificatePEM: manager, crlDirectory: crls, tenantCACertificates: cas, now: referenceTime, expiryWarningDays: days)
}

/// A tenant described without a real certificate (for checks that read only the facts).
func tenant(_ name: String, cn: String? = nil, expiresIn days: Double = 365, serial: String = "01", issuer: String = "CN=tenant-int")
    -> DoctorTenant
{
    DoctorTenant(
        name: name, commonName: cn ?? name, notAfter: referenceTime.addingTimeInterval(days * day), serialHex: serial, issuer: issuer,
        certificatePEM: "")
}

/// The recorded lab (`fixtures/gluster/volume-info-all.xml`): every volume, as pool volumes.
func recordedLab() throws -> [PoolVolume] {
    let url = repositoryRoot.appendingPathComponent("fixtures/gluster/volume-info-all.xml")
    let output = GlusterCommandOutput(exitStatus: 0, standardOutput: try Data(contentsOf: url), standardError: "")
    return try VolumeInfo.parse(output).map { PoolVolume(server: lab, info: $0, sizeGB: nil, systemCNs: try systemCNs()) }
}

extension Array where Element == DoctorFinding {
    var codes: [String] { map(\.code.rawValue) }
    func with(_ code: DoctorFinding.Code) -> [DoctorFinding] { filter { $0.code == code } }
}

/// A tenant PKI made at run time in a temporary folder: tenant root → tenant intermediate,
/// and a node root for gshare's own certificate.
struct TestPKI {
    let directory: URL
    let root: CertificateAuthority
    let intermediate: CertificateAuthority
    let nodeRoot: CertificateAuthority

    init() throws {
        directory = try makeTemporaryDirectory()
        root = try CertificateAuthority.create(in: directory.appendingPathComponent("tenant-root").path, commonName: "tenant-root", now: referenceTime.addingTimeInterval(-30 * day))
        intermediate = try CertificateAuthority.create(
            in: directory.appendingPathComponent("tenant-int").path, commonName: "tenant-int", parent: root, now: referenceTime.addingTimeInterval(-30 * day))
        nodeRoot = try CertificateAuthority.create(in: directory.appendingPathComponent("node-root").path, commonName: "node-root", now: referenceTime.addingTimeInterval(-30 * day))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// A tenant issued by `authority` (the intermediate by default), valid `days` from 30 days ago.
    func tenant(_ name: String, by authority: CertificateAuthority? = nil, days: Int = 365) throws -> (DoctorTenant, IssuedCertificate) {
        let issued = try (authority ?? intermediate).issue(
            commonName: try cn(name), profile: .client, days: days, now: referenceTime.addingTimeInterval(-30 * day))
        try (authority ?? intermediate).appendRecords([issued.record])
        return (try DoctorTenant(name: name, certificatePEM: issued.chainPEM), issued)
    }

    /// Publishes CRLs of every tenant CA (valid `days` from `issuedAt`) and reads the hashed folder.
    func publishCRLs(days: Int = 30, issuedAt: Date = referenceTime.addingTimeInterval(-day)) throws -> CRLDirectory {
        let outcome = try CRLPublisher.publish(
            for: [intermediate, root], days: days, now: issuedAt, to: directory.appendingPathComponent("crl").path)
        return CRLDirectory.load(from: outcome.hashedDirectory)
    }

    var hashedDirectory: String { directory.appendingPathComponent("crl/hashed").path }
}
