//===----------------------------------------------------------------------===//
// gshare — GShareService tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareService
import GShareWorkflows
import GlusterDriver
import Hummingbird
import Testing
import WorkflowTestbed

@Suite("The share API's view of the pool: one read serves many, own changes show at once, others' within a second")
struct PoolViewTests {
    static func statuses(_ answer: APIBed.Answer) -> [String] {
        (answer.body["shares"] as? [[String: Any]])?.compactMap { $0["status"] as? String } ?? []
    }

    @Test func manyListsInAMomentCostOnePoolReadAndSayHowOldTheViewIs() async throws {
        let api = try APIBed(view: PoolView(refreshAfter: .seconds(60), maximumAge: .seconds(60)))
        try await api.run { client in
            _ = try await client.createShare(project: "p1", name: "x")
            _ = try await client.get("/v2/p1/shares/detail")
            let reads = api.bed.pool.calls.filter { $0 == ["volume", "info", "all"] || $0 == ["volume", "info"] }.count
            var ages: [Double] = []
            for _ in 0..<50 {
                let answer = try await client.get("/v2/p1/shares/detail")
                #expect(Self.statuses(answer) == ["available"])
                ages.append(Double(answer.headers[.init("x-gshare-pool-view-age")!] ?? "") ?? -1)
            }
            #expect(api.bed.pool.calls.filter { $0 == ["volume", "info", "all"] || $0 == ["volume", "info"] }.count == reads, "no pool read for 50 lists")
            #expect(ages.allSatisfy { $0 >= 0 && $0 < 60 }, "\(ages)")
        }
    }

    /// Lists are rendered once per read of the pool and kept (ListCache): the same bytes for
    /// the same caller and query; never another project's, never another query's, and never
    /// after a change (a resize, a create under way show at once).
    @Test func aKeptListIsServedOnlyForTheSameProjectQueryAndStateOfThePool() async throws {
        let api = try APIBed(view: PoolView(refreshAfter: .seconds(60), maximumAge: .seconds(60)))
        try await api.run { client in
            let x = try await client.createShare(project: "p1", name: "x")
            let y = try await client.createShare(project: "p2", name: "y")
            let first = try await client.get("/v2/p1/shares/detail")
            let again = try await client.get("/v2/p1/shares/detail")
            #expect(first.text == again.text && (first.body["shares"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [x])
            let other = try await client.get("/v2/p2/shares/detail")
            #expect((other.body["shares"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [y], "\(other.text)")
            let filtered = try await client.get("/v2/p1/shares/detail?name=nothing")
            #expect((filtered.body["shares"] as? [[String: Any]])?.isEmpty == true, "\(filtered.text)")
            let summary = try await client.get("/v2/p1/shares")
            #expect((summary.body["shares"] as? [[String: Any]])?.first?.keys.sorted() == ["id", "links", "name"], "\(summary.text)")

            #expect(try await client.post("/v2/p1/shares/\(x)/action", #"{"extend": {"new_size": 2}}"#).status == 202)
            let resized = try await client.get("/v2/p1/shares/detail")
            #expect((resized.body["shares"] as? [[String: Any]])?.first?["size"] as? Int == 2, "\(resized.text)")
            api.bed.pool.setDelay = .milliseconds(500)
            let creating = try await client.post("/v2/p1/shares", #"{"share": {"name": "z", "share_proto": "GLUSTERFS", "size": 1}}"#)
            #expect(creating.status == 202)
            let withPending = try await client.get("/v2/p1/shares/detail")
            let entries = (withPending.body["shares"] as? [[String: Any]]) ?? []
            #expect(entries.contains { $0["name"] as? String == "z" && $0["status"] as? String == "creating" }, "\(withPending.text)")
        }
    }

    @Test func aChangeMadeThroughTheAPIShowsAtOnce() async throws {
        let api = try APIBed(view: PoolView(refreshAfter: .seconds(60), maximumAge: .seconds(60)))
        try await api.onboard("tenant-a")
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            _ = try await client.get("/v2/p1/share-access-rules?share_id=\(id)")
            _ = try await client.post("/v2/p1/shares/\(id)/action", #"{"allow_access": {"access_type": "cert", "access_to": "tenant-a"}}"#)
            let rules = try await client.get("/v2/p1/share-access-rules?share_id=\(id)")
            #expect((rules.body["access_list"] as? [[String: Any]])?.count == 1, "\(rules.text)")
            _ = try await client.post("/v2/p1/shares/\(id)/action", #"{"extend": {"new_size": 2}}"#)
            #expect(try await client.get("/v2/p1/shares/\(id)")["share"]?["size"] as? Int == 2)
        }
    }

    @Test func aChangeMadeElsewhereShowsOnceTheViewIsOlderThanItsRefreshTime() async throws {
        let api = try APIBed(view: PoolView(refreshAfter: .milliseconds(300), maximumAge: .seconds(60)))
        try await api.run { client in
            _ = try await client.createShare(project: "p1", name: "x")
            _ = try await client.get("/v2/p1/shares/detail")
            // Another host's delete has begun: the volume is marked needs-wipe.
            api.bed.pool.setOption(ShareMarks.Key.state, "needs-wipe", on: "vol-a")
            #expect(Self.statuses(try await client.get("/v2/p1/shares/detail")) == ["available"], "within the refresh time the view is served")
            let deadline = ContinuousClock.now + .seconds(5)
            var seen: [String] = []
            repeat {
                try await Task.sleep(for: .milliseconds(100))
                seen = Self.statuses(try await client.get("/v2/p1/shares/detail"))
            } while seen != ["deleting"] && ContinuousClock.now < deadline
            #expect(seen == ["deleting"])
        }
    }

    @Test func aViewOlderThanItsMaximumAgeIsNeverServedSoAFailingPoolIs503() async throws {
        let api = try APIBed(view: PoolView(refreshAfter: .milliseconds(50), maximumAge: .milliseconds(200)))
        try await api.run { client in
            _ = try await client.createShare(project: "p1", name: "x")
            _ = try await client.get("/v2/p1/shares/detail")
            api.bed.pool.failReads = true
            try await Task.sleep(for: .milliseconds(300))
            let answer = try await client.get("/v2/p1/shares/detail")
            #expect(answer.status == 503, "\(answer.text)")
        }
    }
}

@Suite("The share API's view of the pool under concurrent requests")
struct PoolViewConcurrencyTests {
    @Test func everyRequestArrivingAfterAChangeSeesItNotOnlyTheFirst() async throws {
        // A slow pool: each read takes a while, so the requests overlap the fresh read.
        let api = try APIBed(view: PoolView(refreshAfter: .seconds(60), maximumAge: .seconds(60)))
        try await api.onboard("tenant-a")
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            _ = try await client.post("/v2/p1/shares/\(id)/action", #"{"allow_access": {"access_type": "cert", "access_to": "tenant-a"}}"#)
            _ = try await client.get("/v2/p1/share-access-rules?share_id=\(id)")
            let ruleID = AccessRule.id(share: id, commonName: "tenant-a")
            _ = try await client.post("/v2/p1/shares/\(id)/action", #"{"deny_access": {"access_id": "\#(ruleID)"}}"#)
            api.bed.pool.readDelay = .milliseconds(200)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask { (try await client.get("/v2/p1/share-access-rules?share_id=\(id)").body["access_list"] as? [[String: Any]])?.count ?? -1 }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 0, count: 10), "every request after the deny sees it: \(counts)")
        }
    }
}
