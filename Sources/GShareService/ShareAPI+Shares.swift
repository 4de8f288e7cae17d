//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GlusterDriver
import Hummingbird

extension ShareAPI {
    /// `/v2/{project}/shares…`: create, list, detail, show, export locations, delete, and the
    /// actions (allow_access, deny_access, extend, shrink).
    func addShareRoutes(to group: RouterGroup<ShareAPIContext>) {
        group.post("shares") { request, context in try await createShare(request, context) }
        group.get("shares") { request, context in try await listShares(request, context, detail: false) }
        group.get("shares/detail") { request, context in try await listShares(request, context, detail: true) }
        group.get("shares/:id") { request, context in try await showShare(request, context) }
        group.delete("shares/:id") { request, context in try await deleteShare(request, context) }
        group.get("shares/:id/export_locations") { request, context in try await exportLocations(request, context) }
        group.post("shares/:id/action") { request, context in try await shareAction(request, context) }
    }

    struct CreateBody: Decodable {
        struct Fields: Decodable {
            let share_proto: String
            let size: Int
            let name: String?
            let description: String?
            let share_type: String?
            let volume_type: String?
            let snapshot_id: String?
            let share_network_id: String?
            let share_group_id: String?
            let is_public: Bool?
            let metadata: [String: String]?
            let availability_zone: String?
        }
        let share: Fields
    }

    func createShare(_ request: Request, _ context: ShareAPIContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await JSONBody.decode(CreateBody.self, from: request, what: "POST /shares")
        let fields = body.share
        guard fields.share_proto.uppercased() == "GLUSTERFS" else {
            throw APIError.badRequest("share_proto '\(fields.share_proto)' is not served: gshare's shares are GlusterFS volumes (share_proto GLUSTERFS)", code: "unsupported")
        }
        if let type = fields.share_type ?? fields.volume_type, type != ManilaView.shareTypeID, type != ManilaView.shareTypeName {
            throw APIError.badRequest("share type '\(type)' does not exist: gshare has one, 'default'", code: "unsupported")
        }
        for (field, value) in [("snapshot_id", fields.snapshot_id), ("share_network_id", fields.share_network_id), ("share_group_id", fields.share_group_id)] {
            if let value, !value.isEmpty {
                throw APIError.badRequest("\(field) is not supported: gshare has no snapshots, share networks or share groups; leave it out", code: "unsupported")
            }
        }
        if fields.is_public == true {
            throw APIError.badRequest("public shares are not supported: a share belongs to one project and only it sees it", code: "unsupported")
        }
        if let metadata = fields.metadata, !metadata.isEmpty {
            throw APIError.badRequest("share metadata is not stored by gshare; leave it out (nothing was created)", code: "unsupported")
        }
        let name = fields.name.flatMap { $0.isEmpty ? nil : $0 }
        let workflows = workflows(caller, request)
        let pending = try await answer { () async throws(WorkflowError) in
            try await operations.beginCreate(workflows, name: name, sizeGB: fields.size, project: caller.project)
        }
        return try JSONBody.response(["share": ManilaView.share(pending)], status: .accepted)
    }

    /// The list filters the clients send: `name`, `name~`, `status`, `limit`, `offset`,
    /// `all_tenants` (admins only; ignored for everyone else). Others are ignored.
    func listShares(_ request: Request, _ context: ShareAPIContext, detail: Bool) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let allTenants = query["all_tenants"].map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false
        let scope = caller.scope(allTenants: allTenants)
        let workflows = workflows(caller, request)
        let (shares, age, read) = try await answer { () async throws(WorkflowError) in
            try await operations.view.numberedShares(scope: scope, using: workflows)
        }
        let listing = await operations.listing(scope: scope)
        let key = ListCache.Key(read: read, operations: listing.version, scope: scope, detail: detail, query: request.uri.query ?? "")
        if let body = listCache.body(for: key) { return JSONBody.response(body, status: .ok).aged(age) }
        var views = shares.map { ManilaView.share($0, deleting: listing.deleting.contains($0.id)) }
        let listed = Set(views.map(\.id))
        views += listing.pending.filter { !listed.contains($0.id) }.map(ManilaView.share)
        if let name = query["name"].map(String.init) { views = views.filter { $0.name == name } }
        if let part = query["name~"].map(String.init) { views = views.filter { $0.name?.contains(part) == true } }
        if let status = query["status"].map(String.init) { views = views.filter { $0.status == status } }
        if query["is_soft_deleted"].map({ $0.lowercased() == "true" }) == true { views = [] }
        views.sort { ($0.created_at ?? "", $0.id) > ($1.created_at ?? "", $1.id) }
        if let offset = query["offset"].flatMap({ Int($0) }), offset > 0 { views = Array(views.dropFirst(offset)) }
        if let limit = query["limit"].flatMap({ Int($0) }), limit >= 0 { views = Array(views.prefix(limit)) }
        struct Summary: Encodable {
            let id: String
            let name: String?
            let links: [String]
        }
        let body =
            detail
            ? try JSONBody.encoded(["shares": views]) : try JSONBody.encoded(["shares": views.map { Summary(id: $0.id, name: $0.name, links: []) }])
        if read >= 0 { listCache.store(body, for: key) }
        return JSONBody.response(body, status: .ok).aged(age)
    }

    func showShare(_ request: Request, _ context: ShareAPIContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = context.parameters.get("id") ?? ""
        let scope = caller.scope(allTenants: true)
        if let pending = await operations.pendingCreate(id, scope: scope) {
            // The create may have finished meanwhile: the volume is the truth then.
            if pending.failure != nil { return try JSONBody.response(["share": ManilaView.share(pending)], status: .ok) }
        }
        let workflows = workflows(caller, request)
        if let (share, age) = try? await operations.view.share(id, scope: scope, using: workflows), let share {
            return try JSONBody.response(["share": ManilaView.share(share, deleting: await operations.isDeleting(share.id))], status: .ok).aged(age)
        }
        // Not in the view: made by another host a moment ago, or unknown (the authoritative
        // read says which, and gives the 404 its message).
        let share: Share
        do {
            share = try await workflows.share(id, scope: scope)
        } catch {
            if let pending = await operations.pendingCreate(id, scope: scope) {
                return try JSONBody.response(["share": ManilaView.share(pending)], status: .ok)
            }
            throw APIError(error)
        }
        return try JSONBody.response(["share": ManilaView.share(share, deleting: await operations.isDeleting(share.id))], status: .ok)
    }

    func exportLocations(_ request: Request, _ context: ShareAPIContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = context.parameters.get("id") ?? ""
        let scope = caller.scope(allTenants: true)
        let none = { try JSONBody.response(["export_locations": [ManilaView.ExportLocation]()], status: .ok) }
        let pending = await operations.pendingCreate(id, scope: scope)
        if pending?.failure != nil { return try none() }
        // A create still finishing (its quota) already shows the share available: the volume,
        // not the pending create, says where it is.
        let workflows = workflows(caller, request)
        let share: Share
        do throws(WorkflowError) {
            share = try await workflows.share(id, scope: scope)
        } catch {
            if pending != nil { return try none() }
            throw APIError(error)
        }
        return try JSONBody.response(["export_locations": ManilaView.exportLocations(share)], status: .ok)
    }

    func deleteShare(_ request: Request, _ context: ShareAPIContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = context.parameters.get("id") ?? ""
        let workflows = workflows(caller, request)
        _ = try await answer { () async throws(WorkflowError) in
            try await operations.beginDelete(workflows, share: id, scope: caller.scope(allTenants: true))
        }
        return JSONBody.empty(.accepted)
    }
}
