//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// The thread-local OpenSSL error queue. Drain it right after a failing call (no
/// suspension in between: the queue belongs to the thread) and clear it at API entry.
enum OpenSSLErrorQueue {
    /// Removes every queued error and returns their texts, oldest first.
    static func drain() -> [String] {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages
    }

    static func clear() { ERR_clear_error() }
}

/// A read-only memory BIO over bytes the caller keeps alive for the closure's duration.
/// `BIO_new_mem_buf` does not copy, so the BIO must never escape `body`.
func withMemoryBIO<R>(_ bytes: UnsafeRawBufferPointer, _ body: (OpaquePointer) throws -> R) rethrows -> R {
    guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else {
        fatalError("BIO_new_mem_buf failed: out of memory")
    }
    defer { BIO_free(bio) }
    return try body(bio)
}

/// Runs `body` with a fresh writable memory BIO and returns what was written to it as text.
func stringFromMemoryBIO(_ body: (OpaquePointer) -> Void) -> String {
    guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new failed: out of memory") }
    defer { BIO_free(bio) }
    body(bio)
    var data: UnsafeMutablePointer<CChar>? = nil
    let length = COpenSSL_BIO_get_mem_data(bio, &data)
    guard length > 0, let data else { return "" }
    return data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
}
