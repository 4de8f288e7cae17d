//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import Foundation
public import GShareWorkflows
import GlusterDriver
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
public import NIOCore
import NIOSSL
import ServiceLifecycle

/// Where `gshare serve` listens: `HOST:PORT` (IPv4 or `[IPv6]`).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback).
    /// - Throws: `invalid-request` naming what is wrong.
    public init(parsing text: String) throws(WorkflowError) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw Self.invalid(text) }
            portText = rest.dropFirst()
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            throw Self.invalid(text)
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(portText), (0...65535).contains(port), !host.contains(":") || text.hasPrefix("[") else { throw Self.invalid(text) }
        self.init(host: String(host), port: port)
    }

    static func invalid(_ text: String) -> WorkflowError {
        WorkflowError(
            .invalidRequest, .refused, subject: text, message: "--listen '\(text)' is not HOST:PORT", fix: "e.g. --listen 127.0.0.1:8786 (port 0: any free port)")
    }

    /// True for 127.0.0.0/8, ::1 and `localhost`.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The server's TLS: its certificate and key, and the CA its clients' certificates must
/// chain to (every client must present one: mutual TLS).
public struct ServerTLS: Sendable {
    public let certificateChain: String
    public let privateKey: String
    public let clientCA: String

    public init(certificateChain: String, privateKey: String, clientCA: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.clientCA = clientCA
    }

    /// NIOSSL's server configuration: TLS 1.2 or later, a client certificate required and
    /// verified against ``clientCA`` (no host name: clients are named by their CN).
    /// - Throws: `invalid-request` naming the file that cannot be used.
    func configuration() throws(WorkflowError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateChain)
        } catch {
            throw Self.unusable("--tls-cert", certificateChain, error)
        }
        do {
            key = try NIOSSLPrivateKey(file: privateKey, format: .pem)
        } catch {
            throw Self.unusable("--tls-key", privateKey, error)
        }
        do {
            guard try !NIOSSLCertificate.fromPEMFile(clientCA).isEmpty else { throw Self.unusable("--client-ca", clientCA, "no certificate in it") }
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw Self.unusable("--client-ca", clientCA, error)
        }
        guard !chain.isEmpty else { throw Self.unusable("--tls-cert", certificateChain, "no certificate in it") }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .file(clientCA)
        return configuration
    }

    static func unusable(_ option: String, _ path: String, _ reason: Any) -> WorkflowError {
        let why = FileManager.default.isReadableFile(atPath: path) ? "\(reason)" : "no such readable file"
        return WorkflowError(
            .invalidRequest, .failed, subject: path, message: "\(option) \(path) cannot be used: \(why)", fix: "give a PEM file (certificate chain, private key, CA)")
    }
}

/// `gshare serve`: the share API on one address, until SIGTERM or SIGINT. At start it
/// resumes the deletes left half done; at shutdown it stops taking requests, lets those
/// under way finish, then waits for the background creates and wipes.
public struct ShareAPIServer: Sendable {
    public let api: ShareAPI
    public let listen: ListenAddress
    let tls: TLSConfiguration?

    /// How long a connection may stay silent (a client that sends its request slowly, or
    /// not at all) before the server closes it.
    public static let idleTimeout: TimeAmount = .seconds(30)

    /// - Parameter tls: required with client-certificate authentication, refused without.
    /// - Throws: `invalid-request` when `listen` is not loopback and callers are not
    ///   authenticated by client certificates (without them the URL names the project:
    ///   anyone who can connect could act for any project), or TLS and authentication do
    ///   not go together; a TLS file that cannot be used.
    public init(api: ShareAPI, listen: ListenAddress, tls: ServerTLS? = nil) throws(WorkflowError) {
        switch (api.authentication, tls) {
        case (.projectInURL, .some):
            throw WorkflowError(
                .invalidRequest, .refused, message: "TLS without client certificates is not offered: with --tls-cert and --tls-key, give --client-ca too",
                fix: "add --client-ca (the CA of the API users' certificates), or serve plain HTTP on loopback")
        case (.clientCertificates, .none):
            throw WorkflowError(
                .invalidRequest, .refused, message: "client-certificate authentication needs TLS", fix: "give --tls-cert, --tls-key and --client-ca")
        default: break
        }
        self.tls = try tls?.configuration()
        if case .projectInURL = api.authentication, !listen.isLoopback {
            throw WorkflowError(
                .invalidRequest, .refused, subject: listen.description,
                message: "without client certificates gshare serve listens on loopback only (127.0.0.0/8, ::1): the URL names the project, so anyone who could connect to \(listen) could act for every project",
                fix: "listen on 127.0.0.1, or require client certificates (--tls-cert, --tls-key and --client-ca)")
        }
        self.api = api
        self.listen = listen
    }

    /// Serves until SIGTERM/SIGINT (or `shutdown` is triggered through the returned group).
    /// - Parameter onRunning: called once listening, with the port (the one chosen when 0).
    public func run(onRunning: @escaping @Sendable (Int, [String]) async -> Void = { _, _ in }) async throws {
        let resumed = (try? await api.operations.resume(api.serviceWorkflows())) ?? []
        try await application { port in await onRunning(port, resumed) }.runService()
    }

    /// The HTTP application: the API's routes, and at graceful shutdown the wait for the
    /// background changes (``DrainOnShutdown``).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: Self.idleTimeout))
        // The TLS configuration was checked in init: building the channel cannot fail on it.
        let server = tls.flatMap { try? HTTPServerBuilder.tls(http, tlsConfiguration: $0) } ?? http
        return Application(
            router: api.router(),
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: "gshare"),
            services: [DrainOnShutdown(operations: api.operations, lockWorkers: api.runners.readyLockWorkers, logger: api.logger)],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? listen.port) },
            logger: api.logger)
    }
}

/// At graceful shutdown (after the HTTP server has stopped and its requests finished),
/// waits until every background create and wipe has finished, then ends the lock workers
/// kept ready.
struct DrainOnShutdown: Service {
    let operations: ShareOperations
    var lockWorkers: ReadyLockWorkers? = nil
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let running = await operations.runningCount
        if running > 0 { logger.notice("waiting for \(running) share change(s) under way to finish") }
        await operations.drain()
        await lockWorkers?.stop()
    }
}
