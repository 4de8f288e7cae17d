//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import Logging

/// How gshare logs in to SSH servers: from gshare.toml, secrets resolved only when a
/// connection is made (a local-only command never reads them).
struct SSHLogin: Sendable {
    let privateKeyPath: String?
    let passphrase: SecretSource?
    let password: SecretSource?
    let knownHostsPath: String
    let connectTimeout: Duration
    let commandTimeout: Duration

    init(config: GShareConfig) {
        privateKeyPath = config.privateKeyPath
        passphrase = config.privateKeyPassphrase
        password = config.serverPassword
        knownHostsPath = config.knownHostsPath
        connectTimeout = .seconds(10)
        commandTimeout = config.commandTimeout
    }

    /// The credentials to try, in order: the key, then the password.
    func credentials() throws -> [SSHCredential] {
        var credentials: [SSHCredential] = []
        if let privateKeyPath {
            credentials.append(.privateKey(path: privateKeyPath, passphrase: try passphrase?.resolve()))
        }
        if let password {
            credentials.append(.password(try password.resolve()))
        }
        return credentials
    }
}

/// One SSH session per server for the life of a gshare command: every gluster call of the
/// operation (and concurrent pool-wide reads of several servers) reuses it.
actor SSHSessions {
    private let login: SSHLogin
    private let logger: Logger
    private var sessions: [GlusterServer: Task<SSHConnection, any Error>] = [:]

    init(login: SSHLogin, logger: Logger) {
        self.login = login
        self.logger = logger
    }

    func connection(for server: GlusterServer) async throws -> SSHConnection {
        if let existing = sessions[server] { return try await existing.value }
        let login = self.login
        let logger = self.logger
        let task = Task { try await Self.connect(server, login: login, logger: logger) }
        sessions[server] = task
        do {
            return try await task.value
        } catch {
            sessions[server] = nil  // a later call may try again
            throw error
        }
    }

    /// Tries the key, then the password; a refused key falls through to the password.
    static func connect(_ server: GlusterServer, login: SSHLogin, logger: Logger) async throws -> SSHConnection {
        guard let user = server.user else {
            throw ShareDriverError(.notConfigured, volume: server.description, message: "\(server) has no user: it runs locally", hint: nil)
        }
        let credentials: [SSHCredential]
        do {
            credentials = try login.credentials()
        } catch {
            throw ShareDriverError(
                .notConfigured, volume: server.description, message: "cannot read the SSH secret for \(server): \(error)",
                hint: "check glusterfs_private_key_passphrase / glusterfs_server_password in gshare.toml")
        }
        guard !credentials.isEmpty else {
            throw ShareDriverError(
                .notConfigured, volume: server.description,
                message: "\(server) is reached over SSH, but gshare.toml gives neither glusterfs_path_to_private_key nor glusterfs_server_password",
                hint: "set one of them (a key is better: ed25519 or ECDSA)")
        }
        var options = SSHOptions(knownHostsPath: login.knownHostsPath)
        options.connectTimeout = login.connectTimeout
        options.commandTimeout = login.commandTimeout
        let endpoint = SSHEndpoint(host: server.host, port: server.port ?? 22, user: user)
        var lastError: (any Error)?
        for credential in credentials {
            do {
                return try await SSHConnection.connect(to: endpoint, credential: credential, options: options, logger: logger)
            } catch let error as SSHError where error.step == .auth && credentials.count > 1 {
                lastError = error
                continue
            }
        }
        throw lastError ?? ShareDriverError(.notConfigured, volume: server.description, message: "no SSH credential worked", hint: nil)
    }
}

/// Runs `remote_gluster_cli --mode=script --xml ARGS` on a server over SSH. The remote shell
/// gets ONE command line built from the argument vector by `ShellQuoting.commandLine`.
struct SSHGlusterRunner: GlusterCommandRunner {
    let server: GlusterServer
    let sessions: SSHSessions
    let remoteCommand: [String]
    let timeout: Duration
    /// glusterd's working directory on the server (`glusterd_workdir`).
    var glusterdWorkdir = GShareConfig.defaultGlusterdWorkdir

    /// glusterd's committed store on the server (`cat <workdir>/vols/VOLUME/info` over the
    /// session: no gluster CLI start, no RPC), as ``LocalGlusterRunner`` reads it locally.
    /// Only a remote root may read it; nil otherwise (the caller then asks `volume get`).
    func committedOption(_ key: String, ofVolume volume: String) async -> String? {
        guard let path = LocalGlusterRunner.storePath(glusterdWorkdir: glusterdWorkdir, volume: volume, key: key),
            let connection = try? await sessions.connection(for: server),
            let result = try? await connection.run(["cat", "--", path], timeout: timeout), result.exitStatus == 0
        else { return nil }
        return LocalGlusterRunner.option(key, inStore: result.standardOutput)
    }

    /// Logs in now (the session is kept for the commands that follow).
    func warmUp() async {
        _ = try? await sessions.connection(for: server)
    }

    func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        let connection = try await sessions.connection(for: server)
        let result = try await connection.run(remoteCommand + LocalGlusterRunner.fixedOptions + arguments, timeout: timeout)
        guard let status = result.exitStatus else {
            throw GlusterDriverError(
                .runnerFailed, command: arguments,
                message: "the gluster CLI on \(server) ended by signal \(result.exitSignal ?? "?") (\(String(decoding: result.standardError.prefix(200), as: UTF8.self)))")
        }
        let standardError = String(decoding: result.standardError, as: UTF8.self)
        if status == 127 || (status == 1 && standardError.contains("sudo:")) {
            throw GlusterDriverError(
                .runnerFailed, command: arguments,
                message: "\(server) could not run \(remoteCommand.joined(separator: " ")): \(standardError.trimmingCharacters(in: .whitespacesAndNewlines)); check remote_gluster_cli in gshare.toml (and the remote user's sudoers rule)")
        }
        return GlusterCommandOutput(exitStatus: status, standardOutput: result.standardOutput, standardError: standardError)
    }
}
