//===----------------------------------------------------------------------===//
// gshare — workflow test bed (not shipped)
//===----------------------------------------------------------------------===//

public import Foundation
import GShareTestSupport
public import GShareWorkflows
public import GlusterDriver
public import InMemoryLogging
public import Logging
public import TenantPKI
public import TenantRegistry

/// The workflows over an in-memory pool, a tenant CA made at run time, a state folder of
/// their own and an in-memory logger: the workflow layer, without the CLI.
public struct Testbed: Sendable {
    public let folder: URL
    public let pool: InMemoryPool
    public let config: GShareConfig
    public let logs: InMemoryLogHandler
    public let tenantRoot: CertificateAuthority
    public let workflows: Workflows

    public static let principal = Principal(user: "tester (sudo: alice)", host: "testhost")
    public static let request = ["gshare", "unit-test"]

    /// - Parameters:
    ///   - volumes: the pool (default: two TLS-ready volumes, vol-a and vol-b).
    ///   - configure: changes to the configuration (a password, a CRL folder…).
    public init(
        volumes: [InMemoryPool.Volume] = [InMemoryPool.readyVolume("vol-a"), InMemoryPool.readyVolume("vol-b")],
        logLevel: Logger.Level = .debug, now: Date = Date(), configure: (inout GShareConfig) -> Void = { _ in }
    ) throws {
        folder = try makeTemporaryDirectory()
        pool = InMemoryPool(volumes)
        tenantRoot = try CertificateAuthority.create(in: folder.appendingPathComponent("tenant-root").path, commonName: "Workflow Test Tenant Root")
        let server = GlusterServer(user: nil, host: "127.0.0.2", port: nil)
        var config = GShareConfig(
            targets: volumes.map { GlusterTarget(server: server, volume: $0.name) },
            systemCNs: [try CommonName(validating: "gluster-node-1"), try CommonName(validating: "gshare-manager")],
            tenantCA: "\(tenantRoot.directory)/ca.pem", stateDirectory: folder.appendingPathComponent("state").path)
        configure(&config)
        self.config = config
        var handler = InMemoryLogHandler()
        handler.logLevel = logLevel
        logs = handler
        var logger = Logger(label: "gshare.test") { _ in handler }
        logger.logLevel = logLevel
        let context = WorkflowContext(principal: Self.principal, request: Self.request, logger: logger, now: { now })
        workflows = Workflows(config: config, context: context, runners: pool)
    }

    /// A client certificate for `cn` from the test tenant root, written as PEM; its path.
    public func issue(_ cn: String, days: Int = 365) throws -> String {
        let issued = try tenantRoot.issue(commonName: CommonName(validating: cn), profile: .client, days: days)
        try tenantRoot.appendRecords([issued.record])
        let path = folder.appendingPathComponent("\(cn).pem").path
        try issued.chainPEM.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The audit log as the registry holds it, oldest first.
    public func audit() throws -> [AuditEntry] {
        try TenantRegistry(stateDirectory: config.stateDirectory).audit()
    }

    /// Every log line: level, message and metadata values, for searching.
    public var logText: String {
        logs.entries.map { entry in
            "\(entry.level) \(entry.message) " + entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// Creates a share on the pool (audited as any change).
    public func share(_ name: String) async throws -> Share {
        try await workflows.createShare(name: name, sizeGB: nil).share
    }
}
