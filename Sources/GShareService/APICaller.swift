//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

public import GlusterDriver
import Hummingbird
import NIOCore
import NIOSSL
public import TenantPKI
public import TenantRegistry

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
    /// Client certificates (TLS, `--client-ca`): the certificate's CN names an API user
    /// (`gshare api-user add`), which must be that very certificate; the user acts for its
    /// project only (another project in the URL is 403), and an admin may use `all_tenants`
    /// and reach any share by id. `users` is asked on every request (an API user added or
    /// removed counts at once).
    case clientCertificates(users: @Sendable (Certificate) throws -> APIUserRecord?)
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
        case .clientCertificates(let users):
            let user = try await Self.user(presentedOn: context.channel, users: users)
            guard user.project == project || user.role == .admin else {
                throw APIError(
                    .forbidden, code: "wrong-project",
                    "API user \(user.name) acts for project \(user.project), not \(project): use the URL /v2/\(user.project)/…")
            }
            context.caller = APICaller(user: user.name, project: project, admin: user.role == .admin)
        }
        return try await next(request, context)
    }

    /// The API user of the client certificate on this connection (verified against
    /// `--client-ca` in the handshake).
    static func user(presentedOn channel: any Channel, users: @Sendable (Certificate) throws -> APIUserRecord?) async throws -> APIUserRecord {
        let presented: NIOSSLCertificate?
        do {
            presented = try await channel.nioSSL_peerCertificate().get()
        } catch {
            presented = nil
        }
        guard let presented, let der = try? presented.toDERBytes(), let certificate = try? Certificate(derEncoded: der) else {
            throw APIError(.unauthorized, code: "no-client-certificate", "this server takes only requests made with a client certificate of an API user")
        }
        let cn = String(decoding: certificate.glusterFSName.bytes, as: UTF8.self)
        let user: APIUserRecord?
        do {
            user = try users(certificate)
        } catch {
            throw APIError(.serviceUnavailable, code: "registry-unavailable", "the API users cannot be read now: \(error)")
        }
        guard let user else {
            throw APIError(
                .unauthorized, code: "unknown-api-user",
                "the client certificate (CN \(cn)) is not an API user's: the operator registers it with gshare api-user add NAME --cert FILE --project P --role member")
        }
        return user
    }
}
