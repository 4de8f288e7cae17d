//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

public import GlusterDriver
import Hummingbird

/// Who calls the share API, and what that caller sees.
public struct APICaller: Sendable, Hashable {
    /// The API user (a client certificate's CN), or nil without client certificates.
    public let user: String?
    /// The project of the request (the URL's).
    public let project: String
    /// True for an API admin: may use `all_tenants` and sees shares of every project.
    public let admin: Bool

    /// The scope of a request: its project's shares; an admin asking with `all_tenants`,
    /// every share.
    public func scope(allTenants: Bool = false) -> ShareScope {
        admin && allTenants ? .admin : .project(project)
    }

    /// How the audit log names the caller.
    var auditName: String {
        "api:\(user ?? "unauthenticated") (project \(project)\(admin ? ", admin" : ""))"
    }
}

/// How the share API tells callers apart.
public enum APIAuthentication: Sendable {
    /// No client certificates (loopback only): the URL names the project, nobody is admin,
    /// `all_tenants` is ignored. (Manila's noauth makes everyone admin; gshare does not.)
    case projectInURL
}

/// Establishes the caller of every project route (`/v2/{project}/…`).
struct Authenticator: RouterMiddleware {
    let authentication: APIAuthentication

    func handle(_ request: Request, context: ShareAPIContext, next: (Request, ShareAPIContext) async throws -> Response) async throws -> Response {
        let project = context.parameters.get("project") ?? ""
        guard ProjectID.isValid(project) else {
            throw APIError.badRequest(
                "'\(project)' is not a project ID: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (the URL is /v2/PROJECT/…)",
                code: "invalid-project")
        }
        var context = context
        switch authentication {
        case .projectInURL:
            context.caller = APICaller(user: nil, project: project, admin: false)
        }
        return try await next(request, context)
    }
}
