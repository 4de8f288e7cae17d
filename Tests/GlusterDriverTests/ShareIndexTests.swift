//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import GlusterDriver

/// ``ShareIndex``, the local hint of where each share lives.
@Suite("ShareIndex: the share-to-volume cache in the state folder")
struct ShareIndexTests {
    static let entries = [
        ShareIndex.Entry(id: "1d160a88-f129-4e83-8b05-59da674c2c35", name: "demo", target: "127.0.0.2:/gshare-pool-01-1G"),
        ShareIndex.Entry(id: "2e271b99-0000-4e83-8b05-59da674c2c35", name: nil, target: "root@gluster1:2222:/gshare-pool-03-2G"),
        ShareIndex.Entry(id: "3f382caa-0000-4e83-8b05-59da674c2c35", name: "big", target: "127.0.0.2:/gshare-pool-05-5G"),
    ]

    static var index: ShareIndex {
        var index = ShareIndex()
        index.shares = entries
        return index
    }

    private func withStateDirectory(_ body: (String) throws -> Void) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory.appendingPathComponent("state").path)
    }

    @Test("what is saved loads back the same")
    func saveLoadRoundTrip() throws {
        try withStateDirectory { state in
            Self.index.save(stateDirectory: state)
            let loaded = ShareIndex.load(stateDirectory: state)
            #expect(loaded.version == 1)
            #expect(loaded.shares == Self.entries)
        }
    }

    @Test("the index file is 0600, its folder 0700, and no temporary file is left behind")
    func savedFileIsPrivateAndAtomic() throws {
        try withStateDirectory { state in
            Self.index.save(stateDirectory: state)
            let path = ShareIndex.path(stateDirectory: state)
            #expect(path == state + "/share-index.json")
            #expect(FileManager.default.fileExists(atPath: path))
            let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            let folderMode = try FileManager.default.attributesOfItem(atPath: state)[.posixPermissions] as? Int
            #expect(fileMode == 0o600)
            #expect(folderMode == 0o700)
            let files = try FileManager.default.contentsOfDirectory(atPath: state)
            #expect(files == ["share-index.json"])
        }
    }

    @Test("saving again replaces the index (a smaller one leaves no trailing bytes)")
    func savingReplaces() throws {
        try withStateDirectory { state in
            Self.index.save(stateDirectory: state)
            var smaller = ShareIndex()
            smaller.shares = [Self.entries[2]]
            smaller.save(stateDirectory: state)
            #expect(ShareIndex.load(stateDirectory: state).shares == [Self.entries[2]])
            let files = try FileManager.default.contentsOfDirectory(atPath: state)
            #expect(files == ["share-index.json"])
        }
    }

    @Test(
        "a missing, corrupt or foreign index loads as empty",
        arguments: [nil, "", "not json", "{\"version\":1,\"shares\":[{\"id\":1}]}", "{\"version\":2,\"shares\":[]}", "[]", "{\"version\":1,\"shares\":[{\"id\":\"a\",\"target\":"])
    func unreadableIndexIsEmpty(content: String?) throws {
        try withStateDirectory { state in
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            if let content {
                try Data(content.utf8).write(to: URL(fileURLWithPath: ShareIndex.path(stateDirectory: state)))
            }
            #expect(ShareIndex.load(stateDirectory: state).shares.isEmpty)
        }
    }

    @Test("a state folder that cannot be created is not an error for the caller")
    func unwritableStateIsIgnored() throws {
        try withStateDirectory { state in
            try Data("a file".utf8).write(to: URL(fileURLWithPath: state))
            Self.index.save(stateDirectory: state + "/below-a-file")
            #expect(ShareIndex.load(stateDirectory: state + "/below-a-file").shares.isEmpty)
        }
    }

    // MARK: Lookup

    @Test("an entry is found by share id, share name, target, and bare volume name")
    func entryLookup() {
        let index = Self.index
        #expect(index.entry(for: "2e271b99-0000-4e83-8b05-59da674c2c35") == Self.entries[1])
        #expect(index.entry(for: "demo") == Self.entries[0])
        #expect(index.entry(for: "root@gluster1:2222:/gshare-pool-03-2G") == Self.entries[1])
        #expect(index.entry(for: "gshare-pool-05-5G") == Self.entries[2])
        #expect(index.entry(for: "gshare-pool-03-2G") == Self.entries[1])
    }

    @Test("lookups do not match parts of names")
    func entryLookupIsExact() {
        let index = Self.index
        #expect(index.entry(for: "pool-01-1G") == nil)
        #expect(index.entry(for: "1d160a88") == nil)
        #expect(index.entry(for: "dem") == nil)
        #expect(index.entry(for: "") == nil)
        #expect(index.entry(for: "gluster1:2222:/gshare-pool-03-2G") == nil)
    }

    @Test("an id wins over a name that happens to equal it")
    func idWinsOverName() {
        var index = ShareIndex()
        index.shares = [
            ShareIndex.Entry(id: "a", name: "b", target: "h:/v1"),
            ShareIndex.Entry(id: "b", name: "c", target: "h:/v2"),
        ]
        #expect(index.entry(for: "b")?.target == "h:/v2")
    }

    @Test("an index built from an inventory lists only the volumes holding a share")
    func indexFromInventory() throws {
        let lab = GlusterServer(user: nil, host: "127.0.0.2", port: nil)
        let marked = try recordedVolume("volume-info-marked.xml")
        let volumes = try VolumeInfo.parse(VolumeInfoParsingTests.output("volume-info-all.xml")).map { $0.name == marked.name ? marked : $0 }
        let config = GShareConfig(servers: [lab], volumePattern: try VolumePattern(#"gshare-pool-\d+-#{size}G"#), systemCNs: try labSystemCNs())
        let index = ShareIndex(inventory: PoolInventory.assemble(config: config, volumesByServer: [lab: volumes]))
        #expect(index.shares == [ShareIndex.Entry(
            id: "1d160a88-f129-4e83-8b05-59da674c2c35", name: "demo", target: "127.0.0.2:/gshare-pool-01-1G",
            volumeID: "0675163c-1cb4-4cc9-a7f1-b8b7edaa327e")])
    }
}
