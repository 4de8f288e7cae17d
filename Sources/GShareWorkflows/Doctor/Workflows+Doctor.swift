//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import Foundation
public import GShareDoctor
import GlusterDriver
import TenantPKI
import TenantRegistry

/// One safe fix that `doctor --fix` tried.
public struct FixOutcome: Sendable, Codable, Equatable {
    public let action: FixAction
    public let applied: Bool
    /// What was done, or why it failed.
    public let message: String

    public init(action: FixAction, applied: Bool, message: String) {
        self.action = action
        self.applied = applied
        self.message = message
    }
}

/// What `doctor` found, and with `fix`, what it repaired (then judged again).
public struct DoctorOutcome: Sendable {
    /// The findings (after the fixes, when fixing).
    public let report: DoctorReport
    /// The fixes tried, in order.
    public let fixes: [FixOutcome]
    /// `refused` while critical findings remain.
    public var verdict: Verdict { report.hasCritical ? .refused : .ok }
}

extension Workflows {
    /// Every share with who is let in, the free volumes and those waiting for a wipe.
    public func status() async throws(WorkflowError) -> StatusReport {
        try await reported {
            let inventory = try await driver.inventory()
            async let usages = driver.usage(of: inventory.volumes.filter { $0.marks.shareID != nil })
            let clusters = await driver.clusterHealth(of: inventory)
            return StatusReport(
                inventory: inventory, tenants: try registeredTenants(), systemCNs: config.systemCNs, clusters: clusters, usages: await usages,
                sizeUnit: config.sizeUnit)
        }
    }

    /// Runs every doctor check; with `fix`, applies the safe fixes (each audited on its
    /// own: adding missing system CNs, removing an expired or revoked tenant's CN from a
    /// share) and judges again.
    public func doctor(fix: Bool) async throws(WorkflowError) -> DoctorOutcome {
        var (inventory, input) = try await doctorInput()
        var report = Doctor.diagnose(input)
        guard fix, !report.safeFixes.isEmpty else { return DoctorOutcome(report: report, fixes: []) }
        var fixes: [FixOutcome] = []
        for finding in report.safeFixes {
            guard let action = finding.fixAction else { continue }
            fixes.append(await apply(action, inventory: inventory))
        }
        (inventory, input) = try await doctorInput()
        report = Doctor.diagnose(input)
        return DoctorOutcome(report: report, fixes: fixes)
    }

    /// What the doctor judges, read now.
    func doctorInput() async throws(WorkflowError) -> (PoolInventory, DoctorInput) {
        try await reported {
            let inventory = try await driver.inventory()
            var managerPEM: String?
            var managerCN: String?
            if let path = config.manager?.certificate {
                managerPEM = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                let leaf = try? Certificate.parse(fileBytes: Array((managerPEM ?? "").utf8), path: path).first
                managerCN = leaf.map { String(decoding: $0.glusterFSName.bytes, as: UTF8.self) }
            }
            let cas = try config.tenantCA.map { try Certificate.load(fromFile: $0) } ?? []
            // Every read of the servers at once; the pools' brick status once for both uses.
            async let usages = driver.usage(of: inventory.volumes.filter { $0.marks.shareID != nil })
            let bricks = await driver.brickStatuses(of: inventory)
            async let nodes = driver.nodeIdentities(of: inventory, brickStatus: bricks)
            async let clusters = driver.clusterHealth(of: inventory, brickStatus: bricks, managerCN: managerCN)
            let input = DoctorInput(
                inventory: inventory, tenants: try registeredTenants(), tenantsAreComplete: true, systemCNs: config.systemCNs,
                managerCertificatePEM: managerPEM, crlDirectory: config.tenantCRLDirectory.map { CRLDirectory.load(from: $0) },
                tenantCACertificates: cas, now: context.now(), expiryWarningDays: config.expiryWarningDays,
                nodes: await nodes, clusters: await clusters, usages: await usages, sizeUnit: config.sizeUnit)
            return (inventory, input)
        }
    }

    /// The registry's tenants, as the doctor judges them: the complete list of tenants.
    func registeredTenants() throws -> [DoctorTenant] {
        try registry().tenants().map { try DoctorTenant(name: $0.name, certificatePEM: $0.certificate.pem) }
    }

    /// Applies one safe fix, audited (target: the volume or share it changed).
    func apply(_ action: FixAction, inventory: PoolInventory) async -> FixOutcome {
        let target: String
        switch action {
        case .addSystemCNs(let volume): target = volume
        case .removeCN(let share, _): target = share
        case .restoreQuota(let share): target = share
        }
        do {
            let message = try await audit.audited(target, summary: { $0 }) { () async throws -> String in
                switch action {
                case .addSystemCNs(let volume):
                    let change = try await driver.ensureSystemCNs(volume: volume, in: inventory)
                    return change.changed
                        ? "added \(change.added.joined(separator: ", ")) to auth.ssl-allow of \(change.volume) (now \(change.after))"
                        : "\(change.volume) needed no change"
                case .removeCN(let share, let cn):
                    let change = try await driver.deny(share, GrantedName(try CommonName(validating: cn)))
                    return change.changed ? "removed \(cn) from share \(share) (now \(change.after))" : "\(cn) was no longer on share \(share)"
                case .restoreQuota(let share):
                    return try await driver.restoreQuota(share)
                }
            }
            return FixOutcome(action: action, applied: true, message: message)
        } catch {
            return FixOutcome(action: action, applied: false, message: error.description)
        }
    }
}
