//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// What gshare can tell about a private key file without decrypting it: its type (from the
/// unencrypted public part of an OpenSSH key, the PEM header, or `path.pub`) and whether it
/// is passphrase-protected. Used to explain libssh2's failures, never to authenticate.
struct PrivateKeyFile {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…, or nil when it cannot be told.
    let type: String?
    let encrypted: Bool

    var isRSA: Bool { type == "ssh-rsa" }

    /// Reads and classifies the file.
    /// - Throws: a description (the caller wraps it in ``SSHError`` `.keyUnreadable`).
    static func inspect(_ path: String) throws(PrivateKeyFileProblem) -> PrivateKeyFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PrivateKeyFileProblem(description: "cannot be opened: \(String(cString: strerror(errno)))") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while bytes.count < 1 << 20 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                let message = String(cString: strerror(errno))
                Glibc.close(fd)
                throw PrivateKeyFileProblem(description: "cannot be read: \(message)")
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        Glibc.close(fd)
        let text = String(decoding: bytes, as: UTF8.self)
        let fromPub = publicKeyType(path + ".pub")
        if let body = pemBody(text, label: "OPENSSH PRIVATE KEY") {
            guard let decoded = Data(base64Encoded: body), decoded.starts(with: Array("openssh-key-v1\0".utf8)) else {
                throw PrivateKeyFileProblem(description: "is not a valid OpenSSH private key (bad base64 or magic)")
            }
            var reader = SSHWireReader(Array(decoded.dropFirst(15)))
            let cipher = reader.string().map { String(decoding: $0, as: UTF8.self) }
            _ = reader.string()  // kdf name
            _ = reader.string()  // kdf options
            _ = reader.uint32()  // number of keys
            let type = reader.string().flatMap(SSHHostKey.typeInBlob) ?? fromPub
            return PrivateKeyFile(type: type, encrypted: cipher != nil && cipher != "none")
        }
        let encrypted = text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("BEGIN ENCRYPTED PRIVATE KEY")
        if text.contains("-----BEGIN RSA PRIVATE KEY-----") { return PrivateKeyFile(type: "ssh-rsa", encrypted: encrypted) }
        if text.contains("-----BEGIN EC PRIVATE KEY-----") {
            return PrivateKeyFile(type: fromPub ?? "ecdsa-sha2-nistp256", encrypted: encrypted)
        }
        if text.contains("-----BEGIN DSA PRIVATE KEY-----") { return PrivateKeyFile(type: "ssh-dss", encrypted: encrypted) }
        if text.contains("PRIVATE KEY-----") { return PrivateKeyFile(type: fromPub, encrypted: encrypted) }
        throw PrivateKeyFileProblem(description: "is not a private key file (no OpenSSH or PEM private key header)")
    }

    /// The first field of an OpenSSH `.pub` file, if there is one.
    static func publicKeyType(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).first.map(String.init)
    }

    private static func pemBody(_ text: String, label: String) -> String? {
        guard let start = text.range(of: "-----BEGIN \(label)-----"),
            let end = text.range(of: "-----END \(label)-----", range: start.upperBound..<text.endIndex)
        else { return nil }
        return text[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
    }
}

struct PrivateKeyFileProblem: Error {
    let description: String
}
