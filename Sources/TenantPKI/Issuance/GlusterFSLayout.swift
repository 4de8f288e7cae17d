//===----------------------------------------------------------------------===//
// gshare — TenantPKI
//===----------------------------------------------------------------------===//

/// The files a GlusterFS party reads, written for an issued certificate:
///
/// ```
/// OUT/NAME.pem                 leaf, then intermediates
/// OUT/NAME.key                 0600
/// OUT/glusterfs/glusterfs.pem  leaf first, then intermediates
/// OUT/glusterfs/glusterfs.key  0600
/// OUT/glusterfs/glusterfs.ca   the roots this party needs to verify its PEERS
/// ```
///
/// GlusterFS clients never check the server's identity: any certificate chaining to a
/// client's `glusterfs.ca` can act as a server toward it. So a tenant's `glusterfs.ca`
/// must hold only the node root, never the root that signs tenants; a node's holds both.
public enum GlusterFSLayout {
    public struct Outcome: Sendable {
        /// Every file written, in order.
        public let written: [String]
        /// Trust-model concerns (e.g. a tenant trusting its own issuing root).
        public let warnings: [String]
    }

    /// The trust anchors for `glusterfs.ca`, and warnings when the trust model is broken.
    ///
    /// - Parameters:
    ///   - ownRoot: the root of the hierarchy that issued this party's certificate.
    ///   - peerRoots: the roots of the other hierarchy (for a tenant: the node root).
    public static func trustAnchors(
        for profile: CertificateProfile, ownRoot: Certificate, peerRoots: [Certificate]
    ) -> (anchors: [Certificate], warnings: [String]) {
        switch profile {
        case .client:
            if peerRoots.isEmpty {
                return ([ownRoot], [
                    "glusterfs.ca holds the root that issued this tenant (no --peer-ca given): any other tenant of that root could pose as a GlusterFS server to it. Give the node root with --peer-ca"
                ])
            }
            let warnings = peerRoots.contains(ownRoot)
                ? ["glusterfs.ca includes the root that issued this tenant: any other tenant could pose as a GlusterFS server to it. Give only the node root with --peer-ca"]
                : []
            return (peerRoots, warnings)
        case .server, .node:
            return ([ownRoot] + peerRoots.filter { $0 != ownRoot }, [])
        }
    }

    /// Writes the layout for `issued` into `directory` (created if needed).
    ///
    /// Unless `replacing`, nothing is overwritten: if any target exists, nothing is written.
    /// With `replacing`, existing files are replaced by new ones (new inodes: a key file that
    /// was wider than 0600 before is 0600 after). All files are written under temporary
    /// names first, so a failed write (disk full…) changes nothing; only a failing rename
    /// (not expected within one folder) could leave a mix.
    public static func write(
        _ issued: IssuedCertificate, name: String, to directory: String, peerRoots: [Certificate], replacing: Bool = false
    ) throws -> Outcome {
        let directory = CertificateAuthority.normalized(directory)
        let (anchors, warnings) = trustAnchors(for: issued.profile, ownRoot: issued.root, peerRoots: peerRoots)
        let keyPEM = issued.key.pemBytes
        let chainPEM = Array(issued.chainPEM.utf8)
        let files: [(path: String, bytes: [UInt8], mode: UInt32)] = [
            ("\(directory)/\(name).pem", chainPEM, 0o644),
            ("\(directory)/\(name).key", keyPEM, 0o600),
            ("\(directory)/glusterfs/glusterfs.pem", chainPEM, 0o644),
            ("\(directory)/glusterfs/glusterfs.key", keyPEM, 0o600),
            ("\(directory)/glusterfs/glusterfs.ca", Array(anchors.map(\.pemString).joined().utf8), 0o644),
        ]
        if !replacing, let existing = files.first(where: { SecureFiles.exists($0.path) }) {
            throw SecureFiles.alreadyExists(existing.path)
        }
        try SecureFiles.makeDirectory("\(directory)/glusterfs", mode: 0o755)
        // Stage every file first: a failed write then changes nothing.
        var staged: [String] = []
        do {
            for file in files { staged.append(try SecureFiles.stage(file.bytes, for: file.path, mode: .init(file.mode))) }
        } catch {
            staged.forEach(SecureFiles.remove)
            throw error
        }
        var written: [String] = []
        do {
            for (file, temporary) in zip(files, staged) {
                try SecureFiles.commit(temporary, to: file.path, existing: replacing ? .replace : .refuse)
                written.append(file.path)
            }
        } catch {
            staged.forEach(SecureFiles.remove)
            if !replacing { written.forEach(SecureFiles.remove) }
            throw error
        }
        return Outcome(written: written, warnings: warnings)
    }
}
