//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GlusterFSAPI
import Testing

/// A volume created for one test on the lab's glusterd (its brick under the lab's bricks
/// folder, a unique name): the way a test owns a volume no other suite touches.
struct ScratchVolume {
    let name: String
    let brick: String

    /// Creates (not starts) `PREFIX-<8 hex>SUFFIX`.
    static func create(_ lab: LabDescription, prefix: String, suffix: String = "") async throws -> ScratchVolume {
        let name = "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())\(suffix)"
        let volume = ScratchVolume(name: name, brick: "/var/tmp/gshare-lab/bricks/\(name)")
        try FileManager.default.createDirectory(atPath: volume.brick, withIntermediateDirectories: true)
        let create = try await runProcess("/usr/sbin/gluster", ["--mode=script", "volume", "create", name, "\(lab.host):\(volume.brick)", "force"])
        #expect(create.status == 0, "\(create.stdout) \(create.stderr)")
        return volume
    }

    /// Stops and deletes the volume and its brick, blocking the calling thread: only for
    /// clean-up in a `defer`.
    func removeBlocking() {
        _ = try? runProcessBlocking("/usr/sbin/gluster", ["--mode=script", "volume", "stop", name, "force"])
        _ = try? runProcessBlocking("/usr/sbin/gluster", ["--mode=script", "volume", "delete", name])
        try? FileManager.default.removeItem(atPath: brick)
    }
}

/// Runs the real gshare binary with a lab config built for one scenario.
struct DriverLab {
    let lab: LabDescription
    let folder: URL
    let config: String
    let state: URL

    /// A config whose pool is exactly `targets`. `stateDirectory` lets several configs share locks.
    init(targets: [String], extra: String = "", stateDirectory: URL? = nil) throws {
        lab = try LabDescription.load()
        folder = try makeTemporaryDirectory()
        state = stateDirectory ?? folder.appendingPathComponent("state")
        config = try lab.writeConfig(targets: targets, stateDirectory: state, in: folder, extra: extra)
    }

    func gshare(_ arguments: String..., trace: String? = nil) async throws -> ProcessResult {
        try await gshare(arguments, trace: trace)
    }

    /// ``gshare(_:trace:)`` blocking the calling thread: only for clean-up in a `defer`.
    func gshareBlocking(_ arguments: String...) throws -> ProcessResult {
        try runProcessBlocking(EndToEndTests.binary, arguments + ["--config", config], environment: ["GSHARE_GLUSTER_TRACE": ""])
    }

    func gshare(_ arguments: [String], trace: String? = nil) async throws -> ProcessResult {
        // --config wins over $GSHARE_CONFIG; an empty GSHARE_GLUSTER_TRACE means no trace.
        try await runProcess(EndToEndTests.binary, arguments + ["--config", config], environment: ["GSHARE_GLUSTER_TRACE": trace ?? ""])
    }

    /// Starts `gshare ARGS --config CONFIG` without waiting for it.
    func start(_ arguments: [String]) throws -> StartedProcess {
        try startProcess(EndToEndTests.binary, arguments + ["--config", config], environment: ["GSHARE_GLUSTER_TRACE": ""])
    }

    func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object (exit \(result.status)): \(result.stdout) \(result.stderr)")
    }

    /// `gshare access test` as a lab identity: 0 in, 1 refused, 3 the volume admits anyone.
    func accessTest(_ volume: String, as name: String) async throws -> Int32 {
        let identity = try lab.identity(named: name)
        let result = try await runProcess(
            EndToEndTests.binary, ["access", "test", "\(lab.host):/\(volume)", "--cert", identity.cert, "--key", identity.key, "--ca", identity.ca])
        return result.status
    }

    /// ``deleteAllShares()`` blocking the calling thread: only for clean-up in a `defer`.
    func deleteAllSharesBlocking() throws {
        let list = try gshareBlocking("share", "list", "--json")
        let shares = list.status == 0 ? ((try json(list)["shares"] as? [[String: Any]]) ?? []) : []
        for id in shares.compactMap({ $0["id"] as? String }) { _ = try gshareBlocking("share", "delete", id) }
    }

    /// Deletes every share on this config's pool (leftovers of an interrupted run).
    func deleteAllShares() async throws {
        let list = try await gshare("share", "list", "--json")
        guard list.status == 0 else { Issue.record("share list failed: \(list.stderr)"); return }
        let shares = (try json(list)["shares"] as? [[String: Any]]) ?? []
        for share in shares {
            guard let id = share["id"] as? String else { continue }
            let deleted = try await gshare("share", "delete", id)
            #expect(deleted.status == 0, "cleanup delete \(id): \(deleted.stderr)")
        }
    }

    /// `volume quota VOLUME list --xml`'s hard limit on `/`, nil when none.
    /// Asked again while the CLI gives no XML (quotad restarting after another volume's
    /// quota was turned on or off: the list then fails without a word).
    static func quotaLimit(of volume: String) async throws -> Int64? {
        var list = try await runProcess("/usr/sbin/gluster", ["--mode=script", "--xml", "volume", "quota", volume, "list"])
        for _ in 0..<10 where !list.stdout.contains("<opRet>") {
            try await Task.sleep(for: .seconds(1))
            list = try await runProcess("/usr/sbin/gluster", ["--mode=script", "--xml", "volume", "quota", volume, "list"])
        }
        guard let start = list.stdout.range(of: "<hard_limit>"), let end = list.stdout.range(of: "</hard_limit>") else { return nil }
        return Int64(list.stdout[start.upperBound..<end.lowerBound])
    }

    /// `gluster volume info VOLUME`'s options, read with the real CLI.
    static func options(of volume: String) async throws -> [String: String] {
        let result = try await runProcess("/usr/sbin/gluster", ["--mode=script", "--xml", "volume", "info", volume])
        var options: [String: String] = [:]
        let text = result.stdout
        var rest = text[...]
        while let nameStart = rest.range(of: "<option>") {
            rest = rest[nameStart.upperBound...]
            guard let n1 = rest.range(of: "<name>"), let n2 = rest.range(of: "</name>"),
                let v1 = rest.range(of: "<value>"), let v2 = rest.range(of: "</value>")
            else { break }
            options[String(rest[n1.upperBound..<n2.lowerBound])] = String(rest[v1.upperBound..<v2.lowerBound])
            rest = rest[v2.upperBound...]
        }
        return options
    }

    /// Everything in the volume except /.trashcan, listed as gshare's identity.
    func contents(of volume: String) async throws -> [String] {
        let listing = try await Self.client().walk(try connection(volume, as: lab.managerCN))
        return listing.entries.map(\.path).filter { !$0.hasPrefix("/.trashcan") }
    }

    /// Writes files into the volume as `name`, under `root` (whose parent must exist).
    func fill(_ volume: String, as name: String, files: Int, directories: Int = 5, under root: String = "/gshare-fill") async throws {
        _ = try await Self.client().fill(try connection(volume, as: name), files: files, directories: directories, under: root)
    }

    /// Everything in the volume, /.trashcan and what is inside it included, listed as `name`
    /// through libgfapi.
    func tree(of volume: String, as name: String) async throws -> [GlusterDirectoryEntry] {
        try await Self.client().walk(try connection(volume, as: name), limit: 1_000_000).entries
    }

    /// `volume` on the lab's host, as the lab identity `name`.
    func connection(_ volume: String, as name: String) throws -> GlusterConnection {
        let identity = try lab.identity(named: name)
        return GlusterConnection(
            address: GlusterVolumeAddress(host: lab.host, volume: volume),
            identity: GlusterTLSIdentity(certificateChain: identity.cert, privateKey: identity.key, certificateAuthorities: identity.ca))
    }

    /// A client running the worker built beside the gshare binary.
    static func client() throws -> IsolatedGlusterClient {
        try IsolatedGlusterClient(
            workerPath: URL(fileURLWithPath: EndToEndTests.binary).deletingLastPathComponent().appendingPathComponent("gshare-gfapi-worker"))
    }

    /// The gluster calls recorded in a trace file, as argument lists.
    static func traced(_ path: String) throws -> [[String]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(record["arguments"] as? [String])
        }
    }
}
