//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import Foundation
import GlusterDriver
import Logging
public import TenantPKI
import TenantRegistry

/// What onboarding did with one certificate file.
public struct OnboardingResult: Sendable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A new tenant.
        case onboarded
        /// A new certificate for a tenant already registered (the old one kept in its history).
        case renewed
        /// The tenant already has this very certificate.
        case unchanged
        /// Not recorded: the certificate fails validation, or its CN or name is taken.
        case refused
        /// Not recorded: the file or the registry could not be used.
        case failed
    }

    public let file: String
    public let kind: Kind
    /// The tenant's name (recorded ones).
    public let tenant: String?
    /// The CN GlusterFS will see.
    public let commonName: String?
    /// SHA-256 of the certificate.
    public let fingerprint: String?
    public let notAfter: Date?
    /// For a renewal: the certificate it replaced.
    public let previousFingerprint: String?
    /// For a certificate refused by validation: every reason, with its fix.
    public let verification: VerificationSummary?
    /// For a refusal or failure: what was wrong.
    public let error: WorkflowError?

    init(
        file: String, kind: Kind, tenant: String? = nil, commonName: String? = nil, fingerprint: String? = nil, notAfter: Date? = nil,
        previousFingerprint: String? = nil, verification: VerificationSummary? = nil, error: WorkflowError? = nil
    ) {
        self.file = file
        self.kind = kind
        self.tenant = tenant
        self.commonName = commonName
        self.fingerprint = fingerprint
        self.notAfter = notAfter
        self.previousFingerprint = previousFingerprint
        self.verification = verification
        self.error = error
    }
}

/// What `tenant onboard` did with every file.
public struct Onboarding: Sendable {
    public let results: [OnboardingResult]

    /// How many files ended each way.
    public func count(_ kind: OnboardingResult.Kind) -> Int { results.count { $0.kind == kind } }

    /// `failed` if any file failed, else `refused` if any was refused, else `ok`.
    public var verdict: Verdict {
        count(.failed) > 0 ? .failed : count(.refused) > 0 ? .refused : .ok
    }

    /// `2 onboarded, 0 renewed, 0 unchanged, 1 refused`.
    public var summary: String {
        "\(count(.onboarded)) onboarded, \(count(.renewed)) renewed, \(count(.unchanged)) unchanged, \(count(.refused)) refused"
            + (count(.failed) > 0 ? ", \(count(.failed)) failed" : "")
    }
}

extension Workflows {
    /// Validates tenant certificates against `tenant_ca` (both layers, the strict policy)
    /// and records them in the registry: a new CN is a new tenant (named `name`, default the
    /// CN), a new certificate for a registered CN renews that tenant. A directory stands for
    /// every `*.pem` and `*.crt` in it. Progress: one ``ProgressEvent/step(completed:total:item:)``
    /// per file. One audit entry for the whole call, with the counts.
    ///
    /// - Throws: ``WorkflowError`` only when nothing could be judged (a missing path, no
    ///   `tenant_ca`, the registry cannot be opened); refusals of single files are results.
    public func onboard(_ paths: [String], name: String? = nil) async throws(WorkflowError) -> Onboarding {
        let progress = context.progress
        defer { progress.finish() }
        return try await audit.audited(paths.joined(separator: " "), verdict: \.verdict, summary: \.summary) {
            let files = try Self.certificateFiles(paths)
            if let name, files.count != 1 {
                throw WorkflowError(
                    .invalidRequest, .failed, subject: name,
                    message: "--name names one tenant, but \(paths.joined(separator: " ")) holds \(files.count) certificate files",
                    fix: "give exactly one certificate with --name")
            }
            guard config.tenantCA != nil else {
                throw WorkflowError(
                    .notConfigured, .failed, message: "onboarding needs tenant_ca in gshare.toml (the tenant root that certificates are validated against)",
                    fix: "set tenant_ca in gshare.toml")
            }
            // tenant_ca, the system CNs refused, and tenant_crl_dir's CRLs when it is set
            let verifier = try TenantTrust(config: config, now: context.now(), subject: "onboarding").verifier()
            let registry = try registry()
            let now = context.now()
            var results: [OnboardingResult] = []
            for (index, (file, verdict)) in zip(files, verifier.verify(files: files)).enumerated() {
                if files.count > 1 { progress.report(.step(completed: index + 1, total: files.count, item: file)) }
                results.append(Self.onboard(file: file, verdict: verdict, name: name, registry: registry, now: now))
            }
            context.logger.info("onboarding: \(Onboarding(results: results).summary)")
            return Onboarding(results: results)
        }
    }

    /// Files and directories → certificate files (a directory: its *.pem and *.crt, sorted).
    static func certificateFiles(_ paths: [String]) throws(WorkflowError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw WorkflowError(.fileUnreadable, .failed, subject: path, message: "\(path): no such file or directory", fix: "check the path")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.filter { $0.hasSuffix(".pem") || $0.hasSuffix(".crt") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }

    static func onboard(
        file: String, verdict: Result<VerificationReport, PKIError>, name: String?, registry: TenantRegistry, now: Date
    ) -> OnboardingResult {
        let report: VerificationReport
        switch verdict {
        case .failure(let error):
            return OnboardingResult(file: file, kind: .refused, error: WorkflowError(error))
        case .success(let value):
            report = value
        }
        guard let identity = report.identity else {
            let summary = VerificationSummary(file: file, report: report)
            return OnboardingResult(
                file: file, kind: .refused, verification: summary,
                error: WorkflowError(
                    .invalidCertificate, .refused, subject: file,
                    message: "not a valid tenant certificate: " + report.errors.map(\.code.rawValue).joined(separator: ", ")))
        }
        let cn = identity.commonName.value
        do {
            let outcome = try registry.onboard(identity, name: name, at: now)
            let tenant = try registry.tenant(commonName: cn)?.name ?? cn
            func result(_ kind: OnboardingResult.Kind, previous: String? = nil) -> OnboardingResult {
                OnboardingResult(
                    file: file, kind: kind, tenant: tenant, commonName: cn, fingerprint: identity.fingerprint,
                    notAfter: identity.certificate.notAfter, previousFingerprint: previous)
            }
            switch outcome {
            case .new: return result(.onboarded)
            case .renewed(let previous): return result(.renewed, previous: previous)
            case .unchanged: return result(.unchanged)
            }
        } catch {
            let failure = WorkflowError(error)
            return OnboardingResult(file: file, kind: failure.verdict == .refused ? .refused : .failed, commonName: cn, error: failure)
        }
    }
}
