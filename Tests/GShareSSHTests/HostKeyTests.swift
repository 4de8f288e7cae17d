//===----------------------------------------------------------------------===//
// gshare — GShareSSH tests
//===----------------------------------------------------------------------===//

import Foundation
@testable import GShareSSH
import GShareTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Strict host key checking, trusting a host, and connection failures before SSH.
@Suite("SSH host keys and connecting")
struct HostKeyTests {
    @Test(.timeLimit(.minutes(1)))
    func anUnknownHostIsRefusedWithItsFingerprintAndTheTrustCommand() async throws {
        let lab = try SSHLab.load()
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("known_hosts").path
        try Data().write(to: URL(fileURLWithPath: empty))
        let error = await expectSSHError(.unknownHost) {
            _ = try await SSHConnection.connect(
                to: lab.endpoint(), credential: .privateKey(path: lab.keys.ed25519, passphrase: nil), options: lab.options(knownHosts: empty))
        }
        let expected = try await keygenFingerprint(try lab.hostKey("ed25519").public)
        #expect(error?.fingerprint == expected)
        #expect(error?.step == .hostKey)
        #expect(error?.message.contains(expected) == true)
        #expect(error?.message.contains("gshare ssh trust 127.0.0.1:\(lab.port)") == true, "\(error?.message ?? "")")
    }

    @Test(.timeLimit(.minutes(1)))
    func aMissingKnownHostsFileMeansAnUnknownHost() async throws {
        let lab = try SSHLab.load()
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nothing/known_hosts").path
        let error = await expectSSHError(.unknownHost) {
            _ = try await SSHConnection.connect(to: lab.endpoint(), credential: .password(try lab.password()), options: lab.options(knownHosts: missing))
        }
        #expect(error?.message.contains("does not exist") == true, "\(error?.message ?? "")")
    }

    @Test(.timeLimit(.minutes(1)))
    func aKnownHostsFileThatCannotBeReadIsReportedAsSuch() async throws {
        let lab = try SSHLab.load()
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let directory = folder.appendingPathComponent("known_hosts_is_a_directory").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let garbage = folder.appendingPathComponent("known_hosts").path
        try "[127.0.0.1]:\(lab.port) ssh-ed25519\nthis is not a known_hosts line\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        for path in [directory, garbage] {
            let error = await expectSSHError(.knownHostsUnreadable) {
                _ = try await SSHConnection.connect(to: lab.endpoint(), credential: .password(try lab.password()), options: lab.options(knownHosts: path))
            }
            #expect(error?.step == .hostKey)
            #expect(error?.message.contains(path) == true, "\(error?.message ?? "")")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aChangedHostKeyIsRefusedLoudly() async throws {
        let lab = try SSHLab.load()
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = try publicKey(lab.keys.unauthorized + ".pub")  // some other ed25519 key
        let path = folder.appendingPathComponent("known_hosts").path
        try "[127.0.0.1]:\(lab.port) \(other.type) \(other.base64)\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = await expectSSHError(.hostKeyChanged) {
            _ = try await SSHConnection.connect(
                to: lab.endpoint(), credential: .privateKey(path: lab.keys.ed25519, passphrase: nil), options: lab.options(knownHosts: path))
        }
        let actual = try lab.hostKey("ed25519").fingerprint
        #expect(error?.fingerprint == actual)
        let message = error?.message ?? ""
        #expect(message.contains("CHANGED"), "\(message)")
        #expect(message.contains("man-in-the-middle"))
        #expect(message.contains("Expected fingerprint \(other.fingerprint)"))
        #expect(message.contains("got \(actual)"))
    }

    /// libssh2 1.10 alone would negotiate ECDSA first, and a known_hosts listing only another
    /// type gives NOTFOUND: the host key algorithms known_hosts lists for the host go first.
    @Test(.timeLimit(.minutes(1)))
    func theHostKeyTypeKnownHostsListsIsTheOneNegotiated() async throws {
        let lab = try SSHLab.load()
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ecdsa = try publicKey(try lab.hostKey("ecdsa").public)
        let path = folder.appendingPathComponent("known_hosts").path
        try KnownHostsFile.add(ecdsa, host: "127.0.0.1", port: lab.port, to: path)
        let connection = try await SSHConnection.connect(
            to: lab.endpoint(), credential: .privateKey(path: lab.keys.ed25519, passphrase: nil), options: lab.options(knownHosts: path))
        defer { connection.close() }
        #expect(connection.hostKey == ecdsa)
        #expect(connection.hostKey.type == "ecdsa-sha2-nistp256")
    }

    @Test(.timeLimit(.minutes(1)))
    func theSecondListenAddressIsCheckedUnderItsOwnName() async throws {
        let lab = try SSHLab.load()
        let connection = try await lab.connect(host: "127.0.0.2")
        defer { connection.close() }
        #expect(try await connection.run(["true"]).exitStatus == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFetchedAndAddedHostKeyIsTrustedAfterwards() async throws {
        let lab = try SSHLab.load()
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ssh/known_hosts").path
        let key = try await SSHHostKeyScan.fetch(host: "127.0.0.2", port: lab.port, timeout: .seconds(10))
        #expect(key.type == "ssh-ed25519")
        await #expect(key.fingerprint == (try keygenFingerprint(try lab.hostKey("ed25519").public)))
        try KnownHostsFile.add(key, host: "127.0.0.2", port: lab.port, to: path)
        try KnownHostsFile.add(key, host: "127.0.0.2", port: lab.port, to: path)  // already there: nothing to do
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "[127.0.0.2]:\(lab.port) ssh-ed25519 \(key.base64)\n")
        await #expect(try permissions(path) == 0o600)
        await #expect(try permissions(folder.appendingPathComponent("ssh").path) == 0o700)

        let connection = try await SSHConnection.connect(
            to: lab.endpoint(host: "127.0.0.2"), credential: .privateKey(path: lab.keys.ed25519, passphrase: nil), options: lab.options(knownHosts: path))
        defer { connection.close() }
        #expect(connection.hostKey == key)
        #expect(try await connection.run(["echo", "trusted"]).stdout == "trusted\n")

        // 127.0.0.1 is another host name: still unknown with this file.
        _ = await expectSSHError(.unknownHost) {
            _ = try await SSHConnection.connect(
                to: lab.endpoint(host: "127.0.0.1"), credential: .privateKey(path: lab.keys.ed25519, passphrase: nil), options: lab.options(knownHosts: path))
        }
    }

    @Test
    func addingADifferentKeyOfTheSameTypeIsRefused() throws {
        let lab = try SSHLab.load()
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("known_hosts").path
        let first = try publicKey(lab.keys.ed25519 + ".pub")
        let second = try publicKey(lab.keys.unauthorized + ".pub")
        let ecdsa = try publicKey(lab.keys.ecdsaWithPassphrase + ".pub")
        try KnownHostsFile.add(first, host: "server.example", port: 22, to: path)
        #expect(throws: SSHError.self) { try KnownHostsFile.add(second, host: "server.example", port: 22, to: path) }
        do {
            try KnownHostsFile.add(second, host: "server.example", port: 22, to: path)
        } catch let error as SSHError {
            #expect(error.code == .hostKeyChanged)
            #expect(error.message.contains("ssh-keygen -R"))
        }
        try KnownHostsFile.add(ecdsa, host: "server.example", port: 22, to: path)  // another type: fine
        try KnownHostsFile.add(second, host: "server.example", port: 2222, to: path)  // another port: another host
        try KnownHostsFile.add(second, host: "::1", port: 2222, to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(
            lines == [
                "server.example ssh-ed25519 \(first.base64)", "server.example \(ecdsa.type) \(ecdsa.base64)",
                "[server.example]:2222 ssh-ed25519 \(second.base64)", "[::1]:2222 ssh-ed25519 \(second.base64)",
            ])
    }

    @Test
    func fingerprintsAreExactlyWhatSshKeygenPrints() async throws {
        let lab = try SSHLab.load()
        var pubs = try ["ed25519", "ecdsa"].map { try lab.hostKey($0).public }
        pubs += [lab.keys.ed25519, lab.keys.ecdsaWithPassphrase, lab.keys.rsa, lab.keys.unauthorized].map { $0 + ".pub" }
        for pub in pubs {
            let expected = try await keygenFingerprint(pub)
            #expect(try publicKey(pub).fingerprint == expected, "\(pub)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func nothingListeningIsAConnectFailureNamingHostAndStep() async throws {
        let lab = try SSHLab.load()
        let error = await expectSSHError(.connectFailed) {
            _ = try await SSHConnection.connect(to: lab.endpoint(port: 2299), credential: .password("x"), options: lab.options())
        }
        #expect(error?.step == .connect)
        #expect(error?.host == "\(lab.user)@127.0.0.1:2299")
        #expect(error?.message.contains("127.0.0.1:2299") == true)
        #expect(error?.message.contains("(connect)") == true)
        #expect(error?.message.contains("Connection refused") == true, "\(error?.message ?? "")")
        await #expect(throws: SSHError.self) { _ = try await SSHHostKeyScan.fetch(host: "127.0.0.1", port: 2299, timeout: .seconds(5)) }
    }

    @Test(.timeLimit(.minutes(1)))
    func anIPv6EndpointIsBracketedInMessages() async throws {
        let lab = try SSHLab.load()
        let error = await expectSSHError(.connectFailed) {
            _ = try await SSHConnection.connect(to: SSHEndpoint(host: "::1", port: 2299, user: lab.user), credential: .password("x"), options: lab.options())
        }
        #expect(error?.host == "\(lab.user)@[::1]:2299")
        #expect(error?.message.contains("[::1]:2299") == true, "\(error?.message ?? "")")
    }

    @Test(.timeLimit(.minutes(1)))
    func aServerThatIsNotSSHFailsTheHandshakeWithinTheConnectTimeout() async throws {
        let lab = try SSHLab.load()
        // A listener that accepts and never speaks: the handshake waits for a banner.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try #require(withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } } == 0)
        try #require(listen(listener, 4) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        var options = lab.options()
        options.connectTimeout = .seconds(1)
        let start = ContinuousClock.now
        let error = await expectSSHError(.timedOut) {
            _ = try await SSHConnection.connect(to: lab.endpoint(port: port), credential: .password("x"), options: options)
        }
        #expect(error?.step == .handshake)
        // The listener never speaks, so without the timeout this would never end. (A loose
        // bound: the suites run in parallel on 2 cores, so seconds of delay happen.)
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    private func permissions(_ path: String) async throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}

/// Hashed known_hosts entries (`HashKnownHosts yes`, Debian's default), written by the real
/// `ssh-keygen -H` from plain lines: `KnownHostsFile.add` and `knownKeyTypes` read them as
/// OpenSSH does (HMAC-SHA1 of `host` or `[host]:port`). No sshd needed.
@Suite("Hashed known_hosts entries")
struct HashedKnownHostsTests {
    let folder: URL
    let first: SSHHostKey
    let second: SSHHostKey

    init() async throws {
        folder = try makeTemporaryDirectory()
        first = try await Self.newKey(in: folder, "first")
        second = try await Self.newKey(in: folder, "second")
    }

    /// A fresh key from ssh-keygen (the `.pub` is kept beside it for `ssh-keygen -lf`).
    static func newKey(in folder: URL, _ name: String, type: [String] = ["-t", "ed25519"]) async throws -> SSHHostKey {
        let path = folder.appendingPathComponent(name).path
        let made = try await runProcess("/usr/bin/ssh-keygen", ["-q"] + type + ["-N", "", "-C", "", "-f", path])
        #expect(made.status == 0, "\(made.stderr)")
        return try publicKey(path + ".pub")
    }

    /// A known_hosts file holding `lines`, hashed in place by `ssh-keygen -H`.
    func hashedFile(_ lines: [String]) async throws -> String {
        let path = folder.appendingPathComponent("known_hosts-\(UUID().uuidString.prefix(8))").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let hashed = try await runProcess("/usr/bin/ssh-keygen", ["-H", "-f", path])
        #expect(hashed.status == 0, "\(hashed.stderr)")
        try? FileManager.default.removeItem(atPath: path + ".old")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("|1|") }, "ssh-keygen -H left a plain name: \(text)")
        return path
    }

    @Test(arguments: [22, 2222])
    func theSameKeyBehindAHashedEntryIsAlreadyThereAndOtherHostsAreAppended(_ port: Int) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let field = KnownHostsFile.hostField(host: "server.example", port: port)
        let path = try await hashedFile(["\(field) \(first.type) \(first.base64)"])
        let hashed = try String(contentsOfFile: path, encoding: .utf8)

        try KnownHostsFile.add(first, host: "server.example", port: port, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == hashed, "the same key was added again")

        // another host, and the same host on another port, are other names: appended
        try KnownHostsFile.add(second, host: "other.example", port: port, to: path)
        try KnownHostsFile.add(second, host: "server.example", port: port == 22 ? 2200 : 22, to: path)
        let other = KnownHostsFile.hostField(host: "server.example", port: port == 22 ? 2200 : 22)
        #expect(
            try String(contentsOfFile: path, encoding: .utf8)
                == hashed + "\(KnownHostsFile.hostField(host: "other.example", port: port)) \(second.type) \(second.base64)\n\(other) \(second.type) \(second.base64)\n")
    }

    @Test(arguments: [22, 2222])
    func anotherKeyBehindAHashedEntryIsRefusedAsChangedWithTheRecordedFingerprint(_ port: Int) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let field = KnownHostsFile.hostField(host: "server.example", port: port)
        let path = try await hashedFile(["some.other.host \(second.type) \(second.base64)", "\(field) \(first.type) \(first.base64)"])
        let hashed = try String(contentsOfFile: path, encoding: .utf8)

        let error = try #require(throws: SSHError.self) { try KnownHostsFile.add(second, host: "server.example", port: port, to: path) }
        #expect(error.code == .hostKeyChanged)
        #expect(error.fingerprint == second.fingerprint)
        let recorded = try await keygenFingerprint(folder.appendingPathComponent("first.pub").path)
        #expect(error.message.contains("line 2 already has a DIFFERENT ssh-ed25519 key for \(field) (a hashed entry) (fingerprint \(recorded))"), "\(error.message)")
        #expect(error.message.contains("ssh-keygen -R '\(field)' -f \(path)"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == hashed)

        // another type is another key: added
        let ecdsa = try await Self.newKey(in: folder, "ecdsa", type: ["-t", "ecdsa", "-b", "256"])
        try KnownHostsFile.add(ecdsa, host: "server.example", port: port, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == hashed + "\(field) \(ecdsa.type) \(ecdsa.base64)\n")
    }

    @Test func knownKeyTypesCountsHashedEntries() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let ecdsa = try await Self.newKey(in: folder, "ecdsa", type: ["-t", "ecdsa", "-b", "256"])
        let path = try await hashedFile([
            "other.example \(first.type) \(first.base64)", "[127.0.0.2]:2222 \(ecdsa.type) \(ecdsa.base64)", "127.0.0.2 \(second.type) \(second.base64)",
        ])
        #expect(KnownHostsFile.knownKeyTypes(host: "127.0.0.2", port: 2222, path: path) == ["ecdsa-sha2-nistp256", "ssh-ed25519"])
        #expect(KnownHostsFile.knownKeyTypes(host: "127.0.0.2", port: 22, path: path) == ["ssh-ed25519"])
        #expect(KnownHostsFile.knownKeyTypes(host: "127.0.0.1", port: 2222, path: path) == [])
    }

    @Test func hmacSHA1IsRFC2202sAndMalformedHashedPatternsMatchNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // RFC 2202, test case 1
        let digest = HashedHostName.hmacSHA1(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
        #expect(digest.map { $0.map { String(format: "%02x", $0) }.joined() } == "b617318655057264e28bc0b6fb378c8ef146be00")
        for pattern in ["|1|", "|1|x|y", "|1|AAAA|AAAA", "|1|AAAA|AAAA|AAAA", "|2|AAAA|AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "server.example"] {
            #expect(HashedHostName(pattern) == nil, "\(pattern)")
        }
        // a hashed line with a broken hash is skipped, not matched and not fatal
        let path = folder.appendingPathComponent("known_hosts").path
        try "|1|not-base64|!!! \(first.type) \(first.base64)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try KnownHostsFile.add(second, host: "server.example", port: 22, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("server.example \(second.type) \(second.base64)\n"))
    }
}
