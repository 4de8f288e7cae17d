//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation

/// The share state gshare keeps on a volume itself, as `user.gshare.*` options (replicated by
/// glusterd to every node, so any host running gshare sees the same state).
///
/// glusterd cannot `volume reset` a `user.*` option and refuses empty values, so a cleared
/// mark holds the sentinel `NONE`.
public struct ShareMarks: Sendable, Equatable, Codable {
    public enum Key {
        public static let share = "user.gshare.share"
        public static let name = "user.gshare.name"
        public static let created = "user.gshare.created"
        public static let state = "user.gshare.state"
        public static let granted = "user.gshare.granted"
        public static let deleted = "user.gshare.deleted"
        /// The share's size in GiB (its quota limit on `/`).
        public static let size = "user.gshare.size"
        /// The project (OpenStack tenant) the share belongs to; `NONE` for a share made with
        /// the CLI, which only the operator and API admins see.
        public static let project = "user.gshare.project"
        /// Why the last background change of the share failed (a wipe that did not finish),
        /// percent-encoded (the gluster CLI strips spaces from values): every host shows it.
        public static let failure = "user.gshare.failure"
    }

    /// The value of a cleared mark.
    public static let none = "NONE"

    /// What a volume is doing.
    public enum State: String, Sendable, Codable {
        /// Holds a share.
        case active
        /// Being deleted: tenants are cut off, the wipe has not finished. Never handed out.
        case needsWipe = "needs-wipe"
    }

    /// The share this volume holds (nil: free).
    public var shareID: String?
    public var name: String?
    public var created: String?
    public var state: State?
    /// The CNs gshare granted on this share (so `access list` can tell them from entries
    /// someone else put in auth.ssl-allow).
    public var granted: [String]
    /// The last share deleted from this volume, so a second delete is recognised as harmless.
    public var deletedShareID: String?
    /// A `user.gshare.state` value this version does not know (treated as "do not touch").
    public var unknownState: String?
    /// The share's size in GiB, as recorded at create (nil: none recorded, e.g. a share made
    /// before sizes were enforced, or a share that takes a whole unsized volume).
    public var sizeGiB: Int?
    /// The project the share belongs to (nil: none, a share made with the CLI).
    public var project: String?
    /// Why the last background change failed (decoded), nil when none did.
    public var failure: String?

    public init(
        shareID: String? = nil, name: String? = nil, created: String? = nil, state: State? = nil, granted: [String] = [],
        deletedShareID: String? = nil, sizeGiB: Int? = nil, project: String? = nil
    ) {
        self.shareID = shareID
        self.name = name
        self.created = created
        self.state = state
        self.granted = granted
        self.deletedShareID = deletedShareID
        self.unknownState = nil
        self.sizeGiB = sizeGiB
        self.project = project
        self.failure = nil
    }

    /// Reads the marks from a volume's options (as `volume info` lists them).
    public init(options: [String: String]) {
        func value(_ key: String) -> String? {
            guard let raw = options[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, raw != Self.none else { return nil }
            return raw
        }
        self.shareID = value(Key.share)
        self.name = value(Key.name)
        self.created = value(Key.created)
        let stateText = value(Key.state)
        self.state = stateText.flatMap(State.init(rawValue:))
        self.unknownState = stateText != nil && state == nil ? stateText : nil
        self.granted = value(Key.granted).map { $0.split(separator: ",").map(String.init) } ?? []
        self.deletedShareID = value(Key.deleted)
        self.sizeGiB = value(Key.size).flatMap(Int.init).flatMap { ShareMarks.sizeRange.contains($0) ? $0 : nil }
        // A project mark that is not a project ID (set by hand) belongs to no project anyone
        // can name: the share is then seen only by the operator and admins.
        self.project = value(Key.project).map { ProjectID.isValid($0) ? $0 : "invalid:\($0)" }
        self.failure = value(Key.failure).map { $0.removingPercentEncoding ?? $0 }
    }

    /// The sizes a share may have, in GiB (up to 1 PiB).
    public static let sizeRange = 1...1_048_576

    /// True when nothing claims the volume.
    public var isFree: Bool { shareID == nil && state == nil && unknownState == nil }

    /// The settings that write these marks (every key, cleared ones as `NONE`).
    public var settings: [VolumeSetting] {
        [
            VolumeSetting(key: Key.share, value: shareID ?? Self.none),
            VolumeSetting(key: Key.name, value: name ?? Self.none),
            VolumeSetting(key: Key.created, value: created ?? Self.none),
            VolumeSetting(key: Key.state, value: state?.rawValue ?? Self.none),
            VolumeSetting(key: Key.granted, value: granted.isEmpty ? Self.none : granted.joined(separator: ",")),
            VolumeSetting(key: Key.deleted, value: deletedShareID ?? Self.none),
            VolumeSetting(key: Key.size, value: sizeGiB.map(String.init) ?? Self.none),
            VolumeSetting(key: Key.project, value: project ?? Self.none),
            Self.failureSetting(failure),
        ]
    }

    /// The setting that records why a background change failed (nil: clears it). The text
    /// is percent-encoded (spaces would be stripped) and cut to ``failureLimit`` bytes.
    public static func failureSetting(_ failure: String?) -> VolumeSetting {
        guard let failure, !failure.isEmpty else { return VolumeSetting(key: Key.failure, value: none) }
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0x21)...Unicode.Scalar(0x7E)))
        allowed.insert(charactersIn: "-_.:/()")
        var text = Substring(failure)
        while true {
            let encoded = text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "failed"
            if encoded.utf8.count <= failureLimit { return VolumeSetting(key: Key.failure, value: encoded) }
            text = text.dropLast(max(1, (encoded.utf8.count - failureLimit) / 3))
        }
    }

    /// The longest failure mark, in bytes.
    public static let failureLimit = 600

    /// The setting that records the granted CNs.
    public static func grantedSetting(_ granted: [String]) -> VolumeSetting {
        VolumeSetting(key: Key.granted, value: granted.isEmpty ? none : granted.joined(separator: ","))
    }
}

/// Project IDs (the OpenStack project a share belongs to, from the API's URL or API user):
/// 1-64 letters, digits, `_`, `-` or `.`, not starting with `-` or `.`, not `NONE`. Keystone
/// project IDs (32 hex digits) and readable names alike.
public enum ProjectID {
    public static func isValid(_ project: String) -> Bool { ShareName.isValid(project) }
}

/// Share names: labels a person types. Letters, digits, `.`, `_`, `-`; 1–64 characters; not
/// `NONE` (the cleared-mark sentinel). The gluster CLI strips spaces from values, so no spaces.
public enum ShareName {
    public static func isValid(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count), name != ShareMarks.none, let first = name.utf8.first else { return false }
        guard first != UInt8(ascii: "-") && first != UInt8(ascii: ".") else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
