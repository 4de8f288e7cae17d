//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

internal import COpenSSL
internal import Foundation

/// The fuzz entries of GShareSSH's text handling, shared by the libFuzzer targets (`Fuzz/*`,
/// built by `scripts/fuzz`) and the corpus replay tests (`Tests/FuzzCorpusTests`), so both
/// run exactly the same code. Not API: `package`, and nothing in gshare calls them.
///
/// Each entry returns every broken invariant as a sentence (empty: all held); a trap is a
/// bug in itself.
package enum SSHFuzzing {
    // MARK: known_hosts

    /// The bytes as a known_hosts file (``KnownHostsFile/entries(in:)``): entries come in
    /// line order with whole fields; every key's fingerprint is computed (``SHA256``,
    /// checked against OpenSSL's) and its blob read (``SSHWireReader``); every host pattern
    /// is matched as `add` and `knownKeyTypes` match them (``HashedHostName``), and a hashed
    /// pattern made for a plain host matches that host and no other.
    package static func knownHosts(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let text = String(decoding: bytes, as: UTF8.self)
        let lineCount = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        if bytes.count <= 256, SHA256.hash(bytes) != openSSLSHA256(bytes) { broken.append("SHA-256 of the input differs from OpenSSL's") }
        let entries = KnownHostsFile.entries(in: text)
        // A file saved with CRLF line ends reads as the same file with LF line ends, as in
        // OpenSSH (carriage returns before the line feed belong to the line end).
        if bytes.contains(0x0D) {
            var atLineEnd = [Bool](repeating: true, count: bytes.count + 1)  // only \r follow, then \n or the end
            for index in bytes.indices.reversed() {
                atLineEnd[index] = bytes[index] == 0x0A || bytes[index] == 0x0D && atLineEnd[index + 1]
            }
            let unixBytes = bytes.indices.filter { bytes[$0] != 0x0D || !atLineEnd[$0 + 1] }.map { bytes[$0] }
            let unixEntries = KnownHostsFile.entries(in: String(decoding: unixBytes, as: UTF8.self))
            if entries.map(\.line) != unixEntries.map(\.line) || entries.map(\.hosts) != unixEntries.map(\.hosts)
                || entries.map(\.key) != unixEntries.map(\.key)
            {
                broken.append("the file reads otherwise with LF line ends than with CRLF ones")
            }
        }
        var previousLine = 0
        var hashedChecks = 0
        for entry in entries {
            if entry.line <= previousLine || entry.line > lineCount {
                broken.append("entry on line \(entry.line) after line \(previousLine), in \(lineCount) lines")
            }
            previousLine = entry.line
            // A field ends at a space or tab, a line at a line feed.
            for field in [entry.key.type, entry.key.base64] + entry.hosts
            where field.isEmpty || field.utf8.contains(where: { [0x20, 0x09, 0x0A].contains($0) }) {
                broken.append("line \(entry.line): the field \(String(reflecting: field)) is empty or holds whitespace")
            }
            let fingerprint = entry.key.fingerprint
            if !fingerprint.hasPrefix("SHA256:") || fingerprint.count != 7 + 43 {
                broken.append("line \(entry.line): fingerprint \(fingerprint) is not SHA256: and 43 base64 digits")
            }
            if let blob = Data(base64Encoded: entry.key.base64) {
                let blob = [UInt8](blob)
                _ = SSHHostKey.typeInBlob(blob)
                if entry.line == entries.first?.line, SHA256.hash(blob) != openSSLSHA256(blob) {
                    broken.append("line \(entry.line): SHA-256 of the key differs from OpenSSL's")
                }
            }
            for pattern in entry.hosts {
                if !pattern.hasPrefix("|"), !entry.names(pattern) { broken.append("line \(entry.line): the plain pattern \(pattern) does not name itself") }
                _ = entry.names("[" + pattern + "]:2222")
                if hashedChecks < 2, !pattern.hasPrefix("|") {
                    hashedChecks += 1
                    checkHashed(pattern, line: entry.line, &broken)
                }
            }
            _ = entry.isHashed
        }
        return broken
    }

    /// A hashed pattern made (as `ssh-keygen -H` makes it) for `name` matches `name` only.
    private static func checkHashed(_ name: String, line: Int, _ broken: inout [String]) {
        let salt = Array(SHA256.hash(Array(name.utf8)).prefix(HashedHostName.digestLength))
        guard let digest = HashedHostName.hmacSHA1(key: salt, message: Array(name.utf8)) else {
            broken.append("line \(line): HMAC-SHA1 failed")
            return
        }
        let pattern = "|1|\(Data(salt).base64EncodedString())|\(Data(digest).base64EncodedString())"
        guard let hashed = HashedHostName(pattern) else {
            broken.append("line \(line): the hashed pattern \(pattern) made for \(name) does not parse")
            return
        }
        if !hashed.matches(name) { broken.append("line \(line): the hashed pattern made for \(name) does not match it") }
        if hashed.matches(name + ".") { broken.append("line \(line): the hashed pattern made for \(name) matches \(name).") }
    }

    private static func openSSLSHA256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in _ = COpenSSL.SHA256(input.baseAddress, input.count, output.baseAddress) }
        }
        return digest
    }

    // MARK: Shell quoting

    /// The bytes as arguments for the remote shell, split at each 0xFF byte (which UTF-8
    /// never holds): ``ShellQuoting/commandLine(_:)`` and ``ShellQuoting/quote(_:)`` refuse a
    /// NUL and an empty list, and what they build is only single-quoted text, `\'` and the
    /// spaces between words, so a POSIX shell reads back exactly the arguments given.
    /// (`Tests/FuzzCorpusTests` also hands the corpus to a real `/bin/sh`.)
    package static func shellQuoting(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let arguments = bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        for argument in arguments {
            do {
                let quoted = try ShellQuoting.quote(argument)
                if argument.utf8.contains(0) { broken.append("an argument with a NUL was quoted") }
                if shellWords(quoted) != [Array(argument.utf8)] {
                    broken.append("\(String(reflecting: argument)) quoted as \(String(reflecting: quoted)) reads back as something else")
                }
            } catch let error as SSHError {
                if !argument.utf8.contains(0) { broken.append("\(String(reflecting: argument)) without a NUL was refused: \(error)") }
                if error.code != .invalidArgument { broken.append("a refused argument gave \(error.code)") }
            } catch {
                broken.append("quote threw \(type(of: error)), not an SSHError")
            }
        }
        do {
            let line = try ShellQuoting.commandLine(arguments)
            if arguments.contains(where: { $0.utf8.contains(0) }) { broken.append("a command line with a NUL was built") }
            if shellWords(line) != arguments.map({ Array($0.utf8) }) {
                broken.append("the command line \(String(reflecting: line)) does not read back as the arguments")
            }
        } catch let error as SSHError {
            if !arguments.contains(where: { $0.utf8.contains(0) }) { broken.append("arguments without a NUL were refused: \(error)") }
        } catch {
            broken.append("commandLine threw \(type(of: error)), not an SSHError")
        }
        return broken
    }

    /// The words a POSIX shell reads from `line`, if `line` holds nothing but words made of
    /// single-quoted text and `\'`, separated by spaces; nil when anything else appears
    /// (an unquoted character a shell would interpret, an unclosed quote).
    static func shellWords(_ line: String) -> [[UInt8]]? {
        let bytes = Array(line.utf8)
        var words: [[UInt8]] = []
        var word: [UInt8]?
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "):
                if let finished = word { words.append(finished) }
                word = nil
                index += 1
            case UInt8(ascii: "'"):
                guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "'")) else { return nil }
                word = (word ?? []) + bytes[(index + 1)..<close]
                index = close + 1
            case UInt8(ascii: "\\") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "'"):
                word = (word ?? []) + [UInt8(ascii: "'")]
                index += 2
            default:
                return nil
            }
        }
        if let finished = word { words.append(finished) }
        return words
    }
}
