//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import Foundation
internal import GShareTOML
import TenantPKI

extension GShareConfig {
    /// Every key `gshare.toml` may hold, in the order they are documented.
    public static let knownKeys = [
        "glusterfs_targets", "glusterfs_servers", "glusterfs_volume_pattern", "glusterfs_path_to_private_key",
        "glusterfs_server_password", "glusterfs_mount_point_base", "manager_cert", "manager_key", "manager_ca", "system_cns",
        "tenant_ca", "tenant_crl_dir", "state_dir", "gluster_cli", "glusterd_workdir", "command_timeout_seconds", "expiry_warning_days",
        "glusterfs_private_key_passphrase", "ssh_known_hosts", "remote_gluster_cli", "glusterfs_management_tls",
        "glusterfs_lock_volume", "lock_timeout_seconds", "soft_limit_percent", "share_size_unit",
    ]

    /// Reads a configuration from TOML text.
    ///
    /// - Parameters:
    ///   - text: the document.
    ///   - source: the name errors give (usually the file path); kept as ``source``.
    ///   - baseDirectory: the folder relative paths are resolved against; the folder of
    ///     `source` when nil.
    ///   - environment: for `~` (`HOME`) and the default ``stateDirectory``.
    /// - Throws: ``GShareConfigError`` naming the key, line and column of the first problem.
    public static func parse(
        _ text: String, source: String, baseDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(GShareConfigError) -> GShareConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable.parse(text, source: source)
        } catch {
            throw ConfigReader.converting(error, key: nil)
        }
        let base = baseDirectory ?? URL(fileURLWithPath: source).deletingLastPathComponent().path
        var reader = ConfigReader(table: table, source: source, text: text, baseDirectory: base, environment: environment)
        return try reader.read()
    }

    /// Reads the configuration file at `path`; relative paths in it are resolved against
    /// its folder.
    ///
    /// - Throws: ``GShareConfigError`` (``GShareConfigError/Code-swift.struct/fileUnreadable``
    ///   when the file cannot be read).
    public static func load(
        fileAt path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(GShareConfigError) -> GShareConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable.parse(fileAt: path)
        } catch {
            throw ConfigReader.converting(error, key: nil)
        }
        let text = try? String(contentsOfFile: path, encoding: .utf8)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var reader = ConfigReader(table: table, source: path, text: text, baseDirectory: base, environment: environment)
        return try reader.read()
    }
}

/// Reads `gshare.toml`'s keys, turning every problem into a ``GShareConfigError`` placed at
/// the offending value.
struct ConfigReader {
    private var reader: TOMLTableReader
    private let source: String
    private let baseDirectory: String
    private let environment: [String: String]
    private let scalars: [Unicode.Scalar]?

    init(table: TOMLTable, source: String, text: String?, baseDirectory: String, environment: [String: String]) {
        self.reader = TOMLTableReader(table, source: source)
        self.source = source
        self.baseDirectory = baseDirectory
        self.environment = environment
        // Columns count from after a byte order mark, as the TOML reader counts them.
        self.scalars = text.map { Array($0.unicodeScalars.first == "\u{FEFF}" ? $0.unicodeScalars.dropFirst() : $0.unicodeScalars[...]) }
    }

    static func converting(_ error: TOMLError, key: String?) -> GShareConfigError {
        let code: GShareConfigError.Code =
            switch error.code {
            case .fileUnreadable, .inputTooLarge: .fileUnreadable
            case .unknownKey: .unknownKey
            case .wrongType: .wrongType
            case .missingKey: .missingKey
            default: .invalidTOML
            }
        return GShareConfigError(code, source: error.source, line: error.line, column: error.column, key: key, message: error.message)
    }

    mutating func read() throws(GShareConfigError) -> GShareConfig {
        for key in GShareConfig.knownKeys { reader.markKnown(key) }
        do {
            try reader.requireNoUnknownKeys()
        } catch {
            throw Self.converting(error, key: reader.unknownKeys.first)
        }

        // Volumes: fixed targets, and/or discovery.
        var targets: [GlusterTarget] = []
        for element in try strings("glusterfs_targets") ?? [] {
            let target: GlusterTarget
            do {
                target = try GlusterTarget(parsing: element.value)
            } catch {
                throw error.placed(source: source, line: element.line, column: element.column, key: "glusterfs_targets")
            }
            if let first = targets.firstIndex(of: target) {
                throw fail(
                    .duplicateEntry, "glusterfs_targets", at: element, "\(target) is listed twice (entries \(first + 1) and \(targets.count + 1))",
                    hint: "remove one of them")
            }
            targets.append(target)
        }
        var servers: [GlusterServer] = []
        let serverElements = try strings("glusterfs_servers")
        for element in serverElements ?? [] {
            let server: GlusterServer
            do {
                server = try GlusterServer(parsing: element.value)
            } catch {
                throw error.placed(source: source, line: element.line, column: element.column, key: "glusterfs_servers")
            }
            if servers.contains(server) {
                throw fail(.duplicateEntry, "glusterfs_servers", at: element, "\(server) is listed twice", hint: "remove one of them")
            }
            servers.append(server)
        }
        var volumePattern: VolumePattern?
        if let pattern = try string("glusterfs_volume_pattern") {
            do {
                volumePattern = try VolumePattern(pattern.value)
            } catch {
                throw error.placed(source: source, line: pattern.line, column: pattern.column, key: "glusterfs_volume_pattern")
            }
            if servers.isEmpty {
                throw fail(
                    .noVolumes, "glusterfs_volume_pattern", at: pattern,
                    serverElements == nil
                        ? "a volume pattern needs glusterfs_servers, the servers whose volumes it selects"
                        : "a volume pattern needs glusterfs_servers, and the list is empty",
                    hint: "add glusterfs_servers = [\"root@gluster1\"], or remove the pattern")
            }
        } else if let serverElements {
            let place = position(of: "glusterfs_servers")
            throw GShareConfigError(
                .noVolumes, source: source, line: place.line, column: place.column, key: "glusterfs_servers",
                message: serverElements.isEmpty
                    ? "the list is empty, and discovery needs servers and glusterfs_volume_pattern"
                    : "servers are listed but glusterfs_volume_pattern is missing, so no volume of theirs would be used",
                hint: "add glusterfs_volume_pattern = \"manila-share-volume-#{size}G-\\\\d+\", or remove glusterfs_servers")
        }
        if targets.isEmpty && volumePattern == nil {
            let place = reader.table["glusterfs_targets"] == nil ? (line: 0, column: 0) : position(of: "glusterfs_targets")
            throw GShareConfigError(
                .noVolumes, source: source, line: place.line, column: place.column, key: "glusterfs_targets",
                message: "no volumes are configured: glusterfs_targets is \(place.line == 0 ? "missing" : "empty") and there is no discovery",
                hint: "list volumes in glusterfs_targets = [\"root@gluster1:/share-1\"], or set glusterfs_servers and glusterfs_volume_pattern")
        }

        // Remote access.
        let privateKeyPath = try path("glusterfs_path_to_private_key")
        let serverPassword = try secret("glusterfs_server_password")
        let privateKeyPassphrase = try secret("glusterfs_private_key_passphrase")
        if privateKeyPassphrase != nil && privateKeyPath == nil {
            throw fail(
                .invalidValue, "glusterfs_private_key_passphrase", at: position(of: "glusterfs_private_key_passphrase"),
                "a passphrase is given but no key (glusterfs_path_to_private_key)", hint: "set glusterfs_path_to_private_key, or remove the passphrase")
        }
        let knownHostsPath = try path("ssh_known_hosts") ?? GShareConfig.defaultKnownHostsPath(environment: environment)
        var remoteGlusterCommand = GShareConfig.defaultRemoteGlusterCommand
        if let words = try strings("remote_gluster_cli") {
            guard !words.isEmpty else {
                throw fail(
                    .invalidValue, "remote_gluster_cli", at: position(of: "remote_gluster_cli"), "the command is empty",
                    hint: "e.g. remote_gluster_cli = [\"/usr/sbin/gluster\"] or [\"sudo\", \"-n\", \"/usr/sbin/gluster\"]")
            }
            for word in words where word.value.isEmpty || word.value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw fail(
                    .invalidValue, "remote_gluster_cli", at: word, "\(AddressText.quoted(word.value)) is empty or holds a control character",
                    hint: "each word of the command is one argument, sent quoted; no empty words, no newlines")
            }
            remoteGlusterCommand = words.map(\.value)
        }
        let mountPointBase = try path("glusterfs_mount_point_base")

        // gshare's identity.
        let managerKeys = ["manager_cert", "manager_key", "manager_ca"]
        var managerPaths: [String: String] = [:]
        for key in managerKeys { managerPaths[key] = try path(key) }
        var manager: ManagerIdentity?
        if let certificate = managerPaths["manager_cert"], let privateKey = managerPaths["manager_key"],
            let authorities = managerPaths["manager_ca"]
        {
            manager = ManagerIdentity(certificate: certificate, privateKey: privateKey, certificateAuthorities: authorities)
        } else if let given = managerKeys.first(where: { managerPaths[$0] != nil }) {
            let missing = managerKeys.filter { managerPaths[$0] == nil }
            let place = position(of: given)
            throw GShareConfigError(
                .incompleteManagerIdentity, source: source, line: place.line, column: place.column, key: missing[0],
                message: "\(given) is set but \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not; "
                    + "gshare's TLS identity needs its certificate, key and CA",
                hint: "set all three of manager_cert, manager_key and manager_ca, or none")
        }

        // Names that stay in every auth.ssl-allow.
        guard let cnElements = try strings("system_cns") else {
            throw GShareConfigError(
                .missingKey, source: source, key: "system_cns",
                message: "missing required key \"system_cns\": the CNs that must stay in every auth.ssl-allow list",
                hint: "add system_cns = [\"gluster1\", \"gluster2\", \"gshare-manager\"] (the nodes' CNs and gshare's own)")
        }
        guard !cnElements.isEmpty else {
            throw fail(
                .invalidValue, "system_cns", at: position(of: "system_cns"), "the list is empty; the nodes and gshare would lock themselves out",
                hint: "list the nodes' CNs and gshare's own, e.g. [\"gluster1\", \"gshare-manager\"]")
        }
        var systemCNs: [CommonName] = []
        for element in cnElements {
            let name: CommonName
            do {
                name = try CommonName(validating: element.value)
            } catch let error as PKIError {
                throw fail(.invalidCommonName, "system_cns", at: element, "\(AddressText.quoted(element.value)): \(error.reason)", hint: error.hint)
            } catch {
                throw fail(.invalidCommonName, "system_cns", at: element, "\(AddressText.quoted(element.value)): \(error)")
            }
            if systemCNs.contains(name) {
                throw fail(.duplicateEntry, "system_cns", at: element, "\"\(name)\" is listed twice", hint: "remove one of them")
            }
            systemCNs.append(name)
        }

        let tenantCA = try path("tenant_ca")
        let stateDirectory = try path("state_dir") ?? GShareConfig.defaultStateDirectory(environment: environment)
        var glusterCommand = GShareConfig.defaultGlusterCommand
        if let command = try string("gluster_cli") {
            guard command.value.contains("/") else {
                throw fail(
                    .invalidPath, "gluster_cli", at: command, "\(AddressText.quoted(command.value)) is not a path; gshare does not search $PATH",
                    hint: "give the full path, e.g. \(GShareConfig.defaultGlusterCommand)")
            }
            glusterCommand = try checkedPath(command, key: "gluster_cli")
        }
        let glusterdWorkdir = try path("glusterd_workdir") ?? GShareConfig.defaultGlusterdWorkdir
        let commandTimeout = Duration.seconds(
            try ranged(
                "command_timeout_seconds", in: GShareConfig.commandTimeoutRange, default: Int(GShareConfig.defaultCommandTimeout.components.seconds),
                what: "a gluster call may take %r seconds", unit: "seconds"))
        let tenantCRLDirectory = try path("tenant_crl_dir")
        let expiryWarningDays = try ranged(
            "expiry_warning_days", in: GShareConfig.expiryWarningDaysRange, default: GShareConfig.defaultExpiryWarningDays,
            what: "gshare warns %r days before a certificate ends", unit: "days")

        let managementTLS: Bool
        do {
            managementTLS = try reader.boolean("glusterfs_management_tls") ?? false
        } catch {
            throw Self.converting(error, key: "glusterfs_management_tls")
        }

        var lockVolume = GShareConfig.defaultLockVolume
        if let name = try string("glusterfs_lock_volume") {
            if let problem = GlusterTarget.problem(withVolumeName: name.value) {
                throw fail(
                    .invalidValue, "glusterfs_lock_volume", at: name, problem,
                    hint: "name the small replicated volume gshare takes its cluster lock on, e.g. \(GShareConfig.defaultLockVolume)")
            }
            lockVolume = name.value
        }
        let lockTimeout = Duration.seconds(
            try ranged(
                "lock_timeout_seconds", in: GShareConfig.lockTimeoutRange, default: Int(GShareConfig.defaultLockTimeout.components.seconds),
                what: "gshare waits %r seconds for another gshare's lock", unit: "seconds"))
        let softLimitPercent = try ranged(
            "soft_limit_percent", in: GShareConfig.softLimitPercentRange, default: GShareConfig.defaultSoftLimitPercent,
            what: "a share is over its soft limit past %r % of its size", unit: "percent")
        var sizeUnit = ShareSizeUnit.gibibyte
        if let unit = try string("share_size_unit") {
            guard let parsed = ShareSizeUnit(rawValue: unit.value) else {
                throw fail(
                    .invalidValue, "share_size_unit", at: unit,
                    "\(AddressText.quoted(unit.value)) is not a size unit; sizes are in GiB (Manila's unit), or MiB in a lab",
                    hint: "remove the key (GiB), or share_size_unit = \"MiB\" for a test lab only")
            }
            sizeUnit = parsed
        }

        return GShareConfig(
            source: source, targets: targets, servers: servers, volumePattern: volumePattern, privateKeyPath: privateKeyPath,
            serverPassword: serverPassword, mountPointBase: mountPointBase, manager: manager, systemCNs: systemCNs, tenantCA: tenantCA,
            stateDirectory: stateDirectory, glusterCommand: glusterCommand, glusterdWorkdir: glusterdWorkdir, commandTimeout: commandTimeout,
            privateKeyPassphrase: privateKeyPassphrase, knownHostsPath: knownHostsPath, remoteGlusterCommand: remoteGlusterCommand,
            tenantCRLDirectory: tenantCRLDirectory, expiryWarningDays: expiryWarningDays, managementTLS: managementTLS,
            lockVolume: lockVolume, lockTimeout: lockTimeout, softLimitPercent: softLimitPercent, sizeUnit: sizeUnit)
    }

    /// An integer key within `range` (else `fallback` when absent); out of range: an error
    /// naming the key, its place and the range (`what`, with `%r` as "1 to 3600").
    private mutating func ranged(
        _ key: String, in range: ClosedRange<Int>, default fallback: Int, what: String, unit: String
    ) throws(GShareConfigError) -> Int {
        guard let value = try integer(key) else { return fallback }
        guard range.contains(value.value) else {
            throw fail(
                .invalidValue, key, at: value, "\(value.value) is out of range; " + what.replacingOccurrences(of: "%r", with: "\(range.lowerBound) to \(range.upperBound)"),
                hint: "choose a number of \(unit) from \(range.lowerBound) to \(range.upperBound), e.g. \(fallback)")
        }
        return value.value
    }

    // MARK: Typed values with their places

    /// A value and where it is written.
    struct Placed<Value> {
        let value: Value
        let line: Int
        let column: Int
    }

    private func position(of key: String) -> (line: Int, column: Int) {
        let position = reader.table.position(of: key)
        return (position?.line ?? 0, position?.column ?? 0)
    }

    private mutating func string(_ key: String) throws(GShareConfigError) -> Placed<String>? {
        let value: String?
        do {
            value = try reader.string(key)
        } catch {
            throw Self.converting(error, key: key)
        }
        let place = position(of: key)
        return value.map { Placed(value: $0, line: place.line, column: place.column) }
    }

    private mutating func integer(_ key: String) throws(GShareConfigError) -> Placed<Int>? {
        let value: Int?
        do {
            value = try reader.integer(key)
        } catch {
            throw Self.converting(error, key: key)
        }
        let place = position(of: key)
        return value.map { Placed(value: $0, line: place.line, column: place.column) }
    }

    /// The strings of an array, each placed where it is written (the key's place when the
    /// text is not at hand).
    private mutating func strings(_ key: String) throws(GShareConfigError) -> [Placed<String>]? {
        let values: [String]?
        do {
            values = try reader.strings(key)
        } catch {
            throw Self.converting(error, key: key)
        }
        guard let values else { return nil }
        let place = position(of: key)
        let starts = scalars.map { StringPositions.arrayElements(in: $0, key: place) } ?? []
        return values.enumerated().map { offset, value in
            let start = offset < starts.count ? starts[offset] : place
            return Placed(value: value, line: start.line, column: start.column)
        }
    }

    /// A path: `~/` expanded, relative paths resolved against the configuration's folder.
    private mutating func path(_ key: String) throws(GShareConfigError) -> String? {
        guard let text = try string(key) else { return nil }
        return try checkedPath(text, key: key)
    }

    private func checkedPath(_ text: Placed<String>, key: String) throws(GShareConfigError) -> String {
        var path = text.value
        guard !path.isEmpty else { throw fail(.invalidPath, key, at: text, "the path is empty", hint: "give a path, or remove the key") }
        if let bad = path.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw fail(
                .invalidPath, key, at: text, "\(AddressText.quoted(path)) contains \(AddressText.describe(bad))",
                hint: "give a plain path; no file name needs control characters")
        }
        if path == "~" || path.hasPrefix("~/") {
            guard let home = environment["HOME"], home.hasPrefix("/") else {
                throw fail(.invalidPath, key, at: text, "\(path) starts with ~ but $HOME is not set", hint: "write the absolute path")
            }
            path = home + path.dropFirst()
        }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: baseDirectory, isDirectory: true)).standardizedFileURL.path
    }

    /// `glusterfs_server_password`: a string (inline), or `{ file = "…" }` / `{ env = "…" }`.
    private mutating func secret(_ key: String) throws(GShareConfigError) -> SecretSource? {
        guard let value = reader.value(key) else { return nil }
        let place = position(of: key)
        let here = Placed(value: (), line: place.line, column: place.column)
        let forms = "write \(key) = { env = \"GSHARE_SSH_PASSWORD\" } or { file = \"/etc/gshare/ssh-password\" } (or, discouraged, the password in quotes)"
        switch value {
        case .string(let secret):
            guard !secret.isEmpty else { throw fail(.invalidSecret, key, at: here, "the password is empty", hint: forms) }
            return .inline(secret)
        case .table(let table):
            var inner = TOMLTableReader(table, source: source, path: key)
            let file: String?
            let variable: String?
            do {
                file = try inner.string("file")
                variable = try inner.string("env")
                try inner.requireNoUnknownKeys()
            } catch {
                throw Self.converting(error, key: key)
            }
            switch (file, variable) {
            case (let file?, nil):
                return .file(try checkedPath(Placed(value: file, line: place.line, column: place.column), key: key))
            case (nil, let variable?):
                guard SecretSource.isVariableName(variable) else {
                    throw fail(
                        .invalidSecret, key, at: here, "\(AddressText.quoted(variable)) is not an environment variable name",
                        hint: "use letters, digits and '_', not starting with a digit, e.g. GSHARE_SSH_PASSWORD")
                }
                return .environment(variable)
            case (.some, .some):
                throw fail(.invalidSecret, key, at: here, "both file and env are given; the password comes from one place", hint: forms)
            case (nil, nil):
                throw fail(.invalidSecret, key, at: here, "the table says neither file nor env", hint: forms)
            }
        default:
            throw fail(
                .wrongType, key, at: here, "\(key) must be a string or an inline table, found \(value.typeDescription)", hint: forms)
        }
    }

    private func fail<Value>(
        _ code: GShareConfigError.Code, _ key: String, at place: Placed<Value>, _ message: String, hint: String = ""
    ) -> GShareConfigError {
        GShareConfigError(code, source: source, line: place.line, column: place.column, key: key, message: message, hint: hint)
    }

    private func fail(
        _ code: GShareConfigError.Code, _ key: String, at place: (line: Int, column: Int), _ message: String, hint: String = ""
    ) -> GShareConfigError {
        GShareConfigError(code, source: source, line: place.line, column: place.column, key: key, message: message, hint: hint)
    }
}

/// Where the strings of an array are written, found by scanning the (already validated)
/// TOML text from the key: the parser keeps positions of keys, not of array elements.
enum StringPositions {
    /// The start (line, column, 1-based, columns in Unicode scalars) of each string element
    /// of the array assigned at `key`, in order.
    static func arrayElements(in scalars: [Unicode.Scalar], key: (line: Int, column: Int)) -> [(line: Int, column: Int)] {
        guard key.line > 0 else { return [] }
        var index = 0
        var line = 1
        var lineStart = 0
        while line < key.line, index < scalars.count {
            if scalars[index] == "\n" {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        index = lineStart + key.column - 1
        // The key is bare (every known key is), so the first '=' after it starts the value.
        while index < scalars.count, scalars[index] != "=" { index += 1 }
        index += 1
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        guard index < scalars.count, scalars[index] == "[" else { return [] }
        var depth = 0
        var starts: [(line: Int, column: Int)] = []
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\n":
                line += 1
                lineStart = index + 1
            case "#":
                while index + 1 < scalars.count, scalars[index + 1] != "\n" { index += 1 }
            case "[":
                depth += 1
            case "]":
                depth -= 1
                if depth == 0 { return starts }
            case "\"", "'":
                if depth == 1 { starts.append((line, index - lineStart + 1)) }
                index += 1
                while index < scalars.count, scalars[index] != scalar, scalars[index] != "\n" {
                    if scalar == "\"", scalars[index] == "\\" { index += 1 }
                    index += 1
                }
            default:
                break
            }
            index += 1
        }
        return starts
    }
}
