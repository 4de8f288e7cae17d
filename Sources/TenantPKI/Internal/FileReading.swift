//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// The bytes of a file and its permission bits.
struct FileContents {
    let bytes: [UInt8]
    let mode: UInt32
}

/// Reads a whole file (at most `limit` bytes) with POSIX calls, retrying on EINTR.
/// - Throws: ``PKIError/Code-swift.struct/fileUnreadable`` naming the file and errno.
func readFile(_ path: String, limit: Int = 16 << 20) throws -> FileContents {
    func failure(_ operation: String, _ code: Int32) -> PKIError {
        let message = String(cString: strerror(code))
        let hint = code == ENOENT ? "check the path" : code == EACCES ? "check the file's permissions" : "check the file"
        return PKIError(.fileUnreadable, path: path, reason: "cannot \(operation): \(message)", hint: hint)
    }
    var fd: Int32
    repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw failure("open", errno) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw failure("stat", errno) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw failure("read", EISDIR) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw failure("read", errno)
        }
        if count == 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
        if bytes.count > limit {
            throw PKIError(
                .fileUnreadable, path: path, reason: "the file is larger than \(limit >> 20) MiB",
                hint: "give a certificate, key or CRL file")
        }
    }
    return FileContents(bytes: bytes, mode: UInt32(info.st_mode) & 0o7777)
}
