//===----------------------------------------------------------------------===//
// gshare — GlusterFSAPI
//===----------------------------------------------------------------------===//

internal import CGlusterFSAPI
import Foundation

/// A private mount namespace in which libgfapi speaks TLS on the management link, as a
/// chosen identity.
///
/// With management TLS on (`secure-access` on the servers), a gfapi client fetches the
/// volume file from glusterd over TLS, and gfapi gives no per-process setting for that link:
/// it turns TLS on only when `/var/lib/glusterd/secure-access` exists, and presents
/// `/usr/lib/ssl/glusterfs.{pem,key,ca}`. Those paths belong to the machine (on a server
/// they are the node's own identity). So the gfapi worker, before it starts any thread,
/// enters a mount namespace of its own and mounts there:
///
/// - a fresh tmpfs on `/var/lib/glusterd` holding an empty `secure-access`;
/// - a fresh tmpfs on `/usr/lib/ssl` holding the identity's three files (new regular files,
///   the key 0600) and OpenSSL's own entries as the same symbolic links (`certs`,
///   `private`, `openssl.cnf` on Debian).
///
/// Nothing outside the namespace changes, and nothing is left behind: the mounts disappear
/// with the worker. (Never copy `/usr/lib/ssl` and write into the copy: on Debian its
/// `glusterfs.*` may be symbolic links into `/etc/ssl`, and writing through them would
/// replace the machine's identity.)
///
/// **Privileges.** As root (CAP_SYS_ADMIN), a plain mount namespace. As any other user, a
/// user namespace owning the mount namespace (the user mapped to root inside it, nothing
/// else), where the kernel allows unprivileged user namespaces (Debian 12 does by default;
/// `kernel.unprivileged_userns_clone=0` or `user.max_user_namespaces=0` forbid it). Either
/// way the worker's network and its view of every other path are the machine's.
package enum ManagementTLSNamespace {
    /// Where gfapi looks for `secure-access`.
    package static let glusterdDirectory = "/var/lib/glusterd"
    /// Where gfapi reads the management link's identity (Debian's OpenSSL directory).
    package static let sslDirectory = "/usr/lib/ssl"

    /// The identity at the paths gfapi uses for the management link, inside the namespace.
    package static var identityInside: GlusterTLSIdentity { GlusterTLSIdentity(directory: sslDirectory) }

    /// How the namespace was made.
    package enum Privilege: String, Sendable {
        case root = "mount namespace (root)"
        case userNamespace = "user namespace (unprivileged)"
    }

    /// Enters the namespace. Call it before the process starts a second thread (a user
    /// namespace cannot be entered by a multi-threaded process).
    ///
    /// - Throws: ``GlusterFSError`` `invalidArgument` when an identity file cannot be read,
    ///   `connectFailed` when the namespace cannot be made (with the privilege it needs).
    @discardableResult
    package static func enter(identity: GlusterTLSIdentity) throws -> Privilege {
        // Everything read from the machine's paths first: they are hidden afterwards.
        let certificate = try read(identity.certificateChain, "certificate chain")
        let key = try read(identity.privateKey, "private key")
        let authorities = try read(identity.certificateAuthorities, "CA list")
        let links = opensslLinks()

        let privilege = try unshareMountNamespace()
        try mount(nil, "/", nil, CGlusterFSAPI_MS_REC | CGlusterFSAPI_MS_PRIVATE, nil, "make every mount private")
        let flags = CGlusterFSAPI_MS_NOSUID | CGlusterFSAPI_MS_NODEV | CGlusterFSAPI_MS_NOEXEC
        if FileManager.default.fileExists(atPath: glusterdDirectory) {
            try mount("tmpfs", glusterdDirectory, "tmpfs", flags, "mode=0755,size=64k", "a tmpfs on \(glusterdDirectory)")
        } else {
            // A client-only machine has no /var/lib/glusterd to mount on: give the worker a
            // /var/lib of its own holding one.
            try mount("tmpfs", "/var/lib", "tmpfs", flags, "mode=0755,size=64k", "a tmpfs on /var/lib")
            try makeDirectory(glusterdDirectory)
        }
        try write([], to: "\(glusterdDirectory)/secure-access", mode: 0o644)
        try mount("tmpfs", sslDirectory, "tmpfs", flags, "mode=0755,size=4m", "a tmpfs on \(sslDirectory)")
        try write(certificate, to: "\(sslDirectory)/glusterfs.pem", mode: 0o644)
        try write(key, to: "\(sslDirectory)/glusterfs.key", mode: 0o600)
        try write(authorities, to: "\(sslDirectory)/glusterfs.ca", mode: 0o644)
        for (name, destination) in links where symlink(destination, "\(sslDirectory)/\(name)") != 0 {
            throw failure("cannot link \(sslDirectory)/\(name) to \(destination)", errno: errno)
        }
        return privilege
    }

    static func unshareMountNamespace() throws -> Privilege {
        if CGlusterFSAPI_unshare(CGlusterFSAPI_CLONE_NEWNS) == 0 { return .root }
        let asRoot = errno
        guard asRoot == EPERM else { throw failure("unshare(CLONE_NEWNS) failed", errno: asRoot) }
        let uid = getuid()
        let gid = getgid()
        guard CGlusterFSAPI_unshare(CGlusterFSAPI_CLONE_NEWUSER | CGlusterFSAPI_CLONE_NEWNS) == 0 else {
            let code = errno
            throw failure(
                "management TLS needs a private mount namespace: run gshare as root, or allow unprivileged user namespaces "
                    + "(sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0); unshare(CLONE_NEWUSER) failed",
                errno: code)
        }
        // The user is root inside its namespace, and nobody else is mapped.
        try write(Array("deny".utf8), toExisting: "/proc/self/setgroups")
        try write(Array("0 \(uid) 1\n".utf8), toExisting: "/proc/self/uid_map")
        try write(Array("0 \(gid) 1\n".utf8), toExisting: "/proc/self/gid_map")
        return .userNamespace
    }

    /// OpenSSL's own entries of the SSL directory that are symbolic links (name, where to),
    /// except gfapi's `glusterfs.*`.
    static func opensslLinks() -> [(String, String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sslDirectory)) ?? []
        return names.sorted().compactMap { name in
            guard !name.hasPrefix("glusterfs."),
                let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(sslDirectory)/\(name)")
            else { return nil }
            return (name, destination)
        }
    }

    static func read(_ path: String, _ what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GlusterFSError(.invalidArgument, errno: EACCES, operation: "open", path: path, message: "cannot read the \(what) for the management link")
        }
        return [UInt8](data)
    }

    static func mount(_ source: String?, _ target: String, _ type: String?, _ flags: UInt, _ data: String?, _ what: String) throws {
        guard CGlusterFSAPI_mount(source, target, type, flags, data) == 0 else { throw failure("cannot mount \(what)", errno: errno) }
    }

    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure("cannot create \(path)", errno: errno) }
    }

    /// A new file (exclusive create) with `bytes`.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw failure("cannot create \(path)", errno: errno) }
        defer { close(fd) }
        try writeAll(bytes, fd, path)
        guard fchmod(fd, mode) == 0 else { throw failure("cannot set the mode of \(path)", errno: errno) }
    }

    static func write(_ bytes: [UInt8], toExisting path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open \(path)", errno: errno) }
        defer { close(fd) }
        try writeAll(bytes, fd, path)
    }

    static func writeAll(_ bytes: [UInt8], _ fd: Int32, _ path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write \(path)", errno: errno)
            }
            offset += written
        }
    }

    static func failure(_ message: String, errno code: Int32) -> GlusterFSError {
        GlusterFSError(
            .connectFailed, errno: code, operation: "management TLS namespace",
            message: "\(message): \(GlusterFSError.describe(errno: code))")
    }
}
