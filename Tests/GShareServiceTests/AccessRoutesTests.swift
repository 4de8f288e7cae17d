//===----------------------------------------------------------------------===//
// gshare — GShareService tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareService
import GShareWorkflows
import GlusterDriver
import TenantRegistry
import Testing
import WorkflowTestbed

@Suite("Share API: access rules are the CNs of onboarded tenants, cert at rw only, with stable ids")
struct AccessRoutesTests {
    static func allow(_ cn: String, type: String = "cert", level: String? = nil) -> String {
        #"{"allow_access": {"access_type": "\#(type)", "access_to": "\#(cn)"\#(level.map { #", "access_level": "\#($0)""# } ?? "")}}"#
    }

    @Test func anAllowOfAnOnboardedTenantIsActiveWithTheIDOfThePairAndListedAndShown() async throws {
        let api = try APIBed()
        try await api.onboard("tenant-a")
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            let allowed = try await client.post("/v2/p1/shares/\(id)/action", Self.allow("tenant-a", level: "rw"))
            #expect(allowed.status == 200, "\(allowed.text)")
            let rule = try #require(allowed["access"])
            let ruleID = AccessRule.id(share: id, commonName: "tenant-a")
            #expect(rule["id"] as? String == ruleID && rule["state"] as? String == "active" && rule["access_to"] as? String == "tenant-a")
            #expect(rule["share_id"] as? String == id && rule["access_type"] as? String == "cert" && rule["access_level"] as? String == "rw")
            #expect(api.bed.pool.options(of: "vol-a")["auth.ssl-allow"] == "gluster-node-1,gshare-manager,tenant-a")
            let listed = try await client.get("/v2/p1/share-access-rules?share_id=\(id)")
            #expect((listed.body["access_list"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ruleID])
            let shown = try await client.get("/v2/p1/share-access-rules/\(ruleID)")
            #expect(shown["access"]?["state"] as? String == "active")
            let again = try await client.post("/v2/p1/shares/\(id)/action", Self.allow("tenant-a"))
            #expect(again.status == 200 && again["access"]?["id"] as? String == ruleID, "allowing again is the same rule")
        }
        let entry = try #require(try api.bed.audit().last)
        #expect(entry.user == "api:unauthenticated (project p1)" && entry.result == .ok && entry.message?.contains("tenant-a") == true)
        #expect(entry.command.last == "allow_access", "the request recorded says which action it was: \(entry.command)")
    }

    @Test func aDenyByRuleIDRemovesTheCNAndAnUnknownRuleIs404() async throws {
        let api = try APIBed()
        try await api.onboard("tenant-a")
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            _ = try await client.post("/v2/p1/shares/\(id)/action", Self.allow("tenant-a"))
            let ruleID = AccessRule.id(share: id, commonName: "tenant-a")
            let denied = try await client.post("/v2/p1/shares/\(id)/action", #"{"deny_access": {"access_id": "\#(ruleID)"}}"#)
            #expect(denied.status == 202 && denied.text.isEmpty, "\(denied.text)")
            #expect(api.bed.pool.options(of: "vol-a")["auth.ssl-allow"] == "gluster-node-1,gshare-manager")
            #expect(try await client.get("/v2/p1/share-access-rules/\(ruleID)").status == 404)
            let unknown = try await client.post("/v2/p1/shares/\(id)/action", #"{"deny_access": {"access_id": "\#(ruleID)"}}"#)
            #expect(unknown.status == 404 && unknown.fault?.name == "itemNotFound", "\(unknown.text)")
        }
    }

    @Test func everyRefusedAllowIs400WithGsharesReasonAndWritesNothing() async throws {
        let now = Date()
        let api = try APIBed(now: { now.addingTimeInterval(3 * 86_400) })
        try await api.onboard("tenant-a")
        try await api.onboard("short-lived", days: 1)
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            let writes = api.bed.pool.writes.count
            for (body, phrase) in [
                (Self.allow("tenant-a", type: "ip"), "access type 'ip' is not supported"),
                (Self.allow("tenant-a", type: "user"), "access type 'user' is not supported"),
                (Self.allow("tenant-a", level: "ro"), "access level 'ro' (read-only) is not supported"),
                (Self.allow("tenant-z"), "no onboarded tenant has the CN 'tenant-z'"),
                (Self.allow("short-lived"), "expired"),
                (Self.allow("gluster-node-1"), "is a system CN"),
                (Self.allow("*"), "'*'"),
                (Self.allow("tenant-a,evil"), "'tenant-a,evil'"),
                (Self.allow(String(repeating: "a", count: 65)), "not a CN"),
                (#"{"allow_access": {"access_type": "cert", "access_to": "tenant-a", "metadata": {"k": "v"}}}"#, "metadata"),
            ] {
                let answer = try await client.post("/v2/p1/shares/\(id)/action", body)
                #expect(answer.status == 400 && answer.fault?.name == "badRequest", "\(body): \(answer.text)")
                #expect(answer.fault?.message.contains(phrase) == true, "\(body): \(answer.text)")
            }
            #expect(api.bed.pool.writes.count == writes, "nothing may be written")
        }
    }

    @Test func aRuleGrantedButRemovedFromTheListByHandIsInErrorWithTheReason() async throws {
        let api = try APIBed()
        try await api.onboard("tenant-a")
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            _ = try await client.post("/v2/p1/shares/\(id)/action", Self.allow("tenant-a"))
            api.bed.pool.setOption("auth.ssl-allow", "gluster-node-1,gshare-manager", on: "vol-a")
            let rules = try await client.get("/v2/p1/share-access-rules?share_id=\(id)")
            let rule = try #require((rules.body["access_list"] as? [[String: Any]])?.first)
            #expect(rule["state"] as? String == "error")
            #expect((rule["state_reason"] as? String)?.contains("not in auth.ssl-allow") == true)
            #expect(try await client.get("/v2/p1/shares/\(id)")["share"]?["access_rules_status"] as? String == "error")
        }
    }

    @Test func ruleIDsAreUUIDsStableForTheShareAndCNAndDifferentForAnyOther() {
        let id = AccessRule.id(share: "6d451298-dc4f-46d0-b848-982dc5eae8eb", commonName: "tenant-a")
        #expect(id == AccessRule.id(share: "6d451298-dc4f-46d0-b848-982dc5eae8eb", commonName: "tenant-a"))
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        #expect(Array(id)[14] == "8", "version 8 (a name-based UUID of our own)")
        #expect(id != AccessRule.id(share: "6d451298-dc4f-46d0-b848-982dc5eae8eb", commonName: "tenant-b"))
        #expect(id != AccessRule.id(share: "00000000-dc4f-46d0-b848-982dc5eae8eb", commonName: "tenant-a"))
        // The recorded value: rule ids must not change between versions of gshare.
        #expect(id == "f4c518a1-09e1-86f9-a2a6-68c5a32ccdd2")
    }
}
