//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
import Foundation

/// The certificate chain a TLS server presents, fetched by a TLS handshake: how gshare
/// learns the CN of each GlusterFS node from the node itself (its glusterd on port 24007
/// when management TLS is on, or one of its bricks), without logging in.
///
/// The chain is only read, never trusted: nothing is sent after the handshake, and the
/// caller decides what the names mean. The client presents `identity` when given (glusterd
/// and the bricks ask for a client certificate; without one, a TLS 1.2 server ends the
/// handshake early, though after it sent its own certificate).
public enum TLSPeerProbe {
    /// The chain the server at `host`:`port` presents, leaf first.
    ///
    /// - Parameters:
    ///   - identity: the client certificate chain and key files to present, if any.
    ///   - timeout: for the TCP connection and for each read or write of the handshake.
    /// - Throws: ``PKIError`` `peer-unreachable` when nothing answers (with the reason),
    ///   `peer-sent-no-certificate` when the server spoke no TLS or sent no certificate.
    public static func certificateChain(
        host: String, port: Int, identity: (certificate: String, key: String)? = nil, timeout: Duration = .seconds(5)
    ) throws -> [Certificate] {
        let fd = try connect(host: host, port: port, timeout: timeout)
        defer { close(fd) }
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw PKIError(.peerUnreachable, reason: "OpenSSL could not make a TLS client", hint: "", openSSLErrors: OpenSSLErrorQueue.drain())
        }
        defer { SSL_CTX_free(context) }
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        if let identity {
            guard SSL_CTX_use_certificate_chain_file(context, identity.certificate) == 1,
                SSL_CTX_use_PrivateKey_file(context, identity.key, SSL_FILETYPE_PEM) == 1
            else {
                throw PKIError(
                    .fileUnreadable, reason: "cannot use \(identity.certificate) / \(identity.key) as the client identity",
                    hint: "check gshare's own identity (manager_cert, manager_key)", openSSLErrors: OpenSSLErrorQueue.drain())
            }
        }
        guard let ssl = SSL_new(context) else {
            throw PKIError(.peerUnreachable, reason: "OpenSSL could not make a TLS connection", hint: "", openSSLErrors: OpenSSLErrorQueue.drain())
        }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        _ = SSL_connect(ssl)  // the server may refuse us after it sent its certificate: that is enough
        var chain: [Certificate] = []
        if let stack = SSL_get_peer_cert_chain(ssl) {
            for index in 0..<COpenSSL_sk_X509_num(stack) {
                if let x509 = COpenSSL_sk_X509_value(stack, index) { chain.append(Certificate(borrowing: x509)) }
            }
        }
        OpenSSLErrorQueue.clear()
        guard !chain.isEmpty else {
            throw PKIError(
                .peerSentNoCertificate, reason: "\(host):\(port) sent no certificate (it does not speak TLS there)",
                hint: "is TLS on for this port? (management TLS: /var/lib/glusterd/secure-access on the node)")
        }
        return chain
    }

    /// A TCP connection to `host`:`port` within `timeout`, with read and write timeouts set.
    static func connect(host: String, port: Int, timeout: Duration) throws -> Int32 {
        guard (1...65535).contains(port), !host.isEmpty, !host.utf8.contains(0) else {
            throw PKIError(.peerUnreachable, reason: "\(host):\(port) is not a host and port", hint: "")
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let status = getaddrinfo(name, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw PKIError(.peerUnreachable, reason: "\(host) does not resolve: \(String(cString: gai_strerror(status)))", hint: "")
        }
        defer { freeaddrinfo(first) }
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        var lastError: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            let fd = socket(current.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var connected = Glibc.connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0
            if !connected && errno == EINPROGRESS {
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&poller, 1, milliseconds) == 1 {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    connected = error == 0
                    lastError = error == 0 ? lastError : error
                } else {
                    lastError = ETIMEDOUT
                }
            } else if !connected {
                lastError = errno
            }
            guard connected else {
                close(fd)
                continue
            }
            _ = fcntl(fd, F_SETFL, flags)
            var limit = timeval(tv_sec: Int(milliseconds / 1000), tv_usec: Int(milliseconds % 1000) * 1000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        throw PKIError(.peerUnreachable, reason: "cannot connect to \(host):\(port): \(String(cString: strerror(lastError)))", hint: "")
    }
}
