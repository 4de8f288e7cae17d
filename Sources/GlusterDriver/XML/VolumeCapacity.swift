//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation

/// The file systems under a volume's bricks, as `gluster volume status VOLUME detail --xml`
/// reports them: what a volume without a pattern size can hold.
public struct VolumeCapacity: Sendable, Equatable, Codable {
    /// One brick online, with its file system's size.
    public struct Brick: Sendable, Equatable, Codable {
        /// `host:/path`, as in `volume info`.
        public let brick: String
        public let totalBytes: Int64
        public let freeBytes: Int64

        public init(brick: String, totalBytes: Int64, freeBytes: Int64) {
            self.brick = brick
            self.totalBytes = totalBytes
            self.freeBytes = freeBytes
        }
    }

    public let volume: String
    /// The bricks reported (a brick of a node that is down is missing).
    public let bricks: [Brick]

    public init(volume: String, bricks: [Brick]) {
        self.volume = volume
        self.bricks = bricks
    }

    /// What the volume holds: each replica set holds what its smallest brick holds, and a
    /// distributed volume the sum of its sets. `info` gives the brick order and replica
    /// count; a set with no brick reported makes it unknown (nil).
    public func totals(of info: VolumeInfo) -> (totalBytes: Int64, freeBytes: Int64)? {
        let reported = Dictionary(bricks.map { ($0.brick, $0) }, uniquingKeysWith: { first, _ in first })
        let names = info.bricks.isEmpty ? bricks.map(\.brick) : info.bricks
        guard !names.isEmpty else { return nil }
        let setSize = max(1, info.replicaCount)
        var total: Int64 = 0
        var free: Int64 = 0
        for start in stride(from: 0, to: names.count, by: setSize) {
            let set = names[start..<min(start + setSize, names.count)].compactMap { reported[$0] }
            guard let smallest = set.map(\.totalBytes).min(), let leastFree = set.map(\.freeBytes).min() else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(smallest)
            guard !overflow else { return nil }
            total = sum
            free += leastFree
        }
        return (total, free)
    }

    /// Parses `gluster --mode=script --xml volume status VOLUME detail`.
    /// - Throws: ``GlusterDriverError``: unknown volume, a refused command, or output that is
    ///   not this command's XML (a brick whose sizes are not non-negative numbers).
    public static func parse(_ output: GlusterCommandOutput, command: [String]) throws -> VolumeCapacity {
        let document = try GlusterCLIDocument(output, command: command)
        guard let volume = document.root.elements(forName: "volStatus").first?.elements(forName: "volumes").first?.elements(forName: "volume").first,
            let name = volume.text(of: "volName"), !name.isEmpty
        else {
            throw GlusterDriverError(.malformedOutput, command: command, message: "the XML has no <volStatus><volumes><volume> with a <volName>")
        }
        var bricks: [Brick] = []
        for node in volume.elements(forName: "node") {
            // The self-heal and quota daemons are listed as nodes too, without a brick path.
            guard let host = node.text(of: "hostname"), let path = node.text(of: "path"), path.hasPrefix("/") else { continue }
            guard node.text(of: "status") == "1" else { continue }
            guard let total = node.text(of: "sizeTotal").flatMap(Int64.init), total >= 0,
                let free = node.text(of: "sizeFree").flatMap(Int64.init), free >= 0
            else {
                throw GlusterDriverError(.malformedOutput, command: command, message: "brick \(host):\(path) has no byte counts <sizeTotal>/<sizeFree>")
            }
            bricks.append(Brick(brick: "\(host):\(path)", totalBytes: total, freeBytes: min(free, total)))
        }
        return VolumeCapacity(volume: name, bricks: bricks)
    }
}

extension GlusterCLI {
    /// `volume status VOLUME detail`: the bricks' file-system sizes.
    public func volumeCapacity(_ volume: String) async throws -> VolumeCapacity {
        let arguments = ["volume", "status", volume, "detail"]
        return try VolumeCapacity.parse(try await runner.run(arguments), command: arguments)
    }
}
