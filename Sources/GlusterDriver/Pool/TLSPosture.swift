//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import TenantPKI

/// The volume options the TLS posture depends on.
enum TLSOption {
    static let serverSSL = "server.ssl"
    static let clientSSL = "client.ssl"
    static let sslAllow = "auth.ssl-allow"
    static let dynamicAuth = "server.dynamic-auth"
}

/// GlusterFS's boolean words (`gf_string2boolean`, compared case-insensitively).
public enum GlusterBoolean {
    /// true or false for a word GlusterFS understands, nil for anything else (`maybe`, "").
    public static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "on", "yes", "true", "enable": true
        case "0", "off", "no", "false", "disable": false
        default: nil
        }
    }
}

/// Whether one volume can be handed out as a TLS share, check by check.
///
/// A volume is ready when: `server.ssl` and `client.ssl` are on; `auth.ssl-allow` is set,
/// does not admit anyone and has no wildcard; every system CN is listed; `server.dynamic-auth`
/// is on (its default); and the volume is started. Pure: it judges a ``VolumeInfo``, it
/// runs nothing.
public struct TLSPosture: Sendable, Equatable, Codable {
    public let volume: String
    /// Every check, in a fixed order: server.ssl, client.ssl, auth.ssl-allow, system-cns,
    /// server.dynamic-auth, status.
    public let checks: [PostureCheck]

    public init(volume: String, checks: [PostureCheck]) {
        self.volume = volume
        self.checks = checks
    }

    /// True when every check passed.
    public var isReady: Bool { checks.allSatisfy(\.passed) }

    /// The checks that failed, in order.
    public var problems: [PostureCheck] { checks.filter { !$0.passed } }

    /// Judges `volume` against the safe posture.
    /// - Parameters:
    ///   - volume: one volume from `gluster volume info --xml`.
    ///   - systemCNs: the CNs that must stay listed (the nodes, gshare's own identity).
    public static func evaluate(_ volume: VolumeInfo, systemCNs: [CommonName]) -> TLSPosture {
        let plan = PreparePlan.settings(for: volume, systemCNs: systemCNs)
        let allowList = SSLAllowList(optionValue: volume.option(TLSOption.sslAllow))
        return TLSPosture(
            volume: volume.name,
            checks: [
                serverSSLCheck(volume),
                clientSSLCheck(volume),
                allowListCheck(volume, allowList, fix: plan.allowListFix),
                systemCNsCheck(allowList, systemCNs, fix: plan.allowListFix),
                dynamicAuthCheck(volume),
                statusCheck(volume, prepareFirst: !plan.settings.isEmpty),
                restartCheck(volume),
            ])
    }

    /// The mark `gshare pool prepare` leaves when it turned server.ssl on without restarting
    /// the bricks (they keep serving plain text until they restart).
    public static let restartPendingKey = "user.gshare.restart-pending"

    private static func restartCheck(_ volume: VolumeInfo) -> PostureCheck {
        guard let pending = volume.option(restartPendingKey), pending != "NONE" else {
            return PostureCheck(name: "bricks", passed: true, found: "no restart pending", problem: nil, fix: nil)
        }
        let problem = pending == TLSOption.sslAllow
            ? "auth.ssl-allow held a '\\' entry, which the bricks cannot parse: they still enforce the list they started with "
                + "and ignore every change made since (a deny included) until they restart"
            : "server.ssl was turned on but the bricks have not restarted since: they still accept clients in plain text"
        return PostureCheck(
            name: "bricks", passed: false, found: "restart pending (\(pending) changed)", problem: problem,
            fix: "gshare pool prepare \(volume.name) --restart")
    }

    private static func serverSSLCheck(_ volume: VolumeInfo) -> PostureCheck {
        let fix = volume.status == .started ? "gshare pool prepare \(volume.name) --restart" : "gshare pool prepare \(volume.name)"
        let plain = "TLS is off on the bricks: they accept any client in plain text and ignore certificates and auth.ssl-allow"
        return booleanCheck(
            TLSOption.serverSSL, volume.option(TLSOption.serverSSL), defaultOn: false,
            whenOff: plain + (volume.status == .started ? "; turning it on takes a brick restart" : ""),
            whenNotBoolean: "is not a boolean GlusterFS understands: glusterd stored it unchecked, a brick will not "
                + "start with it, and the running bricks keep their old setting, so they may accept clients without TLS",
            fix: fix)
    }

    private static func clientSSLCheck(_ volume: VolumeInfo) -> PostureCheck {
        booleanCheck(
            TLSOption.clientSSL, volume.option(TLSOption.clientSSL), defaultOn: false,
            whenOff: "clients are not told to use TLS: they connect in plain text, which a TLS brick refuses "
                + "and a plain one accepts",
            whenNotBoolean: "is not a boolean GlusterFS understands: clients given it hang instead of connecting",
            fix: "gluster volume set \(volume.name) client.ssl on")
    }

    private static func dynamicAuthCheck(_ volume: VolumeInfo) -> PostureCheck {
        booleanCheck(
            TLSOption.dynamicAuth, volume.option(TLSOption.dynamicAuth), defaultOn: true,
            whenOff: "a client removed from auth.ssl-allow keeps its connection until it reconnects: a deny "
                + "would not throw it out",
            whenNotBoolean: "is not a boolean GlusterFS understands (glusterd refuses it at volume set, so it was "
                + "put there another way); whether a deny disconnects anyone is unknown",
            fix: "gluster volume set \(volume.name) server.dynamic-auth on")
    }

    private static func booleanCheck(
        _ name: String, _ value: String?, defaultOn: Bool, whenOff: String, whenNotBoolean: String, fix: String
    ) -> PostureCheck {
        guard let value else {
            return defaultOn
                ? .passed(name, found: "unset (default on)")
                : .failed(name, found: "unset (default off)", problem: whenOff, fix: fix)
        }
        switch GlusterBoolean.parse(value) {
        case true?: return .passed(name, found: value)
        case false?: return .failed(name, found: value, problem: whenOff, fix: fix)
        case nil: return .failed(name, found: value, problem: "\"\(value)\" " + whenNotBoolean, fix: fix)
        }
    }

    private static func allowListCheck(_ volume: VolumeInfo, _ list: SSLAllowList, fix: String) -> PostureCheck {
        var problems: [String] = []
        if list.isUnset {
            problems.append("not set: GlusterFS uses * and lets in every client whose certificate it trusts")
        } else if list.admitsAnyone {
            problems.append("it lists * and so lets in every client whose certificate it trusts")
        }
        let patterns = list.irregularEntries.filter { !$0.utf8.allSatisfy { $0 == UInt8(ascii: "*") } }
        if !patterns.isEmpty {
            problems.append(
                "the \(patterns.count == 1 ? "entry" : "entries") \(patterns.map { "'\($0)'" }.joined(separator: " ")) \(patterns.count == 1 ? "is" : "are") not "
                    + "a plain name: fnmatch reads * ? [ ] as patterns and \\ as an escape, so \(patterns.count == 1 ? "it admits" : "they admit") "
                    + "names nobody checked (the fix drops \(patterns.count == 1 ? "it" : "them"): grant each tenant by its exact CN)"
                    + (list.freezesTheBricks ? "; a '\\' also freezes the bricks: they ignore every change until they restart" : ""))
        }
        let value = volume.option(TLSOption.sslAllow)
        let found = list.entries.isEmpty || value == nil ? list.description : value ?? ""
        if problems.isEmpty { return .passed(TLSOption.sslAllow, found: found) }
        return .failed(TLSOption.sslAllow, found: found, problem: problems.joined(separator: "; "), fix: fix)
    }

    private static func systemCNsCheck(_ list: SSLAllowList, _ systemCNs: [CommonName], fix: String) -> PostureCheck {
        let name = "system-cns"
        if systemCNs.isEmpty { return .passed(name, found: "no system CNs configured") }
        let missing = list.missing(systemCNs)
        if missing.isEmpty { return .passed(name, found: systemCNs.map(\.value).joined(separator: ",")) }
        let names = missing.map(\.value).joined(separator: ",")
        return .failed(
            name, found: "missing \(names)",
            problem: "\(names) \(missing.count == 1 ? "is" : "are") not listed by name: once auth.ssl-allow is "
                + "enforced, the nodes' own clients (self-heal, quota) or gshare itself are refused",
            fix: fix)
    }

    private static func statusCheck(_ volume: VolumeInfo, prepareFirst: Bool) -> PostureCheck {
        if volume.status == .started { return .passed("status", found: volume.status.rawValue) }
        let state = volume.status == .created ? "created but never started" : "stopped"
        let start = "gluster volume start \(volume.name)"
        return .failed(
            "status", found: volume.status.rawValue,
            problem: "the volume is \(state): no client can mount it, so it cannot be handed out",
            fix: prepareFirst ? "gshare pool prepare \(volume.name) && \(start)" : start)
    }

    private enum CodingKeys: String, CodingKey { case volume, ready, checks }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.volume = try container.decode(String.self, forKey: .volume)
        self.checks = try container.decode([PostureCheck].self, forKey: .checks)
    }

    /// Encodes `volume`, `ready` (``isReady``, for readers of `--json`) and `checks`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(volume, forKey: .volume)
        try container.encode(isReady, forKey: .ready)
        try container.encode(checks, forKey: .checks)
    }
}

/// One check of a ``TLSPosture``.
public struct PostureCheck: Sendable, Equatable, Codable {
    /// "server.ssl", "client.ssl", "auth.ssl-allow", "system-cns", "server.dynamic-auth" or "status".
    public let name: String
    public let passed: Bool
    /// What is set: "on", "unset (default off)", "maybe", "gluster-node-1,tenant-*"…
    public let found: String
    /// When failed: what is wrong and why it matters.
    public let problem: String?
    /// When failed: the command(s) that fix it.
    public let fix: String?

    public init(name: String, passed: Bool, found: String, problem: String?, fix: String?) {
        self.name = name
        self.passed = passed
        self.found = found
        self.problem = problem
        self.fix = fix
    }

    static func passed(_ name: String, found: String) -> PostureCheck {
        PostureCheck(name: name, passed: true, found: found, problem: nil, fix: nil)
    }

    static func failed(_ name: String, found: String, problem: String, fix: String) -> PostureCheck {
        PostureCheck(name: name, passed: false, found: found, problem: problem, fix: fix)
    }
}

/// What `gshare pool prepare VOL` has to set to bring a volume to the safe posture.
///
/// The settings, only those that differ from what is set, in this order:
/// 1. `auth.ssl-allow`: the plain names already listed (glob patterns, `\` escapes and any
///    other irregular entry dropped), missing system CNs added at the front. Never wider than before: unset or `*` becomes exactly
///    the system CNs. First, so the list is narrow before TLS goes on.
/// 2. `server.ssl on`, 3. `client.ssl on`, 4. `server.dynamic-auth on`.
public struct PreparePlan: Sendable, Equatable {
    public let volume: String
    public let settings: [VolumeSetting]
    /// `server.ssl` is read when a brick starts: true when it was not on and the volume is
    /// Started, so the bricks must be restarted for TLS to be enforced — or when the list
    /// holds a `\`, which froze the running bricks on their old list.
    public let needsRestart: Bool
    /// Why a restart is needed: the option whose change the bricks have not taken up
    /// (`server.ssl` or `auth.ssl-allow`); nil when none is.
    public var restartReason: String? {
        guard needsRestart else { return nil }
        return frozenList ? TLSOption.sslAllow : TLSOption.serverSSL
    }
    /// The list holds a `\` (the running bricks ignore changes until restarted).
    public let frozenList: Bool
    /// The volume passes every ``TLSPosture`` check already.
    public let alreadyReady: Bool

    public init(volume: String, settings: [VolumeSetting], needsRestart: Bool, alreadyReady: Bool, frozenList: Bool = false) {
        self.volume = volume
        self.settings = settings
        self.needsRestart = needsRestart
        self.alreadyReady = alreadyReady
        self.frozenList = frozenList
    }

    /// The plan for one volume.
    ///
    /// With no system CNs and no exact entry to keep, the narrow list would be empty, which
    /// the CLI refuses to set: `auth.ssl-allow` is then left out and the posture stays not ready.
    public static func make(for volume: VolumeInfo, systemCNs: [CommonName]) -> PreparePlan {
        let serverSSLOn = volume.option(TLSOption.serverSSL).flatMap(GlusterBoolean.parse) == true
        let frozen = SSLAllowList(optionValue: volume.option(TLSOption.sslAllow)).freezesTheBricks && volume.status == .started
        return PreparePlan(
            volume: volume.name,
            settings: settings(for: volume, systemCNs: systemCNs).settings,
            needsRestart: (!serverSSLOn || frozen) && volume.status == .started,
            alreadyReady: TLSPosture.evaluate(volume, systemCNs: systemCNs).isReady, frozenList: frozen)
    }

    /// The settings, and the command that writes the safe `auth.ssl-allow` (for posture fixes).
    static func settings(for volume: VolumeInfo, systemCNs: [CommonName]) -> (settings: [VolumeSetting], allowListFix: String) {
        let current = SSLAllowList(optionValue: volume.option(TLSOption.sslAllow))
        let safe = safeAllowList(current, systemCNs: systemCNs)
        var settings: [VolumeSetting] = []
        if !safe.entries.isEmpty, current.isUnset || current.rendered != safe.rendered {
            settings.append(VolumeSetting(key: TLSOption.sslAllow, value: safe.rendered))
        }
        for key in [TLSOption.serverSSL, TLSOption.clientSSL] where volume.option(key).flatMap(GlusterBoolean.parse) != true {
            settings.append(VolumeSetting(key: key, value: "on"))
        }
        if let value = volume.option(TLSOption.dynamicAuth), GlusterBoolean.parse(value) != true {
            settings.append(VolumeSetting(key: TLSOption.dynamicAuth, value: "on"))
        }
        // A command gshare accepts: prepare narrows the list; with a '\\' listed the bricks must
        // restart to take the new list up.
        let restart = current.freezesTheBricks && volume.status == .started ? " --restart" : ""
        let allowListFix = safe.entries.isEmpty
            ? "configure gshare's system CNs, then gshare pool prepare \(volume.name)"
            : "gshare pool prepare \(volume.name)\(restart)   (sets auth.ssl-allow to \(safe.rendered))"
        return (settings, allowListFix)
    }

    /// The plain names of `current` (no pattern, escape or other irregular entry),
    /// de-duplicated, with the system CNs ensured.
    static func safeAllowList(_ current: SSLAllowList, systemCNs: [CommonName]) -> SSLAllowList {
        let irregular = Set(current.irregularEntries)
        return SSLAllowList(entries: current.uniqueEntries.filter { !irregular.contains($0) }).ensuring(systemCNs)
    }
}
