//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL
internal import Dispatch
public import struct Foundation.Date
internal import Synchronization

/// How certificates are verified. Defaults match a GlusterFS server with TLS on.
public struct VerificationOptions: Sendable {
    /// The number of intermediate CAs allowed between leaf and trust anchor: GlusterFS's
    /// `ssl.certificate-depth` (default 1), with OpenSSL's meaning.
    public var depth: Int
    /// The time to judge validity at; nil means "now" (taken once per verification run).
    public var time: Date?
    /// The OpenSSL security level; nil means that of a fresh `SSL_CTX`, as GlusterFS gets it.
    public var securityLevel: Int?
    /// Names no tenant may hold: the system CNs (the nodes, gshare's own identity), which are
    /// in every volume's auth.ssl-allow. A certificate whose GlusterFS-visible name is one of
    /// them fails the tenant policy (`cn-is-system-cn`). Empty: not known.
    public var reservedCommonNames: Set<String>

    public init(depth: Int = 1, time: Date? = nil, securityLevel: Int? = nil, reservedCommonNames: Set<String> = []) {
        self.depth = depth
        self.time = time
        self.securityLevel = securityLevel
        self.reservedCommonNames = reservedCommonNames
    }
}

/// The security level a fresh `SSL_CTX` gets from this system's OpenSSL configuration
/// (Debian 12: 2). Computed once.
let systemSecurityLevel: Int = {
    guard let method = TLS_method(), let context = SSL_CTX_new(method) else { return 1 }
    defer { SSL_CTX_free(context) }
    return Int(SSL_CTX_get_security_level(context))
}()

/// Verifies client certificates under both layers (see ``VerificationReport``).
///
/// Build one per trust store and reuse it: the store is parsed once, and
/// ``verify(files:key:)`` judges many files concurrently.
public struct CertificateVerifier: Sendable {
    public let trustStore: TrustStore
    public let options: VerificationOptions

    public init(trustStore: TrustStore, options: VerificationOptions = VerificationOptions()) {
        self.trustStore = trustStore
        self.options = options
    }

    /// The security level actually used.
    public var securityLevel: Int { options.securityLevel ?? systemSecurityLevel }

    /// Judges a certificate as a client would present it.
    ///
    /// - Parameters:
    ///   - chain: the leaf first, then any intermediates the client sends with it (the
    ///     rest of its `glusterfs.pem`). Must not be empty.
    ///   - key: the private-key file to check against the leaf, if any.
    ///   - time: the time to judge at, overriding ``VerificationOptions/time``.
    /// - Returns: the report; never throws for a certificate that fails.
    public func verify(chain presented: [Certificate], key: PrivateKeyFile? = nil, at time: Date? = nil) -> VerificationReport {
        precondition(!presented.isEmpty, "verify(chain:) needs a leaf certificate")
        let checkedAt = time ?? options.time ?? Date()
        let leaf = presented[0]
        let outcome = runOpenSSLVerification(leaf: leaf, extraIntermediates: Array(presented.dropFirst()), at: checkedAt)
        let context = PolicyContext(
            leaf: leaf, chain: outcome.chain, chainIsTrusted: !outcome.errors.contains { Self.breaksChain($0.error) },
            key: key, checkedAt: checkedAt, securityLevel: securityLevel, depth: options.depth,
            reservedCommonNames: options.reservedCommonNames)
        var findings: [Finding] = []
        for logged in Self.withoutConsequentialErrors(outcome.errors) {
            findings.append(ChainFindings.finding(for: logged.error, depth: logged.depth, context: context))
        }
        for check in TenantPolicy.checks {
            findings.append(contentsOf: check.findings(in: context))
        }
        return VerificationReport(
            certificate: leaf, chain: outcome.chain, findings: Self.merged(findings), checkedAt: checkedAt,
            securityLevel: securityLevel)
    }

    /// Reads and judges many certificate files with the store built once, spreading the
    /// work over the machine's cores. Results are in the order of `files`.
    ///
    /// A file that cannot be read or is not a certificate gives a ``PKIError`` in its slot.
    public func verify(files: [String], key: PrivateKeyFile? = nil) -> [Result<VerificationReport, PKIError>] {
        let checkedAt = options.time ?? Date()
        let results = Mutex<[Result<VerificationReport, PKIError>?]>(Array(repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let result: Result<VerificationReport, PKIError>
            do {
                let chain = try Certificate.load(fromFile: files[index])
                result = .success(verify(chain: chain, key: key, at: checkedAt))
            } catch let error as PKIError {
                result = .failure(error)
            } catch {
                result = .failure(PKIError(.openSSLFailure, path: files[index], reason: "\(error)", hint: ""))
            }
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    // MARK: - OpenSSL

    private struct OpenSSLOutcome {
        var chain: [Certificate]
        var errors: [(error: Int32, depth: Int)]
    }

    /// One `X509_verify_cert` set up as GlusterFS does (purpose ANY, depth, the security
    /// level of a fresh SSL_CTX, CRL_CHECK|CRL_CHECK_ALL when CRLs are present), with a
    /// callback that records every error instead of stopping at the first.
    private func runOpenSSLVerification(leaf: Certificate, extraIntermediates: [Certificate], at time: Date) -> OpenSSLOutcome {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let context = X509_STORE_CTX_new() else { fatalError("X509_STORE_CTX_new failed: out of memory") }
        defer { X509_STORE_CTX_free(context) }

        // The client's own extra certificates come first, then the configured intermediates.
        var ownedStack: OpaquePointer? = nil
        if !extraIntermediates.isEmpty {
            guard let stack = COpenSSL_sk_X509_new_null() else { fatalError("sk_X509_new_null: out of memory") }
            for certificate in extraIntermediates + trustStore.intermediates { _ = COpenSSL_sk_X509_push(stack, certificate.ref) }
            ownedStack = stack
        }
        defer { COpenSSL_sk_X509_free(ownedStack) }

        var log = COpenSSL_verify_log()
        var unloggedFailure: Int32? = nil
        let chain: [Certificate] = withExtendedLifetime(extraIntermediates) {
            guard X509_STORE_CTX_init(context, trustStore.store, leaf.ref, ownedStack ?? trustStore.untrusted) == 1 else {
                fatalError("X509_STORE_CTX_init failed: \(OpenSSLErrorQueue.drain())")
            }
            let parameters = X509_STORE_CTX_get0_param(context)
            X509_VERIFY_PARAM_set_depth(parameters, Int32(clamping: options.depth))
            X509_VERIFY_PARAM_set_auth_level(parameters, Int32(clamping: securityLevel))
            X509_VERIFY_PARAM_set_time(parameters, time_t(time.timeIntervalSince1970.rounded(.down)))
            _ = X509_STORE_CTX_set_purpose(context, X509_PURPOSE_ANY)
            if trustStore.checksRevocation {
                _ = X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL))
            }
            X509_STORE_CTX_set_verify_cb(context, COpenSSL_collecting_verify_callback())
            let result = withUnsafeMutablePointer(to: &log) { logPointer in
                _ = COpenSSL_X509_STORE_CTX_set_app_data(context, logPointer)
                defer { _ = COpenSSL_X509_STORE_CTX_set_app_data(context, nil) }
                return X509_verify_cert(context)
            }
            if result <= 0 && log.count == 0 {
                // A failure that bypassed the callback (an internal error) still counts.
                unloggedFailure = X509_STORE_CTX_get_error(context)
            }
            guard let built = X509_STORE_CTX_get0_chain(context) else { return [leaf] }
            return (0..<COpenSSL_sk_X509_num(built)).compactMap { index in
                COpenSSL_sk_X509_value(built, index).map { Certificate(borrowing: $0) }
            }
        }
        var errors: [(error: Int32, depth: Int)] = withUnsafeBytes(of: log.errors) { errorBytes in
            withUnsafeBytes(of: log.depths) { depthBytes in
                (0..<Int(log.count)).map { index in
                    (error: errorBytes.load(fromByteOffset: index * 4, as: Int32.self),
                     depth: Int(depthBytes.load(fromByteOffset: index * 4, as: Int32.self)))
                }
            }
        }
        if let unloggedFailure { errors.append((error: unloggedFailure == 0 ? -1 : unloggedFailure, depth: 0)) }
        return OpenSSLOutcome(chain: chain.isEmpty ? [leaf] : chain, errors: errors)
    }

    /// Drops errors that only follow from an earlier one: when the depth limit cut chain
    /// building short, OpenSSL (told to go on) also reports the cut chain's missing issuer.
    static func withoutConsequentialErrors(_ errors: [(error: Int32, depth: Int)]) -> [(error: Int32, depth: Int)] {
        guard errors.contains(where: { $0.error == X509_V_ERR_CERT_CHAIN_TOO_LONG }) else { return errors }
        let consequences = [X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY]
        return errors.filter { !consequences.contains($0.error) }
    }

    /// Errors after which the chain OpenSSL built does not end at a trust anchor.
    static func breaksChain(_ error: Int32) -> Bool {
        [X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
         X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
         X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_CERT_CHAIN_TOO_LONG].contains(error)
    }

    /// One finding per (code, depth), keeping the first message and the union of layers.
    static func merged(_ findings: [Finding]) -> [Finding] {
        var result: [Finding] = []
        for finding in findings {
            if let index = result.firstIndex(where: { $0.code == finding.code && $0.depth == finding.depth }) {
                let existing = result[index]
                result[index] = Finding(
                    existing.code, existing.layers.union(finding.layers), depth: existing.depth,
                    severity: existing.severity == .error || finding.severity == .error ? .error : .warning,
                    existing.message, fix: existing.fix)
            } else {
                result.append(finding)
            }
        }
        return result
    }
}
