//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

/// Which shares a caller may see and change, and how it may name them. Every share look-up
/// of the driver (by id, name or volume; lists; changes) goes through one, so a share
/// outside the scope is "unknown" everywhere — the same answer as a share that never
/// existed, never "not yours".
public struct ShareScope: Sendable, Hashable, CustomStringConvertible {
    /// The project whose shares are visible; nil: every share.
    public let project: String?
    /// True: a share is named by its id only (the share API); false: by id, name or volume
    /// (the operator's CLI).
    public let byIDOnly: Bool

    /// The operator on a manager host (the CLI): every share, by id, name or volume.
    public static let all = ShareScope(project: nil, byIDOnly: false)
    /// An API admin: every share, by id.
    public static let admin = ShareScope(project: nil, byIDOnly: true)

    /// An API caller of `project`: its own shares only, by id.
    public static func project(_ project: String) -> ShareScope { ShareScope(project: project, byIDOnly: true) }

    init(project: String?, byIDOnly: Bool) {
        self.project = project
        self.byIDOnly = byIDOnly
    }

    /// True when a volume with these marks holds a share this scope sees.
    public func admits(_ marks: ShareMarks) -> Bool {
        marks.shareID != nil && admits(project: marks.project)
    }

    /// True when a share of `owner` (nil: made with the CLI, no project) is visible: the
    /// one rule behind every look-up.
    public func admits(project owner: String?) -> Bool {
        guard let project else { return true }
        return owner == project
    }

    /// True when `reference` names the share on this volume, within the scope.
    func matches(_ reference: String, marks: ShareMarks, volume: String, target: GlusterTarget) -> Bool {
        guard admits(marks), let id = marks.shareID else { return false }
        if id == reference { return true }
        if byIDOnly { return false }
        return marks.name == reference || volume == reference || target.exportLocation == reference || target.description == reference
    }

    public var description: String {
        switch (project, byIDOnly) {
        case (nil, false): "every share"
        case (nil, true): "every share (admin)"
        case (let project?, _): "project \(project)"
        }
    }
}
