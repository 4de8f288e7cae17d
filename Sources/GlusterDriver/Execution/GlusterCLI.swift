//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation

/// One `key value` pair of a `gluster volume set`.
public struct VolumeSetting: Sendable, Hashable, Codable, CustomStringConvertible {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public var description: String { "\(key)=\(value)" }
}

/// Typed gluster CLI calls over a runner. Every call is one CLI run.
public struct GlusterCLI: Sendable {
    public let runner: any GlusterCommandRunner

    public init(runner: any GlusterCommandRunner = LocalGlusterRunner()) {
        self.runner = runner
    }

    /// `volume info all` (one call for the whole pool), or one volume.
    public func volumeInfo(_ volume: String? = nil) async throws -> [VolumeInfo] {
        let arguments = ["volume", "info", volume ?? "all"]
        return try VolumeInfo.parse(try await runner.run(arguments), command: arguments)
    }

    /// `volume info VOLUME`: exactly one volume.
    public func volumeInfo(of volume: String) async throws -> VolumeInfo {
        let arguments = ["volume", "info", volume]
        let volumes = try VolumeInfo.parse(try await runner.run(arguments), command: arguments)
        guard volumes.count == 1, let info = volumes.first, info.name == volume else {
            throw GlusterDriverError(
                .malformedOutput, command: arguments, message: "expected the one volume \(volume), got \(volumes.map(\.name))")
        }
        return info
    }

    /// `volume set VOLUME k1 v1 k2 v2 …`: one write, applied by glusterd as one transaction.
    /// Empty values are refused here (the CLI itself refuses them without XML).
    public func volumeSet(_ volume: String, _ settings: [VolumeSetting]) async throws {
        var arguments = ["volume", "set", volume]
        for setting in settings {
            arguments += [setting.key, setting.value]
        }
        guard !settings.isEmpty, settings.allSatisfy({ !$0.value.isEmpty && !$0.key.isEmpty }) else {
            throw GlusterDriverError(.runnerFailed, command: arguments, message: "a volume set needs at least one key and no empty value")
        }
        _ = try GlusterCLIDocument(try await runner.run(arguments), command: arguments)
    }

    /// `volume get VOLUME KEY`: the option's value (glusterd's default when unset; nil for a
    /// `user.*` option never set, which the CLI reports as a failure with opRet -2).
    public func volumeGet(_ volume: String, _ key: String) async throws -> String? {
        let arguments = ["volume", "get", volume, key]
        let output = try await runner.run(arguments)
        let document: GlusterCLIDocument
        do {
            document = try GlusterCLIDocument(output, command: arguments)
        } catch let error as GlusterDriverError where error.code == .commandFailed && key.hasPrefix("user.") && output.exitStatus == 2 {
            return nil
        }
        let options = document.root.elements(forName: "volGetopts").first?.elements(forName: "Opt") ?? []
        for option in options where option.text(of: "Option") == key {
            return option.elements(forName: "Value").first?.stringValue ?? ""
        }
        throw GlusterDriverError(.malformedOutput, command: arguments, message: "the XML has no <Opt> for \(key)")
    }

    /// `volume stop VOLUME` (clients are disconnected).
    public func volumeStop(_ volume: String) async throws {
        let arguments = ["volume", "stop", volume]
        _ = try GlusterCLIDocument(try await runner.run(arguments), command: arguments)
    }

    /// `volume reset VOLUME KEY`: the option back to its default (not for `user.*` options,
    /// which glusterd cannot reset).
    public func volumeReset(_ volume: String, _ key: String) async throws {
        let arguments = ["volume", "reset", volume, key]
        _ = try GlusterCLIDocument(try await runner.run(arguments), command: arguments)
    }

    /// `volume start VOLUME`.
    public func volumeStart(_ volume: String) async throws {
        let arguments = ["volume", "start", volume]
        _ = try GlusterCLIDocument(try await runner.run(arguments), command: arguments)
    }
}
