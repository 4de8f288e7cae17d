//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

/// The driver reaching the lab's gluster CLI through the real test sshd (scripts/ssh-lab):
/// `gshare-ssh@127.0.0.2:2222`, which runs `sudo -n /usr/sbin/gluster`. In the same
/// serialized suite as the local life cycle, whose volume it reuses.
extension ShareScenarioTests {
    static let sshVolume = "gshare-pool-05-5G"

    /// A config whose one target is the pool volume reached over SSH, logging in with `login`
    /// (TOML lines), checking host keys against `knownHosts` (default: the lab's file).
    static func sshLab(login: String, knownHosts: String? = nil) throws -> (DriverLab, SSHLabDescription) {
        let ssh = try SSHLabDescription.load()
        let target = "\(ssh.user)@127.0.0.2:\(ssh.port):/\(sshVolume)"
        let extra = """
            \(login)
            ssh_known_hosts = "\(knownHosts ?? ssh.knownHosts)"
            remote_gluster_cli = ["sudo", "-n", "/usr/sbin/gluster"]
            """
        return (try DriverLab(targets: [target], extra: extra), ssh)
    }

    @Test(.timeLimit(.minutes(5)))
    func theLifeCycleWorksThroughSSHWithAKey() async throws {
        let (lab, ssh) = try Self.sshLab(login: "glusterfs_path_to_private_key = \"\(try SSHLabDescription.load().keys.ed25519)\"")
        try await Self.lifeCycle(lab, volume: Self.sshVolume)
        // every gluster call went through sshd, over one session per command
        let trace = lab.folder.appendingPathComponent("ssh-trace.jsonl").path
        let list = try await lab.gshare(["pool", "list", "--json"], trace: trace)
        #expect(list.status == 0, "\(list.stderr)")
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(text.contains("\"server\":\"\(ssh.user)@127.0.0.2:\(ssh.port)\""), "\(text)")
    }

    @Test(.timeLimit(.minutes(5)))
    func theLifeCycleWorksThroughSSHWithAPasswordFromAFile() async throws {
        let ssh = try SSHLabDescription.load()
        let (lab, _) = try Self.sshLab(login: "glusterfs_server_password = { file = \"\(ssh.passwordFile)\" }")
        try await Self.lifeCycle(lab, volume: Self.sshVolume)
    }

    @Test(.timeLimit(.minutes(5)))
    func aGrantAtLogLevelDebugLogsEveryStepOnStderrAndNeverTheSecret() async throws {
        let ssh = try SSHLabDescription.load()
        let password = try ssh.password()
        #expect(password.count >= 8 && !password.contains("\"") && !password.contains("\\"))
        // the secret written inline in the configuration, and used: gshare logs in with it
        let (lab, _) = try Self.sshLab(login: "glusterfs_server_password = \"\(password)\"")
        try await lab.deleteAllShares()
        let created = try await lab.gshare("share", "create", "--name", "logged", "--json")
        #expect(created.status == 0, "\(created.stderr)")
        defer { _ = try? lab.gshareBlocking("share", "delete", "logged") }

        let allow = try await lab.gshare("access", "allow", "logged", "--cn", "tenant-a", "--log-level", "debug")
        #expect(allow.status == 0, "\(allow.stderr)")
        for step in ["ssh connect", "ssh handshake done", "ssh connected", "password authentication", "lock acquired",
                     "gluster volume info", "gluster volume set", "gluster volume get", "audited"] {
            #expect(allow.stderr.contains(step), "\(step) missing from:\n\(allow.stderr)")
        }
        let calls = allow.stderr.split(separator: "\n").filter { $0.contains(" debug gshare: gluster volume ") }
        #expect(calls.count == 3 && calls.allSatisfy { $0.contains("ms=") && $0.contains("status=0") }, "\(calls)")
        #expect(!allow.stderr.contains(password) && !allow.stdout.contains(password), "the password must never be logged")

        // --verbose is the same level; without either, stderr stays quiet
        let verbose = try await lab.gshare("access", "deny", "logged", "--cn", "tenant-a", "--verbose")
        #expect(verbose.status == 0 && verbose.stderr.contains("gluster volume set") && !verbose.stderr.contains(password))
        let quiet = try await lab.gshare("access", "allow", "logged", "--cn", "tenant-a")
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }

    @Test(.timeLimit(.minutes(2)))
    func aKeyWithAPassphraseFromTheEnvironmentLogsIn() async throws {
        let ssh = try SSHLabDescription.load()
        let (lab, _) = try Self.sshLab(
            login: """
                glusterfs_path_to_private_key = "\(ssh.keys.ecdsaWithPassphrase)"
                glusterfs_private_key_passphrase = { env = "GSHARE_TEST_PASSPHRASE" }
                """)
        let passphrase = try ssh.passphrase()
        let result = try await runProcess(
            EndToEndTests.binary, ["pool", "list", "--config", lab.config], environment: ["GSHARE_TEST_PASSPHRASE": passphrase])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(Self.sshVolume))
        // the secret never shows: not in output, not in argv (it came from the environment)
        #expect(!result.stdout.contains(passphrase) && !result.stderr.contains(passphrase))
        let wrong = try await runProcess(
            EndToEndTests.binary, ["pool", "list", "--config", lab.config], environment: ["GSHARE_TEST_PASSPHRASE": "not-it"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("passphrase"), "\(wrong.stderr)")
    }

    @Test(.timeLimit(.minutes(2)))
    func wrongCredentialsEachSayWhatWasTriedAndWhy() async throws {
        let ssh = try SSHLabDescription.load()
        let cases: [(String, String)] = [
            ("glusterfs_path_to_private_key = \"\(ssh.keys.unauthorized)\"", "refused"),
            ("glusterfs_path_to_private_key = \"\(ssh.keys.rsa)\"", "RSA"),
            ("glusterfs_server_password = { env = \"GSHARE_TEST_NO_SUCH_VARIABLE\" }", "GSHARE_TEST_NO_SUCH_VARIABLE"),
        ]
        for (login, phrase) in cases {
            let (lab, _) = try Self.sshLab(login: login)
            let result = try await lab.gshare("pool", "list")
            #expect(result.status == 2, "\(login): \(result.status) \(result.stdout)")
            #expect(result.stderr.contains(phrase), "\(login): \(result.stderr)")
            #expect(result.stderr.contains("127.0.0.2"), "\(login): \(result.stderr)")
        }
        // a wrong password
        let folder = try makeTemporaryDirectory()
        let wrongPassword = folder.appendingPathComponent("password").path
        try "not-the-password\n".write(toFile: wrongPassword, atomically: true, encoding: .utf8)
        let (lab, _) = try Self.sshLab(login: "glusterfs_server_password = { file = \"\(wrongPassword)\" }")
        let result = try await lab.gshare("pool", "list")
        #expect(result.status == 2)
        #expect(result.stderr.contains("password"), "\(result.stderr)")
        #expect(!result.stderr.contains("not-the-password"))
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnknownHostIsRefusedUntilItsKeyIsTrustedDeliberately() async throws {
        let ssh = try SSHLabDescription.load()
        let folder = try makeTemporaryDirectory()
        let knownHosts = folder.appendingPathComponent("known_hosts").path
        let (lab, _) = try Self.sshLab(login: "glusterfs_path_to_private_key = \"\(ssh.keys.ed25519)\"", knownHosts: knownHosts)
        let fingerprint = try ssh.hostKey("ed25519").fingerprint

        // unknown: refused, with the fingerprint and the command that trusts it
        let refused = try await lab.gshare("pool", "list")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("gshare ssh trust"), "\(refused.stderr)")
        let recorded = (try? String(contentsOfFile: knownHosts, encoding: .utf8)) ?? ""
        #expect(recorded.isEmpty, "nothing may be recorded by a refused connection")

        // trust without a terminal and without --fingerprint: refused, nothing written
        let noConfirm = try await lab.gshare("ssh", "trust", "127.0.0.2:\(ssh.port)")
        #expect(noConfirm.status == 1 && noConfirm.stderr.contains("--fingerprint"), "\(noConfirm.stderr)")
        // a wrong fingerprint: refused
        let mismatch = try await lab.gshare("ssh", "trust", "127.0.0.2:\(ssh.port)", "--fingerprint", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        #expect(mismatch.status == 1 && mismatch.stderr.contains("NOT recorded"), "\(mismatch.stderr)")

        // the right one, as shown: recorded (the server may present its ed25519 or its ECDSA key)
        let keyLine = try #require(mismatch.stdout.split(separator: "\n").first { $0.contains("fingerprint:") })
        let offered = String(keyLine.split(separator: " ").last ?? "")
        let labKeys = [fingerprint, try ssh.hostKey("ecdsa").fingerprint]
        #expect(labKeys.contains(offered), "\(offered)")
        let trusted = try await lab.gshare("ssh", "trust", "127.0.0.2:\(ssh.port)", "--fingerprint", offered)
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8).contains("[127.0.0.2]:\(ssh.port) "))
        let works = try await lab.gshare("pool", "list")
        #expect(works.status == 0, "\(works.stderr)")
    }

    /// `hashed`: the known_hosts line is hashed by `ssh-keygen -H` (`HashKnownHosts yes`, Debian's default).
    @Test(.timeLimit(.minutes(2)), arguments: [false, true])
    func aChangedHostKeyIsRefusedLoudly(hashed: Bool) async throws {
        let ssh = try SSHLabDescription.load()
        let folder = try makeTemporaryDirectory()
        let knownHosts = folder.appendingPathComponent("known_hosts").path
        // the lab's host names with some other ed25519 key
        let other = try String(contentsOfFile: ssh.keys.unauthorized + ".pub", encoding: .utf8).split(separator: " ")
        try "[127.0.0.2]:\(ssh.port) \(other[0]) \(other[1])\n".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        if hashed {
            let hashing = try await runProcess("/usr/bin/ssh-keygen", ["-H", "-f", knownHosts])
            #expect(hashing.status == 0, "\(hashing.stderr)")
            #expect(try String(contentsOfFile: knownHosts, encoding: .utf8).hasPrefix("|1|"))
        }
        let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
        let (lab, _) = try Self.sshLab(login: "glusterfs_path_to_private_key = \"\(ssh.keys.ed25519)\"", knownHosts: knownHosts)
        let result = try await lab.gshare("pool", "list")
        #expect(result.status == 2)
        #expect(result.stderr.contains("CHANGED"), "\(result.stderr)")
        // trust refuses to replace it
        let offered = try #require(
            try await lab.gshare("ssh", "trust", "127.0.0.2:\(ssh.port)").stdout.split(separator: "\n").first { $0.contains("fingerprint:") }
                .map { String($0.split(separator: " ").last ?? "") })
        let replace = try await lab.gshare("ssh", "trust", "127.0.0.2:\(ssh.port)", "--fingerprint", offered)
        #expect(replace.status == 1, "\(replace.stdout) \(replace.stderr)")
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8) == recorded, "the recorded key was kept, nothing appended")
    }

    @Test(.timeLimit(.minutes(2)))
    func nothingListeningIsAClearConnectError() async throws {
        let ssh = try SSHLabDescription.load()
        let lab = try DriverLab(
            targets: ["\(ssh.user)@127.0.0.2:2299:/\(Self.sshVolume)"],
            extra: "glusterfs_path_to_private_key = \"\(ssh.keys.ed25519)\"\nssh_known_hosts = \"\(ssh.knownHosts)\"")
        let result = try await lab.gshare("share", "create")
        #expect(result.status == 2)
        #expect(result.stderr.contains("127.0.0.2") && result.stderr.contains("connect"), "\(result.stderr)")
    }
}
