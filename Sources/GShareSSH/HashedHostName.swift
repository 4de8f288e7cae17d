//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

internal import COpenSSL
internal import Foundation

/// A hashed known_hosts host (`HashKnownHosts yes`, Debian's default, or `ssh-keygen -H`):
/// `|1|` base64(salt) `|` base64(HMAC-SHA1(key: salt, message: name)), where the name is
/// what OpenSSH would write in the clear — `host` for port 22, `[host]:port` otherwise
/// (``KnownHostsFile/hostField(host:port:)``). The name cannot be read back; it can only be
/// checked, the way OpenSSH's `host_hash` does.
struct HashedHostName {
    private let salt: [UInt8]
    private let hash: [UInt8]

    /// The length of an HMAC-SHA1.
    static let digestLength = 20

    /// Parses a host pattern; nil unless it is a well-formed `|1|salt|hash`.
    init?(_ pattern: String) {
        guard pattern.hasPrefix("|1|") else { return nil }
        let parts = pattern.dropFirst(3).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, let salt = Data(base64Encoded: String(parts[0])), let hash = Data(base64Encoded: String(parts[1])),
            !salt.isEmpty, hash.count == Self.digestLength
        else { return nil }
        self.salt = [UInt8](salt)
        self.hash = [UInt8](hash)
    }

    /// Whether this entry was made for `name` (`host` or `[host]:port`).
    func matches(_ name: String) -> Bool {
        Self.hmacSHA1(key: salt, message: Array(name.utf8)) == hash
    }

    /// HMAC-SHA1 through OpenSSL's one-shot `HMAC`; nil only if OpenSSL fails.
    static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8]? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                digest.withUnsafeMutableBufferPointer { out in
                    HMAC(EVP_sha1(), keyBytes.baseAddress, Int32(keyBytes.count), messageBytes.baseAddress, messageBytes.count, out.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == digestLength else { return nil }
        return Array(digest.prefix(Int(length)))
    }
}
