//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

public import Hummingbird
import Foundation
public import GShareWorkflows

/// An error answer of the share API, with Manila's body:
/// `{"badRequest": {"code": 400, "message": "…"}}` (the fault name follows the status:
/// `itemNotFound` for 404, `serviceUnavailable` for 503, …). The message carries gshare's
/// reason and its fix; the code of gshare's reason goes into the `x-gshare-error` header.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let message: String
    /// gshare's error code (`unknown-share`, `invalid-request`, …).
    public let code: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The answer for a workflow's error: 404 for a share or rule the caller does not see,
    /// 400 for a refusal, 503 when the servers cannot be reached or are busy (nothing was
    /// changed), 500 otherwise.
    public init(_ error: WorkflowError) {
        let text = error.fix.map { "\(error.message) (fix: \($0))" } ?? error.message
        self.init(Self.status(of: error), code: error.code.rawValue, text)
    }

    static let notFoundCodes: Set<String> = ["unknown-share", "already-deleted", "unknown-rule"]
    static let unavailableCodes: Set<String> = [
        "glusterd-unreachable", "node-down", "quorum-lost", "lock-timeout", "lock-failed", "shutting-down", "quota-unavailable", "outcome-unknown",
        "volume-busy", "runner-failed", "timed-out",
    ]

    static func status(of error: WorkflowError) -> HTTPResponse.Status {
        let code = error.code.rawValue
        if notFoundCodes.contains(code) { return .notFound }
        if unavailableCodes.contains(code) || code.hasPrefix("ssh-") { return .serviceUnavailable }
        switch error.verdict {
        case .refused: return .badRequest
        case .ok, .failed, .unknown: return .internalServerError
        }
    }

    /// Manila's fault name for a status.
    var faultName: String {
        switch status.code {
        case 400: "badRequest"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "itemNotFound"
        case 405: "HTTPMethodNotAllowed"
        case 409: "conflict"
        case 413: "requestEntityTooLarge"
        case 415: "unsupportedMediaType"
        case 503: "serviceUnavailable"
        default: status.code >= 500 ? "computeFault" : "badRequest"
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.response([faultName: Fault(code: status.code, message: message)], status: status)
        response.headers[.init("x-gshare-error")!] = code
        return response
    }

    struct Fault: Encodable {
        let code: Int
        let message: String
    }

    static func badRequest(_ message: String, code: String = "invalid-request") -> APIError { APIError(.badRequest, code: code, message) }
    static func notFound(_ message: String, code: String = "unknown-share") -> APIError { APIError(.notFound, code: code, message) }
}
