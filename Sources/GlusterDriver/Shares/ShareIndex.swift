//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation

/// A local cache of where each share lives (`<state_dir>/share-index.json`), so that a
/// change to one share costs one `volume info` of its volume instead of a pool-wide read
/// first. Only a hint: the volume's own marks, read under its lock, are the truth, and a
/// stale or missing index just costs one `volume info all`.
struct ShareIndex: Codable, Sendable {
    struct Entry: Codable, Sendable, Equatable {
        let id: String
        let name: String?
        let target: String
        /// The volume's ID: the key of its lock. Absent in indexes written before it was kept
        /// (then the share is found by a pool-wide read, which writes it).
        var volumeID: String?
    }

    var version = 1
    var shares: [Entry] = []

    static func path(stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent("share-index.json")
    }

    /// The index, or an empty one when it is missing or unreadable.
    static func load(stateDirectory: String) -> ShareIndex {
        guard let data = FileManager.default.contents(atPath: path(stateDirectory: stateDirectory)),
            let index = try? JSONDecoder().decode(ShareIndex.self, from: data), index.version == 1
        else { return ShareIndex() }
        return index
    }

    /// The entry for a share id, name or target/volume; nil for a name several shares carry
    /// (the pool-wide read then says which).
    func entry(for reference: String) -> Entry? {
        let named = shares.filter { $0.name == reference }
        if named.count > 1 { return shares.first { $0.id == reference } }
        return shares.first { $0.id == reference } ?? named.first
            ?? shares.first { $0.target == reference || $0.target.hasSuffix(":/\(reference)") }
    }

    /// Writes the index atomically (a temporary file renamed over it). Failing to write a
    /// cache is not an error for the operation that tried.
    func save(stateDirectory: String) {
        guard (try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil,
            let data = try? JSONEncoder().encode(self)
        else { return }
        let final = Self.path(stateDirectory: stateDirectory)
        let temporary = final + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, final) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    init() {}

    init(inventory: PoolInventory) {
        shares = inventory.volumes.compactMap { volume in
            volume.marks.shareID.map { Entry(id: $0, name: volume.marks.name, target: volume.target.description, volumeID: volume.info.id) }
        }
    }
}
