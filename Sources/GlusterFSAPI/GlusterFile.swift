//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

internal import CGlusterFSAPI
#if canImport(Glibc)
internal import Glibc
#endif

/// An open file in a volume: owns a `glfs_fd_t` and keeps its ``GlusterVolume`` alive.
///
/// Reads and writes go on from the current offset. ``close()`` reports whether the
/// bricks accepted the data; `deinit` closes a file that was not closed, ignoring errors.
/// Not `Sendable`: use it from one thread.
public final class GlusterFile {
    private var fd: OpaquePointer?
    /// The volume this file lives in (kept alive while the file is open).
    public let volume: GlusterVolume
    /// The path inside the volume.
    public let path: String

    /// Adopts an open `glfs_fd_t *` (from `glfs_open`/`glfs_creat`): the file closes it.
    init(takingOwnership fd: OpaquePointer, volume: GlusterVolume, path: String) {
        self.fd = fd
        self.volume = volume
        self.path = path
    }

    deinit {
        if let fd { glfs_close(fd) }
    }

    private func openHandle(_ operation: String) throws -> OpaquePointer {
        guard let fd else {
            throw GlusterFSError(.invalidArgument, errno: EBADF, operation: operation, path: path, message: "the file is closed")
        }
        return fd
    }

    /// Writes all of `bytes` (`glfs_write`, repeated until done).
    /// - Throws: ``GlusterFSError`` `operationFailed` with errno and path.
    public func write(_ bytes: [UInt8]) throws {
        let fd = try openHandle("glfs_write")
        try writeAll(bytes, "glfs_write") { pointer, count, _ in glfs_write(fd, pointer, count, 0) }
    }

    /// Hands all of `bytes` to `call` (pointer, count, offset so far), again until done or
    /// it fails (EINTR retried).
    private func writeAll(_ bytes: [UInt8], _ operation: String, _ call: (UnsafeRawPointer, Int, Int) -> Int) throws {
        var offset = 0
        while offset < bytes.count {
            CGlusterFSAPI_clear_errno()
            let written = bytes.withUnsafeBytes { buffer in call(buffer.baseAddress! + offset, buffer.count - offset, offset) }
            if written < 0 {
                let code = CGlusterFSAPI_errno()
                if code == EINTR { continue }
                throw volume.operationError(operation, path, errno: code)
            }
            if written == 0 {
                throw GlusterFSError(.operationFailed, errno: EIO, operation: operation, path: path, message: "wrote 0 bytes")
            }
            offset += written
        }
    }

    /// Reads up to `count` bytes (`glfs_read`); an empty array means end of file.
    public func read(upTo count: Int) throws -> [UInt8] {
        let fd = try openHandle("glfs_read")
        return try readOnce(upTo: count, "glfs_read") { glfs_read(fd, $0, $1, 0) }
    }

    /// One read into a buffer of `count` bytes, again on EINTR: what `call` (buffer,
    /// capacity) read, never more than asked.
    private func readOnce(upTo count: Int, _ operation: String, _ call: (UnsafeMutableRawPointer?, Int) -> Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            CGlusterFSAPI_clear_errno()
            let got = buffer.withUnsafeMutableBytes { call($0.baseAddress, $0.count) }
            if got < 0 {
                let code = CGlusterFSAPI_errno()
                if code == EINTR { continue }
                throw volume.operationError(operation, path, errno: code)
            }
            guard got <= count else {
                throw GlusterFSError(
                    .operationFailed, errno: EIO, operation: operation, path: path,
                    message: "gfapi returned \(got) bytes for a buffer of \(count)")
            }
            buffer.removeSubrange(got...)
            return buffer
        }
    }

    /// Tries once to take an exclusive POSIX lock on the whole file (`glfs_posix_lock`,
    /// `F_SETLK`, `F_WRLCK`). The bricks' locks translator enforces it across every client
    /// of the volume, on every host; it ends when this file is closed or the client's
    /// connections end (a killed process at once; a vanished host after
    /// `network.ping-timeout`).
    ///
    /// - Returns: true when taken, false when another client holds a conflicting lock.
    /// - Throws: ``GlusterFSError`` `operationFailed` for any other failure.
    public func tryLockExclusively() throws -> Bool {
        let fd = try openHandle("glfs_posix_lock")
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        request.l_start = 0
        request.l_len = 0
        while true {
            CGlusterFSAPI_clear_errno()
            if glfs_posix_lock(fd, F_SETLK, &request) == 0 { return true }
            let code = CGlusterFSAPI_errno()
            switch code {
            case EINTR: continue
            case EAGAIN, EACCES: return false
            default: throw volume.operationError("glfs_posix_lock", path, errno: code)
            }
        }
    }

    /// Replaces the whole contents with `bytes` (`glfs_ftruncate` to 0, then `glfs_pwrite`
    /// at offset 0).
    /// - Throws: ``GlusterFSError`` `operationFailed` with errno and path.
    public func replaceContents(with bytes: [UInt8]) throws {
        let fd = try openHandle("glfs_ftruncate")
        CGlusterFSAPI_clear_errno()
        guard glfs_ftruncate(fd, 0, nil, nil) == 0 else {
            throw volume.operationError("glfs_ftruncate", path, errno: CGlusterFSAPI_errno())
        }
        try writeAll(bytes, "glfs_pwrite") { pointer, count, offset in glfs_pwrite(fd, pointer, count, off_t(offset), 0, nil, nil) }
    }

    /// Reads up to `count` bytes from offset 0 (`glfs_pread`), whatever the current offset.
    public func readFromStart(upTo count: Int) throws -> [UInt8] {
        let fd = try openHandle("glfs_pread")
        return try readOnce(upTo: count, "glfs_pread") { glfs_pread(fd, $0, $1, 0, 0, nil) }
    }

    /// Closes the file (`glfs_close`): gfapi waits for the bricks, so a failed write can
    /// show up only here. Closing twice is a no-op.
    public func close() throws {
        guard let fd else { return }
        self.fd = nil
        CGlusterFSAPI_clear_errno()
        if glfs_close(fd) != 0 {
            throw volume.operationError("glfs_close", path, errno: CGlusterFSAPI_errno())
        }
    }
}

/// An open directory in a volume: owns a `glfs_fd_t` from `glfs_opendir` and keeps its
/// ``GlusterVolume`` alive; `deinit` runs `glfs_closedir`.
final class GlusterDirectory {
    private let fd: OpaquePointer
    let volume: GlusterVolume
    let path: String

    init(takingOwnership fd: OpaquePointer, volume: GlusterVolume, path: String) {
        self.fd = fd
        self.volume = volume
        self.path = path
    }

    deinit { glfs_closedir(fd) }

    /// One entry read by ``next()``: its name, kind and size (`st_size`, 0 when unknown).
    struct Entry {
        let name: String
        let kind: GlusterFileKind
        let size: Int64
    }

    /// The next entry, "." and ".." included; nil at the end (`glfs_readdirplus_r`).
    func next() throws -> Entry? {
        var info = Glibc.stat()
        var entry = dirent()
        var result: UnsafeMutablePointer<dirent>?
        let status = glfs_readdirplus_r(fd, &info, &entry, &result)
        if status != 0 {
            // readdir_r-style: the error is the return value (gfapi also sets errno).
            let code = status > 0 ? status : CGlusterFSAPI_errno()
            throw volume.operationError("glfs_readdirplus_r", path, errno: code)
        }
        guard result != nil else { return nil }
        let name = withUnsafeBytes(of: &entry.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        var kind = GlusterFileKind(directoryEntryType: entry.d_type)
        if kind == .unknown { kind = GlusterFileKind(mode: info.st_mode) }
        if kind == .unknown {
            // Neither the entry nor readdirplus's stat says: ask.
            var fresh = Glibc.stat()
            if glfs_lstat(volume.handle, joinPath(path, name), &fresh) == 0 {
                kind = GlusterFileKind(mode: fresh.st_mode)
                info = fresh
            }
        }
        return Entry(name: name, kind: kind, size: kind == .regular ? fileSize(info.st_size) : 0)
    }
}
