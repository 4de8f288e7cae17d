//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareDoctor
import GlusterDriver
import TenantPKI

extension GShare {
    struct Doctor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Find what is wrong with the pool, the tenants' certificates and CRLs, and print the fix.",
            discussion: """
                Checks: each pool volume's TLS posture (TLS off or 'maybe', an open or globbed \
                auth.ssl-allow, server.dynamic-auth off, a pending brick restart); system CNs \
                missing from a list; CNs no tenant owns; tenant certificates expired or expiring \
                (expiry_warning_days), revoked ones still let in (tenant_crl_dir); the CRL folder \
                (a CA certificate in it, a CA without a CRL, a CRL past or near nextUpdate); \
                gshare's own certificate; ssl.certificate-depth against the tenant chains.

                --fix applies only the safe fixes: adding missing system CNs, and removing the CN \
                of an expired or revoked tenant from a share. Everything else is listed with its \
                command.

                Exit status: 0 no critical finding (left); 1 critical findings remain; 2 could not run.
                """
        )

        @Flag(help: "Apply the safe fixes (add missing system CNs, remove expired or revoked tenants' CNs).")
        var fix = false

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let config = try configuration.load()
            let driver = ShareDriver(config: config)
            var (inventory, input) = try await DriverExit.reporting(json: output.json) { () async throws -> (PoolInventory, DoctorInput) in
                let inventory = try await driver.inventory()
                return (inventory, try Self.input(config: config, inventory: inventory))
            }
            var report = GShareDoctor.Doctor.diagnose(input)
            var outcomes: [FixOutcome] = []
            if fix, !report.safeFixes.isEmpty {
                for finding in report.safeFixes {
                    guard let action = finding.fixAction else { continue }
                    outcomes.append(await Self.apply(action, driver: driver, inventory: inventory))
                }
                // Judge again what the fixes left.
                (inventory, input) = try await DriverExit.reporting(json: output.json) { () async throws -> (PoolInventory, DoctorInput) in
                    let inventory = try await driver.inventory()
                    return (inventory, try Self.input(config: config, inventory: inventory))
                }
                report = GShareDoctor.Doctor.diagnose(input)
            }
            if output.json {
                try Console.printJSON(DoctorDocument(report: report, fixes: outcomes))
            } else {
                print(DoctorText.doctor(report, fixes: outcomes, fixing: fix))
            }
            if report.hasCritical { throw ExitStatus.rejected }
        }

        /// What the doctor judges, read from the configuration's files.
        static func input(config: GShareConfig, inventory: PoolInventory) throws -> DoctorInput {
            var managerPEM: String?
            if let path = config.manager?.certificate {
                managerPEM = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            }
            let cas = try config.tenantCA.map { try Certificate.load(fromFile: $0) } ?? []
            return DoctorInput(
                inventory: inventory,
                tenants: try RegistryTenants.load(config: config), tenantsAreComplete: true, systemCNs: config.systemCNs, managerCertificatePEM: managerPEM,
                crlDirectory: config.tenantCRLDirectory.map { CRLDirectory.load(from: $0) }, tenantCACertificates: cas, now: Date(),
                expiryWarningDays: config.expiryWarningDays)
        }

        static func apply(_ action: FixAction, driver: ShareDriver, inventory: PoolInventory) async -> FixOutcome {
            do {
                switch action {
                case .addSystemCNs(let volume):
                    let change = try await driver.ensureSystemCNs(volume: volume, in: inventory)
                    let what = change.changed
                        ? "added \(change.added.joined(separator: ", ")) to auth.ssl-allow of \(change.volume) (now \(change.after))"
                        : "\(change.volume) needed no change"
                    return FixOutcome(action: action, applied: true, message: what)
                case .removeCN(let share, let cn):
                    let change = try await driver.deny(share, GrantedName(try CommonName(validating: cn)))
                    let what = change.changed ? "removed \(cn) from share \(share) (now \(change.after))" : "\(cn) was no longer on share \(share)"
                    return FixOutcome(action: action, applied: true, message: what)
                }
            } catch {
                return FixOutcome(action: action, applied: false, message: "\(error)")
            }
        }
    }
}

/// One safe fix `doctor --fix` tried.
struct FixOutcome: Codable {
    let action: FixAction
    let applied: Bool
    /// What was done, or why it failed.
    let message: String
}

/// The `--json` form of `gshare doctor`.
struct DoctorDocument: Codable {
    struct Counts: Codable {
        let critical: Int
        let warning: Int
        let info: Int
    }

    let findings: [DoctorFinding]
    let counts: Counts
    let fixed: [FixOutcome]
    let missingTargets: [String]

    init(report: DoctorReport, fixes: [FixOutcome]) {
        findings = report.findings
        counts = Counts(critical: report.counts[.critical] ?? 0, warning: report.counts[.warning] ?? 0, info: report.counts[.info] ?? 0)
        fixed = fixes
        missingTargets = report.missingTargets
    }
}
