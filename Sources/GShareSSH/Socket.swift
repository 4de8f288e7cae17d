//===----------------------------------------------------------------------===//
// gshare — GShareSSH
//===----------------------------------------------------------------------===//

internal import Synchronization

#if canImport(Glibc)
internal import Glibc
#endif

/// The TCP socket under one SSH session. The descriptor sits behind its own lock so that
/// ``SSHConnection/close()`` can shut it down (waking a command blocked in `poll`) while the
/// session lock is held by that command, without ever touching a descriptor number that was
/// already closed and possibly reused.
final class SocketHandle: Sendable {
    private let descriptor: Mutex<Int32>

    init(taking fd: Int32) { descriptor = Mutex(fd) }

    deinit { close() }

    /// The descriptor, or -1 once closed. Only the session's owner uses it for I/O.
    var fd: Int32 { descriptor.withLock { $0 } }

    /// Makes every pending and future read/write fail at once (the descriptor stays open).
    func shutdownNow() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func close() {
        descriptor.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }

    /// A non-blocking TCP connection to host:port (IPv4 or IPv6, every address getaddrinfo
    /// gives, in order) within `deadline`.
    static func connect(to endpoint: SSHEndpoint, deadline: ContinuousClock.Instant, cancel: CancelFlag) throws(SSHError) -> SocketHandle {
        let name = endpoint.description
        guard (1...65535).contains(endpoint.port) else {
            throw SSHError(.invalidArgument, host: name, step: .connect, message: "ssh \(name) (connect): port \(endpoint.port) is out of range 1-65535")
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard rc == 0, let list else {
            throw SSHError(
                .connectFailed, host: name, step: .connect,
                message: "ssh \(name) (connect): cannot resolve host \(endpoint.host): \(String(cString: gai_strerror(rc))); check the host name")
        }
        defer { freeaddrinfo(list) }
        var failures: [String] = []
        var next: UnsafeMutablePointer<addrinfo>? = list
        while let info = next {
            next = info.pointee.ai_next
            let address = numericAddress(info.pointee.ai_addr, info.pointee.ai_addrlen)
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else {
                failures.append("\(address): socket: \(String(cString: strerror(errno)))")
                continue
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return SocketHandle(taking: fd) }
            guard errno == EINPROGRESS || errno == EINTR else {
                failures.append("\(address): \(String(cString: strerror(errno)))")
                Glibc.close(fd)
                continue
            }
            var outcome: Int32 = 0
            while true {
                if cancel.isCancelled {
                    Glibc.close(fd)
                    throw SSHError(.cancelled, host: name, step: .connect, message: "ssh \(name) (connect): cancelled while connecting")
                }
                let remaining = ContinuousClock.now.duration(to: deadline)
                if remaining <= .zero {
                    Glibc.close(fd)
                    throw SSHError(
                        .timedOut, host: name, step: .connect,
                        message: "ssh \(name) (connect): no TCP connection to \(address) within the connect timeout; is the host up and the port open (firewall)?")
                }
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let n = poll(&p, 1, Int32(clamping: min(remaining.milliseconds, 200)))
                if n < 0 && errno == EINTR { continue }
                if n > 0 {
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &outcome, &length)
                    break
                }
            }
            if outcome == 0 { return SocketHandle(taking: fd) }
            failures.append("\(address): \(String(cString: strerror(outcome)))")
            Glibc.close(fd)
        }
        throw SSHError(
            .connectFailed, host: name, step: .connect,
            message: "ssh \(name) (connect): no TCP connection (\(failures.joined(separator: "; "))); is an SSH server running on \(endpoint.hostAndPort)?")
    }

    private static func numericAddress(_ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        guard let address, getnameinfo(address, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV) == 0
        else { return "?" }
        let h = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let s = String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return h.contains(":") ? "[\(h)]:\(s)" : "\(h):\(s)"
    }
}

/// Set by task cancellation; polled by the blocking loops (at least every 200 ms).
final class CancelFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
    func cancel() { flag.store(true, ordering: .relaxed) }
}

extension Duration {
    /// Whole milliseconds, rounded up, at least 0.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// "1 s", "20 s", "0.5 s", for messages.
    var humanReadable: String {
        let ms = milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(Double(ms) / 1000) s"
    }
}
