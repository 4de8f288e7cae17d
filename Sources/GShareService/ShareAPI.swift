//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

public import Foundation
import HTTPTypes
public import NIOCore
public import GShareWorkflows
public import GlusterDriver
public import Hummingbird
public import Logging

/// The share API: the subset of OpenStack Manila's v2 API that the `openstack share …`
/// commands use, over gshare's workflows. Routes parse the request, call one workflow and
/// render Manila's view; every rule (names, sizes, CNs, projects, audit) is the workflows'.
///
/// Who may call is decided before any route (``APICaller``): without client certificates
/// the URL names the project and nobody is admin.
public struct ShareAPI: Sendable {
    /// The microversion served: access rules exist from 2.45; 2.69 would add soft-delete
    /// queries, which gshare does not have.
    public static let microversion = "2.68"

    public let config: GShareConfig
    /// How gluster is reached: one provider for the life of the server, so SSH sessions stay
    /// open between requests.
    public let runners: any GlusterRunnerProvider
    public let operations: ShareOperations
    public let logger: Logger
    /// How callers are told apart.
    public let authentication: APIAuthentication
    /// Requests and latency by route, gluster calls, shares by state, certificate expiry.
    public let metrics: ServiceMetrics
    /// The host the server runs on, for the audit log.
    let host: String
    /// Rendered share lists, while the pool view and the changes under way stay the same.
    let listCache = ListCache()
    /// What time it is (certificate expiry is judged against it).
    let now: @Sendable () -> Date

    public init(
        config: GShareConfig, runners: any GlusterRunnerProvider, operations: ShareOperations = ShareOperations(), authentication: APIAuthentication,
        metrics: ServiceMetrics = ServiceMetrics(), logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.now = now
        self.config = config
        self.runners = runners
        self.operations = operations
        self.authentication = authentication
        self.metrics = metrics
        self.logger = logger
        self.host = ProcessInfo.processInfo.hostName
    }

    /// The API as `gshare serve` runs it: gluster reached as the configuration says (SSH
    /// sessions kept open), every gluster call measured for `/metrics`.
    /// - Parameter clientCertificates: callers are API users named by their client
    ///   certificates (the registry's, asked on every request); else the URL names the project.
    public static func serving(config: GShareConfig, clientCertificates: Bool, logger: Logger) -> ShareAPI {
        let metrics = ServiceMetrics()
        let registryWorkflows = Workflows(
            config: config, context: WorkflowContext(principal: Principal(user: "gshare serve", host: ProcessInfo.processInfo.hostName), request: ["gshare", "serve"], logger: logger))
        let authentication: APIAuthentication =
            clientCertificates ? .clientCertificates(users: { certificate in try registryWorkflows.apiUser(presenting: certificate) }) : .projectInURL
        return ShareAPI(
            config: config, runners: metrics.instrument(ConfiguredRunnerProvider(config: config, logger: logger, keepLockWorkersReady: true)), authentication: authentication,
            metrics: metrics, logger: logger)
    }

    /// The workflows for one request: who asks (the API user), what was asked (method and
    /// path), where it logs.
    /// - Parameter action: the action of `POST …/action` (`allow_access`, …), recorded with
    ///   the request (the path alone does not tell a grant from a revoke).
    func workflows(_ caller: APICaller, _ request: Request, action: String? = nil) -> Workflows {
        let context = WorkflowContext(
            principal: Principal(user: caller.auditName, host: host), request: [request.method.rawValue, request.uri.path] + (action.map { [$0] } ?? []),
            logger: logger,
            now: now)
        return Workflows(config: config, context: context, runners: runners)
    }

    /// The workflows the service itself runs (resuming deletes at start, metrics).
    func serviceWorkflows() -> Workflows {
        Workflows(
            config: config, context: WorkflowContext(principal: Principal(user: "gshare serve", host: host), request: ["gshare", "serve"], logger: logger),
            runners: runners)
    }

    /// Every route of the API.
    public func router() -> Router<ShareAPIContext> {
        let router = Router(context: ShareAPIContext.self)
        router.add(middleware: MetricsRecorder(metrics: metrics))
        router.add(middleware: VersionHeader())
        addDiscoveryRoutes(to: router)
        let project = router.group("v2/:project").add(middleware: Authenticator(authentication: authentication))
        addShareRoutes(to: project)
        addAccessRoutes(to: project)
        return router
    }

    /// Runs a workflow call, turning its error into the API's answer.
    func answer<T>(_ body: () async throws(WorkflowError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw APIError(error)
        }
    }
}

/// The context of one request: who asks, once the authenticator has said.
public struct ShareAPIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection the request came on (its TLS peer certificate names the caller).
    public let channel: any Channel
    /// Who asks (set by the authenticator before every project route).
    public var caller: APICaller?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    public var maxUploadSize: Int { JSONBody.limit }

    /// The caller; only project routes (after the authenticator) ask.
    func requireCaller() throws -> APICaller {
        guard let caller else { throw APIError(.unauthorized, code: "unauthenticated", "no caller was established for this request") }
        return caller
    }
}

/// Puts the microversion served on every answer.
/// Every error becomes a Manila error body (a route gshare does not serve, a method it does
/// not take, a bug: 500 with no detail, logged).
struct VersionHeader<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let message =
                error.status == .notFound
                ? "\(request.method) \(request.uri.path): gshare serves no such resource (the share API: /v2/PROJECT/shares, /v2/PROJECT/share-access-rules, /v2/PROJECT/types)"
                : error.body ?? "\(error.status)"
            response = try APIError(error.status, code: "http-\(error.status.code)", message).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("request failed: \(error)", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"])
            response = try APIError(.internalServerError, code: "internal-error", "gshare could not answer: an internal error (logged by the server)")
                .response(from: request, context: context)
        }
        Self.stamp(&response)
        return response
    }

    static func stamp(_ response: inout Response) {
        response.headers[HTTPField.Name("X-OpenStack-Manila-API-Version")!] = ShareAPI.microversion
        response.headers[HTTPField.Name("OpenStack-API-Version")!] = "shared-file-system \(ShareAPI.microversion)"
    }
}
