//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation

/// One volume as `gluster volume info --xml` describes it.
public struct VolumeInfo: Sendable, Equatable {
    public enum Status: String, Sendable {
        case created = "Created", started = "Started", stopped = "Stopped"
    }

    public let name: String
    public let id: String
    public let status: Status
    /// `host:/path` of each brick, in replica-set order.
    public let bricks: [String]
    /// Bricks per replica set (`<replicaCount>`; 1 for a plain distribute volume).
    public let replicaCount: Int
    /// Options set on the volume. A map, not a list: glusterd lists them most recently set
    /// first while it runs and reverses that order on every restart.
    public let options: [String: String]

    /// `server.ssl`, `client.ssl`, `auth.ssl-allow`… as set, nil when unset (the default).
    public func option(_ name: String) -> String? { options[name] }

    /// Parses the output of `gluster --mode=script --xml volume info [VOLUME|all]`.
    ///
    /// - Returns: the volumes, in glusterd's order (empty for an empty cluster).
    /// - Throws: ``GlusterDriverError``: glusterd unreachable, unknown volume, a refused
    ///   command, or output that is not this command's XML.
    public static func parse(_ output: GlusterCommandOutput, command: [String] = ["volume", "info", "all"]) throws -> [VolumeInfo] {
        let document = try GlusterCLIDocument(output, command: command)
        guard let volumes = document.root.elements(forName: "volInfo").first?.elements(forName: "volumes").first else {
            throw GlusterDriverError(.malformedOutput, command: command, message: "the XML has no <volInfo><volumes>")
        }
        return try volumes.elements(forName: "volume").map { try VolumeInfo(element: $0, command: command) }
    }

    init(element: LightXMLElement, command: [String]) throws {
        func malformed(_ what: String) -> GlusterDriverError {
            GlusterDriverError(.malformedOutput, command: command, message: "a <volume> \(what)")
        }
        guard let name = element.text(of: "name"), !name.isEmpty else { throw malformed("has no <name>") }
        guard let statusText = element.text(of: "statusStr"), let status = Status(rawValue: statusText) else {
            throw malformed("\(name) has an unknown <statusStr>")
        }
        self.name = name
        self.id = element.text(of: "id") ?? ""
        self.status = status
        self.bricks = (element.elements(forName: "bricks").first?.elements(forName: "brick") ?? []).compactMap { $0.text(of: "name") }
        self.replicaCount = element.text(of: "replicaCount").flatMap(Int.init).map { min(max($0, 1), 64) } ?? 1
        var options: [String: String] = [:]
        for option in element.elements(forName: "options").first?.elements(forName: "option") ?? [] {
            guard let key = option.text(of: "name") else { throw malformed("\(name) has an option without a <name>") }
            options[key] = option.elements(forName: "value").first?.stringValue ?? ""
        }
        self.options = options
    }
}
