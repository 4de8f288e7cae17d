//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import GlusterFSAPI
import TenantPKI

#if canImport(Glibc)
internal import Glibc
#endif

/// The fuzz entries of the driver's parsers, shared by the libFuzzer targets (`Fuzz/*`,
/// built by `scripts/fuzz`) and the corpus replay tests (`Tests/FuzzCorpusTests`), so both
/// run exactly the same code. Not API: `package`, and nothing in gshare calls them.
///
/// Bad input may only throw the parser's own error; a trap is a bug. Each entry also
/// checks what must hold of every result and returns each broken invariant as a sentence
/// (empty: all held). The fuzz targets trap on a non-empty answer, the tests record it.
package enum DriverFuzzing {
    // MARK: gshare.toml

    /// `gshare.toml` read by ``GShareConfig/parse(_:source:baseDirectory:environment:)`` (the
    /// TOML reader, the configuration's rules, servers, targets, the volume pattern's regular
    /// expression), with a fixed folder and environment so nothing depends on the machine;
    /// then the same bytes as a `gshare pki lab` profile.
    package static func config(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let text = String(decoding: bytes, as: UTF8.self)
        do throws(GShareConfigError) {
            let config = try GShareConfig.parse(
                text, source: "/fuzz/gshare.toml", baseDirectory: "/fuzz", environment: ["HOME": "/home/fuzz"])
            check(config, &broken)
        } catch {
            if !GShareConfigError.Code.all.contains(error.code) { broken.append("unknown error code \(error.code)") }
            if error.message.isEmpty { broken.append("error \(error.code) without a message") }
            // Lines and columns as the TOML reader counts them: after a byte order mark.
            let scalars = text.unicodeScalars.first == "\u{FEFF}" ? text.unicodeScalars.dropFirst() : text.unicodeScalars[...]
            let lines = scalars.split(separator: "\n", omittingEmptySubsequences: false)
            if error.line < 0 || error.line > lines.count {
                broken.append("error \(error.code) on line \(error.line) of \(lines.count)")
            } else if error.line > 0, !(1...(lines[error.line - 1].count + 1)).contains(error.column) {
                broken.append("error \(error.code) at \(error.line):\(error.column), outside its line of \(lines[error.line - 1].count) characters")
            } else if error.line > 0, let key = error.key,
                [.invalidTarget, .invalidServer, .duplicateEntry, .invalidCommonName].contains(error.code)
            {
                // About one element of an array: the position is its opening quote (or the key).
                let at = lines[error.line - 1].dropFirst(error.column - 1)
                if at.first != "\"" && at.first != "'" && !String(String.UnicodeScalarView(at)).hasPrefix(key) {
                    broken.append("error \(error.code) at \(error.line):\(error.column) points at neither an element nor \(key)")
                }
            }
        }
        broken += PKIFuzzing.labProfile(bytes)
        return broken
    }

    private static func check(_ config: GShareConfig, _ broken: inout [String]) {
        if config.targets.isEmpty && config.volumePattern == nil { broken.append("a configuration without volumes was accepted") }
        if config.volumePattern != nil && config.servers.isEmpty { broken.append("a volume pattern without servers was accepted") }
        if config.systemCNs.isEmpty || Set(config.systemCNs).count != config.systemCNs.count {
            broken.append("system_cns empty or repeated: \(config.systemCNs)")
        }
        if Set(config.targets).count != config.targets.count { broken.append("a target is listed twice: \(config.targets)") }
        for target in config.targets { checkRoundTrip(target, &broken) }
        for server in config.servers { checkRoundTrip(server, &broken) }
        let paths: [String?] = [
            config.privateKeyPath, config.mountPointBase, config.tenantCA, config.stateDirectory, config.glusterCommand,
            config.glusterdWorkdir, config.knownHostsPath, config.tenantCRLDirectory, config.manager?.certificate,
            config.manager?.privateKey, config.manager?.certificateAuthorities,
        ]
        for case let path? in paths where !path.hasPrefix("/") { broken.append("the path \(path) is not absolute") }
        if !GShareConfig.commandTimeoutRange.contains(Int(config.commandTimeout.components.seconds)) {
            broken.append("command timeout \(config.commandTimeout) out of range")
        }
        if !GShareConfig.expiryWarningDaysRange.contains(config.expiryWarningDays) {
            broken.append("expiry_warning_days \(config.expiryWarningDays) out of range")
        }
        if config.remoteGlusterCommand.isEmpty || config.remoteGlusterCommand.contains(where: \.isEmpty) {
            broken.append("remote gluster command \(config.remoteGlusterCommand) has no or empty words")
        }
    }

    // MARK: Servers and targets

    /// The same text as a server (`[user@]host[:port]`), a target (`…:/volume`) and a
    /// libgfapi address (`host[:port]:/volume`): whatever is accepted is what it claims
    /// to be, and its text form reads back to the same value.
    package static func address(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let text = String(decoding: bytes, as: UTF8.self)
        if let server = try? GlusterServer(parsing: text) {
            checkServer(server, &broken)
            checkRoundTrip(server, &broken)
        }
        if let target = try? GlusterTarget(parsing: text) {
            checkServer(target.server, &broken)
            if let problem = GlusterTarget.problem(withVolumeName: target.volume) {
                broken.append("target \(target) has a bad volume name: \(problem)")
            }
            checkRoundTrip(target, &broken)
        }
        if let address = try? GlusterVolumeAddress(parsing: text) {
            if !address.host.unicodeScalars.allSatisfy(\.isASCII) || !address.volume.unicodeScalars.allSatisfy(\.isASCII) {
                broken.append("the libgfapi address \(address) is not ASCII")
            }
            if !(1...65535).contains(address.port) { broken.append("the libgfapi address \(address) has port \(address.port)") }
            if address.host.contains(":") ? !AddressText.isIPv6(address.host) : (try? AddressText.checkHost(address.host)) == nil {
                broken.append("the libgfapi address \(address) has a host that is no IPv6 address, IPv4 address or DNS name")
            }
            if GlusterTarget.problem(withVolumeName: address.volume) != nil && !GlusterTarget.reservedVolumeNames.contains(address.volume) {
                broken.append("the libgfapi address \(address) has a volume name GlusterFS would refuse")
            }
            if !address.host.contains(":") {  // `description` writes no brackets around IPv6
                if (try? GlusterVolumeAddress(parsing: address.description)) != address {
                    broken.append("the libgfapi address \(address) does not read back from its description")
                }
            }
        }
        return broken
    }

    private static func checkServer(_ server: GlusterServer, _ broken: inout [String]) {
        let host = server.host
        if host.isEmpty || host != host.lowercased() || !host.unicodeScalars.allSatisfy(\.isASCII) {
            broken.append("server \(server) has the host \(AddressText.quoted(host))")
        }
        if host.contains(":") {
            if !AddressText.isIPv6(host) { broken.append("server \(server): \(host) is not IPv6") }
        } else if (try? AddressText.checkHost(host)) == nil {
            broken.append("server \(server): the host \(host) breaks the host rule")
        }
        if let port = server.port {
            if !(1...65535).contains(port) { broken.append("server \(server) has port \(port)") }
            if server.user == nil { broken.append("server \(server) has a port but no user") }
        }
        if let user = server.user, (try? AddressText.checkUser(user)) == nil {
            broken.append("server \(server): the user \(AddressText.quoted(user)) breaks the user rule")
        }
        if server.description.unicodeScalars.contains(where: { AddressText.shellCharacters.contains($0) || $0.value <= 0x20 }) {
            broken.append("server \(server) holds a shell character or a space")
        }
    }

    private static func checkRoundTrip(_ server: GlusterServer, _ broken: inout [String]) {
        if (try? GlusterServer(parsing: server.description)) != server {
            broken.append("server \(server) does not read back from its description")
        }
        if let json = try? JSONEncoder().encode(server), (try? JSONDecoder().decode(GlusterServer.self, from: json)) != server {
            broken.append("server \(server) does not read back from its JSON")
        }
    }

    private static func checkRoundTrip(_ target: GlusterTarget, _ broken: inout [String]) {
        if (try? GlusterTarget(parsing: target.description)) != target {
            broken.append("target \(target) does not read back from its description")
        }
        if let json = try? JSONEncoder().encode(target), (try? JSONDecoder().decode(GlusterTarget.self, from: json)) != target {
            broken.append("target \(target) does not read back from its JSON")
        }
    }

    // MARK: gluster --xml

    /// The bytes as what `gluster --mode=script --xml volume info` printed: the XML scanner
    /// (``LightXMLElement``), the CLI envelope (``GlusterCLIDocument``) and ``VolumeInfo``,
    /// then what gshare reads from each volume: its share marks (``ShareMarks``) and its
    /// TLS posture (``TLSPosture``, which plans the fixes). A document the scanner accepts,
    /// written out again, scans to the same tree; marks written out read back the same.
    package static func glusterXML(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        if let root = LightXMLElement.parse(bytes) {
            let written = Array(serialize(root).utf8)
            if let again = LightXMLElement.parse(written) {
                compare(root, again, path: root.name, &broken)
            } else {
                broken.append("the accepted document, written out again, is refused: \(String(decoding: written.prefix(300), as: UTF8.self))")
            }
        }
        let output = GlusterCommandOutput(exitStatus: 0, standardOutput: Data(bytes), standardError: "")
        do {
            for volume in try VolumeInfo.parse(output) {
                if volume.name.isEmpty { broken.append("a volume without a name was accepted") }
                _ = SSLAllowList(optionValue: volume.option("auth.ssl-allow")).rendered
                _ = TLSPosture.evaluate(volume, systemCNs: fuzzSystemCNs)
                let marks = ShareMarks(options: volume.options)
                _ = marks.isFree
                if marks.unknownState == nil {
                    let written = Dictionary(marks.settings.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
                    if ShareMarks(options: written) != marks { broken.append("the share marks of \(volume.name), written out, read back otherwise") }
                }
            }
        } catch let error as GlusterDriverError {
            if error.message.isEmpty { broken.append("error \(error.code) without a message") }
            _ = error.description
        } catch {
            broken.append("VolumeInfo.parse threw \(type(of: error)), not a GlusterDriverError: \(error)")
        }
        // The same bytes as `gluster pool list`: the node that answered and its peers.
        do {
            let members = try TrustedPoolMembers.parse(output, command: ["pool", "list"])
            if members.selfUUID.isEmpty { broken.append("a pool list without the answering node's UUID was accepted") }
            if members.peers.contains(where: { $0.uuid.isEmpty || $0.hostname.isEmpty || $0.hostname == "localhost" }) {
                broken.append("a peer without a UUID or host name, or a second localhost, was accepted")
            }
            if !members.memberUUIDs.contains(members.selfUUID) { broken.append("the answering node is not a member of its own pool") }
            var map = ClusterMap()
            let servers = members.peers.prefix(4).compactMap { try? GlusterServer(parsing: "root@\($0.hostname)") }
            if let first = servers.first {
                map.learn(members, from: first, configured: servers)
                if map.groups(of: servers).flatMap({ $0 }).count != servers.count { broken.append("grouping lost or repeated a server") }
            }
        } catch let error as GlusterDriverError {
            if error.message.isEmpty { broken.append("error \(error.code) without a message") }
        } catch {
            broken.append("TrustedPoolMembers.parse threw \(type(of: error)), not a GlusterDriverError: \(error)")
        }
        // The same bytes as `gluster volume quota VOLUME list`: limits in bytes.
        do {
            if case .limits(let limits) = try QuotaLimit.parse(output, command: ["volume", "quota", "v", "list"]) {
                for limit in limits where !limit.path.hasPrefix("/") || limit.hardLimitBytes < 0 || limit.usedBytes < 0 || !(0...100).contains(limit.softLimitPercent) {
                    broken.append("a quota limit \(limit) was accepted")
                }
            }
        } catch let error as GlusterDriverError {
            if error.message.isEmpty { broken.append("error \(error.code) without a message") }
        } catch {
            broken.append("QuotaLimit.parse threw \(type(of: error)), not a GlusterDriverError: \(error)")
        }
        // The same bytes as `gluster volume status all`: which bricks are online.
        do {
            let status = try BrickStatus.parse(output)
            if status.online.keys.contains(where: \.isEmpty) { broken.append("a volume status without a volume name was accepted") }
            let volumes = (try? VolumeInfo.parse(output)) ?? []
            for health in ClusterHealth.volumes(volumes, status: status) where health.bricksDown.isEmpty || health.bricksDown.count > health.bricks {
                broken.append("volume \(health.volume): \(health.bricksDown.count) bricks down of \(health.bricks)")
            }
        } catch let error as GlusterDriverError {
            if error.message.isEmpty { broken.append("error \(error.code) without a message") }
        } catch {
            broken.append("BrickStatus.parse threw \(type(of: error)), not a GlusterDriverError: \(error)")
        }
        // The same bytes as `gluster volume status VOLUME detail`: what the bricks hold.
        do {
            let capacity = try VolumeCapacity.parse(output, command: ["volume", "status", "v", "detail"])
            for brick in capacity.bricks where brick.totalBytes < 0 || brick.freeBytes < 0 || brick.freeBytes > brick.totalBytes {
                broken.append("a brick \(brick) was accepted")
            }
            for volume in (try? VolumeInfo.parse(output)) ?? [] {
                if let totals = capacity.totals(of: volume), totals.totalBytes < 0 || totals.freeBytes < 0 || totals.freeBytes > totals.totalBytes {
                    broken.append("volume \(volume.name) totals \(totals)")
                }
            }
        } catch let error as GlusterDriverError {
            if error.message.isEmpty { broken.append("error \(error.code) without a message") }
        } catch {
            broken.append("VolumeCapacity.parse threw \(type(of: error)), not a GlusterDriverError: \(error)")
        }
        return broken
    }

    private static let fuzzSystemCNs = ["gluster-node-1", "gshare-manager"].compactMap { try? CommonName(validating: $0) }

    /// The element as plain XML: own text first (escaped), then the children.
    private static func serialize(_ element: LightXMLElement) -> String {
        var text = "<\(element.name)>"
        for scalar in element.ownText.unicodeScalars {
            switch scalar {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            default: text.unicodeScalars.append(scalar)
            }
        }
        for child in element.children { text += serialize(child) }
        return text + "</\(element.name)>"
    }

    private static func compare(_ first: LightXMLElement, _ second: LightXMLElement, path: String, _ broken: inout [String]) {
        guard first.name == second.name, first.children.count == second.children.count else {
            broken.append("\(path): written out and scanned again, the element differs (\(second.name), \(second.children.count) children)")
            return
        }
        // Blank text before a child's start tag is dropped by the scanner: written out again
        // in front of the children, all-blank own text disappears.
        let blank = first.ownText.utf8.allSatisfy(LightXMLElement.isSpace)
        let expected = blank && !first.children.isEmpty ? "" : first.ownText
        if second.ownText != expected {
            broken.append("\(path): written out and scanned again, the text \(String(reflecting: first.ownText)) became \(String(reflecting: second.ownText))")
        }
        for (a, b) in zip(first.children, second.children) { compare(a, b, path: path + "/" + a.name, &broken) }
    }

    // MARK: auth.ssl-allow

    /// The bytes as the value of `auth.ssl-allow`: split exactly as GlusterFS splits it (the
    /// tokens are compared with glibc's `strtok_r(value, " ,")`), and rendered values read
    /// back to the same entries.
    package static func allowList(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let value = String(decoding: bytes, as: UTF8.self)
        let list = SSLAllowList(optionValue: value)
        if list.isUnset { broken.append("a set value read as unset") }
        if let bad = list.entries.first(where: { $0.isEmpty || $0.utf8.contains(UInt8(ascii: " ")) || $0.utf8.contains(UInt8(ascii: ",")) }) {
            broken.append("the entry \(String(reflecting: bad)) is empty or holds a separator")
        }
        if !value.utf8.contains(0) {
            let glusterTokens = strtokTokens(value)
            if glusterTokens != list.entries {
                broken.append("tokens \(list.entries) differ from strtok_r's \(glusterTokens)")
            }
        }
        let rendered = list.rendered
        let again = SSLAllowList(optionValue: rendered)
        if again.entries != list.uniqueEntries { broken.append("rendered as \(String(reflecting: rendered)), it reads back as \(again.entries)") }
        if again.rendered != rendered { broken.append("rendering is not stable: \(String(reflecting: rendered)) then \(String(reflecting: again.rendered))") }
        if rendered.utf8.contains(UInt8(ascii: " ")) { broken.append("the rendered value holds a space") }
        if SSLAllowList(entries: list.entries) != list { broken.append("the entries make another list") }
        if !Set(list.wildcardEntries).isSubset(of: list.uniqueEntries) { broken.append("a wildcard entry is not an entry") }
        if list.admitsAnyone && list.wildcardEntries.isEmpty { broken.append("admits anyone without a wildcard") }
        let classified = list.classified(systemCNs: [], granted: Set(list.entries))
        if classified.map(\.name) != list.uniqueEntries { broken.append("classification lost or reordered entries") }
        for entry in classified.lazy.filter({ $0.kind == .tenant }).prefix(8) {
            guard let name = try? CommonName(validating: entry.name) else {
                broken.append("\(entry.name) classified as a tenant but is not a valid CN")
                continue
            }
            if !list.contains(name) { broken.append("\(name) is an entry but contains() says no") }
            if list.allowing(name) != list { broken.append("allowing the listed \(name) changed the list") }
            // Deny removes every entry that lets the name in (escaped spellings too) and
            // refuses, changing nothing, when a pattern would still let it in.
            let admitting = Set(list.entries(admitting: name))
            let denied: SSLAllowList
            do {
                denied = try list.denying(name, systemCNs: [])
            } catch where error.code == .patternAdmits {
                if !admitting.contains(where: SSLAllowList.isWildcard) { broken.append("denying \(name) was refused for a pattern, but none admits it") }
                continue
            } catch {
                broken.append("denying \(name) threw \(error.code) without system CNs")
                continue
            }
            if admitting.contains(where: SSLAllowList.isWildcard) { broken.append("denying \(name) went through while a pattern admits it") }
            if !denied.entries(admitting: name).isEmpty || denied.entries != list.entries.filter({ !admitting.contains($0) }) {
                broken.append("denying \(name) left an entry that admits it, or removed more")
            }
            if !denied.ensuring([name]).contains(name) { broken.append("ensuring \(name) did not add it back") }
        }
        return broken
    }

    /// glibc's `strtok_r(value, " ,")`, as GlusterFS's `gf_auth` runs it.
    static func strtokTokens(_ value: String) -> [String] {
        var bytes = Array(value.utf8CString)
        var tokens: [String] = []
        bytes.withUnsafeMutableBufferPointer { buffer in
            var save: UnsafeMutablePointer<CChar>?
            var next = strtok_r(buffer.baseAddress, " ,", &save)
            while let token = next {
                tokens.append(String(cString: token))
                next = strtok_r(nil, " ,", &save)
            }
        }
        return tokens
    }
}
