//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GlusterDriver
import TenantPKI
import TenantRegistry

extension GShare.Tenant {
    struct Onboard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "onboard",
            abstract: "Validate tenant certificates against tenant_ca and record them in the registry.",
            discussion: """
                Each certificate must pass both layers of 'gshare cert verify' against tenant_ca \
                from gshare.toml (a PEM may carry its chain after the leaf). A refused certificate \
                is printed with every reason and its fix, and nothing is recorded for it.

                A new CN becomes a new tenant (named --name, default the CN). A new certificate for \
                a CN already registered renews that tenant (the old one stays in its history). A CN \
                held by another tenant name, or a name held by another CN, is refused.

                A directory stands for every *.pem and *.crt in it. With several files, a progress \
                line is drawn on stderr (when it is a terminal) and a summary is printed.

                Exit status: 0 every certificate onboarded (or unchanged); 1 some were refused; \
                2 could not run (no tenant_ca, a missing path, the registry cannot be opened).
                """
        )

        @Argument(help: ArgumentHelp("Certificate files (PEM or DER) or directories.", valueName: "cert"), completion: .file())
        var certificates: [String]

        @Option(help: ArgumentHelp("The tenant's name (letters, digits, . _ -). Default: the CN. Only with one certificate.", valueName: "name"))
        var name: String?

        @OptionGroup var configuration: ConfigOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if certificates.isEmpty { throw ValidationError("give at least one certificate file or directory") }
            if name != nil && certificates.count != 1 { throw ValidationError("--name names one tenant: give exactly one certificate with it") }
        }

        func run() async throws {
            let config = try configuration.load()
            let audit = AuditTrail.Target(config: config, target: certificates.joined(separator: " "))
            let (files, verifier, registry) = try await DriverExit.reporting(json: output.json, audit: audit, recordSuccess: false) {
                let files = try Self.expand(certificates)
                if name != nil && files.count != 1 {
                    throw CommandFailure(code: "invalid-request", message: "--name names one tenant, but \(certificates[0]) holds \(files.count) certificate files")
                }
                guard let tenantCA = config.tenantCA else {
                    throw CommandFailure(
                        code: "not-configured",
                        message: "onboarding needs tenant_ca in gshare.toml (the tenant root that certificates are validated against)")
                }
                let verifier = CertificateVerifier(trustStore: try TrustStore(caFile: tenantCA))
                return (files, verifier, try TenantRegistry(stateDirectory: config.stateDirectory))
            }

            var results: [OnboardResult] = []
            let now = Date()
            for (index, (file, verdict)) in zip(files, verifier.verify(files: files)).enumerated() {
                if files.count > 1 { Progress.line("onboarding \(index + 1)/\(files.count): \(file)") }
                results.append(Self.onboard(file: file, verdict: verdict, name: name, registry: registry, now: now))
            }
            Progress.finish()

            let counts = OnboardDocument.Counts(results)
            let summary = "\(counts.onboarded) onboarded, \(counts.renewed) renewed, \(counts.unchanged) unchanged, \(counts.refused) refused"
                + (counts.failed > 0 ? ", \(counts.failed) failed" : "")
            if output.json {
                try Console.printJSON(OnboardDocument(results: results, counts: counts))
            } else {
                for result in results { print(result.text) }
                if results.count > 1 { print("summary: " + summary) }
            }
            let outcome: AuditEntry.Result = counts.failed > 0 ? .failed : counts.refused > 0 ? .refused : .ok
            audit.record(outcome, message: summary)
            if counts.failed > 0 { throw ExitStatus.couldNotRun }
            if counts.refused > 0 { throw ExitStatus.rejected }
        }

        /// Files and directories → certificate files (a directory: its *.pem and *.crt, sorted).
        static func expand(_ paths: [String]) throws -> [String] {
            var files: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw CommandFailure(code: "file-unreadable", message: "\(path): no such file or directory")
                }
                guard isDirectory.boolValue else { files.append(path); continue }
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { $0.hasSuffix(".pem") || $0.hasSuffix(".crt") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            }
            return files
        }

        static func onboard(file: String, verdict: Result<VerificationReport, PKIError>, name: String?, registry: TenantRegistry, now: Date) -> OnboardResult {
            let report: VerificationReport
            switch verdict {
            case .failure(let error):
                return OnboardResult(file: file, outcome: "refused", message: error.description, text: "\(file): REFUSED [\(error.code)] — \(error.description)")
            case .success(let value):
                report = value
            }
            guard let identity = report.identity else {
                let summary = VerificationSummary(file: file, report: report)
                return OnboardResult(
                    file: file, outcome: "refused", verification: summary,
                    message: "not a valid tenant certificate: " + report.errors.map(\.code.rawValue).joined(separator: ", "),
                    text: "REFUSED (nothing recorded): " + CertificateText.render(summary))
            }
            do {
                let outcome = try registry.onboard(identity, name: name, at: now)
                let tenant = try registry.tenant(commonName: identity.commonName.value)?.name ?? identity.commonName.value
                let base = OnboardResult(file: file, outcome: "", tenant: tenant, commonName: identity.commonName.value, fingerprint: identity.fingerprint, text: "")
                switch outcome {
                case .new:
                    return base.with(outcome: "onboarded", text: "\(file): onboarded tenant \(tenant) (CN \(identity.commonName), until \(RFC3339.format(identity.certificate.notAfter)))")
                case .renewed(let previous):
                    var result = base.with(outcome: "renewed", text: "\(file): renewed tenant \(tenant) (CN \(identity.commonName), until \(RFC3339.format(identity.certificate.notAfter)); previous certificate \(previous) kept in its history)")
                    result.previousFingerprint = previous
                    return result
                case .unchanged:
                    return base.with(outcome: "unchanged", text: "\(file): tenant \(tenant) already has this certificate: nothing to do")
                }
            } catch let error as RegistryError where DriverExit.registryRefusedCodes.contains(error.code) {
                return OnboardResult(file: file, outcome: "refused", commonName: identity.commonName.value, message: error.description, text: "\(file): REFUSED [\(error.code)] — \(error.description)")
            } catch {
                return OnboardResult(file: file, outcome: "failed", message: "\(error)", text: "\(file): FAILED — \(error)")
            }
        }
    }
}

/// One file's result in `gshare tenant onboard`.
struct OnboardResult: Codable {
    let file: String
    var outcome: String
    var tenant: String? = nil
    var commonName: String? = nil
    var fingerprint: String? = nil
    var previousFingerprint: String? = nil
    var verification: VerificationSummary? = nil
    var message: String? = nil
    var text: String

    enum CodingKeys: String, CodingKey {
        case file, outcome, tenant, commonName, fingerprint, previousFingerprint, verification, message
    }

    init(
        file: String, outcome: String, tenant: String? = nil, commonName: String? = nil, fingerprint: String? = nil,
        verification: VerificationSummary? = nil, message: String? = nil, text: String
    ) {
        self.file = file
        self.outcome = outcome
        self.tenant = tenant
        self.commonName = commonName
        self.fingerprint = fingerprint
        self.verification = verification
        self.message = message
        self.text = text
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        outcome = try container.decode(String.self, forKey: .outcome)
        tenant = try container.decodeIfPresent(String.self, forKey: .tenant)
        commonName = try container.decodeIfPresent(String.self, forKey: .commonName)
        fingerprint = try container.decodeIfPresent(String.self, forKey: .fingerprint)
        previousFingerprint = try container.decodeIfPresent(String.self, forKey: .previousFingerprint)
        verification = try container.decodeIfPresent(VerificationSummary.self, forKey: .verification)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        text = ""
    }

    func with(outcome: String, text: String) -> OnboardResult {
        var copy = self
        copy.outcome = outcome
        copy.text = text
        return copy
    }
}

/// The `--json` form of `gshare tenant onboard`.
struct OnboardDocument: Codable {
    struct Counts: Codable {
        let onboarded: Int
        let renewed: Int
        let unchanged: Int
        let refused: Int
        let failed: Int

        init(_ results: [OnboardResult]) {
            onboarded = results.count { $0.outcome == "onboarded" }
            renewed = results.count { $0.outcome == "renewed" }
            unchanged = results.count { $0.outcome == "unchanged" }
            refused = results.count { $0.outcome == "refused" }
            failed = results.count { $0.outcome == "failed" }
        }
    }

    let results: [OnboardResult]
    let counts: Counts
}
