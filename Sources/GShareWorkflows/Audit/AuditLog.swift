//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import Foundation
import Logging
import TenantRegistry

/// The audit log as the workflows write it: one entry per change, made by the workflow
/// that makes the change, with the ``Principal`` who asked and the request as it arrived.
///
/// A change that fails is recorded as failed, one that is refused as refused. A log that
/// cannot be written is a warning (through the logger) and never hides the change's own
/// result.
public struct AuditLog: Sendable {
    /// The state folder whose registry holds the log.
    public let stateDirectory: String
    let context: WorkflowContext

    public init(stateDirectory: String, context: WorkflowContext) {
        self.stateDirectory = stateDirectory
        self.context = context
    }

    /// Appends one entry: `target` is what the change acted on (a share, a volume, a tenant,
    /// a certificate).
    public func record(target: String, verdict: Verdict, message: String?) {
        let entry = AuditEntry(
            time: context.now(), user: context.principal.user, host: context.principal.host, command: context.request, target: target,
            result: verdict.auditResult, message: message)
        do {
            try TenantRegistry(stateDirectory: stateDirectory).record(entry)
            context.logger.debug("audited", metadata: ["target": "\(target)", "result": "\(verdict.rawValue)"])
        } catch {
            context.logger.warning("the audit log could not be written (\(WorkflowError(error).message)); the change's result stands")
        }
    }

    /// Runs one change and records how it ended: `ok` with `summary(value)`, or the error's
    /// verdict and message. Errors come out as ``WorkflowError``.
    func audited<T>(
        _ target: String, verdict: (T) -> Verdict = { _ in .ok }, summary: (T) -> String?, _ change: () async throws -> T
    ) async throws(WorkflowError) -> T {
        let value: T
        do {
            value = try await change()
        } catch {
            let failure = WorkflowError(error)
            record(target: target, verdict: failure.verdict, message: failure.message)
            throw failure
        }
        record(target: target, verdict: verdict(value), message: summary(value))
        return value
    }
}

extension Verdict {
    var auditResult: AuditEntry.Result {
        switch self {
        case .ok: .ok
        case .refused: .refused
        case .failed: .failed
        case .unknown: .unknown
        }
    }
}

/// Runs `body`, turning whatever it throws into a ``WorkflowError``.
func reported<T>(_ body: () async throws -> T) async throws(WorkflowError) -> T {
    do {
        return try await body()
    } catch {
        throw WorkflowError(error)
    }
}

/// Runs `body` (synchronous), turning whatever it throws into a ``WorkflowError``.
func reportedSync<T>(_ body: () throws -> T) throws(WorkflowError) -> T {
    do {
        return try body()
    } catch {
        throw WorkflowError(error)
    }
}
