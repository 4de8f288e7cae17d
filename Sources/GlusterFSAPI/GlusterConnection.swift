//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

/// Where a volume is served: the volfile server (glusterd) and the volume's name.
public struct GlusterVolumeAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The glusterd host (an address or a name).
    public var host: String
    /// glusterd's port; 24007 by default.
    public var port: Int
    /// The volume's name.
    public var volume: String

    public init(host: String, port: Int = 24007, volume: String) {
        self.host = host
        self.port = port
        self.volume = volume
    }

    /// `host:/volume` (with `:port` after the host when it is not 24007).
    public var description: String { port == 24007 ? "\(host):/\(volume)" : "\(host):\(port):/\(volume)" }
}

/// A TLS identity as GlusterFS reads it: three PEM files.
public struct GlusterTLSIdentity: Hashable, Sendable, Codable {
    /// The certificate chain, leaf first (`glusterfs.pem`).
    public var certificateChain: String
    /// The leaf's private key, unencrypted PEM (`glusterfs.key`).
    public var privateKey: String
    /// The CAs that verify the *servers* (`glusterfs.ca`).
    public var certificateAuthorities: String

    public init(certificateChain: String, privateKey: String, certificateAuthorities: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.certificateAuthorities = certificateAuthorities
    }

    /// The identity in `directory/glusterfs.{pem,key,ca}` (the layout `gshare pki` writes).
    public init(directory: String) {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.init(
            certificateChain: "\(base)/glusterfs.pem", privateKey: "\(base)/glusterfs.key",
            certificateAuthorities: "\(base)/glusterfs.ca")
    }
}

/// Whether the client speaks TLS to the bricks.
public struct GlusterTransportSecurity: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    private init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// As the volume says (its `client.ssl` option, sent in the volfile). A volume with TLS
    /// off then accepts the client in plain text, certificate or not.
    public static let followVolume = GlusterTransportSecurity("followVolume")
    /// Always TLS (`transport.socket.ssl-enabled on` for every client xlator, which
    /// overrides the volfile): a volume with TLS off cannot be reached in plain text.
    public static let requireTLS = GlusterTransportSecurity("requireTLS")
    /// Never TLS (`transport.socket.ssl-enabled off` for every client xlator, which
    /// overrides the volfile), and no certificate even if one is given: how *anyone* would
    /// connect. Only a brick that does not enforce TLS (`server.ssl` off) admits it; a TLS
    /// brick hangs up (``GlusterAccessOutcome/tlsRejected``).
    public static let plainText = GlusterTransportSecurity("plainText")

    /// Every value this version knows.
    public static let known: [GlusterTransportSecurity] = [.followVolume, .requireTLS, .plainText]

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let known = Self.known.first(where: { $0.rawValue == raw }) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "unknown transport security \"\(raw)\""))
        }
        self = known
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Everything needed to connect: where, as whom, and how.
public struct GlusterConnection: Hashable, Sendable, Codable {
    public var address: GlusterVolumeAddress
    /// The client identity; nil = gfapi's compiled-in defaults (`/usr/lib/ssl/glusterfs.*`
    /// on Debian), i.e. the node's own identity on a server. Ignored with
    /// ``GlusterTransportSecurity/plainText``.
    public var identity: GlusterTLSIdentity?
    public var transport: GlusterTransportSecurity
    /// Other nodes of the volume's pool to fetch the volume file from when
    /// ``GlusterVolumeAddress/host`` does not answer (same port), in order.
    public var backupVolfileServers: [String]
    /// The identity for the management link (the volume file fetch from glusterd, port
    /// 24007) when the servers use management TLS (`secure-access`); nil when they do not.
    /// gfapi reads that link's identity only from `/usr/lib/ssl/glusterfs.*` and turns TLS
    /// on for it only when `/var/lib/glusterd/secure-access` exists, so the worker enters a
    /// private mount namespace holding both (``ManagementTLSNamespace``).
    public var managementIdentity: GlusterTLSIdentity?

    public init(
        address: GlusterVolumeAddress, identity: GlusterTLSIdentity?, transport: GlusterTransportSecurity = .followVolume,
        backupVolfileServers: [String] = [], managementIdentity: GlusterTLSIdentity? = nil
    ) {
        self.address = address
        self.identity = identity
        self.transport = transport
        self.backupVolfileServers = backupVolfileServers
        self.managementIdentity = managementIdentity
    }

    enum CodingKeys: String, CodingKey {
        case address, identity, transport, backupVolfileServers, managementIdentity
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(GlusterVolumeAddress.self, forKey: .address)
        identity = try container.decodeIfPresent(GlusterTLSIdentity.self, forKey: .identity)
        transport = try container.decode(GlusterTransportSecurity.self, forKey: .transport)
        backupVolfileServers = try container.decodeIfPresent([String].self, forKey: .backupVolfileServers) ?? []
        managementIdentity = try container.decodeIfPresent(GlusterTLSIdentity.self, forKey: .managementIdentity)
    }
}
