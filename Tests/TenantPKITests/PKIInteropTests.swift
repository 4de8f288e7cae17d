//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests: what gshare issues, judged by openssl and by a real handshake
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantPKI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The acceptance criteria of the lab PKI, checked against OpenSSL itself: `openssl verify`
/// with GlusterFS's CRL setup (`-crl_check_all -CApath <ssl.crl-path>`), the two-hierarchy
/// trust model, key file modes, and a mutual-TLS handshake between `openssl s_server`
/// (a node) and `openssl s_client` (a tenant) using the files GlusterFS would read.
///
/// Every test builds its own lab in a temporary folder (P-256: milliseconds), so tests that
/// revoke never disturb the others.
@Suite("Interop: the lab PKI under openssl verify and a real TLS handshake")
struct PKIInteropTests {
    // MARK: - 1. openssl agrees with gshare on everything issued

    @Test func openSSLVerifiesEveryTenantAsATLSClientWithEveryCRLChecked() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        #expect(lab.outcome.warnings.isEmpty, "\(lab.outcome.warnings)")
        for tenant in InteropLab.tenants {
            let result = try OpenSSLCLI.verify(
                lab.glusterFS(tenant, "pem"), purpose: "sslclient", caFile: lab.caCertificate("tenant-root"),
                untrusted: lab.caCertificate("tenant-int"), crlDirectory: lab.hashedCRLDirectory)
            #expect(result.status == 0 && result.stdout.hasSuffix(": OK\n"), "\(tenant): \(result)")
        }
    }

    @Test func openSSLVerifiesEveryNodeAndTheManagerAsTLSServerAndClient() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        for host in InteropLab.nodeHierarchyHosts {
            for purpose in ["sslserver", "sslclient"] {
                let result = try OpenSSLCLI.verify(
                    lab.glusterFS(host, "pem"), purpose: purpose, caFile: lab.caCertificate("node-root"),
                    untrusted: lab.caCertificate("node-int"), crlDirectory: lab.hashedCRLDirectory)
                #expect(result.status == 0 && result.stdout.hasSuffix(": OK\n"), "\(host) as \(purpose): \(result)")
            }
        }
    }

    @Test func gshareStrictVerifierAcceptsTenantsNodesAndTheManagerWithCRLsLoaded() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        let cases = InteropLab.tenants.map { ($0, "tenant-root") } + InteropLab.nodeHierarchyHosts.map { ($0, "node-root") }
        for (host, root) in cases {
            let report = try lab.gshareReport(for: host, trusting: root)
            #expect(report.isValid, "\(host): \(report.findings)")
            #expect(report.findings.isEmpty, "\(host): \(report.findings)")
            #expect(report.identity?.commonName.value == host)
            // leaf, intermediate, root: the chain ends at the anchor the verifier was given.
            #expect(report.chain.count == 3, "\(host): \(report.chain)")
        }
    }

    @Test func theHashedCRLFolderHoldsOneCRLPerCANamedByOpenSSLsHashAndNoCACertificate() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        let files = try FileManager.default.contentsOfDirectory(atPath: lab.hashedCRLDirectory).sorted()
        // `<hash>.N` in a CApath is a trust anchor; only `<hash>.rN` (CRLs) may be there.
        let caCertificateNames = files.filter { $0.range(of: #"^[0-9a-f]{8}\.[0-9]+$"#, options: .regularExpression) != nil }
        #expect(caCertificateNames.isEmpty, "CA certificates in ssl.crl-path would be trust anchors: \(caCertificateNames)")
        #expect(files.allSatisfy { $0.range(of: #"^[0-9a-f]{8}\.r[0-9]+$"#, options: .regularExpression) != nil }, "\(files)")

        var expected: [String] = []
        for authority in InteropLab.authorities {
            // openssl's own hash of the CRL issuer and of the CA subject name the file.
            let crlHash = try OpenSSLCLI.nameHash("crl", of: lab.crlFile(authority))
            let caHash = try OpenSSLCLI.nameHash("x509", of: lab.caCertificate(authority))
            #expect(crlHash == caHash, "\(authority)")
            expected.append("\(crlHash).r0")
            let hashed = "\(lab.hashedCRLDirectory)/\(crlHash).r0"
            #expect(
                try String(contentsOfFile: hashed, encoding: .utf8) == String(contentsOfFile: lab.crlFile(authority), encoding: .utf8),
                "\(hashed) is not the CRL of \(authority)")
            // The CRL is signed by its CA (openssl checks the signature against -CAfile).
            let signature = try OpenSSLCLI.run(["crl", "-noout", "-in", lab.crlFile(authority), "-CAfile", lab.caCertificate(authority)])
            #expect(signature.status == 0 && signature.output.contains("verify OK"), "\(authority): \(signature)")
        }
        #expect(files == expected.sorted())
    }

    @Test func openSSLFindsTheCRLsInTheHashedFolderSoAMissingOneRejectsTheTenant() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        func verifyTenantA(crlDirectory: String?) throws -> BoundedProcessResult {
            try OpenSSLCLI.verify(
                lab.glusterFS("tenant-a", "pem"), purpose: "sslclient", caFile: lab.caCertificate("tenant-root"),
                untrusted: lab.caCertificate("tenant-int"), crlDirectory: crlDirectory)
        }
        #expect(try verifyTenantA(crlDirectory: lab.hashedCRLDirectory).status == 0)

        // CRL checking without the hashed folder: openssl has no CRL at all.
        let withoutFolder = try OpenSSLCLI.run([
            "verify", "-purpose", "sslclient", "-no-CAstore", "-no-CApath", "-crl_check_all", "-CAfile", lab.caCertificate("tenant-root"),
            "-untrusted", lab.caCertificate("tenant-int"), lab.glusterFS("tenant-a", "pem"),
        ])
        #expect(withoutFolder.status != 0 && withoutFolder.output.contains("error 3 at 0 depth lookup: unable to get certificate CRL"), "\(withoutFolder)")

        // Without the intermediate's CRL the leaf cannot be checked (depth 0)…
        let intermediateCRL = "\(lab.hashedCRLDirectory)/\(try OpenSSLCLI.nameHash("x509", of: lab.caCertificate("tenant-int"))).r0"
        let intermediateCRLBytes = try Data(contentsOf: URL(fileURLWithPath: intermediateCRL))
        try FileManager.default.removeItem(atPath: intermediateCRL)
        let noIntermediateCRL = try verifyTenantA(crlDirectory: lab.hashedCRLDirectory)
        #expect(
            noIntermediateCRL.status != 0 && noIntermediateCRL.output.contains("error 3 at 0 depth lookup: unable to get certificate CRL"),
            "\(noIntermediateCRL)")

        // …and with -crl_check_all, without the root's CRL the intermediate cannot (depth 1).
        try intermediateCRLBytes.write(to: URL(fileURLWithPath: intermediateCRL))
        let rootCRL = "\(lab.hashedCRLDirectory)/\(try OpenSSLCLI.nameHash("x509", of: lab.caCertificate("tenant-root"))).r0"
        try FileManager.default.removeItem(atPath: rootCRL)
        let noRootCRL = try verifyTenantA(crlDirectory: lab.hashedCRLDirectory)
        #expect(noRootCRL.status != 0 && noRootCRL.output.contains("error 3 at 1 depth lookup: unable to get certificate CRL"), "\(noRootCRL)")
    }

    // MARK: - 2. Revocation

    @Test func aRevokedTenantIsRejectedByOpenSSLAndByGshareWhileTheOtherTenantStaysValid() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        let revoked = try lab.revokeTenant("tenant-b", reason: .keyCompromise)

        // The refreshed intermediate CRL lists tenant-b's serial with the reason, as openssl reads it.
        let crlText = try OpenSSLCLI.run(["crl", "-noout", "-text", "-in", lab.crlFile("tenant-int")])
        #expect(crlText.status == 0)
        #expect(crlText.stdout.uppercased().contains("SERIAL NUMBER: \(revoked.serialNumberHex.uppercased())"), "\(crlText.stdout)")
        #expect(crlText.stdout.contains("Key Compromise"), "\(crlText.stdout)")

        func opensslVerify(_ tenant: String) throws -> BoundedProcessResult {
            try OpenSSLCLI.verify(
                lab.glusterFS(tenant, "pem"), purpose: "sslclient", caFile: lab.caCertificate("tenant-root"),
                untrusted: lab.caCertificate("tenant-int"), crlDirectory: lab.hashedCRLDirectory)
        }
        let rejected = try opensslVerify("tenant-b")
        #expect(rejected.status != 0 && rejected.output.contains("error 23 at 0 depth lookup: certificate revoked"), "\(rejected)")
        let accepted = try opensslVerify("tenant-a")
        #expect(accepted.status == 0 && accepted.stdout.hasSuffix(": OK\n"), "\(accepted)")

        let revokedReport = try lab.gshareReport(for: "tenant-b", trusting: "tenant-root")
        #expect(!revokedReport.isValid)
        #expect(!revokedReport.acceptedByGlusterFS)
        #expect(revokedReport.errors.map(\.code.rawValue) == ["certificate-revoked"], "\(revokedReport.findings)")
        let validReport = try lab.gshareReport(for: "tenant-a", trusting: "tenant-root")
        #expect(validReport.isValid, "\(validReport.findings)")
    }

    // MARK: - 3. The trust model

    @Test func aTenantCertificateWithItsFullChainDoesNotVerifyAgainstAnotherTenantsTrustAnchors() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        // A tenant's glusterfs.ca is the node root alone; a node's is node root + tenant root.
        let nodeRoot = try Certificate.load(fromFile: lab.caCertificate("node-root"))
        let tenantRoot = try Certificate.load(fromFile: lab.caCertificate("tenant-root"))
        for tenant in InteropLab.tenants {
            #expect(try Certificate.load(fromFile: lab.glusterFS(tenant, "ca")) == nodeRoot, "\(tenant)")
        }
        for host in InteropLab.nodeHierarchyHosts {
            #expect(try Certificate.load(fromFile: lab.glusterFS(host, "ca")) == nodeRoot + tenantRoot, "\(host)")
        }

        // tenant-a posing as a server to tenant-b: GlusterFS uses purpose ANY, so only the
        // missing trust anchor can stop it — and does (error 20 at the intermediate).
        let (_, chain) = try lab.splitGlusterFSChain("tenant-a")
        for purpose in ["any", "sslserver", "sslclient"] {
            let result = try OpenSSLCLI.verify(
                lab.glusterFS("tenant-a", "pem"), purpose: purpose, caFile: lab.glusterFS("tenant-b", "ca"), untrusted: chain)
            #expect(
                result.status != 0 && result.output.contains("error 20 at 1 depth lookup: unable to get local issuer certificate"),
                "\(purpose): \(result)")
        }
        let report = try CertificateVerifier(trustStore: TrustStore(caFile: lab.glusterFS("tenant-b", "ca"))).verify(
            chain: try Certificate.load(fromFile: lab.glusterFS("tenant-a", "pem")))
        #expect(!report.acceptedByGlusterFS)
        #expect(report.errors.contains { $0.code == .issuerUnknown }, "\(report.findings)")
    }

    @Test func tenantCertificatesAreTLSClientsOnly() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        for tenant in InteropLab.tenants {
            let (leaf, chain) = try lab.splitGlusterFSChain(tenant)
            #expect(try OpenSSLCLI.extensionText("extendedKeyUsage", of: leaf) == ["TLS Web Client Authentication"], "\(tenant)")
            #expect(try OpenSSLCLI.extensionText("basicConstraints", of: leaf) == ["CA:FALSE"], "\(tenant)")
            #expect(try OpenSSLCLI.extensionText("keyUsage", of: leaf) == ["Digital Signature"], "\(tenant)")
            // Even against a store that trusts the tenant root (a node's glusterfs.ca), the
            // certificate is no TLS server.
            let asServer = try OpenSSLCLI.verify(leaf, purpose: "sslserver", caFile: lab.glusterFS("node-1", "ca"), untrusted: chain)
            #expect(
                asServer.status != 0 && asServer.output.contains("error 26 at 0 depth lookup: unsuitable certificate purpose"),
                "\(tenant): \(asServer)")
        }
        for host in InteropLab.nodeHierarchyHosts {
            let (leaf, _) = try lab.splitGlusterFSChain(host)
            #expect(
                try OpenSSLCLI.extensionText("extendedKeyUsage", of: leaf) == ["TLS Web Server Authentication, TLS Web Client Authentication"],
                "\(host)")
        }
    }

    @Test func nodesVerifyAsServersForTenantsAndTenantsAsClientsForNodes() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        // Each party presents glusterfs.pem (leaf, then intermediate) and trusts its glusterfs.ca.
        for host in InteropLab.nodeHierarchyHosts {
            let (leaf, chain) = try lab.splitGlusterFSChain(host)
            for tenant in InteropLab.tenants {
                let result = try OpenSSLCLI.verify(leaf, purpose: "sslserver", caFile: lab.glusterFS(tenant, "ca"), untrusted: chain)
                #expect(result.status == 0 && result.stdout.hasSuffix(": OK\n"), "\(host) as server to \(tenant): \(result)")
            }
        }
        for tenant in InteropLab.tenants {
            let (leaf, chain) = try lab.splitGlusterFSChain(tenant)
            for host in InteropLab.nodeHierarchyHosts {
                let result = try OpenSSLCLI.verify(
                    leaf, purpose: "sslclient", caFile: lab.glusterFS(host, "ca"), untrusted: chain, crlDirectory: lab.hashedCRLDirectory)
                #expect(result.status == 0 && result.stdout.hasSuffix(": OK\n"), "\(tenant) as client of \(host): \(result)")
            }
        }
        // glusterfs.pem is exactly leaf then the issuing intermediate.
        for (host, intermediate) in InteropLab.tenants.map({ ($0, "tenant-int") }) + InteropLab.nodeHierarchyHosts.map({ ($0, "node-int") }) {
            let blocks = try InteropLab.pemBlocks(in: lab.glusterFS(host, "pem"))
            #expect(blocks.count == 2, "\(host)")
            #expect(blocks.last == (try InteropLab.pemBlocks(in: lab.caCertificate(intermediate))).first, "\(host)")
        }
    }

    // MARK: - 4. Key files

    @Test func everyPrivateKeyFileUnderHostsAndCAIsOwnerOnly() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        var keys: [String] = []
        for top in ["hosts", "ca"] {
            let root = "\(lab.directory)/\(top)"
            let enumerator = try #require(FileManager.default.enumerator(atPath: root))
            while let relative = enumerator.nextObject() as? String {
                if relative.hasSuffix(".key") { keys.append("\(root)/\(relative)") }
            }
        }
        let hosts = InteropLab.nodeHierarchyHosts + InteropLab.tenants
        #expect(keys.count == InteropLab.authorities.count + 2 * hosts.count, "\(keys)")
        for key in keys {
            #expect(permissionBits(of: key) == 0o600, "\(key) has mode \(String(permissionBits(of: key) ?? 0, radix: 8))")
        }
        for authority in InteropLab.authorities {
            #expect(permissionBits(of: lab.authority(authority)) == 0o700, "\(authority)")
        }
    }

    @Test func replacingALayoutOverAWorldReadableKeyLeavesAnOwnerOnlyKey() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        let out = "\(lab.directory)/reissue/tenant-c"
        let oldKeys = ["\(out)/tenant-c.key", "\(out)/glusterfs/glusterfs.key"]
        try FileManager.default.createDirectory(atPath: "\(out)/glusterfs", withIntermediateDirectories: true)
        for key in oldKeys {
            try "not a key\n".write(toFile: key, atomically: false, encoding: .utf8)
            #expect(chmod(key, 0o644) == 0)
            #expect(permissionBits(of: key) == 0o644)
        }
        let issued = try CertificateAuthority.load(from: lab.authority("tenant-int")).issue(
            commonName: try CommonName(validating: "tenant-c"), profile: .client)
        let nodeRoot = try Certificate.load(fromFile: lab.caCertificate("node-root"))

        // Without `replacing`, nothing is touched.
        #expect {
            try GlusterFSLayout.write(issued, name: "tenant-c", to: out, peerRoots: nodeRoot)
        } throws: { ($0 as? PKIError)?.code == .alreadyExists }
        for key in oldKeys {
            #expect(permissionBits(of: key) == 0o644)
            #expect(try String(contentsOfFile: key, encoding: .utf8) == "not a key\n")
        }

        let outcome = try GlusterFSLayout.write(issued, name: "tenant-c", to: out, peerRoots: nodeRoot, replacing: true)
        #expect(outcome.warnings.isEmpty, "\(outcome.warnings)")
        for key in oldKeys {
            #expect(permissionBits(of: key) == 0o600, "\(key) has mode \(String(permissionBits(of: key) ?? 0, radix: 8))")
            // openssl reads the new key, and it is the certificate's.
            let fromKey = try OpenSSLCLI.run(["pkey", "-pubout", "-in", key])
            let fromCertificate = try OpenSSLCLI.run(["x509", "-noout", "-pubkey", "-in", "\(out)/glusterfs/glusterfs.pem"])
            #expect(fromKey.status == 0 && !fromKey.stdout.isEmpty && fromKey.stdout == fromCertificate.stdout, "\(fromKey)\n\(fromCertificate)")
        }
        #expect(permissionBits(of: "\(out)/glusterfs/glusterfs.pem") == 0o644)
        #expect(permissionBits(of: "\(out)/glusterfs/glusterfs.ca") == 0o644)
    }

    // MARK: - 5. A real TLS handshake

    /// `openssl s_server` as node-1 would serve: its glusterfs.pem (leaf + chain),
    /// glusterfs.key and glusterfs.ca, a client certificate required, errors fatal.
    private static func nodeServerArguments(_ lab: InteropLab, checkingCRLs: Bool, connections: Int) throws -> [String] {
        let (leaf, chain) = try lab.splitGlusterFSChain("node-1")
        var arguments = [
            "-cert", leaf, "-cert_chain", chain, "-key", lab.glusterFS("node-1", "key"), "-CAfile", lab.glusterFS("node-1", "ca"),
            "-no-CAstore", "-Verify", "1", "-verify_return_error", "-naccept", "\(connections)", "-www",
        ]
        arguments += checkingCRLs ? ["-crl_check_all", "-CApath", lab.hashedCRLDirectory] : ["-no-CApath"]
        return arguments
    }

    /// `openssl s_client` as a tenant connects: its glusterfs.pem (leaf + chain) and key,
    /// trusting only its glusterfs.ca; sends one HTTP request and waits for the reply.
    private static func connectAsTenant(_ tenant: String, lab: InteropLab, port: Int) throws -> BoundedProcessResult {
        let (leaf, chain) = try lab.splitGlusterFSChain(tenant)
        let request = "\(lab.base.path)/scratch/request.txt"
        try "GET / HTTP/1.0\r\n\r\n".write(toFile: request, atomically: true, encoding: .utf8)
        return try OpenSSLCLI.run(
            [
                "s_client", "-connect", "127.0.0.1:\(port)", "-cert", leaf, "-cert_chain", chain, "-key", lab.glusterFS(tenant, "key"),
                "-CAfile", lab.glusterFS(tenant, "ca"), "-no-CApath", "-no-CAstore", "-verify_return_error", "-verify_ip", "127.0.0.1",
                "-ign_eof",
            ],
            standardInputFile: request, timeout: 10)
    }

    @Test(.timeLimit(.minutes(1)))
    func aTenantCompletesAMutualTLSHandshakeWithANodeUsingTheGlusterFSFiles() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        let (server, port) = try OpenSSLCLI.startServer(Self.nodeServerArguments(lab, checkingCRLs: false, connections: 1))
        defer { server.stop() }

        let client = try Self.connectAsTenant("tenant-a", lab: lab, port: port)
        #expect(client.status == 0, "\(client)")
        #expect(client.stdout.contains("Verification: OK"), "\(client)")
        // The -www page: the server saw tenant-a's certificate.
        #expect(client.stdout.contains("Client certificate"), "\(client)")
        #expect(client.stdout.contains("Subject: CN=tenant-a"), "\(client)")

        let served = server.finish(timeout: 5)
        #expect(!served.timedOut, "\(served)")
        #expect(served.stderr.contains("depth=0 CN = tenant-a"), "\(served)")
        #expect(!served.output.contains("verify error"), "\(served)")
    }

    @Test(.timeLimit(.minutes(1)))
    func aCRLCheckingNodeRefusesARevokedTenantAndAcceptsAValidOne() throws {
        let lab = try InteropLab.build()
        defer { lab.remove() }
        try lab.revokeTenant("tenant-b")

        // One server, two connections: tenant-b first, then tenant-a.
        let (server, port) = try OpenSSLCLI.startServer(Self.nodeServerArguments(lab, checkingCRLs: true, connections: 2))
        defer { server.stop() }

        let refused = try Self.connectAsTenant("tenant-b", lab: lab, port: port)
        #expect(!refused.timedOut, "\(refused)")
        #expect(refused.status != 0, "\(refused)")
        #expect(!refused.stdout.contains("Client certificate"), "\(refused)")
        // TLS 1.3: the client finishes its side (so it prints "Verification: OK" about the
        // server) and only then reads the server's alert 44, certificate_revoked.
        #expect(refused.stderr.contains("alert certificate revoked") && refused.stderr.contains("SSL alert number 44"), "\(refused)")

        let accepted = try Self.connectAsTenant("tenant-a", lab: lab, port: port)
        #expect(accepted.status == 0, "\(accepted)")
        #expect(accepted.stdout.contains("Subject: CN=tenant-a"), "\(accepted)")

        // Having served its two connections, the server exits by itself.
        let served = server.finish(timeout: 5)
        #expect(!served.timedOut, "\(served)")
        #expect(served.stderr.contains("depth=0 CN = tenant-b\nverify error:num=23:certificate revoked"), "\(served)")
        #expect(served.stderr.contains("depth=0 CN = tenant-a"), "\(served)")
    }
}
