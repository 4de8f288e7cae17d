//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import GShareSSH
import GlusterDriver
import GlusterFSAPI
import TenantPKI
import TenantRegistry

/// How a workflow call ended, for front ends (the CLI maps it to an exit status, a server
/// to an HTTP status) and for the audit log.
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// Done (or nothing to do).
    case ok
    /// Understood and refused: the request breaks a rule (the reason says which).
    case refused
    /// Could not run: a file, a server, a database, or gshare itself failed.
    case failed
    /// The change was sent, but whether it took effect is not known: a GlusterFS node hung
    /// while it was in flight. The error names the command that tells.
    case unknown

    /// The more serious of two verdicts (`unknown` > `failed` > `refused` > `ok`).
    public func worse(_ other: Verdict) -> Verdict {
        let rank: [Verdict: Int] = [.ok: 0, .refused: 1, .failed: 2, .unknown: 3]
        return rank[other, default: 0] > rank[self, default: 0] ? other : self
    }
}

/// Every failure a workflow reports: a stable ``code``, the ``subject`` it is about (a
/// file, volume, share, CN, tenant), what was wrong (``message``) and the ``fix``.
///
/// Errors of the layers below (driver, PKI, registry, SSH, libgfapi, configuration) are
/// translated here, in one place (``init(_:)``), so that every front end shows the same
/// code, message and fix, and decides refused-or-failed the same way. Equality compares
/// ``code`` only.
public struct WorkflowError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable identifier (`unknown-share`, `posture-not-ready`, …).
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        /// No tenant has this name in the registry.
        public static let unknownTenant = Code("unknown-tenant")
        /// A tenant still has access somewhere, and the request would orphan it.
        public static let tenantHasAccess = Code("tenant-has-access")
        /// The tenant's recorded certificate has expired.
        public static let tenantCertificateExpired = Code("tenant-certificate-expired")
        /// A certificate that does not pass both validation layers.
        public static let invalidCertificate = Code("invalid-certificate")
        /// A system CN (a node, gshare itself) where only a tenant's may be.
        public static let systemCommonName = Code("system-cn")
        /// A name that breaks the CN rules.
        public static let invalidCommonName = Code("invalid-common-name")
        /// A file that holds no certificate.
        public static let noCertificate = Code("no-certificate")
        /// The configuration lacks a setting the request needs.
        public static let notConfigured = Code("not-configured")
        /// The request is malformed (a bad time, a bad combination of options).
        public static let invalidRequest = Code("invalid-request")
        /// A file or folder that does not exist or cannot be read.
        public static let fileUnreadable = Code("file-unreadable")
        /// The volume is not one of the configured pool's.
        public static let notInPool = Code("not-in-pool")
        /// A fingerprint that does not match what the server presents, or a change not confirmed.
        public static let notConfirmed = Code("not-confirmed")
        /// The calling task was cancelled.
        public static let cancelled = Code("cancelled")
        /// An error no rule above knows: a bug to report.
        public static let internalError = Code("internal-error")
        /// No access rule with that id on the shares the caller sees.
        public static let unknownRule = Code("unknown-rule")
        /// The share API cannot do what was asked (another protocol, a field it does not take).
        public static let unsupported = Code("unsupported")
        /// A share of that name exists (in the project) or is being created.
        public static let nameTaken = Code("name-taken")
        /// The service is stopping and takes no new changes.
        public static let shuttingDown = Code("shutting-down")
    }

    public let code: Code
    /// Refused (the request breaks a rule) or failed (could not run).
    public let verdict: Verdict
    /// What the error is about: a file, a volume, a share, a CN, a tenant.
    public let subject: String?
    /// What was wrong.
    public let message: String
    /// What to do about it.
    public let fix: String?
    /// Where in a file (a configuration, a lab profile) the problem is.
    public let location: SourceLocation?
    /// More about the object, for scripts: `share`, `volume`, `command`, `host`, `step`…
    public let context: [String: String]

    public init(
        _ code: Code, _ verdict: Verdict, subject: String? = nil, message: String, fix: String? = nil, location: SourceLocation? = nil,
        context: [String: String] = [:]
    ) {
        self.code = code
        self.verdict = verdict == .ok ? .failed : verdict
        self.subject = subject
        self.message = message
        self.fix = fix.flatMap { $0.isEmpty ? nil : $0 }
        self.location = location
        self.context = context
    }

    /// `message`, then `fix: …` on its own line.
    public var description: String {
        guard let fix else { return message }
        return message + "\n  fix: " + fix
    }

    public static func == (lhs: WorkflowError, rhs: WorkflowError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// A place in a file: a configuration key on a line, a profile entry.
public struct SourceLocation: Sendable, Hashable, Codable {
    public let file: String
    /// 1-based; nil when the problem is the whole file.
    public let line: Int?
    public let column: Int?
    /// The key at fault, when there is one.
    public let key: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
    }
}

extension WorkflowError {
    /// Any error, as a workflow reports it: the one place where lower layers' errors get a
    /// verdict (refused or failed), a subject and a fix.
    public init(_ error: any Error) {
        switch error {
        case let error as WorkflowError:
            self = error
        case let error as ShareDriverError:
            var context: [String: String] = [:]
            context["share"] = error.share
            context["volume"] = error.volume
            self.init(
                Code(error.code.rawValue),
                error.code == .outcomeUnknown ? .unknown : Self.refusedDriverCodes.contains(error.code) ? .refused : .failed,
                subject: error.share ?? error.volume, message: error.message, fix: error.hint, context: context)
        case let error as GlusterDriverError:
            var context = ["command": "gluster " + error.command.joined(separator: " ")]
            context["glusterd"] = error.glusterMessage
            context["errno"] = error.glusterErrno.map(String.init)
            let refused = [GlusterDriverError.Code.quorumLost, .nodeDown].contains(error.code)
            self.init(
                Code(error.code.rawValue), refused ? .refused : .failed, subject: context["command"], message: error.description, fix: Self.fix(for: error),
                context: context)
        case let error as GShareConfigError:
            var prefix = ""
            var location: SourceLocation?
            if !error.source.isEmpty {
                prefix = error.line > 0 ? "\(error.source):\(error.line):\(error.column): " : "\(error.source): "
                location = SourceLocation(
                    file: error.source, line: error.line > 0 ? error.line : nil, column: error.column > 0 ? error.column : nil, key: error.key)
            }
            self.init(
                Code(error.code.rawValue), .failed, subject: error.source.isEmpty ? nil : error.source,
                message: prefix + (error.key.map { "\($0): " } ?? "") + error.message, fix: error.hint, location: location)
        case let error as PKIError:
            let openSSL = error.openSSLErrors.isEmpty ? "" : " (OpenSSL: \(error.openSSLErrors.joined(separator: "; ")))"
            self.init(
                Code(error.code.rawValue), Self.refusedPKICodes.contains(error.code) ? .refused : .failed, subject: error.path,
                message: (error.path.map { "\($0): " } ?? "") + error.reason + openSSL, fix: error.hint)
        case let error as RegistryError:
            self.init(
                Code(error.code.rawValue), Self.refusedRegistryCodes.contains(error.code) ? .refused : .failed, subject: error.path,
                message: (error.path.map { "\($0): " } ?? "") + error.reason, fix: error.hint)
        case let error as SSHError:
            var context = ["host": error.host, "step": error.step.rawValue]
            context["fingerprint"] = error.fingerprint
            self.init(
                Code("ssh-\(error.code.rawValue)"), .failed, subject: error.host,
                message: error.message, context: context)
        case let error as GlusterFSError:
            self.init(Code(error.code.rawValue), .failed, subject: error.path, message: error.description)
        case is CancellationError:
            self.init(.cancelled, .failed, message: "cancelled before it finished")
        default:
            self.init(.internalError, .failed, message: "\(error)", fix: "this is a bug in gshare: please report it with the command that caused it")
        }
    }

    /// Driver requests understood but refused.
    static let refusedDriverCodes: Set<ShareDriverError.Code> = [
        .unknownShare, .noFreeVolume, .nameTaken, .invalidRequest, .postureNotReady, .systemCN, .notInPool, .volumeBusy, .patternAdmits, .ambiguousShare,
        .quorumLost, .sizeExceedsVolume, .shrinkBelowUsage,
    ]

    /// PKI requests understood but refused (a hostile CN, an existing file, a serial the CA
    /// never issued…); everything else could not run.
    static let refusedPKICodes: Set<PKIError.Code> = [
        .invalidCommonName, .alreadyExists, .issuanceRefused, .unknownSerial, .invalidProfile, .unknownKeyType,
    ]

    /// Registry requests understood but refused.
    static let refusedRegistryCodes: Set<RegistryError.Code> = [.cnTaken, .nameTaken, .invalidName, .unknownTenant]

    static func fix(for error: GlusterDriverError) -> String? {
        switch error.code {
        case .glusterdUnreachable: "start glusterd on that server (systemctl start glusterd), or check the server in gshare.toml; then run the same command again"
        case .unknownVolume: "check the volume's name (gluster volume list on the server), or remove it from gshare.toml"
        case .quorumLost: "bring the nodes that are down back (gshare status shows which are disconnected); then run the same command again"
        case .nodeDown: "bring the node back (gshare status shows which are disconnected); then run the same command again"
        case .quotaUnavailable: "run the same command again in a moment (nothing was changed)"
        case .quotadRefused: "put the node CNs (system_cns) back in the volume's auth.ssl-allow (gshare doctor --fix) and check the volume is started"
        default: nil
        }
    }
}
