//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// POSIX file writing for keys, certificates and CA records.
///
/// Every file is written to a temporary name in the same directory with its final mode
/// set by `fchmod` (so the umask cannot widen it), then moved into place: readers never
/// see half a file, and a key is never readable by others, not even for a moment.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

enum SecureFiles {
    enum Existing {
        /// Refuse when the target exists (`link`, atomic: no race with another writer).
        case refuse
        /// Replace the target (a new inode: an old, wider mode does not survive).
        case replace
    }

    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, existing: Existing) throws {
        let staged = try stage(bytes, for: path, mode: mode)
        try commit(staged, to: path, existing: existing)
    }

    /// Writes `bytes` to a new temporary file beside `path`, with its final `mode`.
    /// Pair with ``commit(_:to:existing:)`` (or ``remove(_:)`` to abandon it): writing every
    /// file of a set first and moving them into place afterwards keeps a failed write from
    /// leaving half a set behind.
    static func stage(_ bytes: [UInt8], for path: String, mode: mode_t) throws -> String {
        let directory = parentDirectory(of: path)
        var template = Array("\(directory)/.gshare-tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, "create a file in \(directory)", errno) }
        let temporary = string(fromCString: template)
        do {
            defer { close(fd) }
            guard fchmod(fd, mode) == 0 else { throw failure(path, "set the mode of", errno) }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, "write", errno)
                }
                offset += written
            }
        } catch {
            unlink(temporary)
            throw error
        }
        return temporary
    }

    /// Moves a staged file into place; on failure the staged file is removed.
    static func commit(_ staged: String, to path: String, existing: Existing) throws {
        defer { unlink(staged) }  // after rename it no longer exists; after link it is a second name
        switch existing {
        case .replace:
            guard rename(staged, path) == 0 else { throw failure(path, "replace", errno) }
        case .refuse:
            guard link(staged, path) == 0 else {
                if errno == EEXIST { throw alreadyExists(path) }
                throw failure(path, "create", errno)
            }
        }
    }

    static func write(_ text: String, to path: String, mode: mode_t, existing: Existing) throws {
        try write(Array(text.utf8), to: path, mode: mode, existing: existing)
    }

    /// Creates a directory and its missing parents with `mode` (existing ones are kept).
    static func makeDirectory(_ path: String, mode: mode_t) throws {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, mode) != 0 && errno != EEXIST { throw failure(partial, "create the directory", errno) }
        }
        guard isDirectory(path) else { throw failure(path, "use the directory", ENOTDIR) }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func remove(_ path: String) { unlink(path) }

    /// Holds an exclusive `flock` on `path` (created 0600 if missing) while `body` runs:
    /// serialises read-modify-write of a CA's record across processes.
    static func withExclusiveLock<R>(_ path: String, _ body: () throws -> R) throws -> R {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path, "open the lock file", errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw failure(path, "lock", errno) }
        }
        return try body()
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func alreadyExists(_ path: String) -> PKIError {
        PKIError(
            .alreadyExists, path: path, reason: "already exists, and gshare never overwrites keys, certificates or CAs",
            hint: "choose another name or folder, or move the old one away first")
    }

    private static func failure(_ path: String, _ operation: String, _ code: Int32) -> PKIError {
        PKIError(
            .fileUnwritable, path: path, reason: "cannot \(operation): \(String(cString: strerror(code)))",
            hint: "check that the folder exists and that you may write to it")
    }
}
