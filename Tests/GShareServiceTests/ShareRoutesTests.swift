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

@Suite("Share API: shares are created, listed, shown, resized and deleted as the OpenStack client expects")
struct ShareRoutesTests {
    @Test func aCreateAnswers202CreatingAtOnceAndTheShareBecomesAvailableOnAVolumeMarkedWithItsProject() async throws {
        let api = try APIBed()
        try await api.run { client in
            let created = try await client.post("/v2/p1/shares", #"{"share": {"name": "x", "share_proto": "glusterfs", "size": 1, "share_type": null, "is_public": false, "metadata": {}}}"#)
            #expect(created.status == 202, "\(created.text)")
            let share = try #require(created["share"])
            #expect(share["status"] as? String == "creating" && share["name"] as? String == "x" && share["size"] as? Int == 1)
            #expect(share["project_id"] as? String == "p1" && share["share_proto"] as? String == "GLUSTERFS")
            let id = try #require(share["id"] as? String)
            let shown = try await client.waitForStatus(project: "p1", id: id, "available")
            #expect(shown["share"]?["host"] as? String == "127.0.0.2:/vol-a")
            #expect(api.bed.pool.options(of: "vol-a")[ShareMarks.Key.project] == "p1")
            #expect(api.bed.pool.options(of: "vol-a")[ShareMarks.Key.share] == id, "the id answered at once is the share's id")
            #expect(api.bed.pool.options(of: "vol-a")[InMemoryPool.quotaLimitKey] == String(1 << 30), "the size is enforced by a quota")
            let locations = try await client.get("/v2/p1/shares/\(id)/export_locations")
            let paths = (locations.body["export_locations"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
            #expect(paths == ["127.0.0.2:/vol-a"])
        }
        let entry = try #require(try api.bed.audit().last { $0.message?.contains("created share") == true })
        #expect(entry.user == "api:unauthenticated (project p1)" && entry.command == ["POST", "/v2/p1/shares"] && entry.result == .ok)
    }

    /// A share is shown `available` as soon as its volume carries its marks, while the claim
    /// still finishes (the quota): its export location must be there too (the clients read it
    /// right after `create --wait`). It was empty until the background create had returned.
    @Test func aShareShownAvailableHasItsExportLocationWhileItsClaimFinishes() async throws {
        let api = try APIBed()
        api.bed.pool.quotaDelay = .seconds(2)
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")  // polls until it is shown available
            let locations = try await client.get("/v2/p1/shares/\(id)/export_locations")
            let paths = (locations.body["export_locations"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
            #expect(paths == ["127.0.0.2:/vol-a"], "\(locations.text)")
        }
    }

    /// Many creates at once from one server are claimed one after the other, so none runs
    /// into the lock timeout (meant for other hosts' changes) waiting behind its siblings: 5
    /// claims of 0.8 s or more each with a 2 s lock timeout all end available (the later ones
    /// failed before).
    @Test func createsAskedAtOnceAreClaimedInTurnWithoutRunningIntoTheLockTimeout() async throws {
        let volumes = (1...5).map { InMemoryPool.readyVolume("vol-\($0)") }
        let api = try APIBed(volumes: volumes, configure: { $0.lockTimeout = .seconds(2) })
        api.bed.pool.setDelay = .milliseconds(800)
        try await api.run { client in
            var ids: [String] = []
            for index in 1...5 {
                let created = try await client.post("/v2/p1/shares", #"{"share": {"name": "s\#(index)", "share_proto": "GLUSTERFS", "size": 1}}"#)
                #expect(created.status == 202, "\(created.text)")
                if let id = created["share"]?["id"] as? String { ids.append(id) }
            }
            for id in ids {
                let shown = try await client.waitForStatus(project: "p1", id: id, "available")
                #expect(shown["share"]?["status"] as? String == "available", "\(shown.text)")
            }
        }
    }

    @Test func anUnnamedShareIsAcceptedAndAddressedByItsID() async throws {
        let api = try APIBed()
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: nil)
            let shown = try await client.get("/v2/p1/shares/\(id)")
            #expect(shown.status == 200 && shown["share"]?["name"] == nil)
        }
    }

    @Test func theListAndDetailShowTheProjectsSharesWithTheFiltersTheClientsSend() async throws {
        let api = try APIBed()
        try await api.run { client in
            let x = try await client.createShare(project: "p1", name: "x")
            let y = try await client.createShare(project: "p1", name: "y")
            let detail = try await client.get("/v2/p1/shares/detail?all_tenants=1&is_public=True")
            let shares = try #require(detail.body["shares"] as? [[String: Any]])
            #expect(Set(shares.compactMap { $0["id"] as? String }) == [x, y])
            #expect(shares.allSatisfy { $0["status"] as? String == "available" && $0["share_type_name"] as? String == "default" })
            let named = try await client.get("/v2/p1/shares/detail?name=y")
            #expect((named.body["shares"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [y])
            let summary = try await client.get("/v2/p1/shares")
            #expect((summary.body["shares"] as? [[String: Any]])?.allSatisfy { $0.keys.sorted() == ["id", "links", "name"] } == true)
            let softDeleted = try await client.get("/v2/p1/shares/detail?is_soft_deleted=True")
            #expect((softDeleted.body["shares"] as? [[String: Any]])?.isEmpty == true, "gshare has no soft-deleted shares")
            let limited = try await client.get("/v2/p1/shares/detail?limit=1&offset=1")
            #expect((limited.body["shares"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func extendAndShrinkChangeTheSizeAndItsQuotaWithinTheVolume() async throws {
        let api = try APIBed()
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            let extended = try await client.post("/v2/p1/shares/\(id)/action", #"{"extend": {"new_size": 3}}"#)
            #expect(extended.status == 202 && extended.text.isEmpty, "\(extended.text)")
            #expect(try await client.get("/v2/p1/shares/\(id)")["share"]?["size"] as? Int == 3)
            #expect(api.bed.pool.options(of: "vol-a")[InMemoryPool.quotaLimitKey] == String(3 << 30))
            let shrunk = try await client.post("/v2/p1/shares/\(id)/action", #"{"os-shrink": {"new_size": 2}}"#)
            #expect(shrunk.status == 202)
            #expect(try await client.get("/v2/p1/shares/\(id)")["share"]?["size"] as? Int == 2)
        }
    }

    @Test func aResizeTheRulesRefuseIs400WithGsharesReasonAndChangesNothing() async throws {
        let api = try APIBed()
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            let writes = api.bed.pool.writes.count
            for (body, phrase) in [
                (#"{"extend": {"new_size": 11}}"#, "cannot grow to 11"),
                (#"{"extend": {"new_size": 1}}"#, "is not larger"),
                (#"{"shrink": {"new_size": 5}}"#, "is not smaller"),
                (#"{"extend": {"new_size": "2"}}"#, "'extend.new_size' must be a whole number"),
            ] {
                let answer = try await client.post("/v2/p1/shares/\(id)/action", body)
                #expect(answer.status == 400 && answer.fault?.name == "badRequest", "\(body): \(answer.text)")
                #expect(answer.fault?.message.contains(phrase) == true, "\(body): \(answer.text)")
            }
            #expect(api.bed.pool.writes.count == writes, "nothing may be written")
        }
    }

    @Test func aDeleteThatCannotWipeIsRefusedBeforeAnsweringAndTheShareStaysAvailable() async throws {
        // The bed's configuration names no manager identity: no wipe is possible.
        let api = try APIBed()
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            let answer = try await client.delete("/v2/p1/shares/\(id)")
            #expect(answer.status == 500 && answer.fault?.message.contains("manager_cert") == true, "\(answer.text)")
            #expect(try await client.get("/v2/p1/shares/\(id)")["share"]?["status"] as? String == "available")
        }
    }

    @Test func aShareWhoseWipeFailedShowsErrorDeletingWithTheReasonRecordedOnTheVolume() async throws {
        let api = try APIBed()
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            // What a failed background wipe leaves, on any host: needs-wipe and the reason.
            api.bed.pool.setOption(ShareMarks.Key.state, "needs-wipe", on: "vol-a")
            api.bed.pool.setOption(ShareMarks.Key.failure, ShareMarks.failureSetting("the wipe of 127.0.0.2:/vol-a did not finish: EIO").value, on: "vol-a")
            let shown = try await client.get("/v2/p1/shares/\(id)")
            #expect(shown["share"]?["status"] as? String == "error_deleting")
            #expect(shown["share"]?["status_reason"] as? String == "the wipe of 127.0.0.2:/vol-a did not finish: EIO")
            api.bed.pool.setOption(ShareMarks.Key.failure, "NONE", on: "vol-a")
            #expect(try await client.get("/v2/p1/shares/\(id)")["share"]?["status"] as? String == "deleting", "needs-wipe without a failure: a delete under way")
        }
    }

    @Test func aNameTheProjectHasAlreadyIsRefusedButAnotherProjectMayUseIt() async throws {
        let api = try APIBed()
        try await api.run { client in
            _ = try await client.createShare(project: "p1", name: "x")
            let again = try await client.post("/v2/p1/shares", #"{"share": {"name": "x", "share_proto": "GLUSTERFS", "size": 1}}"#)
            #expect(again.status == 400 && again.fault?.message.contains("project p1 has a share called 'x' already") == true, "\(again.text)")
            _ = try await client.createShare(project: "p2", name: "x")
        }
    }

    @Test func whenNoFreeVolumeHoldsTheSizeTheCreateIsRefusedAtOnce() async throws {
        let api = try APIBed()
        try await api.run { client in
            let answer = try await client.post("/v2/p1/shares", #"{"share": {"name": "big", "share_proto": "GLUSTERFS", "size": 4096}}"#)
            #expect(answer.status == 400 && answer.fault?.message.contains("no free volume") == true, "\(answer.text)")
        }
    }

    @Test func whenGlusterdIsDownAChangeIs503AndNothingIsHalfApplied() async throws {
        let api = try APIBed()
        try await api.onboard("tenant-a")
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            let before = api.bed.pool.options(of: "vol-a")
            api.bed.pool.failWrites = true
            let answer = try await client.post("/v2/p1/shares/\(id)/action", #"{"allow_access": {"access_type": "cert", "access_to": "tenant-a"}}"#)
            #expect(answer.status == 503 && answer.fault?.name == "serviceUnavailable", "\(answer.text)")
            #expect(api.bed.pool.options(of: "vol-a") == before)
        }
    }
}
