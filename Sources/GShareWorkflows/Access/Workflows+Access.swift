//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import GlusterDriver
import Logging

extension AccessChange {
    /// `ok` when what was asked is in force; `refused` when the change is written but the
    /// running bricks ignore it until restarted (``restartNeeded``): the tenant is not cut
    /// off (or let in) yet.
    public var verdict: Verdict { restartNeeded ? .refused : .ok }
}

extension Workflows {
    /// Lets `identity` in on `share` (its id, name or volume): resolves the CN by the
    /// ``GrantPolicy`` and adds it to the volume's auth.ssl-allow (refused when the volume
    /// is not TLS-ready). Audited, whether it is done, refused or fails.
    public func allow(share: String, identity: IdentitySelector, request: AccessRequest = AccessRequest(), scope: ShareScope = .all)
        async throws(WorkflowError) -> AccessChange
    {
        try await change(.allow, share: share, identity: identity, request: request, scope: scope)
    }

    /// Throws `identity` out of `share`: removes its CN from the volume's auth.ssl-allow
    /// (never a system CN). Audited.
    public func deny(share: String, identity: IdentitySelector, request: AccessRequest = AccessRequest(), scope: ShareScope = .all)
        async throws(WorkflowError) -> AccessChange
    {
        try await change(.deny, share: share, identity: identity, request: request, scope: scope)
    }

    /// The share's auth.ssl-allow entries, classified system / tenant / unknown.
    public func accessList(share: String, scope: ShareScope = .all) async throws(WorkflowError) -> Share {
        try await reported { try await driver.accessList(share, scope: scope) }
    }

    func change(_ direction: GrantDirection, share: String, identity: IdentitySelector, request: AccessRequest, scope: ShareScope)
        async throws(WorkflowError) -> AccessChange
    {
        let policy = GrantPolicy(config: config, now: context.now())
        return try await audit.audited(share, summary: Self.summary) {
            try request.validate()
            let name = try policy.resolve(identity, for: direction)
            context.logger.info("\(direction.rawValue) \(name.commonName) on \(share)", metadata: ["identity": "\(identity)"])
            switch direction {
            case .allow: return try await driver.allow(share, name, request: request, scope: scope)
            case .deny: return try await driver.deny(share, name, request: request, scope: scope)
            }
        }
    }

    static func summary(_ change: AccessChange) -> String {
        "\(change.changed ? "" : "unchanged: ")\(change.commonName) on \(change.volume)"
            + (change.restartNeeded ? " (written, not enforced until the bricks restart)" : "")
    }
}
