//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation

/// One quota limit of a volume and its usage, as `gluster volume quota VOLUME list --xml`
/// reports it (byte counts; GlusterFS's sizes are binary: `1GB` is 2^30 bytes).
public struct QuotaLimit: Sendable, Equatable, Codable {
    /// The folder the limit applies to (`/`: the whole volume).
    public let path: String
    public let hardLimitBytes: Int64
    /// The soft limit, as a percentage of the hard limit.
    public let softLimitPercent: Int
    public let softLimitBytes: Int64
    public let usedBytes: Int64
    public let availableBytes: Int64
    public let softLimitExceeded: Bool
    public let hardLimitExceeded: Bool

    public init(
        path: String, hardLimitBytes: Int64, softLimitPercent: Int, softLimitBytes: Int64, usedBytes: Int64, availableBytes: Int64,
        softLimitExceeded: Bool, hardLimitExceeded: Bool
    ) {
        self.path = path
        self.hardLimitBytes = hardLimitBytes
        self.softLimitPercent = softLimitPercent
        self.softLimitBytes = softLimitBytes
        self.usedBytes = usedBytes
        self.availableBytes = availableBytes
        self.softLimitExceeded = softLimitExceeded
        self.hardLimitExceeded = hardLimitExceeded
    }

    /// What the quota of a volume says (`volume quota VOLUME list`).
    public enum Listing: Sendable, Equatable {
        /// Quota is off on the volume.
        case disabled
        /// Quota is on; these limits are set (empty: none yet).
        case limits([QuotaLimit])
    }

    /// Parses `gluster --mode=script --xml volume quota VOLUME list [PATH]`.
    ///
    /// glusterd answers "Quota is disabled" and "No quota configured" with a failure
    /// (`opRet` -1): those are ``Listing/disabled`` and an empty ``Listing/limits(_:)``.
    /// - Throws: ``GlusterDriverError`` `unknown-volume`, or any other refusal, or output that
    ///   is not this command's XML (a limit without a path or with a count that is not a
    ///   non-negative number).
    public static func parse(_ output: GlusterCommandOutput, command: [String]) throws -> Listing {
        let document: GlusterCLIDocument
        do {
            document = try GlusterCLIDocument(output, command: command)
        } catch let error as GlusterDriverError where error.code == .commandFailed {
            let said = error.glusterMessage ?? ""
            if said.contains("Quota is disabled") { return .disabled }
            if said.contains("No quota configured") { return .limits([]) }
            throw GlusterCLI.quotaError(error)
        }
        let limits = document.root.elements(forName: "volQuota").first?.elements(forName: "limit") ?? []
        return .limits(
            try limits.map { element in
                func malformed(_ what: String) -> GlusterDriverError {
                    GlusterDriverError(.malformedOutput, command: command, message: "a quota <limit> \(what)")
                }
                guard let path = element.text(of: "path"), path.hasPrefix("/") else { throw malformed("has no <path>") }
                func bytes(_ name: String) throws -> Int64 {
                    guard let text = element.text(of: name), let value = Int64(text), value >= 0 else {
                        throw malformed("of \(path) has no count <\(name)>")
                    }
                    return value
                }
                let percentText = (element.text(of: "soft_limit_percent") ?? "").replacingOccurrences(of: "%", with: "")
                guard let percent = Int(percentText), (0...100).contains(percent) else { throw malformed("of \(path) has no <soft_limit_percent>") }
                return QuotaLimit(
                    path: path, hardLimitBytes: try bytes("hard_limit"), softLimitPercent: percent, softLimitBytes: try bytes("soft_limit_value"),
                    usedBytes: try bytes("used_space"), availableBytes: try bytes("avail_space"),
                    softLimitExceeded: element.text(of: "sl_exceeded") == "Yes", hardLimitExceeded: element.text(of: "hl_exceeded") == "Yes")
            })
    }
}

extension GlusterCLI {
    /// `volume quota VOLUME enable`; quota already on is fine.
    public func quotaEnable(_ volume: String) async throws {
        try await quota(volume, ["enable"], acceptingAlready: "Quota is already enabled")
    }

    /// `volume quota VOLUME disable` (removes every limit); quota already off is fine.
    public func quotaDisable(_ volume: String) async throws {
        try await quota(volume, ["disable"], acceptingAlready: "Quota is disabled")
    }

    /// `volume quota VOLUME limit-usage PATH BYTES`: the hard limit of `path` (a folder that
    /// exists in the volume; `/` for all of it). Setting it again replaces it.
    /// `softLimitPercent`: when usage past that share of the limit is reported (nil: the
    /// volume's default, 80 %).
    public func quotaLimitUsage(_ volume: String, path: String = "/", bytes: Int64, softLimitPercent: Int? = nil) async throws {
        guard bytes > 0, (softLimitPercent ?? 1) >= 1, (softLimitPercent ?? 1) <= 100 else {
            throw GlusterDriverError(
                .runnerFailed, command: ["volume", "quota", volume, "limit-usage", path], message: "a quota limit must be positive, its soft limit 1-100 %")
        }
        try await quota(volume, ["limit-usage", path, String(bytes)] + (softLimitPercent.map { [String($0)] } ?? []), acceptingAlready: nil)
    }

    /// `volume quota VOLUME list`: the limits and their usage.
    public func quotaList(_ volume: String) async throws -> QuotaLimit.Listing {
        let arguments = ["volume", "quota", volume, "list"]
        return try QuotaLimit.parse(try await runner.run(arguments), command: arguments)
    }

    private func quota(_ volume: String, _ verb: [String], acceptingAlready already: String?) async throws {
        let arguments = ["volume", "quota", volume] + verb
        do {
            _ = try GlusterCLIDocument(try await runner.run(arguments), command: arguments)
        } catch let error as GlusterDriverError where error.code == .commandFailed {
            if let already, (error.glusterMessage ?? "").contains(already) { return }
            throw Self.quotaError(error)
        }
    }

    /// glusterd's quota commands say "does not exist" for an unknown volume with the generic
    /// opErrno: the same code as every other command then.
    static func quotaError(_ error: GlusterDriverError) -> GlusterDriverError {
        if let said = error.glusterMessage, said.contains("Failed to start aux mount") {
            return GlusterDriverError(
                .quotadRefused, command: error.command,
                message: "quota cannot work on the volume: quotad could not mount it (the bricks refuse the node's own certificate, whose CN is not in auth.ssl-allow, or the volume is not started)",
                glusterMessage: error.glusterMessage, glusterErrno: error.glusterErrno)
        }
        guard let said = error.glusterMessage, said.hasPrefix("Volume "), said.hasSuffix(" does not exist") else { return error }
        return GlusterDriverError(
            .unknownVolume, command: error.command, message: "the volume does not exist (gluster volume list shows the ones that do)",
            glusterMessage: error.glusterMessage, glusterErrno: error.glusterErrno)
    }
}
