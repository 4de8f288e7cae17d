//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import GlusterDriver
import Logging
import TenantRegistry

/// What a user asks of gshare on one configuration, start to finish: onboarding tenants,
/// granting and denying, creating and deleting shares, preparing the pool, status, doctor
/// and its fixes. Every rule lives here (or below), and every change is audited here, by
/// the workflow that makes it.
///
/// Front ends (the CLI, a server) build one from a loaded ``GShareConfig`` and a
/// ``WorkflowContext``, call one method, and render what it returns. Every method throws
/// only ``WorkflowError``.
///
/// The workflows that need no configuration are ``CertificateWorkflows``,
/// ``PKIWorkflows``, ``SSHTrustWorkflow`` and ``ConfigurationWorkflow``.
public struct Workflows: Sendable {
    public let config: GShareConfig
    public let context: WorkflowContext
    /// The driver every pool, share and access workflow goes through.
    public let driver: ShareDriver

    /// - Parameter runners: how gluster is reached; default: as the configuration says
    ///   (locally, or over SSH).
    public init(config: GShareConfig, context: WorkflowContext, runners: (any GlusterRunnerProvider)? = nil) {
        self.config = config
        self.context = context
        var logger = context.logger
        logger[metadataKey: "component"] = "driver"
        self.driver = ShareDriver(config: config, runners: runners, logger: logger)
    }

    /// The audit log of this configuration (`state_dir`).
    public var audit: AuditLog { AuditLog(stateDirectory: config.stateDirectory, context: context) }

    /// The tenant registry of this configuration (`state_dir/gshare.sqlite`).
    func registry() throws -> TenantRegistry {
        try TenantRegistry(stateDirectory: config.stateDirectory)
    }
}
