//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Testing

/// `share delete` leaves nothing of a tenant in `/.trashcan/internal_op`: the trash
/// translator protects only that folder (and `/.trashcan`), not what is inside, so a tenant
/// can put files there (and GlusterFS itself copies files there with
/// `features.trash-internal-op on`). On a volume created for the test, with the trash
/// translator off and on; the next tenant looks through libgfapi.
@Suite("gshare share delete empties the trash can's internal_op, against the real lab", .serialized)
struct ShareWipeTrashcanTests {
    static func gluster(_ arguments: String...) async throws -> ProcessResult {
        let result = try await runProcess("/usr/sbin/gluster", ["--mode=script"] + arguments)
        #expect(result.status == 0, "gluster \(arguments.joined(separator: " ")): \(result.stdout) \(result.stderr)")
        return result
    }

    /// The only entries a wiped volume may hold (both folders empty).
    static let trashFolders: Set<String> = ["/.trashcan", "/.trashcan/internal_op"]

    @Test(.timeLimit(.minutes(5)))
    func whatATenantLeavesInInternalOpIsGoneForTheNextTenantWithTrashOffAndOn() async throws {
        let lab = try LabDescription.load()
        let scratch = try await ScratchVolume.create(lab, prefix: "gshare-test-internalop")
        defer { scratch.removeBlocking() }
        let volume = scratch.name
        // Ready for the pool before its first start (server.ssl needs no restart then).
        _ = try await Self.gluster(
            "volume", "set", volume, "auth.ssl-allow", "\(lab.serverCN),\(lab.managerCN)", "server.ssl", "on", "client.ssl", "on")
        _ = try await Self.gluster("volume", "start", volume)
        let driver = try DriverLab(targets: [volume])
        defer { try? driver.deleteAllSharesBlocking() }

        for trash in [false, true] {
            if trash {
                _ = try await Self.gluster("volume", "set", volume, "features.trash", "on", "features.trash-internal-op", "on")
                let ready = try await Self.eventually {
                    Self.trashFolders.isSubset(of: Set(try await driver.tree(of: volume, as: lab.managerCN).map(\.path)))
                }
                #expect(ready, "features.trash on creates /.trashcan/internal_op")
            }

            // tenant-a's share: data of its own, and files in /.trashcan/internal_op.
            let created = try await driver.gshare("share", "create", "--json")
            #expect(created.status == 0, "\(created.stderr)")
            let id = try #require(try driver.json(created)["id"] as? String)
            #expect(try await driver.gshare("access", "allow", id, "--cn", "tenant-a").status == 0)
            try await driver.fill(volume, as: "tenant-a", files: 0, directories: 1, under: "/.trashcan")  // mkdir when missing
            try await driver.fill(volume, as: "tenant-a", files: 30, directories: 4, under: "/.trashcan/internal_op")
            try await driver.fill(volume, as: "tenant-a", files: 20, directories: 2, under: "/tenant-a-data")
            let planted = try await driver.tree(of: volume, as: "tenant-a")
            #expect(planted.filter { $0.path.hasPrefix("/.trashcan/internal_op/") && $0.kind == .regular }.count == 30, "trash \(trash)")

            let deleted = try await driver.gshare("share", "delete", id, "--json")
            #expect(deleted.status == 0, "trash \(trash): \(deleted.stdout) \(deleted.stderr)")
            // With the translator on, the 20 unlinked data files went to /.trashcan first and
            // were removed there too: the proof that it was at work.
            #expect(try driver.json(deleted)["filesRemoved"] as? Int == 30 + 20 + (trash ? 20 : 0), "trash \(trash): \(deleted.stdout)")

            // The next tenant, through libgfapi: the two folders, empty, and nothing else.
            let next = try await driver.gshare("share", "create", "--json")
            #expect(next.status == 0, "\(next.stderr)")
            let nextID = try #require(try driver.json(next)["id"] as? String)
            #expect(try await driver.gshare("access", "allow", nextID, "--cn", "tenant-b").status == 0)
            let seen = try await driver.tree(of: volume, as: "tenant-b").map(\.path)
            #expect(Set(seen).isSubset(of: Self.trashFolders), "trash \(trash): tenant-b sees \(seen.filter { !Self.trashFolders.contains($0) })")
            #expect(try await driver.gshare("share", "delete", nextID).status == 0)
        }
    }

    /// Polls `body` until it is true (at most 10 s).
    static func eventually(_ body: () async throws -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(10)
        while clock.now < end {
            if try await body() { return true }
            try await Task.sleep(for: .milliseconds(300))
        }
        return try await body()
    }
}
