//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

internal import CGlusterFSAPI
#if canImport(Glibc)
internal import Glibc
#endif

/// One libgfapi "virtual mount" of a volume, as one TLS identity: owns a `glfs_t`.
///
/// Set up with ``init(connection:logFile:)`` (no network yet), then ``connect()``.
/// Files and directories opened through it keep it alive.
///
/// > Warning: ``connect()`` may **block forever**: gfapi 10.3 ignores the brick's
/// > AUTH_FAILED event, so `glfs_init` never returns when the bricks refuse the
/// > certificate's common name (`auth.ssl-allow`), and nothing can cancel it. Use this
/// > type only inside an isolated process that can be killed — `gshare-gfapi-worker`,
/// > driven by ``IsolatedGlusterClient`` — never in a long-lived process.
///
/// > Warning: releasing the last reference calls `glfs_fini`, which takes about 10 s in
/// > gfapi 10.3. The worker never gets there: it ends with `_exit`, and process exit
/// > reclaims the connection.
///
/// Not `Sendable`: use it from one thread (gfapi itself is thread-safe, but ``connect()``
/// must happen-before every other call, which this type does not enforce across threads).
public final class GlusterVolume {
    /// The `glfs_t *`, immutable for the life of the object.
    let handle: OpaquePointer
    /// What this mount was set up with.
    public let connection: GlusterConnection
    /// The gfapi log file.
    public let logFile: String
    /// True once ``connect()`` succeeded.
    public private(set) var isConnected = false

    /// Creates the mount and sets the volfile server, the log file and the identity; does
    /// not connect.
    ///
    /// The identity goes to every client xlator (`*-client-*`) under the long option names
    /// `transport.socket.ssl-own-cert`, `…ssl-private-key` and `…ssl-ca-list` (gfapi
    /// silently ignores the short names). Whether TLS is spoken is the volume's
    /// `client.ssl` (sent in the volfile), unless `connection.transport` is
    /// ``GlusterTransportSecurity/requireTLS`` (always TLS) or
    /// ``GlusterTransportSecurity/plainText`` (never TLS, and no identity at all).
    ///
    /// - Parameters:
    ///   - logFile: where gfapi logs, at INFO (the level that shows AUTH_FAILED). gfapi
    ///     opens it here; the caller may unlink it afterwards and keep reading it.
    /// - Throws: ``GlusterFSError`` (`invalidArgument`, or `connectFailed` when a
    ///   `glfs_set_*` call fails).
    public init(connection: GlusterConnection, logFile: String) throws {
        for (value, what) in [(connection.address.volume, "volume name"), (connection.address.host, "host"), (logFile, "log file")]
        where value.isEmpty || value.utf8.contains(0) {
            throw GlusterFSError(.invalidArgument, operation: "glfs_new", message: "the \(what) is empty or contains a NUL byte")
        }
        guard (1...65535).contains(connection.address.port) else {
            throw GlusterFSError(.invalidArgument, operation: "glfs_set_volfile_server", message: "port \(connection.address.port) is out of range")
        }
        if let identity = connection.identity, connection.transport != .plainText {
            // gfapi would only log an unreadable file and fail later with a vague EIO.
            for (path, what) in [
                (identity.certificateChain, "certificate chain"), (identity.privateKey, "private key"),
                (identity.certificateAuthorities, "CA list"),
            ] {
                let fd = path.utf8.contains(0) ? -1 : open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    let code = path.utf8.contains(0) ? EINVAL : errno
                    throw GlusterFSError(
                        .invalidArgument, errno: code, operation: "open", path: path,
                        message: "cannot read the \(what): \(GlusterFSError.describe(errno: code))")
                }
                close(fd)
            }
        }
        CGlusterFSAPI_clear_errno()
        guard let handle = glfs_new(connection.address.volume) else {
            throw GlusterFSError(.connectFailed, errno: CGlusterFSAPI_errno(), operation: "glfs_new", path: connection.address.volume)
        }
        self.handle = handle
        self.connection = connection
        self.logFile = logFile
        // From here on deinit runs glfs_fini if we throw: never free `handle` here.
        try check(glfs_set_volfile_server(handle, "tcp", connection.address.host, Int32(connection.address.port)), "glfs_set_volfile_server")
        // Each further call adds a server gfapi tries when the ones before do not answer.
        for backup in connection.backupVolfileServers {
            guard !backup.isEmpty, !backup.utf8.contains(0) else {
                throw GlusterFSError(.invalidArgument, operation: "glfs_set_volfile_server", message: "a backup volfile server is empty or contains a NUL byte")
            }
            try check(glfs_set_volfile_server(handle, "tcp", backup, Int32(connection.address.port)), "glfs_set_volfile_server", path: backup)
        }
        try check(glfs_set_logging(handle, logFile, CGlusterFSAPI_LOG_INFO), "glfs_set_logging", path: logFile)
        var options: [(String, String)] = []
        if let identity = connection.identity, connection.transport != .plainText {
            options += [
                ("transport.socket.ssl-own-cert", identity.certificateChain),
                ("transport.socket.ssl-private-key", identity.privateKey),
                ("transport.socket.ssl-ca-list", identity.certificateAuthorities),
            ]
        }
        if connection.transport == .requireTLS { options.append(("transport.socket.ssl-enabled", "on")) }
        if connection.transport == .plainText { options.append(("transport.socket.ssl-enabled", "off")) }
        for (key, value) in options {
            guard !value.isEmpty, !value.utf8.contains(0) else {
                throw GlusterFSError(.invalidArgument, operation: "glfs_set_xlator_option", message: "\(key) is empty or contains a NUL byte")
            }
            try check(glfs_set_xlator_option(handle, "*-client-*", key, value), "glfs_set_xlator_option", path: "\(key)=\(value)")
        }
    }

    deinit {
        // ~10 s in gfapi 10.3 (see the type's warning).
        glfs_fini(handle)
    }

    /// Fetches the volfile from glusterd and connects to the bricks (`glfs_init`).
    ///
    /// > Warning: blocks forever when the bricks refuse the identity's common name (see the
    /// > type's documentation). Watch ``logFile`` for `AUTH_FAILED` from another thread, and
    /// > run this only in a process that may be killed.
    ///
    /// - Throws: ``GlusterFSError`` with code `connectFailed` and gfapi's errno: `EIO` for a
    ///   TLS failure or a stopped volume, `ENOTCONN` when glusterd is unreachable, `ENOENT`
    ///   for an unknown volume. ``GlusterInitFailure/classify(errno:log:)`` tells them apart
    ///   with the help of the log.
    public func connect() throws {
        guard !isConnected else { return }
        try check(glfs_init(handle), "glfs_init", path: connection.address.description)
        isConnected = true
    }

    // MARK: - Helpers

    /// Throws for a gfapi return value of -1, capturing errno at once.
    func check(_ result: Int32, _ operation: String, path: String? = nil, code: GlusterFSError.Code = .connectFailed) throws {
        guard result != 0 else { return }
        let error = CGlusterFSAPI_errno()
        throw GlusterFSError(code, errno: error, operation: operation, path: path)
    }

    /// Fails unless connected and `path` is an absolute path without NUL bytes.
    func checkUsable(_ path: String, _ operation: String) throws {
        guard isConnected else {
            throw GlusterFSError(.notConnected, operation: operation, path: path, message: "the volume is not connected: call connect() first")
        }
        guard path.hasPrefix("/"), !path.utf8.contains(0) else {
            throw GlusterFSError(.invalidArgument, operation: operation, path: path, message: "a path in a volume must be absolute, without NUL bytes")
        }
    }

    /// The error for a failed file operation, with errno read right after the call.
    func operationError(_ operation: String, _ path: String, errno code: Int32) -> GlusterFSError {
        GlusterFSError(.operationFailed, errno: code, operation: operation, path: path)
    }
}

// MARK: - Files and directories

extension GlusterVolume {
    /// Creates (or truncates) a file and opens it for writing (`glfs_creat`).
    /// - Throws: ``GlusterFSError`` `operationFailed` with errno and path.
    public func createFile(at path: String, permissions: UInt32 = 0o644) throws -> GlusterFile {
        try checkUsable(path, "glfs_creat")
        CGlusterFSAPI_clear_errno()
        guard let fd = glfs_creat(handle, path, O_CREAT | O_TRUNC | O_WRONLY, mode_t(permissions)) else {
            throw operationError("glfs_creat", path, errno: CGlusterFSAPI_errno())
        }
        return GlusterFile(takingOwnership: fd, volume: self, path: path)
    }

    /// Opens a file for reading and writing, creating it (with `permissions`) when it does
    /// not exist and keeping its contents when it does (`glfs_creat`, `O_CREAT | O_RDWR`).
    /// - Throws: ``GlusterFSError`` `operationFailed` with errno and path.
    public func openOrCreateFile(at path: String, permissions: UInt32 = 0o600) throws -> GlusterFile {
        try checkUsable(path, "glfs_creat")
        CGlusterFSAPI_clear_errno()
        guard let fd = glfs_creat(handle, path, O_CREAT | O_RDWR, mode_t(permissions)) else {
            throw operationError("glfs_creat", path, errno: CGlusterFSAPI_errno())
        }
        return GlusterFile(takingOwnership: fd, volume: self, path: path)
    }

    /// Creates `path` and every missing folder above it (`glfs_mkdir`); folders that exist
    /// already are fine.
    /// - Throws: ``GlusterFSError`` `operationFailed` with errno and path.
    public func makeDirectories(_ path: String, permissions: UInt32 = 0o700) throws {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/\(component)"
            do {
                try makeDirectory(current, permissions: permissions)
            } catch let error as GlusterFSError where error.errno == EEXIST {
                continue
            }
        }
    }

    /// Opens an existing file (`glfs_open`) with `open(2)` flags; 0 is `O_RDONLY`.
    /// - Throws: ``GlusterFSError`` `operationFailed` with errno and path.
    public func openFile(at path: String, flags: Int32 = 0) throws -> GlusterFile {
        try checkUsable(path, "glfs_open")
        CGlusterFSAPI_clear_errno()
        guard let fd = glfs_open(handle, path, flags) else {
            throw operationError("glfs_open", path, errno: CGlusterFSAPI_errno())
        }
        return GlusterFile(takingOwnership: fd, volume: self, path: path)
    }

    /// Writes `bytes` to a new (or truncated) file and closes it, so the data reached the
    /// bricks when this returns.
    public func writeFile(at path: String, contents bytes: [UInt8], permissions: UInt32 = 0o644) throws {
        let file = try createFile(at: path, permissions: permissions)
        try file.write(bytes)
        try file.close()
    }

    /// Reads a whole file, refusing more than `limit` bytes.
    public func readFile(at path: String, limit: Int = 64 << 20) throws -> [UInt8] {
        let file = try openFile(at: path)
        defer { try? file.close() }
        var result: [UInt8] = []
        while true {
            let chunk = try file.read(upTo: 1 << 20)
            if chunk.isEmpty { break }
            result += chunk
            if result.count > limit {
                throw GlusterFSError(.operationFailed, errno: EFBIG, operation: "glfs_read", path: path, message: "the file is larger than \(limit) bytes")
            }
        }
        return result
    }

    /// Removes a file (`glfs_unlink`).
    public func unlink(_ path: String) throws {
        try checkUsable(path, "glfs_unlink")
        try check(glfs_unlink(handle, path), "glfs_unlink", path: path, code: .operationFailed)
    }

    /// Creates a directory (`glfs_mkdir`).
    public func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws {
        try checkUsable(path, "glfs_mkdir")
        try check(glfs_mkdir(handle, path, mode_t(permissions)), "glfs_mkdir", path: path, code: .operationFailed)
    }

    /// Removes an empty directory (`glfs_rmdir`).
    public func removeDirectory(_ path: String) throws {
        try checkUsable(path, "glfs_rmdir")
        try check(glfs_rmdir(handle, path), "glfs_rmdir", path: path, code: .operationFailed)
    }

    /// What `lstat` says about `path` (`glfs_lstat`): its kind and size.
    public func entry(at path: String) throws -> GlusterDirectoryEntry {
        try checkUsable(path, "glfs_lstat")
        var info = Glibc.stat()
        try check(glfs_lstat(handle, path, &info), "glfs_lstat", path: path, code: .operationFailed)
        return GlusterDirectoryEntry(path: path, kind: GlusterFileKind(mode: info.st_mode), size: fileSize(info.st_size), depth: 0)
    }

    /// The volume's capacity and usage (`glfs_statvfs`).
    public func statvfs(_ path: String = "/") throws -> GlusterVolumeSpace {
        try checkUsable(path, "glfs_statvfs")
        var info = Glibc.statvfs()
        try check(glfs_statvfs(handle, path, &info), "glfs_statvfs", path: path, code: .operationFailed)
        return GlusterVolumeSpace(
            blockSize: UInt64(info.f_bsize), fragmentSize: UInt64(info.f_frsize), totalBlocks: UInt64(info.f_blocks),
            freeBlocks: UInt64(info.f_bfree), availableBlocks: UInt64(info.f_bavail), totalFiles: UInt64(info.f_files),
            freeFiles: UInt64(info.f_ffree), maximumNameLength: UInt64(info.f_namemax))
    }

    /// Opens a directory for reading (`glfs_opendir`).
    func openDirectory(_ path: String) throws -> GlusterDirectory {
        try checkUsable(path, "glfs_opendir")
        CGlusterFSAPI_clear_errno()
        guard let fd = glfs_opendir(handle, path) else {
            throw operationError("glfs_opendir", path, errno: CGlusterFSAPI_errno())
        }
        return GlusterDirectory(takingOwnership: fd, volume: self, path: path)
    }
}

/// A `st_size` as a size: never negative (a brick could send anything).
func fileSize(_ value: off_t) -> Int64 { max(0, Int64(truncatingIfNeeded: value)) }

/// `parent/name`, without a double slash under the root.
func joinPath(_ parent: String, _ name: String) -> String {
    parent.hasSuffix("/") ? parent + name : parent + "/" + name
}
