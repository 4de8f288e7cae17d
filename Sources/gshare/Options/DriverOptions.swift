//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import Foundation
import GShareSSH
import GlusterDriver
import TenantPKI
import TenantRegistry

/// How a pool/share/access command ends when the driver refuses or fails.
enum DriverExit {
    /// Requests understood but refused: exit 1. Everything else could not run: exit 2.
    static let refusedCodes: Set<ShareDriverError.Code> = [
        .unknownShare, .noFreeVolume, .nameTaken, .invalidRequest, .postureNotReady, .systemCN, .notInPool, .volumeBusy,
    ]

    /// How a failure ends the command: its code, message and exit status.
    struct Failure {
        let code: String
        let message: String
        let status: ExitCode
    }

    static func failure(_ error: any Error) -> Failure {
        switch error {
        case let error as ShareDriverError:
            Failure(code: error.code.rawValue, message: error.description, status: refusedCodes.contains(error.code) ? ExitStatus.rejected : ExitStatus.couldNotRun)
        case let error as GlusterDriverError:
            Failure(code: error.code.rawValue, message: error.description, status: ExitStatus.couldNotRun)
        case let error as GShareConfigError:
            Failure(code: error.code.rawValue, message: error.description, status: ExitStatus.couldNotRun)
        case let error as PKIError:
            Failure(code: error.code.rawValue, message: error.description, status: ExitStatus.couldNotRun)
        case let error as SSHError:
            Failure(code: "ssh-\(error.code.rawValue)", message: error.description, status: ExitStatus.couldNotRun)
        case let error as RegistryError:
            Failure(code: error.code.rawValue, message: error.description, status: registryRefusedCodes.contains(error.code) ? ExitStatus.rejected : ExitStatus.couldNotRun)
        case let refusal as IdentityRefusal:
            Failure(code: refusal.code, message: refusal.message, status: ExitStatus.rejected)
        case let failure as CommandFailure:
            Failure(code: failure.code, message: failure.message, status: ExitStatus.couldNotRun)
        default:
            Failure(code: "internal-error", message: "\(error)", status: ExitStatus.couldNotRun)
        }
    }

    /// Registry requests understood but refused: exit 1.
    static let registryRefusedCodes: Set<RegistryError.Code> = [.cnTaken, .nameTaken, .invalidName, .unknownTenant]

    /// Runs `body`; a failure is printed on stderr (and with `--json` as
    /// `{"error": {code, message}}` on stdout) and becomes exit status 1 or 2. With `audit`,
    /// the outcome is recorded in the audit log (`summary` describes a success).
    static func reporting<T>(
        json: Bool, audit: AuditTrail.Target? = nil, recordSuccess: Bool = true, summary: (T) -> String? = { _ in nil },
        _ body: () async throws -> T
    ) async throws -> T {
        do {
            let value = try await body()
            if recordSuccess { audit?.record(.ok, message: summary(value)) }
            return value
        } catch let exit as ExitCode {
            audit?.record(exit.rawValue == ExitStatus.rejected.rawValue ? .refused : .failed, message: nil)
            throw exit
        } catch {
            let failure = failure(error)
            audit?.record(failure.status.rawValue == ExitStatus.rejected.rawValue ? .refused : .failed, message: failure.message)
            try fail(code: failure.code, message: failure.message, status: failure.status, json: json)
        }
    }

    static func fail(code: String, message: String, status: ExitCode, json: Bool) throws -> Never {
        Console.printError(message)
        if json { try Console.printJSON(PKIErrorDocument(error: .init(code: code, message: message))) }
        throw status
    }
}

/// A command that cannot run for a reason the CLI found (a missing path, a missing setting): exit 2.
struct CommandFailure: Error {
    let code: String
    let message: String
}

/// A tenant identity the CLI refused before the driver was asked (an invalid certificate,
/// a CN that breaks the rules).
struct IdentityRefusal: Error {
    let code: String
    let message: String
}

/// Who to let in or throw out: a registered TENANT, `--cn NAME` or `--cert FILE`, and
/// Manila's access type/level.
struct IdentityOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A tenant from the registry (gshare tenant list): its recorded CN is used.", valueName: "tenant"))
    var tenant: String?

    @Option(help: ArgumentHelp("The common name, checked by the same rules as certificates (letters, digits, . _ @ -; no globs).", valueName: "cn"))
    var cn: String?

    @Option(
        help: ArgumentHelp("The tenant's certificate (PEM, chain after the leaf allowed). For allow it must pass validation against tenant_ca; its first CN is what GlusterFS sees.", valueName: "file"),
        completion: .file())
    var cert: String?

    @Option(help: ArgumentHelp("Intermediate CAs that complete the --cert chain. Repeatable.", valueName: "file"), completion: .file())
    var untrusted: [String] = []

    @Option(help: ArgumentHelp("CRLs to check the --cert chain against. Repeatable.", valueName: "file"), completion: .file())
    var crl: [String] = []

    @Option(name: .customLong("access-type"), help: ArgumentHelp("Manila's access type: only 'cert' is supported.", valueName: "type"))
    var accessType: String = "cert"

    @Option(help: ArgumentHelp("Manila's access level: only 'rw' is supported.", valueName: "level"))
    var level: String = "rw"

    func validate() throws {
        guard [tenant != nil, cn != nil, cert != nil].count(where: { $0 }) == 1 else {
            throw ValidationError("give exactly one of TENANT (a registered tenant's name), --cn NAME or --cert FILE")
        }
    }

    var request: AccessRequest { AccessRequest(accessType: accessType, level: level) }

    /// The validated name. For allow, a certificate must pass both validation layers against
    /// tenant_ca; for deny, any certificate whose CN follows the rules will do (throwing out
    /// an expired or revoked tenant must work).
    func grantedName(config: GShareConfig, forAllow: Bool) throws -> GrantedName {
        if let tenant { return try Self.registeredName(tenant, config: config, forAllow: forAllow) }
        if let cn {
            do {
                return GrantedName(try CommonName(validating: cn))
            } catch {
                throw IdentityRefusal(code: "invalid-common-name", message: "--cn '\(cn)': \(error)")
            }
        }
        guard let cert else { throw ValidationError("give --cn or --cert") }
        guard forAllow else {
            guard let certificate = try Certificate.load(fromFile: cert).first else {
                throw IdentityRefusal(code: "no-certificate", message: "\(cert) holds no certificate")
            }
            do {
                return GrantedName(try CommonName(validating: String(decoding: certificate.glusterFSName.bytes, as: UTF8.self)))
            } catch {
                throw IdentityRefusal(code: "invalid-common-name", message: "\(cert): the name GlusterFS sees is not a valid CN: \(error)")
            }
        }
        guard let tenantCA = config.tenantCA else {
            throw IdentityRefusal(
                code: "not-configured",
                message: "--cert needs tenant_ca in gshare.toml (the tenant root that certificates are validated against); or use --cn")
        }
        let verifier = CertificateVerifier(trustStore: try TrustStore(caFile: tenantCA, untrustedFiles: untrusted, crlFiles: crl))
        guard let result = verifier.verify(files: [cert]).first else { throw IdentityRefusal(code: "internal-error", message: "no verdict") }
        let report = try result.get()
        guard let identity = report.identity else {
            let reasons = VerificationSummary(file: cert, report: report)
            throw IdentityRefusal(
                code: "invalid-certificate",
                message: "\(cert) is not a valid tenant certificate for \(tenantCA); nothing was changed:\n" + CertificateText.render(reasons))
        }
        return GrantedName(identity, origin: "certificate \(cert)")
    }
}

extension IdentityOptions {
    /// The CN the registry records for `tenant`. An unknown tenant is refused with the known
    /// names; for allow, so is a tenant whose certificate has expired.
    static func registeredName(_ tenant: String, config: GShareConfig, forAllow: Bool, now: Date = Date()) throws -> GrantedName {
        let registry = try TenantRegistry(stateDirectory: config.stateDirectory)
        guard let record = try registry.tenant(named: tenant) else {
            throw TenantText.unknownTenant(tenant, known: try registry.tenants().map(\.name), registry: registry.path)
        }
        if forAllow && record.certificate.isExpired(at: now) {
            throw IdentityRefusal(
                code: "tenant-certificate-expired",
                message: "tenant '\(tenant)' (CN \(record.commonName)): its certificate expired at \(RFC3339.format(record.certificate.notAfter)); nothing was changed. Onboard the renewed certificate (gshare tenant onboard NEW.pem), then allow again")
        }
        do {
            return GrantedName(try CommonName(validating: record.commonName))
        } catch {
            throw IdentityRefusal(code: "invalid-common-name", message: "tenant '\(tenant)': the recorded CN is not a valid CN: \(error)")
        }
    }
}

/// Progress on stderr, only when it is a terminal.
enum Progress {
    static var enabled: Bool { isatty(STDERR_FILENO) == 1 }

    static func line(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    static func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
