//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

public import GlusterDriver
import TenantPKI

/// One access rule as the share API shows it: a CN gshare granted on a share.
///
/// Rules are not stored anywhere of their own: a share's rules are the CNs recorded as
/// granted on its volume (`user.gshare.granted`), judged against the volume's auth.ssl-allow
/// and TLS posture, so every host and every restart of the server sees the same rules, in
/// the same states, with the same ids.
public struct AccessRule: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        /// In auth.ssl-allow of a TLS-ready volume: the tenant gets in.
        case active
        /// Granted, but not in force (the reason says why).
        case error
    }

    /// Stable for the pair (share, CN): ``id(share:commonName:)``.
    public let id: String
    public let shareID: String
    public let commonName: String
    public let state: State
    /// Why the rule is in error; nil when active.
    public let reason: String?
    /// When the share was created (rules carry no time of their own).
    public let created: String?

    public init(id: String, shareID: String, commonName: String, state: State, reason: String?, created: String?) {
        self.id = id
        self.shareID = shareID
        self.commonName = commonName
        self.state = state
        self.reason = reason
        self.created = created
    }

    /// The rule id of `commonName` on `share`: a UUID (version 8) made from the SHA-256 of
    /// the share's id and the CN, so the same grant has the same id on every host, always,
    /// and a CN granted again after a deny gets its old id back.
    public static func id(share: String, commonName: String) -> String {
        var bytes = Digest.sha256(Array("gshare access rule\n\(share)\n\(commonName)".utf8)).prefix(16).map { $0 }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    /// The rule an allow just put in force, from what the allow did (no second read): active,
    /// or in error when the bricks ignore the change until they restart. An allow is refused
    /// on a volume that is not TLS-ready, so a done allow is enforced unless frozen.
    public init(allowed change: AccessChange) {
        self.init(
            id: Self.id(share: change.share, commonName: change.commonName), shareID: change.share, commonName: change.commonName,
            state: change.restartNeeded ? .error : .active,
            reason: change.restartNeeded
                ? "\(change.commonName) is written to auth.ssl-allow of \(change.volume), but its running bricks ignore the change until they restart (gshare pool prepare \(change.volume.split(separator: "/").last.map(String.init) ?? change.volume) --restart)"
                : nil,
            created: change.shareCreated)
    }

    /// The rules of `share`: one per granted CN.
    public static func rules(of share: Share) -> [AccessRule] {
        let listed = Set(share.access.map(\.name))
        return share.granted.map { cn in
            let reason: String? =
                if !listed.contains(cn) {
                    "\(cn) is recorded as granted but is not in auth.ssl-allow of \(share.volume) (removed by hand?): allow it again"
                } else if !share.postureReady {
                    "the TLS settings of \(share.volume) do not enforce auth.ssl-allow (gshare pool check \(share.volume) explains it)"
                } else {
                    nil
                }
            return AccessRule(
                id: id(share: share.id, commonName: cn), shareID: share.id, commonName: cn, state: reason == nil ? .active : .error, reason: reason,
                created: share.created)
        }
    }
}

extension Workflows {
    /// The access rules of a share within `scope`.
    public func accessRules(share: String, scope: ShareScope) async throws(WorkflowError) -> (share: Share, rules: [AccessRule]) {
        let found = try await self.share(share, scope: scope)
        return (found, AccessRule.rules(of: found))
    }

    /// One access rule by its id, among the shares `scope` sees.
    /// - Throws: `unknown-rule` (refused) when no share in scope has it.
    public func accessRule(id: String, scope: ShareScope) async throws(WorkflowError) -> AccessRule {
        let shares = try await self.shares(scope: scope)
        for share in shares {
            if let rule = AccessRule.rules(of: share).first(where: { $0.id == id }) { return rule }
        }
        throw WorkflowError(.unknownRule, .refused, subject: id, message: "no access rule has the id '\(id)'", fix: "list a share's rules (GET /share-access-rules?share_id=ID)")
    }
}
