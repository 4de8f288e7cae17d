//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// Writing OpenSSH known_hosts files (checking a server's key is libssh2's, at connect time).
/// gshare reads them too — before adding a key, and to prefer the host key types already
/// recorded — matching plain entries by name and hashed ones (`|1|salt|hash`,
/// `HashKnownHosts yes`) by their HMAC-SHA1, as OpenSSH and libssh2 do.
public enum KnownHostsFile {
    /// The host field OpenSSH uses: `host` for port 22, `[host]:port` otherwise.
    public static func hostField(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// Appends a line for host[:port] (OpenSSH format: "host type base64" for port 22,
    /// "[host]:port type base64" otherwise), creating the file 0600 (and its folder 0700)
    /// if needed. Adding a key that is already there (in a plain or a hashed entry) does nothing.
    /// - Throws: ``SSHError`` `.hostKeyChanged` when the file already has a DIFFERENT key of
    ///   that type for that host, in a plain or a hashed entry (remove it deliberately first,
    ///   after checking why it changed);
    ///   `.knownHostsUnreadable` when the file cannot be read or written.
    public static func add(_ key: SSHHostKey, host: String, port: Int, to path: String) throws {
        let field = hostField(host: host, port: port)
        let endpoint = port == 22 ? host : field
        func failure(_ what: String) -> SSHError {
            SSHError(.knownHostsUnreadable, host: endpoint, step: .hostKey, message: "known_hosts \(path): \(what)", fingerprint: key.fingerprint)
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var existing = ""
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else { throw failure("cannot be read") }
            existing = String(decoding: data, as: UTF8.self)
        } else if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch { throw failure("cannot create its folder \(folder): \(error.localizedDescription)") }
        }
        let recorded = entries(in: existing).filter { $0.key.type == key.type && $0.names(field) }
        if recorded.contains(where: { $0.key.base64 == key.base64 }) { return }
        if let entry = recorded.first {
            throw SSHError(
                .hostKeyChanged, host: endpoint, step: .hostKey,
                message: """
                    known_hosts \(path) line \(entry.line) already has a DIFFERENT \(key.type) key for \(field)\(entry.isHashed ? " (a hashed entry)" : "") \
                    (fingerprint \(entry.key.fingerprint)); refusing to add \(key.fingerprint). If the host really \
                    changed its key, remove the old line deliberately (ssh-keygen -R '\(field)' -f \(path)) and try again.
                    """, fingerprint: key.fingerprint)
        }
        var text = ""
        // By byte: a file ending in CRLF ends in the one Character "\r\n", which is not "\n".
        if !existing.isEmpty && existing.utf8.last != UInt8(ascii: "\n") { text += "\n" }
        text += "\(field) \(key.type) \(key.base64)\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot be opened for writing: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        if existing.isEmpty { _ = fchmod(fd, 0o600) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw failure("write failed: \(String(cString: strerror(errno)))") }
            written += n
        }
    }

    struct Entry {
        let line: Int
        /// The host patterns as written: plain names, or `|1|salt|hash` for hashed ones.
        let hosts: [String]
        let key: SSHHostKey

        /// Whether the entry is for `name` (`host` or `[host]:port`): a plain pattern equal to
        /// it, or a hashed one made from it.
        func names(_ name: String) -> Bool {
            hosts.contains { pattern in pattern == name || HashedHostName(pattern)?.matches(name) == true }
        }

        var isHashed: Bool { hosts.contains { $0.hasPrefix("|1|") } }
    }

    /// The plain (not @cert-authority/@revoked) entries of a known_hosts text.
    ///
    /// Read as OpenSSH reads it, by code point rather than by `Character` (a `\r\n` is one
    /// Character, which is not `"\n"`): lines end at a line feed, carriage returns before it
    /// (a file saved with CRLF line ends) belong to the line end, and fields are separated
    /// by spaces and tabs only.
    static func entries(in text: String) -> [Entry] {
        var result: [Entry] = []
        for (index, raw) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw[...]
            while line.last == "\r" { line = line.dropLast() }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String(String.UnicodeScalarView($0)) }
            guard let first = fields.first, first.unicodeScalars.first != "#", first.unicodeScalars.first != "@" else { continue }
            guard fields.count >= 3 else { continue }
            result.append(
                Entry(
                    line: index + 1, hosts: first.unicodeScalars.split(separator: ",").map { String(String.UnicodeScalarView($0)) },
                    key: SSHHostKey(type: fields[1], base64: fields[2])))
        }
        return result
    }

    /// The key types known_hosts at `path` lists for host:port (plain and hashed entries; an
    /// entry for `host` also counts for another port, as libssh2 matches it), in file order.
    static func knownKeyTypes(host: String, port: Int, path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let wanted = [hostField(host: host, port: port), host]
        var types: [String] = []
        for entry in entries(in: String(decoding: data, as: UTF8.self))
        where !types.contains(entry.key.type) && wanted.contains(where: entry.names) {
            types.append(entry.key.type)
        }
        return types
    }
}
