//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GlusterDriver
import Hummingbird

extension ShareAPI {
    /// `/v2/{project}/share-access-rules`: list (by `share_id`) and show.
    func addAccessRoutes(to group: RouterGroup<ShareAPIContext>) {
        group.get("share-access-rules") { request, context in
            let caller = try context.requireCaller()
            guard let shareID = request.uri.queryParameters["share_id"].map(String.init), !shareID.isEmpty else {
                throw APIError.badRequest("GET /share-access-rules needs ?share_id=ID (the share whose rules to list)")
            }
            let workflows = workflows(caller, request)
            let scope = caller.scope(allTenants: true)
            if let (share, age) = try? await operations.view.share(shareID, scope: scope, using: workflows), let share {
                return try JSONBody.response(["access_list": AccessRule.rules(of: share).map(ManilaView.rule)], status: .ok).aged(age)
            }
            let found = try await answer { () async throws(WorkflowError) in try await workflows.accessRules(share: shareID, scope: scope) }
            return try JSONBody.response(["access_list": found.rules.map(ManilaView.rule)], status: .ok)
        }
        group.get("share-access-rules/:id") { request, context in
            let caller = try context.requireCaller()
            let id = context.parameters.get("id") ?? ""
            let workflows = workflows(caller, request)
            let scope = caller.scope(allTenants: true)
            if let (shares, age) = try? await operations.view.shares(scope: scope, using: workflows),
                let rule = shares.lazy.flatMap(AccessRule.rules).first(where: { $0.id == id })
            {
                return try JSONBody.response(["access": ManilaView.rule(rule)], status: .ok).aged(age)
            }
            let rule = try await answer { () async throws(WorkflowError) in try await workflows.accessRule(id: id, scope: scope) }
            return try JSONBody.response(["access": ManilaView.rule(rule)], status: .ok)
        }
    }

    /// One action of `POST /shares/{id}/action`. Names from before microversion 2.7 (`os-…`)
    /// are taken too.
    struct ActionBody: Decodable {
        struct Allow: Decodable {
            let access_type: String
            let access_to: String
            let access_level: String?
            let metadata: [String: String]?
        }
        struct Deny: Decodable {
            let access_id: String
        }
        struct Resize: Decodable {
            let new_size: Int
        }
        enum Action {
            case allow(Allow), deny(Deny), extend(Resize), shrink(Resize)
        }
        let action: Action
        /// The action's name as sent.
        let name: String

        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            guard container.allKeys.count == 1, let key = container.allKeys.first else {
                throw APIError.badRequest(
                    "POST /shares/ID/action takes exactly one action (allow_access, deny_access, extend or shrink); the body has \(container.allKeys.count): \(container.allKeys.map(\.stringValue).sorted().joined(separator: ", "))"
                )
            }
            name = key.stringValue
            switch key.stringValue {
            case "allow_access", "os-allow_access": action = .allow(try container.decode(Allow.self, forKey: key))
            case "deny_access", "os-deny_access": action = .deny(try container.decode(Deny.self, forKey: key))
            case "extend", "os-extend": action = .extend(try container.decode(Resize.self, forKey: key))
            case "shrink", "os-shrink": action = .shrink(try container.decode(Resize.self, forKey: key))
            default:
                throw APIError.badRequest(
                    "the action '\(key.stringValue)' is not served: gshare takes allow_access, deny_access, extend and shrink", code: "unsupported")
            }
        }
    }

    func shareAction(_ request: Request, _ context: ShareAPIContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = context.parameters.get("id") ?? ""
        let body = try await JSONBody.decode(ActionBody.self, from: request, what: "POST /shares/\(id)/action")
        let scope = caller.scope(allTenants: true)
        let workflows = workflows(caller, request, action: body.name)
        // Whatever the action did (or did not finish doing), lists and shows read afresh.
        do {
            let response = try await perform(body.action, on: id, scope: scope, workflows)
            await operations.view.invalidate()
            return response
        } catch {
            await operations.view.invalidate()
            throw error
        }
    }

    private func perform(_ action: ActionBody.Action, on id: String, scope: ShareScope, _ workflows: Workflows) async throws -> Response {
        switch action {
        case .allow(let allow):
            if let metadata = allow.metadata, !metadata.isEmpty {
                throw APIError.badRequest("access rule metadata is not stored by gshare; leave it out (nothing was changed)", code: "unsupported")
            }
            let accessRequest = AccessRequest(accessType: allow.access_type, level: allow.access_level ?? "rw")
            let change = try await answer { () async throws(WorkflowError) in
                try await workflows.allow(share: id, identity: .tenantCommonName(allow.access_to), request: accessRequest, scope: scope)
            }
            let rule = AccessRule(allowed: change)
            return try JSONBody.response(["access": ManilaView.rule(rule)], status: .ok)
        case .deny(let deny):
            let (_, rules) = try await answer { () async throws(WorkflowError) in try await workflows.accessRules(share: id, scope: scope) }
            guard let rule = rules.first(where: { $0.id == deny.access_id }) else {
                throw APIError.notFound("share \(id) has no access rule '\(deny.access_id)'", code: "unknown-rule")
            }
            _ = try await answer { () async throws(WorkflowError) in
                try await workflows.deny(share: id, identity: .commonName(rule.commonName), scope: scope)
            }
            return JSONBody.empty(.accepted)
        case .extend(let resize), .shrink(let resize):
            let share = try await answer { () async throws(WorkflowError) in try await workflows.share(id, scope: scope) }
            if case .extend = action, let size = share.sizeGB, resize.new_size <= size {
                throw APIError.badRequest("extend: new_size \(resize.new_size) is not larger than the share's \(size); nothing was changed (shrink makes it smaller)")
            }
            if case .shrink = action, let size = share.sizeGB, resize.new_size >= size {
                throw APIError.badRequest("shrink: new_size \(resize.new_size) is not smaller than the share's \(size); nothing was changed (extend makes it larger)")
            }
            _ = try await answer { () async throws(WorkflowError) in try await workflows.resizeShare(id, size: resize.new_size, scope: scope) }
            return JSONBody.empty(.accepted)
        }
    }
}
