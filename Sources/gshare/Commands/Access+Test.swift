//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import ArgumentParser
import GlusterFSAPI
import TenantPKI

extension GShare.Access {
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Connect to HOST:/VOLUME as an identity; write, read back and remove a probe file.",
            discussion: """
                This is how an admin proves what GlusterFS enforces for a tenant: the connection \
                runs in an isolated helper process (gshare-gfapi-worker, installed beside gshare) \
                with a deadline, so a refused certificate never hangs the command.

                Exit status: 0 allowed and working; 1 refused, saying which: not in auth.ssl-allow, \
                TLS rejected (unknown CA, key not matching the certificate), or volume stopped; \
                2 could not run: glusterd unreachable, unknown volume, timed out, unreadable or \
                invalid certificate/key/CA files.

                Example:
                  gshare access test 127.0.0.2:/gshare-test-access \\
                      --cert hosts/tenant-a/glusterfs/glusterfs.pem \\
                      --key hosts/tenant-a/glusterfs/glusterfs.key \\
                      --ca hosts/tenant-a/glusterfs/glusterfs.ca
                """
        )

        @Argument(help: ArgumentHelp("The volume, as HOST:/VOLUME (or HOST:PORT:/VOLUME).", valueName: "host:/volume"))
        var volume: String

        @Option(help: ArgumentHelp("The certificate chain, leaf first (glusterfs.pem).", valueName: "file"), completion: .file())
        var cert: String

        @Option(help: ArgumentHelp("Its private key, unencrypted (glusterfs.key).", valueName: "file"), completion: .file())
        var key: String

        @Option(help: ArgumentHelp("The CAs that verify the servers (glusterfs.ca).", valueName: "file"), completion: .file())
        var ca: String

        @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
        var timeout: Double = 20

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard timeout > 0 && timeout <= 3600 else { throw ValidationError("--timeout must be between 0 and 3600 seconds") }
        }

        func run() async throws {
            let address: GlusterVolumeAddress
            let identity: AccessIdentityCheck
            do {
                address = try GlusterVolumeAddress(parsing: volume)
                identity = try AccessIdentityCheck(cert: cert, key: key, ca: ca)
            } catch {
                Console.printError("\(error)")
                throw ExitStatus.couldNotRun
            }
            let result: AccessProbeResult
            do {
                let client = try IsolatedGlusterClient()
                result = try await client.probe(
                    GlusterConnection(
                        address: address,
                        identity: GlusterTLSIdentity(certificateChain: cert, privateKey: key, certificateAuthorities: ca)),
                    deadline: .milliseconds(Int(timeout * 1000)))
            } catch {
                Console.printError("\(error)")
                throw ExitStatus.couldNotRun
            }
            let document = AccessTestDocument(result: result, identity: identity)
            if output.json {
                try Console.printJSON(document)
            } else {
                print(AccessText.render(document))
            }
            switch result.outcome {
            case .ok: return
            case .refusedByAuthAllow, .tlsRejected, .volumeStopped: throw ExitStatus.rejected
            default: throw ExitStatus.couldNotRun
            }
        }
    }
}

/// What gshare can tell about the identity files before connecting.
struct AccessIdentityCheck {
    /// The name GlusterFS will authorise (first subject CN, raw bytes up to the first NUL).
    let glusterFSName: String
    /// Problems GlusterFS will meet (the key does not match, the key is encrypted).
    let notes: [String]

    init(cert: String, key: String, ca: String) throws {
        let chain = try Certificate.load(fromFile: cert)
        _ = try Certificate.load(fromFile: ca)
        let keyFile = try PrivateKeyFile(path: key)
        glusterFSName = chain[0].glusterFSName.displayText
        var notes: [String] = []
        if let privateKey = keyFile.key {
            if !chain[0].matches(privateKey) { notes.append("the key in \(key) does not belong to the certificate in \(cert)") }
        } else {
            notes.append("the key in \(key) is encrypted; GlusterFS cannot use it")
        }
        self.notes = notes
    }
}

/// The `--json` form of `gshare access test`.
struct AccessTestDocument: Codable {
    let volume: String
    let commonName: String
    let outcome: String
    let allowed: Bool
    let message: String
    let errno: Int32
    let operation: String?
    let connectMilliseconds: Int?
    let elapsedMilliseconds: Int
    let notes: [String]
    let log: [String]

    init(result: AccessProbeResult, identity: AccessIdentityCheck) {
        volume = result.connection.address.description
        commonName = identity.glusterFSName
        outcome = result.outcome.rawValue
        allowed = result.isGranted
        message = result.message
        errno = result.errno
        operation = result.operation
        connectMilliseconds = result.connectTime.map(Self.milliseconds)
        elapsedMilliseconds = Self.milliseconds(result.elapsed)
        notes = identity.notes
        log = result.logExcerpt
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
