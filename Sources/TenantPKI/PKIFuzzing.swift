//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

import Foundation
internal import GShareTOML

/// The fuzz entries of the PKI module's readers, shared by the libFuzzer targets (`Fuzz/*`,
/// built by `scripts/fuzz`) and the corpus replay tests (`Tests/FuzzCorpusTests`), so both
/// run exactly the same code. Not API: `package`, and nothing in gshare calls them.
///
/// Bad input may only throw ``PKIError`` (or, for a lab profile, the TOML reader's error);
/// a trap is a bug. Each entry also checks what must hold of every result and returns each
/// broken invariant as a sentence (empty: all held).
package enum PKIFuzzing {
    // MARK: PEM framing (gshare's own code, no OpenSSL)

    /// The bytes as a PEM file, framed by ``PEM/blocks(in:path:)``: the blocks are in order,
    /// do not overlap, and each runs from its BEGIN line to the END line of its label.
    package static func pem(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        _ = PEM.looksLikePEM(bytes)
        do {
            let blocks = try PEM.blocks(in: bytes, path: "fuzz.pem")
            var previousEnd = 0
            for (index, block) in blocks.enumerated() {
                let begin = Array("-----BEGIN \(block.label)-----".utf8)
                let end = Array("-----END \(block.label)-----".utf8)
                if block.bytes.startIndex < previousEnd { broken.append("block \(index + 1) overlaps the one before") }
                if !block.bytes.starts(with: begin) || !block.bytes.reversed().starts(with: end.reversed()) || block.bytes.count < begin.count + end.count {
                    broken.append("block \(index + 1) (\(block.label)) is not framed by its BEGIN and END lines")
                }
                if !block.label.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { broken.append("block \(index + 1) has a non-printable label") }
                if let junk = bytes[previousEnd..<block.bytes.startIndex].first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
                    broken.append("byte \(junk) before block \(index + 1) is not whitespace, yet accepted")
                }
                previousEnd = block.bytes.endIndex
            }
            if bytes[previousEnd...].contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
                broken.append("data after the last block was accepted")
            }
        } catch let error as PKIError {
            let framing: [PKIError.Code] = [.pemLeadingData, .pemTrailingData, .pemMalformed]
            if !framing.contains(error.code) { broken.append("PEM framing failed with \(error.code)") }
            check(error, &broken)
        } catch {
            broken.append("PEM framing threw \(type(of: error)), not a PKIError: \(error)")
        }
        return broken
    }

    // MARK: Certificates, CRLs and keys (OpenSSL's decoders)

    /// Separates the parts of a certificate-target input: certificates, CRLs, private key.
    static let partSeparator = Array("\n=====\n".utf8)

    /// The time certificates are judged at, fixed so that a corpus gives the same results
    /// on every run: the certificate corpus's reference time, 2026-06-01 (fixtures/certs/README.md).
    static let judgedAt = Date(timeIntervalSince1970: 1_780_272_000)

    /// The bytes as the files `gshare cert inspect`/`verify` read: certificates (PEM or DER,
    /// ``Certificate/parse(fileBytes:path:)``), CRLs (``RevocationList``) and a private key
    /// (``PrivateKeyFile``). Input with `\n=====\n` separators gives the three parts in that
    /// order; without, the whole input is tried as each. Whatever parses is summarised
    /// (``CertificateSummary``) and judged by ``CertificateVerifier`` (the chain's last
    /// certificate as the trust anchor, the CRLs in the store), every tenant-policy check
    /// included. DER written out reads back to the same certificate.
    package static func certificate(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        let parts = split(bytes, on: partSeparator)
        let certificateBytes = parts[0]
        let crlBytes = parts.count == 1 ? parts[0] : parts[1]
        let keyBytes = parts.count == 1 ? parts[0] : parts.count > 2 ? parts[2] : []

        let certificates: [Certificate] = attempt(&broken) { try Certificate.parse(fileBytes: certificateBytes, path: "fuzz.pem") } ?? []
        let crls: [RevocationList] = attempt(&broken) { try RevocationList.parse(fileBytes: crlBytes, path: "fuzz.crl") } ?? []
        let key: PrivateKeyFile? = keyBytes.isEmpty ? nil : attempt(&broken) { try PrivateKeyFile(bytes: keyBytes, mode: 0o600, path: "fuzz.key") }

        for crl in crls {
            _ = (crl.issuer, crl.lastUpdate, crl.nextUpdate)
        }
        if let privateKey = key?.key { _ = privateKey.description }
        for certificate in certificates {
            let summary = CertificateSummary(certificate)
            if summary.sha256Fingerprint.isEmpty { broken.append("a parsed certificate has no fingerprint") }
            let der = certificate.derBytes
            if der.isEmpty {
                broken.append("a parsed certificate has no DER encoding")
            } else if let again = try? Certificate(derEncoded: der) {
                if again.derBytes != der { broken.append("the DER encoding of a parsed certificate is not stable") }
            } else {
                broken.append("the DER encoding of a parsed certificate does not parse")
            }
            if let privateKey = key?.key { _ = certificate.matches(privateKey) }
        }
        guard let leaf = certificates.first, let anchor = certificates.last else { return broken }
        _ = leaf
        let verifier = CertificateVerifier(
            trustStore: TrustStore(anchors: [anchor], revocationLists: crls),
            options: VerificationOptions(depth: 9, time: judgedAt, securityLevel: 1))
        let report = verifier.verify(chain: certificates, key: key, at: judgedAt)
        _ = VerificationSummary(file: "fuzz.pem", report: report)
        return broken
    }

    /// `body`'s result, nil when it throws a ``PKIError`` (which must be well formed); any
    /// other error is a broken invariant.
    private static func attempt<T>(_ broken: inout [String], _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as PKIError {
            check(error, &broken)
            return nil
        } catch {
            broken.append("threw \(type(of: error)), not a PKIError: \(error)")
            return nil
        }
    }

    private static func check(_ error: PKIError, _ broken: inout [String]) {
        if error.reason.isEmpty { broken.append("error \(error.code) without a reason") }
        _ = error.description
    }

    static func split(_ bytes: [UInt8], on separator: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var start = 0
        var index = 0
        while index + separator.count <= bytes.count {
            if bytes[index..<index + separator.count].elementsEqual(separator) {
                parts.append(Array(bytes[start..<index]))
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(Array(bytes[start...]))
        return parts
    }

    // MARK: Lab profiles (TOML)

    /// The bytes as a `gshare pki lab` profile (`pki/lab.toml`): the TOML reader, then
    /// ``LabProfile``'s rules. Names in an accepted profile are valid CNs, days in range.
    package static func labProfile(_ bytes: [UInt8]) -> [String] {
        var broken: [String] = []
        guard let table = try? TOMLTable.parse(utf8: bytes, source: "fuzz-lab.toml") else { return broken }
        do {
            let profile = try LabProfile(table: table, source: "fuzz-lab.toml")
            for days in [profile.leafDays, profile.crlDays] where !(1...36500).contains(days) {
                broken.append("a lab profile with \(days) days was accepted")
            }
            for name in profile.nodes + profile.tenants + [profile.manager] where (try? CommonName(validating: name.value)) == nil {
                broken.append("a lab profile with the CN \(name) was accepted")
            }
        } catch let error as PKIError {
            check(error, &broken)
        } catch let error as TOMLError {
            if error.message.isEmpty { broken.append("error \(error.code) without a message") }
        } catch {
            broken.append("the lab profile threw \(type(of: error)): \(error)")
        }
        return broken
    }
}
