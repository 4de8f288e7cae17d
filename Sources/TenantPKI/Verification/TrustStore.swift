//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

internal import COpenSSL

/// Trust anchors, untrusted intermediates and CRLs, built into an OpenSSL `X509_STORE`
/// once and then shared by every verification.
///
/// `Sendable`: built fully in `init`, never mutated afterwards; OpenSSL permits
/// concurrent verifications against one built store.
public final class TrustStore: @unchecked Sendable {
    let store: OpaquePointer  // X509_STORE*, owned
    let untrusted: OpaquePointer  // STACK_OF(X509)*, owned; elements kept alive by `intermediates`
    /// Certificates trusted as chain ends (`--ca`).
    public let anchors: [Certificate]
    /// Certificates that may complete a chain but are not trusted (`--untrusted`).
    public let intermediates: [Certificate]
    /// CRLs checked for every CA in the chain (CRL_CHECK | CRL_CHECK_ALL).
    public let revocationLists: [RevocationList]
    /// Whether revocation is checked: every CA of the chain then needs a current CRL here, as
    /// a GlusterFS server with `ssl.crl-path` demands (a CA without one fails `crl-missing`).
    public let checksRevocation: Bool

    /// - Parameter checksRevocation: default: when CRLs are given. True with no CRL at all
    ///   refuses every chain (`crl-missing`), as GlusterFS would with an empty `ssl.crl-path`.
    public init(
        anchors: [Certificate], intermediates: [Certificate] = [], revocationLists: [RevocationList] = [], checksRevocation: Bool? = nil
    ) {
        guard let store = X509_STORE_new(), let untrusted = COpenSSL_sk_X509_new_null() else {
            fatalError("X509_STORE_new failed: out of memory")
        }
        self.store = store
        self.untrusted = untrusted
        self.anchors = anchors
        self.intermediates = intermediates
        self.revocationLists = revocationLists
        self.checksRevocation = checksRevocation ?? !revocationLists.isEmpty
        // Adding a certificate or CRL twice is harmless; X509_STORE_add_* take their own references.
        for anchor in anchors { _ = X509_STORE_add_cert(store, anchor.ref) }
        for crl in revocationLists { _ = X509_STORE_add_crl(store, crl.ref) }
        for intermediate in intermediates { _ = COpenSSL_sk_X509_push(untrusted, intermediate.ref) }
        OpenSSLErrorQueue.clear()
    }

    /// Loads the trust anchors from `caFile`, intermediates from `untrustedFiles` and CRLs
    /// from `crlFiles` (PEM or DER).
    /// - Throws: ``PKIError`` naming the first file that cannot be used.
    public convenience init(caFile: String, untrustedFiles: [String] = [], crlFiles: [String] = []) throws {
        let anchors = try Certificate.load(fromFile: caFile)
        let intermediates = try untrustedFiles.flatMap { try Certificate.load(fromFile: $0) }
        let crls = try crlFiles.flatMap { try RevocationList.load(fromFile: $0) }
        self.init(anchors: anchors, intermediates: intermediates, revocationLists: crls)
    }

    deinit {
        COpenSSL_sk_X509_free(untrusted)
        X509_STORE_free(store)
    }
}
