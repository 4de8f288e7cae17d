//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

internal import CLibSSH2
internal import Foundation

#if canImport(Glibc)
internal import Glibc
#endif

/// libssh2_init is not thread-safe: run it once, lazily (a global `let` is initialised once).
let libssh2Initialized: Int32 = libssh2_init(0)

/// Host key algorithms in the order gshare prefers them when known_hosts says nothing about
/// the host. libssh2 1.10's own order puts ECDSA first; OpenSSH's puts ed25519 first, and so
/// do `gshare ssh trust` and scripts/ssh-lab. ssh-rsa is last (and SHA-1 only in 1.10).
let defaultHostKeyAlgorithms = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"]

/// Owns one LIBSSH2_SESSION (and the socket under it). Not thread-safe, not Sendable: it is
/// only ever used by the thread that holds ``SSHConnection``'s lock (or by the thread that
/// created it, before the connection is published). All calls are non-blocking; every
/// EAGAIN waits in `poll` on the socket for what libssh2 says it is blocked on, bounded by a
/// deadline and woken every 200 ms to notice cancellation.
final class LibSSH2Session {
    let raw: OpaquePointer
    let socket: SocketHandle
    let name: String
    private var freed = false

    /// Starts a session over a connected socket: non-blocking mode and the host key preference.
    init(socket: SocketHandle, name: String, hostKeyAlgorithms: [String]) throws(SSHError) {
        guard libssh2Initialized == 0 else {
            throw SSHError(.handshakeFailed, host: name, step: .handshake, message: "ssh \(name) (handshake): libssh2_init failed (\(libssh2Initialized))")
        }
        guard let raw = CLibSSH2_session_init() else {
            throw SSHError(.handshakeFailed, host: name, step: .handshake, message: "ssh \(name) (handshake): libssh2_session_init failed (out of memory?)")
        }
        self.raw = raw
        self.socket = socket
        self.name = name
        libssh2_session_set_blocking(raw, 0)
        _ = libssh2_session_method_pref(raw, LIBSSH2_METHOD_HOSTKEY, hostKeyAlgorithms.joined(separator: ","))
    }

    deinit { free() }

    /// libssh2's last error message for this session.
    var lastError: String {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(raw, &message, &length, 0)
        guard let message, length > 0 else { return "libssh2 error \(code)" }
        return String(decoding: UnsafeRawBufferPointer(start: message, count: Int(length)), as: UTF8.self)
    }

    var lastErrno: Int32 { libssh2_session_last_errno(raw) }

    /// Waits until the socket is ready for what libssh2 is blocked on, or a deadline passes.
    func waitForSocket(until deadline: ContinuousClock.Instant, cancel: CancelFlag, onTimeout: () -> SSHError, onCancel: () -> SSHError) throws(SSHError) {
        if cancel.isCancelled { throw onCancel() }
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { throw onTimeout() }
        let directions = libssh2_session_block_directions(raw)
        var events: Int16 = 0
        if directions & LIBSSH2_SESSION_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        var p = pollfd(fd: socket.fd, events: events, revents: 0)
        _ = poll(&p, 1, Int32(clamping: min(remaining.milliseconds, 200)))
    }

    /// Calls `body` until it returns something other than EAGAIN.
    func retry(
        until deadline: ContinuousClock.Instant, cancel: CancelFlag, onTimeout: () -> SSHError, onCancel: () -> SSHError,
        _ body: () -> Int32
    ) throws(SSHError) -> Int32 {
        while true {
            let rc = body()
            if rc != LIBSSH2_ERROR_EAGAIN { return rc }
            try waitForSocket(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel)
        }
    }

    /// Calls `body` until it returns a pointer, or nil for a reason other than EAGAIN.
    func retryPointer<P>(
        until deadline: ContinuousClock.Instant, cancel: CancelFlag, onTimeout: () -> SSHError, onCancel: () -> SSHError,
        _ body: () -> P?
    ) throws(SSHError) -> P? {
        while true {
            if let pointer = body() { return pointer }
            if lastErrno != LIBSSH2_ERROR_EAGAIN { return nil }
            try waitForSocket(until: deadline, cancel: cancel, onTimeout: onTimeout, onCancel: onCancel)
        }
    }

    /// The server's host key after the handshake.
    func hostKey() -> (key: SSHHostKey, libssh2Type: Int32)? {
        var length = 0
        var type: Int32 = 0
        guard let pointer = libssh2_session_hostkey(raw, &length, &type), length > 0 else { return nil }
        let blob = [UInt8](UnsafeRawBufferPointer(start: pointer, count: length))
        let name = SSHHostKey.typeInBlob(blob) ?? "unknown"
        return (SSHHostKey(type: name, base64: Data(blob).base64EncodedString()), type)
    }

    /// The server's identification string, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10`.
    var serverBanner: String? {
        libssh2_session_banner_get(raw).map { String(cString: $0) }
    }

    /// Says goodbye (for at most a second), then frees the session and closes the socket.
    /// Idempotent.
    func free() {
        guard !freed else { return }
        freed = true
        let goodbye = ContinuousClock.now + .seconds(1)
        let never = CancelFlag()
        _ = try? retry(until: goodbye, cancel: never, onTimeout: { timeoutError }, onCancel: { timeoutError }) {
            CLibSSH2_session_disconnect(raw, "gshare: closing the connection")
        }
        // From here on every send fails at once instead of waiting for the peer.
        socket.shutdownNow()
        var attempts = 0
        while libssh2_session_free(raw) == LIBSSH2_ERROR_EAGAIN && attempts < 100 { attempts += 1 }
        socket.close()
    }

    private var timeoutError: SSHError { SSHError(.timedOut, host: name, step: .io, message: "timed out") }
}
