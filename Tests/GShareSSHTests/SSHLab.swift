//===----------------------------------------------------------------------===//
// gshare — GShareSSH tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareSSH
import GShareTestSupport
import Testing

/// The test sshd as these tests use it.
typealias SSHLab = SSHLabDescription

extension SSHLabDescription {
    /// The lab user on `host` (default 127.0.0.1).
    func endpoint(host: String? = nil, port: Int? = nil) -> SSHEndpoint {
        SSHEndpoint(host: host ?? self.host, port: port ?? self.port, user: user)
    }

    /// Options with the lab's known_hosts (or another file).
    func options(knownHosts: String? = nil) -> SSHOptions {
        var options = SSHOptions(knownHostsPath: knownHosts ?? self.knownHosts)
        options.connectTimeout = .seconds(10)
        options.authTimeout = .seconds(20)
        options.commandTimeout = .seconds(60)
        return options
    }

    /// A connection with the ed25519 key.
    func connect(host: String? = nil) async throws -> SSHConnection {
        try await SSHConnection.connect(to: endpoint(host: host), credential: .privateKey(path: keys.ed25519, passphrase: nil), options: options())
    }
}

extension SSHCommandResult {
    var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
    var stderr: String { String(decoding: standardError, as: UTF8.self) }
}

/// Expects `body` to throw an SSHError and returns it (or fails the test).
func expectSSHError(
    _ code: SSHError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> SSHError? {
    do {
        try await body()
        Issue.record("expected SSHError \(code), but it succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as SSHError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected SSHError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// `ssh-keygen -lf PATH`'s fingerprint field.
func keygenFingerprint(_ path: String) async throws -> String {
    let result = try await runProcess("/usr/bin/ssh-keygen", ["-lf", path])
    #expect(result.status == 0, "ssh-keygen -lf \(path): \(result.stderr)")
    return String(result.stdout.split(separator: " ")[1])
}

/// The `type base64` of an OpenSSH .pub file.
func publicKey(_ path: String) throws -> SSHHostKey {
    let fields = try String(contentsOfFile: path, encoding: .utf8).split(separator: " ")
    return SSHHostKey(type: String(fields[0]), base64: String(fields[1]))
}
