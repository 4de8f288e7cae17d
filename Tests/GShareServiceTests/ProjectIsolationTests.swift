//===----------------------------------------------------------------------===//
// gshare — GShareService tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareService
import GShareWorkflows
import GlusterDriver
import Testing
import WorkflowTestbed

@Suite("Share API: a project sees and changes only its own shares; another's is 404 on every route")
struct ProjectIsolationTests {
    @Test func anotherProjectsShareIs404OnEveryRouteByIDAndAbsentFromEveryList() async throws {
        let api = try APIBed()
        try await api.onboard("tenant-a")
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            _ = try await client.post("/v2/p1/shares/\(id)/action", #"{"allow_access": {"access_type": "cert", "access_to": "tenant-a"}}"#)
            let ruleID = AccessRule.id(share: id, commonName: "tenant-a")
            let before = api.bed.pool.options(of: "vol-a")
            let answers = [
                try await client.get("/v2/p2/shares/\(id)"),
                try await client.get("/v2/p2/shares/\(id)/export_locations"),
                try await client.delete("/v2/p2/shares/\(id)"),
                try await client.post("/v2/p2/shares/\(id)/action", #"{"allow_access": {"access_type": "cert", "access_to": "tenant-a"}}"#),
                try await client.post("/v2/p2/shares/\(id)/action", #"{"deny_access": {"access_id": "\#(ruleID)"}}"#),
                try await client.post("/v2/p2/shares/\(id)/action", #"{"extend": {"new_size": 2}}"#),
                try await client.get("/v2/p2/share-access-rules?share_id=\(id)"),
                try await client.get("/v2/p2/share-access-rules/\(ruleID)"),
            ]
            for answer in answers {
                #expect(answer.status == 404 && answer.fault?.name == "itemNotFound", "\(answer.text)")
                #expect(answer.text.contains("vol-a") == false, "a 404 names nothing of the other project: \(answer.text)")
            }
            #expect(api.bed.pool.options(of: "vol-a") == before, "nothing of p1's share changed")
            for path in ["/v2/p2/shares/detail", "/v2/p2/shares/detail?all_tenants=1&is_public=True", "/v2/p2/shares", "/v2/p2/shares/detail?name=x"] {
                #expect((try await client.get(path).body["shares"] as? [[String: Any]])?.isEmpty == true, "\(path)")
            }
        }
    }

    @Test func aShareIsNamedByItsIDOnlyNeverByItsNameOrVolume() async throws {
        let api = try APIBed()
        try await api.run { client in
            _ = try await client.createShare(project: "p1", name: "x")
            for reference in ["x", "vol-a", "127.0.0.2:/vol-a"] {
                let answer = try await client.get("/v2/p1/shares/\(reference.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? reference)")
                #expect(answer.status == 404, "\(reference): \(answer.text)")
            }
        }
    }

    @Test func sharesMadeWithTheCLIBelongToNoProjectAndNoProjectSeesThem() async throws {
        let api = try APIBed()
        let cliShare = try await api.bed.share("cli-data")
        try await api.run { client in
            #expect(try await client.get("/v2/p1/shares/\(cliShare.id)").status == 404)
            #expect((try await client.get("/v2/p1/shares/detail?all_tenants=1").body["shares"] as? [[String: Any]])?.isEmpty == true,
                "all_tenants is ignored: nobody is admin without client certificates")
            // The same name is free in a project.
            _ = try await client.createShare(project: "p1", name: "cli-data")
        }
    }

    @Test func theVolumeOfADeletedShareDoesNotAnswerToItsOldIDWhenTheNextShareTakesIt() async throws {
        let api = try APIBed(volumes: [InMemoryPool.readyVolume("vol-a")])
        try await api.run { client in
            let first = try await client.createShare(project: "p1", name: "x")
            // What a finished delete leaves: the marks cleared, the old id remembered.
            for setting in ShareMarks(shareID: nil).settings { api.bed.pool.setOption(setting.key, setting.value, on: "vol-a") }
            api.bed.pool.setOption(ShareMarks.Key.deleted, first, on: "vol-a")
            let second = try await client.createShare(project: "p1", name: "y")
            #expect(second != first)
            #expect(try await client.get("/v2/p1/shares/\(first)").status == 404)
            #expect(try await client.get("/v2/p1/shares/\(second)").status == 200)
        }
    }

    @Test func aProjectIDThatIsNotOneIs400NamingTheRule() async throws {
        let api = try APIBed()
        try await api.run { client in
            for project in ["-p", "NONE", String(repeating: "p", count: 65), "p%20q"] {
                let answer = try await client.get("/v2/\(project)/shares/detail")
                #expect(answer.status == 400 && answer.fault?.message.contains("is not a project ID") == true, "\(project): \(answer.text)")
            }
        }
    }
}
