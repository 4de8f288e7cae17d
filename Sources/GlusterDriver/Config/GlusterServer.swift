//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation

/// A GlusterFS server gshare runs the gluster CLI on: this machine (no user), or a remote
/// one reached over SSH as `user`.
///
/// The text form is Manila's, `[remoteuser@]host`, plus an optional SSH port:
/// `gluster1`, `root@gluster1`, `root@gluster1:2222`, `root@[fe80::1]:2222`, `10.0.0.5`.
/// Hosts are DNS names, IPv4 addresses or IPv6 addresses (always in brackets, so a port
/// or volume after them cannot be mistaken for part of the address). Everything else — spaces, shell characters, a leading `-` that `ssh`
/// would take for an option, non-ASCII — is refused with the reason.
public struct GlusterServer: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The SSH user; nil when the gluster CLI runs on this machine.
    public let user: String?
    /// A host name, an IPv4 address, or an IPv6 address without brackets.
    public let host: String
    /// The SSH port (nil means 22); only meaningful with a ``user``.
    public let port: Int?

    /// Whether the gluster CLI runs on this machine rather than over SSH.
    public var runsLocally: Bool { user == nil }

    /// A server from already-checked parts (tests, code that built them itself).
    ///
    /// - Precondition: the parts are what ``init(parsing:)`` would accept.
    public init(user: String?, host: String, port: Int?) {
        self.user = user
        self.host = host
        self.port = port
    }

    /// Parses `[user@]host[:port]` or `[user@][ipv6][:port]` strictly. Host names are
    /// lowercased (DNS names are case-insensitive), so `Gluster1` and `gluster1` are one server.
    ///
    /// - Throws: ``GShareConfigError/Code-swift.struct/invalidServer`` naming the problem.
    public init(parsing text: String) throws(GShareConfigError) {
        do {
            self = try Self.parse(text)
        } catch let problem {
            throw GShareConfigError(
                .invalidServer, message: "\(AddressText.quoted(text)) is not [user@]host[:port]: \(problem.reason)",
                hint: "write it like gluster1, root@gluster1 or root@[fe80::1]:2222")
        }
    }

    /// `[user@]host[:port]`, IPv6 in brackets; ``init(parsing:)`` reads it back.
    public var description: String {
        var text = user.map { "\($0)@" } ?? ""
        text += bracketedHost
        if let port { text += ":\(port)" }
        return text
    }

    /// The host as it is written before a `:`: IPv6 addresses in brackets.
    public var bracketedHost: String { host.contains(":") ? "[\(host)]" : host }

    /// The text form, a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Reads the text form, checked like ``init(parsing:)``.
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Parses a server; throws the bare reason (the caller words the error).
    static func parse(_ text: String) throws(AddressText.Problem) -> GlusterServer {
        try AddressText.checkCharacters(text)
        if text.contains("/") { throw .init("it contains '/'; a server names no volume (targets, [user@]host:/volume, go in glusterfs_targets)") }
        let atSigns = text.filter { $0 == "@" }.count
        guard atSigns <= 1 else { throw .init("it has \(atSigns) '@' signs; at most one may separate the user from the host") }
        var user: String?
        var rest = Substring(text)
        if let at = text.firstIndex(of: "@") {
            let name = String(text[..<at])
            try AddressText.checkUser(name)
            user = name
            rest = text[text.index(after: at)...]
        }
        var host: String
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .init("the IPv6 address has '[' but no ']'") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .init("only \":port\" may follow the ']' of an IPv6 address") }
                portText = after.dropFirst()
            }
            guard AddressText.isIPv6(host) else { throw .init("\"\(host)\" in brackets is not an IPv6 address") }
        } else {
            if rest.contains("]") { throw .init("it has ']' but no '[' before it") }
            let colons = rest.filter { $0 == ":" }.count
            if colons >= 2 {
                // A bare IPv6 address is ambiguous before ":port" or ":/volume": brackets are required.
                throw .init("it has \(colons) ':'; write an IPv6 address in brackets, e.g. [fe80::1] or root@[fe80::1]:2222")
            } else if let colon = rest.firstIndex(of: ":") {
                host = String(rest[..<colon])
                portText = rest[rest.index(after: colon)...]
            } else {
                host = String(rest)
            }
            try AddressText.checkHost(host)
        }
        var port: Int?
        if let portText {
            port = try AddressText.port(portText)
            guard user != nil else {
                throw .init("a port is the SSH port, and there is no user@ (without one the gluster CLI runs on this machine)")
            }
        }
        host = host.lowercased()
        return GlusterServer(user: user, host: host, port: port)
    }
}

/// A GlusterFS volume gshare manages as one share: the volume and the server whose gluster
/// CLI administers it (Manila's `glusterfs_targets` entries).
///
/// The text form is `[user@]host[:port]:/volume`: `gluster1:/manila-share-1`,
/// `root@gluster1:2222:/share-7`, `[::1]:/vol`, `user@[fe80::1]:2222:/vol`.
public struct GlusterTarget: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Where the gluster CLI for the volume runs.
    public let server: GlusterServer
    /// The volume's name (GlusterFS's rule: letters, digits, `-` and `_`).
    public let volume: String

    /// A target from already-checked parts.
    ///
    /// - Precondition: `volume` is a valid volume name (``GlusterTarget/problem(withVolumeName:)`` is nil).
    public init(server: GlusterServer, volume: String) {
        self.server = server
        self.volume = volume
    }

    /// Parses `[user@]host[:port]:/volume` strictly.
    ///
    /// - Throws: ``GShareConfigError/Code-swift.struct/invalidTarget`` naming the problem.
    public init(parsing text: String) throws(GShareConfigError) {
        func refuse(_ why: String) -> GShareConfigError {
            GShareConfigError(
                .invalidTarget, message: "\(AddressText.quoted(text)) is not [user@]host[:port]:/volume: \(why)",
                hint: "write it like gluster1:/manila-share-1 or root@gluster1:2222:/manila-share-1")
        }
        do {
            try AddressText.checkCharacters(text)
        } catch {
            throw refuse(error.reason)
        }
        guard let separator = text.range(of: ":/", options: .backwards) else {
            throw refuse("there is no \":/\" before the volume name")
        }
        let volume = String(text[separator.upperBound...])
        if let problem = Self.problem(withVolumeName: volume) { throw refuse(problem) }
        let serverText = String(text[..<separator.lowerBound])
        guard !serverText.isEmpty else { throw refuse("there is no host before \":/\"") }
        do {
            self.init(server: try GlusterServer.parse(serverText), volume: volume)
        } catch {
            throw refuse(error.reason)
        }
    }

    /// `[user@]host[:port]:/volume`; ``init(parsing:)`` reads it back.
    public var description: String { "\(server):/\(volume)" }

    /// `host:/volume` (IPv6 in brackets): what a tenant mounts.
    public var exportLocation: String { "\(server.bracketedHost):/\(volume)" }

    /// The longest volume name gshare accepts. GlusterFS's CLI allows 256 characters;
    /// gshare keeps to the 64 its libgfapi address parser (`GlusterVolumeAddress`) accepts.
    public static let maximumVolumeNameLength = 64

    /// Names GlusterFS's CLI refuses as volume names (`cli_validate_volname`).
    static let reservedVolumeNames: Set<String> = [
        "volume", "type", "subvolumes", "option", "end-volume", "all", "volume_not_in_ring", "description", "force",
        "snap-max-hard-limit", "snap-max-soft-limit", "auto-delete", "activate-on-create",
    ]

    /// Why `name` is not a volume name GlusterFS would create, or nil when it is one.
    ///
    /// The rule is GlusterFS's CLI's (`cli_validate_volname`): ASCII letters, digits, `-`
    /// and `_`, not starting with `-`, not a reserved word; at most
    /// ``maximumVolumeNameLength`` characters.
    public static func problem(withVolumeName name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "the volume name is empty" }
        if name.contains("/") { return "the volume name \"\(name)\" contains '/' (a volume is named, not a path)" }
        if name == ".." || name.contains("..") { return "the volume name contains \"..\"" }
        if first == "-" { return "the volume name starts with '-', which a command would take for an option" }
        if let bad = name.unicodeScalars.first(where: { !AddressText.isAlphanumeric($0) && $0 != "-" && $0 != "_" }) {
            return "the volume name contains \(AddressText.describe(bad)); GlusterFS allows only letters, digits, '-' and '_'"
        }
        if name.unicodeScalars.count > maximumVolumeNameLength {
            return "the volume name is \(name.unicodeScalars.count) characters long; at most \(maximumVolumeNameLength) are allowed"
        }
        if reservedVolumeNames.contains(name) { return "\"\(name)\" is a word GlusterFS does not allow as a volume name" }
        return nil
    }

    /// The text form, a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Reads the text form, checked like ``init(parsing:)``.
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }
}

/// The character-level rules shared by servers and targets.
enum AddressText {
    /// Why an address was refused, without the address (the caller words the error).
    struct Problem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Characters a shell or `ssh` gives a meaning to; none belongs in an address.
    static let shellCharacters = Set(";|&$`'\"<>(){}*?!\\~#%^=,".unicodeScalars)

    /// Refuses what has no place anywhere in an address: emptiness, control characters,
    /// spaces, non-ASCII, shell characters and `..`.
    static func checkCharacters(_ text: String) throws(Problem) {
        guard !text.isEmpty else { throw Problem("it is empty") }
        for scalar in text.unicodeScalars {
            if scalar == "\0" { throw Problem("it contains a NUL character") }
            if scalar == "\n" || scalar == "\r" { throw Problem("it contains a line break") }
            if scalar == " " || scalar == "\t" { throw Problem("it contains \(describe(scalar))") }
            if scalar.value < 0x20 || scalar.value == 0x7F { throw Problem("it contains the control character \(describe(scalar))") }
            if !scalar.isASCII { throw Problem("it contains the non-ASCII character \(describe(scalar))") }
            if shellCharacters.contains(scalar) {
                throw Problem("it contains \(describe(scalar)), which a shell would interpret")
            }
        }
        if text.contains("..") { throw Problem("it contains \"..\"") }
    }

    /// A user name as `ssh` and POSIX accept it: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}`.
    static func checkUser(_ user: String) throws(Problem) {
        guard let first = user.unicodeScalars.first else { throw Problem("the user before '@' is empty") }
        if first == "-" { throw Problem("the user starts with '-', which ssh would take for an option") }
        if let bad = user.unicodeScalars.first(where: { !isAlphanumeric($0) && !"_.-".unicodeScalars.contains($0) }) {
            throw Problem("the user contains \(describe(bad)); use letters, digits, '_', '.' and '-'")
        }
        if first == "." { throw Problem("the user starts with '.'") }
        if user.unicodeScalars.count > 32 { throw Problem("the user is longer than 32 characters") }
    }

    /// A DNS name (letters, digits and `-` in dot-separated labels) or an IPv4 address.
    static func checkHost(_ host: String) throws(Problem) {
        guard let first = host.unicodeScalars.first else { throw Problem("the host is empty") }
        if first == "-" { throw Problem("the host starts with '-', which ssh would take for an option") }
        if host.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }) {
            guard isIPv4(host) else { throw Problem("\"\(host)\" is not an IPv4 address") }
            return
        }
        guard host.unicodeScalars.count <= 253 else { throw Problem("the host name is longer than 253 characters") }
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { throw Problem("the host \"\(host)\" has an empty label (two dots, or a dot at an end)") }
            guard label.count <= 63 else { throw Problem("a label of the host is longer than 63 characters") }
            if let bad = label.unicodeScalars.first(where: { !isAlphanumeric($0) && $0 != "-" }) {
                throw Problem("the host contains \(describe(bad)); host names have letters, digits, '-' and '.'")
            }
            if label.first == "-" || label.last == "-" {
                throw Problem("a label of the host \"\(host)\" starts or ends with '-'")
            }
        }
    }

    /// A port from 1 to 65535, written in decimal digits.
    static func port(_ text: Substring) throws(Problem) -> Int {
        guard !text.isEmpty else { throw Problem("the port after ':' is empty") }
        guard text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), text.count <= 5, let port = Int(text),
            (1...65535).contains(port)
        else { throw Problem("the port \"\(text)\" is not a number from 1 to 65535") }
        return port
    }

    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return text.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }
            && inet_pton(AF_INET6, text, &address) == 1
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// `a space`, `';'`, `U+00E9 'é'`: a character named for a message.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case "\t": "a tab"
        case "\0": "a NUL character"
        case "\n", "\r": "a line break"
        case "\u{21}"..."\u{7E}": "'\(Character(scalar))'"
        default:
            scalar.isASCII || scalar.properties.generalCategory == .control
                ? "U+\(hex(scalar.value))" : "U+\(hex(scalar.value)) '\(Character(scalar))'"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `text` in double quotes, with control characters, quotes and backslashes escaped so a
    /// message stays on one line and shows what was there.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { result += "\\u{\(hex(scalar.value))}" } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}

/// The addresses a host name stands for (`getaddrinfo`), to tell two spellings of one host
/// apart from two hosts.
public enum HostAddresses {
    /// Every IPv4/IPv6 address `host` resolves to (an address literal: itself); empty when it
    /// does not resolve.
    public static func of(_ host: String) -> Set<String> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard getaddrinfo(name, nil, &hints, &found) == 0, let first = found else { return [] }
        defer { freeaddrinfo(first) }
        var addresses = Set<String>()
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.insert(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }

    /// Whether two host names name one host: the same text (any case), or names that
    /// resolve to a common address.
    public static func same(_ first: String, _ second: String, resolve: (String) -> Set<String> = HostAddresses.of) -> Bool {
        first.lowercased() == second.lowercased() || !resolve(first).isDisjoint(with: resolve(second))
    }
}

extension GShareConfig {
    /// Pairs of targets that are one volume on one host, spelt differently (`h:/v`,
    /// `127.0.0.1:/v`, `localhost:/v`): the same host text, or host names that resolve to a
    /// common address, and the same volume. (Two nodes of one trusted pool naming the same
    /// volume are different hosts: not a pair.)
    public func sameVolumeSpellings(resolve: (String) -> Set<String> = HostAddresses.of) -> [(GlusterTarget, GlusterTarget)] {
        var resolved: [String: Set<String>] = [:]
        func addresses(_ host: String) -> Set<String> {
            if let known = resolved[host] { return known }
            let found = resolve(host)
            resolved[host] = found
            return found
        }
        var pairs: [(GlusterTarget, GlusterTarget)] = []
        for (index, first) in targets.enumerated() {
            for second in targets[(index + 1)...] where first.volume == second.volume {
                if HostAddresses.same(first.server.host, second.server.host, resolve: addresses) {
                    pairs.append((first, second))
                }
            }
        }
        return pairs
    }
}
