//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

import Foundation
public import TenantPKI

/// The tenant CRL folder (`tenant_crl_dir`, what the servers' `ssl.crl-path` holds), read
/// once so the checks over it are pure.
public struct CRLDirectory: Sendable {
    /// One file of the folder and what it holds.
    public struct Entry: Sendable {
        public enum Content: Sendable {
            /// One or more CRLs.
            case revocationLists([RevocationList])
            /// Certificates: in ssl.crl-path they become trust anchors.
            case certificates([Certificate])
            /// Neither, with the reason it could not be read.
            case unreadable(String)
        }

        /// The file name inside the folder.
        public let fileName: String
        public let content: Content

        public init(fileName: String, content: Content) {
            self.fileName = fileName
            self.content = content
        }
    }

    /// The folder (absolute).
    public let path: String
    /// Its regular files (symbolic links followed), sorted by name; hidden files skipped.
    public let entries: [Entry]
    /// Why the folder itself could not be listed; nil when it was.
    public let readError: String?

    /// Revoked serials (normalised) by CRL issuer.
    private let revokedByIssuer: [String: Set<String>]

    public init(path: String, entries: [Entry], readError: String? = nil) {
        self.path = path
        self.entries = entries
        self.readError = readError
        var revoked: [String: Set<String>] = [:]
        for entry in entries {
            guard case .revocationLists(let crls) = entry.content else { continue }
            for crl in crls { revoked[crl.issuer, default: []].formUnion(crl.revokedSerials.map(SerialNumber.normalized)) }
        }
        self.revokedByIssuer = revoked
    }

    /// Reads every file of `path`: as CRLs first, then as certificates.
    public static func load(from path: String) -> CRLDirectory {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            return CRLDirectory(path: path, entries: [], readError: (error as NSError).localizedDescription)
        }
        var entries: [Entry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let file = (path as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            do {
                entries.append(Entry(fileName: name, content: .revocationLists(try RevocationList.load(fromFile: file))))
            } catch let crlError {
                if let certificates = try? Certificate.load(fromFile: file) {
                    entries.append(Entry(fileName: name, content: .certificates(certificates)))
                } else {
                    entries.append(Entry(fileName: name, content: .unreadable("\(crlError)")))
                }
            }
        }
        return CRLDirectory(path: path, entries: entries)
    }

    /// Every CRL in the folder, with the file it is in.
    public var revocationLists: [(fileName: String, crl: RevocationList)] {
        entries.flatMap { entry -> [(fileName: String, crl: RevocationList)] in
            guard case .revocationLists(let crls) = entry.content else { return [] }
            return crls.map { (entry.fileName, $0) }
        }
    }

    /// True when `serialHex` issued by `issuer` is listed revoked by a CRL of that issuer.
    public func revokes(issuer: String, serialHex: String) -> Bool {
        revokedByIssuer[issuer]?.contains(SerialNumber.normalized(serialHex)) ?? false
    }
}
