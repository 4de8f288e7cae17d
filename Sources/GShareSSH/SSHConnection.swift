//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

internal import CLibSSH2
internal import Foundation
public import Logging
internal import Synchronization

#if canImport(Glibc)
internal import Glibc
#endif

/// One authenticated SSH session (libssh2 1.10), reused for several commands.
///
/// Commands run one after another: libssh2 sessions are not thread-safe, so every libssh2
/// call for a session happens under this connection's lock, on a thread of its own that may
/// block in `poll` — never on the Swift concurrency pool.
///
/// The host key is checked strictly against ``SSHOptions/knownHostsPath`` BEFORE
/// authenticating: an unknown host or a changed key ends the connection attempt.
///
/// After a command timeout, a cancelled command or an I/O failure the connection is closed:
/// every later ``run(_:timeout:)`` throws ``SSHError/Code/connectionClosed``. Connect again.
///
/// > Warning: SSH cannot kill a remote process (libssh2 1.10 has no signal request). At a
/// > command timeout the command's channel is closed and the connection dropped; a remote
/// > process that never reads its stdin or writes its output may run on. Bound long remote
/// > work with `timeout(1)` on the remote side.
public final class SSHConnection: Sendable {
    public let endpoint: SSHEndpoint
    /// The server's host key, as checked against known_hosts.
    public let hostKey: SSHHostKey
    private let options: SSHOptions
    /// The session, nil once closed. Held for the whole of each libssh2 operation.
    private let session: Mutex<LibSSH2Session?>
    /// The socket under the session, for ``close()`` to wake a running command.
    private let socket: SocketHandle
    private let closeRequested = Atomic<Bool>(false)

    private init(endpoint: SSHEndpoint, hostKey: SSHHostKey, options: SSHOptions, session: consuming sending LibSSH2Session) {
        self.endpoint = endpoint
        self.hostKey = hostKey
        self.options = options
        self.socket = session.socket
        self.session = Mutex(session)
    }

    deinit { close() }

    /// Connects (TCP within ``SSHOptions/connectTimeout``), completes the key exchange, checks
    /// the host key against known_hosts, and authenticates (within ``SSHOptions/authTimeout``).
    /// - Throws: ``SSHError``: `.connectFailed`, `.timedOut`, `.handshakeFailed`,
    ///   `.unknownHost`, `.hostKeyChanged`, `.knownHostsUnreadable`, `.keyUnreadable`,
    ///   `.wrongPassphrase`, `.keyRefused`, `.rsaKeyUnsupported`, `.passwordRefused`, `.cancelled`.
    ///
    /// Logs each step at `debug` on `logger` (host, port, user, the host key's type and
    /// fingerprint, the method, how long it took); never a passphrase or password.
    public static func connect(
        to endpoint: SSHEndpoint, credential: SSHCredential, options: SSHOptions, logger: Logger = SSHConnection.noLogging
    ) async throws -> SSHConnection {
        var logger = logger
        logger[metadataKey: "ssh.host"] = "\(endpoint.host)"
        logger[metadataKey: "ssh.port"] = "\(endpoint.port)"
        logger[metadataKey: "ssh.user"] = "\(endpoint.user)"
        let log = logger
        let started = ContinuousClock.now
        log.debug("ssh connect", metadata: ["ssh.auth": "\(credential.methodName)"])
        do {
            let connection = try await onBlockingThread { cancel throws(SSHError) in
                let name = endpoint.description
                let known = KnownHostsFile.knownKeyTypes(host: endpoint.host, port: endpoint.port, path: options.knownHostsPath)
                let preference = known.filter(defaultHostKeyAlgorithms.contains) + defaultHostKeyAlgorithms.filter { !known.contains($0) }
                let session = try handshake(endpoint, timeout: options.connectTimeout, hostKeyAlgorithms: preference, cancel: cancel)
                guard let (key, libssh2Type) = session.hostKey() else {
                    throw SSHError(.handshakeFailed, host: name, step: .handshake, message: "ssh \(name) (handshake): the server sent no host key")
                }
                log.debug("ssh handshake done", metadata: ["ssh.hostkey": "\(key.type) \(key.fingerprint)", "ms": "\(started.millisecondsSince)"])
                try checkHostKey(key, libssh2Type: libssh2Type, endpoint: endpoint, knownHostsPath: options.knownHostsPath, session: session)
                try authenticate(
                    session, endpoint: endpoint, credential: credential, deadline: .now + options.authTimeout, timeout: options.authTimeout, cancel: cancel)
                return SSHConnection(endpoint: endpoint, hostKey: key, options: options, session: session)
            }
            log.debug("ssh connected", metadata: ["ssh.auth": "\(credential.methodName)", "ms": "\(started.millisecondsSince)"])
            return connection
        } catch {
            log.debug("ssh connect failed", metadata: ["error": "\(error)", "ms": "\(started.millisecondsSince)"])
            throw error
        }
    }

    /// A logger that drops everything: the default when the caller gives none.
    public static let noLogging = Logger(label: "gshare.ssh", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs one command: each argument single-quoted (``ShellQuoting/commandLine(_:)``), so the
    /// remote shell sees exactly these arguments, after `exec` so that the program replaces
    /// the remote login shell (which must be a POSIX shell) and its exit status or signal
    /// comes back unchanged. The program is therefore looked up in `PATH` (shell builtins
    /// such as `printf` run as their /usr/bin programs). Standard input is empty (EOF at
    /// once); standard output and error are collected in full.
    /// - Parameters:
    ///   - arguments: the program and its arguments, e.g. `["sudo", "-n", "/usr/sbin/gluster", "volume", "info"]`.
    ///   - timeout: the deadline for the whole command (default ``SSHOptions/commandTimeout``).
    /// - Returns: the exit status or signal and both outputs; a non-zero exit is not an error.
    /// - Throws: ``SSHError``: `.invalidArgument` (NUL), `.connectionClosed`, `.channelFailed`,
    ///   `.commandFailed` (io), `.timedOut` (exec; the connection is then closed), `.cancelled`.
    public func run(_ arguments: [String], timeout: Duration? = nil) async throws -> SSHCommandResult {
        let name = endpoint.description
        let line: String
        // `exec`: the login shell (`sh -c LINE`) replaces itself with the program, so its exit
        // status and, above all, the signal that killed it reach us unchanged (a shell in
        // between would report a signal as status 128+n).
        do { line = "exec " + (try ShellQuoting.commandLine(arguments)) } catch let error as SSHError { throw error.at(name) }
        let limit = timeout ?? options.commandTimeout
        return try await onBlockingThread { cancel throws(SSHError) in
            try self.session.withLock { slot throws(SSHError) -> SSHCommandResult in
                guard let session = slot, !self.closeRequested.load(ordering: .relaxed) else {
                    throw SSHError(.connectionClosed, host: name, step: .exec, message: "ssh \(name) (exec): the connection is closed; connect again")
                }
                do throws(SSHError) {
                    return try Self.execute(line, arguments: arguments, in: session, timeout: limit, cancel: cancel)
                } catch let failure {
                    // A command that timed out, was cancelled or failed mid-stream leaves the
                    // session in an unknown state: close it rather than guess.
                    if failure.code != .channelFailed {
                        session.free()
                        slot = nil
                    }
                    if self.closeRequested.load(ordering: .relaxed) && failure.code != .timedOut {
                        throw SSHError(.connectionClosed, host: name, step: .exec, message: "ssh \(name) (exec): the connection was closed while the command ran")
                    }
                    throw failure
                }
            }
        }
    }

    /// Closes the session and its socket. Idempotent. A command running at that moment is
    /// interrupted and throws ``SSHError/Code/connectionClosed``. Sends the SSH disconnect
    /// message first, waiting at most 1 s for the socket to take it (usually microseconds).
    public func close() {
        closeRequested.store(true, ordering: .relaxed)
        let done: Void? = session.withLockIfAvailable { slot in
            slot?.free()
            slot = nil
        }
        if done == nil {
            // A command holds the lock: wake it; it frees the session on its way out.
            socket.shutdownNow()
        }
    }

    /// True once ``close()`` was called or the connection was dropped after a failure.
    public var isClosed: Bool {
        closeRequested.load(ordering: .relaxed) || (session.withLockIfAvailable { $0 == nil } ?? false)
    }

    // MARK: - Steps

    /// TCP connection and key exchange.
    static func handshake(_ endpoint: SSHEndpoint, timeout: Duration, hostKeyAlgorithms: [String], cancel: CancelFlag) throws(SSHError) -> LibSSH2Session {
        let name = endpoint.description
        let deadline = ContinuousClock.now + timeout
        let socket = try SocketHandle.connect(to: endpoint, deadline: deadline, cancel: cancel)
        let session = try LibSSH2Session(socket: socket, name: name, hostKeyAlgorithms: hostKeyAlgorithms)
        let rc = try session.retry(
            until: deadline, cancel: cancel,
            onTimeout: {
                SSHError(
                    .timedOut, host: name, step: .handshake,
                    message: "ssh \(name) (handshake): the SSH key exchange did not finish within \(timeout.humanReadable) (connect timeout); is this an SSH server?")
            },
            onCancel: { SSHError(.cancelled, host: name, step: .handshake, message: "ssh \(name) (handshake): cancelled") }
        ) { libssh2_session_handshake(session.raw, socket.fd) }
        guard rc == 0 else {
            throw SSHError(
                .handshakeFailed, host: name, step: .handshake,
                message: "ssh \(name) (handshake): the SSH key exchange failed: \(session.lastError) (libssh2 \(rc)); is this an SSH server, and does it offer ed25519/ECDSA/RSA host keys?")
        }
        return session
    }

    /// Strict known_hosts check: unknown → refused with the fingerprint and the trust command;
    /// changed → refused, loudly.
    static func checkHostKey(_ key: SSHHostKey, libssh2Type: Int32, endpoint: SSHEndpoint, knownHostsPath path: String, session: LibSSH2Session) throws(SSHError) {
        let name = endpoint.description
        let unknown = { (why: String) in
            SSHError(
                .unknownHost, host: name, step: .hostKey,
                message: """
                    ssh \(name) (host key check): the host \(endpoint.hostAndPort) is not known (\(why)); its \(key.type) host key \
                    has fingerprint \(key.fingerprint). Check that fingerprint with the server's administrator (ssh-keygen -lf on \
                    the server's host key), then trust it: gshare ssh trust \(endpoint.trustArgument)
                    """, fingerprint: key.fingerprint)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw unknown("the known_hosts file \(path) does not exist")
        }
        // libssh2 reads a directory (or a file it cannot open) as an empty list: say so instead.
        let probe = open(path, O_RDONLY | O_CLOEXEC)
        let problem = probe < 0 ? String(cString: strerror(errno)) : (isDirectory.boolValue ? "it is a directory" : nil)
        if probe >= 0 { Glibc.close(probe) }
        if let problem {
            throw SSHError(
                .knownHostsUnreadable, host: name, step: .hostKey,
                message: "ssh \(name) (host key check): the known_hosts file \(path) cannot be read (\(problem)); fix it or point knownHostsPath at an OpenSSH known_hosts file",
                fingerprint: key.fingerprint)
        }
        guard let hosts = libssh2_knownhost_init(session.raw) else {
            throw SSHError(.knownHostsUnreadable, host: name, step: .hostKey, message: "ssh \(name) (host key check): libssh2_knownhost_init failed", fingerprint: key.fingerprint)
        }
        defer { libssh2_knownhost_free(hosts) }
        let read = libssh2_knownhost_readfile(hosts, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
        guard read >= 0 else {
            throw SSHError(
                .knownHostsUnreadable, host: name, step: .hostKey,
                message: "ssh \(name) (host key check): the known_hosts file \(path) cannot be read: \(session.lastError) (libssh2 \(read)); fix or remove the bad line",
                fingerprint: key.fingerprint)
        }
        let keyBits: Int32
        switch libssh2Type {
        case LIBSSH2_HOSTKEY_TYPE_RSA: keyBits = LIBSSH2_KNOWNHOST_KEY_SSHRSA
        case LIBSSH2_HOSTKEY_TYPE_DSS: keyBits = LIBSSH2_KNOWNHOST_KEY_SSHDSS
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: keyBits = LIBSSH2_KNOWNHOST_KEY_ECDSA_256
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: keyBits = LIBSSH2_KNOWNHOST_KEY_ECDSA_384
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: keyBits = LIBSSH2_KNOWNHOST_KEY_ECDSA_521
        case LIBSSH2_HOSTKEY_TYPE_ED25519: keyBits = LIBSSH2_KNOWNHOST_KEY_ED25519
        default: keyBits = LIBSSH2_KNOWNHOST_KEY_UNKNOWN
        }
        let blob = [UInt8](Data(base64Encoded: key.base64) ?? Data())
        var entry: UnsafeMutablePointer<libssh2_knownhost>?
        let check = blob.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                libssh2_knownhost_checkp(
                    hosts, endpoint.host, Int32(endpoint.port), chars.baseAddress, chars.count,
                    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | keyBits, &entry)
            }
        }
        switch check {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH:
            return
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
            let expected = entry.flatMap { $0.pointee.key }.map { SSHHostKey(type: key.type, base64: String(cString: $0)).fingerprint } ?? "(unknown)"
            throw SSHError(
                .hostKeyChanged, host: name, step: .hostKey,
                message: """
                    ssh \(name) (host key check): WARNING: the host key of \(endpoint.hostAndPort) has CHANGED! Someone could be \
                    doing something nasty (a possible man-in-the-middle attack), or the server was reinstalled. Expected \
                    fingerprint \(expected) (from \(path)), got \(key.fingerprint) (\(key.type)). Refusing to connect. Only after \
                    checking with the server's administrator, remove the old key (ssh-keygen -R '\(KnownHostsFile.hostField(host: endpoint.host, port: endpoint.port))' -f \(path)) \
                    and trust the new one: gshare ssh trust \(endpoint.trustArgument)
                    """, fingerprint: key.fingerprint)
        case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
            throw unknown("no \(key.type) key for it in \(path)")
        default:
            throw SSHError(
                .knownHostsUnreadable, host: name, step: .hostKey,
                message: "ssh \(name) (host key check): checking \(path) failed: \(session.lastError)", fingerprint: key.fingerprint)
        }
    }

    /// Public key or password authentication, with messages that say which was tried.
    static func authenticate(
        _ session: LibSSH2Session, endpoint: SSHEndpoint, credential: SSHCredential, deadline: ContinuousClock.Instant, timeout: Duration,
        cancel: CancelFlag
    ) throws(SSHError) {
        let name = endpoint.description
        let method = credential.methodName
        let onTimeout = {
            SSHError(.timedOut, host: name, step: .auth, message: "ssh \(name) (authentication): \(method) as \(endpoint.user) did not finish within \(timeout.humanReadable) (auth timeout)")
        }
        let onCancel = { SSHError(.cancelled, host: name, step: .auth, message: "ssh \(name) (authentication): cancelled") }
        let user = endpoint.user
        let offered: String? = try session.retryPointer(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) {
            libssh2_userauth_list(session.raw, user, UInt32(user.utf8.count))
        }.map { String(cString: $0) }
        if offered == nil && libssh2_userauth_authenticated(session.raw) != 0 { return }  // "none" was accepted
        let methods = offered?.split(separator: ",").map(String.init) ?? []

        switch credential {
        case .password(let password):
            guard methods.isEmpty || methods.contains("password") else {
                throw SSHError(
                    .passwordRefused, host: name, step: .auth,
                    message: "ssh \(name) (authentication): tried \(method) as \(user), but the server does not accept passwords (it offers: \(methods.joined(separator: ", "))); use a key")
            }
            let rc = try session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) {
                CLibSSH2_userauth_password(session.raw, user, password)
            }
            guard rc != 0 else { return }
            throw SSHError(
                .passwordRefused, host: name, step: .auth,
                message: "ssh \(name) (authentication): the server refused \(method) as \(user): \(session.lastError) (libssh2 \(rc)); check the user name and password")

        case .privateKey(let path, let passphrase):
            let info: PrivateKeyFile
            do { info = try PrivateKeyFile.inspect(path) } catch {
                throw SSHError(.keyUnreadable, host: name, step: .auth, message: "ssh \(name) (authentication): tried \(method): the key file \(path) \(error.description)")
            }
            guard methods.isEmpty || methods.contains("publickey") else {
                throw SSHError(
                    .keyRefused, host: name, step: .auth,
                    message: "ssh \(name) (authentication): tried \(method) as \(user), but the server does not accept public keys (it offers: \(methods.joined(separator: ", ")))")
            }
            // An RSA key against OpenSSH >= 8.8 (the banner says which): libssh2 1.10 could
            // only offer an ssh-rsa (SHA-1) signature, which such a server refuses. Say so
            // without trying (and without running libssh2's RSA code for nothing).
            if info.isRSA, let banner = session.serverBanner, banner.contains("OpenSSH_"), !acceptsSHA1RSA(banner: banner) {
                throw SSHError(
                    .rsaKeyUnsupported, host: name, step: .auth,
                    message: """
                        ssh \(name) (authentication): \(method) (an RSA key) as \(user) cannot work: libssh2 1.10 signs RSA keys \
                        only with ssh-rsa (SHA-1), which OpenSSH 8.8 and later refuse by default (server: \(banner)), so gshare \
                        did not offer it. Use an ed25519 or ECDSA key (ssh-keygen -t ed25519) and authorize it for \(user).
                        """)
            }
            // No public key file: libssh2 derives it from the private key (OpenSSH and PEM
            // formats), so a stale or missing .pub cannot get in the way.
            let rc = try session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) {
                CLibSSH2_userauth_publickey_fromfile(session.raw, user, nil, path, passphrase)
            }
            guard rc != 0 else { return }
            let detail = "\(session.lastError) (libssh2 \(rc))"
            switch rc {
            case LIBSSH2_ERROR_FILE where info.encrypted, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED where info.encrypted:
                let why = passphrase == nil ? "it is passphrase-protected and no passphrase was given" : "the passphrase is wrong"
                throw SSHError(.wrongPassphrase, host: name, step: .auth, message: "ssh \(name) (authentication): tried \(method): cannot decrypt the key: \(why) (\(detail))")
            case LIBSSH2_ERROR_FILE, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED:
                throw SSHError(
                    .keyUnreadable, host: name, step: .auth,
                    message: "ssh \(name) (authentication): tried \(method): libssh2 cannot use the key file (\(detail)); use an OpenSSH or PEM ed25519/ECDSA key")
            case LIBSSH2_ERROR_AUTHENTICATION_FAILED, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED:
                if info.isRSA && !acceptsSHA1RSA(banner: session.serverBanner) {
                    throw SSHError(
                        .rsaKeyUnsupported, host: name, step: .auth,
                        message: """
                            ssh \(name) (authentication): tried \(method) (an RSA key) as \(user): the server refused it. libssh2 1.10 \
                            signs RSA keys only with ssh-rsa (SHA-1), which OpenSSH 8.8 and later disable by default \
                            (server: \(session.serverBanner ?? "unknown")). Use an ed25519 or ECDSA key (ssh-keygen -t ed25519) \
                            and authorize it for \(user). (\(detail))
                            """)
                }
                throw SSHError(
                    .keyRefused, host: name, step: .auth,
                    message: "ssh \(name) (authentication): the server refused \(method) as \(user): the key is not authorized for \(user) (add its .pub to the user's authorized_keys) (\(detail))")
            default:
                throw SSHError(.keyRefused, host: name, step: .auth, message: "ssh \(name) (authentication): \(method) as \(user) failed: \(detail)")
            }
        }
    }

    /// Whether the server may still accept ssh-rsa (SHA-1) signatures: OpenSSH before 8.8.
    /// Unknown servers are assumed not to.
    static func acceptsSHA1RSA(banner: String?) -> Bool {
        guard let banner, let range = banner.range(of: "OpenSSH_") else { return false }
        let version = banner[range.upperBound...].prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) }
        guard let major = version.first else { return false }
        let minor = version.count > 1 ? version[1] : 0
        return major < 8 || (major == 8 && minor < 8)
    }

    /// One command on a new channel: exec, EOF, drain stdout and stderr together, close,
    /// wait for the close, THEN read the exit status and signal (they read 0/nil before).
    static func execute(_ line: String, arguments: [String], in session: LibSSH2Session, timeout: Duration, cancel: CancelFlag) throws(SSHError) -> SSHCommandResult {
        let name = session.name
        let deadline = ContinuousClock.now + timeout
        let shown = arguments.first.map { "'\($0)'" } ?? ""
        let onTimeout = {
            SSHError(
                .timedOut, host: name, step: .exec,
                message: "ssh \(name) (exec): the command \(shown) did not finish within \(timeout.humanReadable); its channel was closed and the connection dropped (connect again)")
        }
        let onCancel = { SSHError(.cancelled, host: name, step: .exec, message: "ssh \(name) (exec): the command \(shown) was cancelled; the connection was dropped") }

        guard
            let channel: OpaquePointer = try session.retryPointer(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel, {
                CLibSSH2_channel_open_session(session.raw)
            })
        else {
            let code = session.lastErrno
            let failure = SSHError(.channelFailed, host: name, step: .exec, message: "ssh \(name) (exec): cannot open a session channel: \(session.lastError) (libssh2 \(code))")
            if isTransportFailure(code) { throw SSHError(.commandFailed, host: name, step: .io, message: failure.message) }
            throw failure
        }
        var channelFreed = false
        defer {
            if !channelFreed {
                // Abandoned mid-way (timeout, cancel, failure): the session is freed right
                // after, which frees the channel too; just try to tell the server first.
                _ = libssh2_channel_close(channel)
            }
        }
        let rc = try session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) { CLibSSH2_channel_exec(channel, line) }
        guard rc == 0 else {
            let failure = SSHError(.channelFailed, host: name, step: .exec, message: "ssh \(name) (exec): the server did not start the command \(shown): \(session.lastError) (libssh2 \(rc))")
            if isTransportFailure(rc) { throw SSHError(.commandFailed, host: name, step: .io, message: failure.message) }
            _ = try? session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) { libssh2_channel_free(channel) }
            channelFreed = true
            throw failure
        }
        _ = try session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) { libssh2_channel_send_eof(channel) }

        var out: [UInt8] = []
        var err: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        func ioFailure(_ what: String, _ code: Int) -> SSHError {
            SSHError(.commandFailed, host: name, step: .io, message: "ssh \(name) (io): reading \(what) of \(shown) failed: \(session.lastError) (libssh2 \(code)); the connection was dropped")
        }
        while true {
            var outDone = false
            var errDone = false
            while true {
                let n = buffer.withUnsafeMutableBytes { CLibSSH2_channel_read(channel, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
                if n > 0 { out += buffer[0..<n]; continue }
                if n == 0 { outDone = true; break }
                if n == Int(LIBSSH2_ERROR_EAGAIN) { break }
                throw ioFailure("standard output", n)
            }
            while true {
                let n = buffer.withUnsafeMutableBytes { CLibSSH2_channel_read_stderr(channel, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
                if n > 0 { err += buffer[0..<n]; continue }
                if n == 0 { errDone = true; break }
                if n == Int(LIBSSH2_ERROR_EAGAIN) { break }
                throw ioFailure("standard error", n)
            }
            if outDone && errDone && CLibSSH2_channel_eof(channel) != 0 { break }
            try session.waitForSocket(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel)
        }

        let closed = try session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) { libssh2_channel_close(channel) }
        if closed == 0 {
            _ = try session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) { libssh2_channel_wait_closed(channel) }
        }
        let status = libssh2_channel_get_exit_status(channel)
        var signal: UnsafeMutablePointer<CChar>?
        var signalLength = 0
        _ = libssh2_channel_get_exit_signal(channel, &signal, &signalLength, nil, nil, nil, nil)
        var signalName: String?
        if let signal {
            if signalLength > 0 {
                signalName = String(decoding: UnsafeRawBufferPointer(start: signal, count: signalLength), as: UTF8.self)
            }
            libssh2_free(session.raw, signal)
        }
        _ = try session.retry(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel) { libssh2_channel_free(channel) }
        channelFreed = true
        return SSHCommandResult(
            exitStatus: signalName == nil ? status : nil, exitSignal: signalName, standardOutput: Data(out), standardError: Data(err))
    }

    /// Errors after which the session itself is unusable (not just this channel).
    static func isTransportFailure(_ code: Int32) -> Bool {
        [
            LIBSSH2_ERROR_SOCKET_NONE, LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_DISCONNECT,
            LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_DECRYPT, LIBSSH2_ERROR_INVALID_MAC, LIBSSH2_ERROR_PROTO,
            LIBSSH2_ERROR_BAD_SOCKET,
        ].contains(code)
    }
}

/// Fetching a server's host key, for `gshare ssh trust`.
public enum SSHHostKeyScan {
    /// Connects and completes the key exchange only (no auth), returns the server's host key
    /// (ed25519 preferred, then ECDSA, then RSA). For `gshare ssh trust`.
    /// - Throws: ``SSHError`` `.connectFailed`, `.timedOut`, `.handshakeFailed`, `.cancelled`.
    public static func fetch(host: String, port: Int, timeout: Duration) async throws -> SSHHostKey {
        try await onBlockingThread { cancel throws(SSHError) in
            let endpoint = SSHEndpoint(host: host, port: port, user: "")
            let session = try SSHConnection.handshake(endpoint, timeout: timeout, hostKeyAlgorithms: defaultHostKeyAlgorithms, cancel: cancel)
            defer { session.free() }
            guard let (key, _) = session.hostKey() else {
                throw SSHError(.handshakeFailed, host: endpoint.description, step: .handshake, message: "ssh \(endpoint.description) (handshake): the server sent no host key")
            }
            return key
        }
    }
}

/// Runs `body` on a new thread of its own (it may block in poll for as long as its deadline
/// allows) and resumes the caller with its result. Task cancellation sets the flag `body`
/// polls. Never blocks a thread of the Swift concurrency pool.
func onBlockingThread<T: Sendable>(_ body: @escaping @Sendable (CancelFlag) throws(SSHError) -> T) async throws(SSHError) -> T {
    let cancel = CancelFlag()
    let result: Result<T, SSHError> = await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, SSHError>, Never>) in
            let thread = Thread {
                do throws(SSHError) { continuation.resume(returning: .success(try body(cancel))) } catch { continuation.resume(returning: .failure(error)) }
            }
            thread.name = "gshare-ssh"
            thread.start()
        }
    } onCancel: {
        cancel.cancel()
    }
    return try result.get()
}

extension ContinuousClock.Instant {
    /// Whole milliseconds from this instant until now.
    var millisecondsSince: Int64 {
        let elapsed = ContinuousClock.now - self
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }
}
