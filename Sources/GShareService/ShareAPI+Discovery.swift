//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GlusterDriver
import Hummingbird
import TenantRegistry

extension ShareAPI {
    /// Version discovery, share types, `/healthz` and `/metrics`.
    func addDiscoveryRoutes(to router: Router<ShareAPIContext>) {
        let versions: @Sendable (Request, ShareAPIContext) async throws -> Response = { request, _ in
            let base = "http://\(request.head.authority ?? "localhost")"
            let document = ManilaView.Versions(versions: [.init(links: [["rel": "self", "href": base + "/v2/"]])])
            return try JSONBody.response(document, status: .multipleChoices)
        }
        router.get("/", use: versions)
        router.get("/v2", use: { request, context in try await versionOfV2(request, context) })
        router.get("/healthz") { _, _ in try JSONBody.response(["status": "ok"], status: .ok) }
        router.get("/metrics") { _, _ in
            await refreshPoolMetrics()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        let types = router.group("v2/:project/types").add(middleware: Authenticator(authentication: authentication))
        types.get("default") { _, _ in try JSONBody.response(["share_type": ManilaView.ShareType()], status: .ok) }
        types.get { _, _ in try JSONBody.response(["share_types": [ManilaView.ShareType()]], status: .ok) }
        types.get(":type") { _, context in
            let type = context.parameters.get("type") ?? ""
            guard type == ManilaView.shareTypeID || type == ManilaView.shareTypeName else {
                throw APIError.notFound("no share type '\(type)': gshare has one, 'default'", code: "unknown-share-type")
            }
            return try JSONBody.response(["share_type": ManilaView.ShareType()], status: .ok)
        }
    }

    private func versionOfV2(_ request: Request, _ context: ShareAPIContext) async throws -> Response {
        let base = "http://\(request.head.authority ?? "localhost")"
        return try JSONBody.response(["version": ManilaView.Versions.Version(links: [["rel": "self", "href": base + "/v2/"]])], status: .ok)
    }

    /// Shares by status and certificate expiry, taken when `/metrics` is scraped: the shares
    /// from the same view of the pool the lists answer from (at most 5 s old), so scraping
    /// costs no gluster call of its own; a failure to read leaves the last figures.
    func refreshPoolMetrics() async {
        let workflows = serviceWorkflows()
        if let (shares, _) = try? await operations.view.shares(scope: .admin, using: workflows) {
            var counts: [String: Int] = [:]
            for share in shares {
                let status = ManilaView.share(share, deleting: await operations.isDeleting(share.id)).status
                counts[status, default: 0] += 1
            }
            for pending in await operations.pendingCreates(scope: .admin) {
                counts[pending.failure == nil ? "creating" : "error", default: 0] += 1
            }
            metrics.setShares(counts)
        }
        if let tenants = try? workflows.tenants() {
            let now = Date()
            for tenant in tenants {
                metrics.setExpiry(tenant: tenant.name, commonName: tenant.commonName, seconds: tenant.certificate.notAfter.timeIntervalSince(now))
            }
        }
    }
}
