//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows
//===----------------------------------------------------------------------===//

import Foundation
public import TenantPKI

/// One file as `cert inspect` read it: its certificates, or why it could not be read.
public struct InspectedFile: Sendable {
    public let file: String
    public let certificates: [Certificate]
    /// Why the file could not be read (then ``certificates`` is empty).
    public let error: WorkflowError?
}

/// One file as `cert verify` judged it.
public struct VerifiedFile: Sendable {
    public let file: String
    /// Both layers' verdict with every finding, or why the file could not be judged.
    public let result: Result<VerificationReport, PKIError>
    /// The report, when the file could be judged.
    public var report: VerificationReport? { try? result.get() }
    public var summary: VerificationSummary {
        switch result {
        case .success(let report): VerificationSummary(file: file, report: report)
        case .failure(let error): VerificationSummary(file: file, error: error)
        }
    }
}

/// What `cert verify` judged.
public struct Verification: Sendable {
    public let depth: Int
    public let files: [VerifiedFile]
    public var valid: Int { files.count { $0.report?.isValid == true } }
    public var invalid: Int { files.count { $0.report?.isValid == false } }
    public var couldNotVerify: Int { files.count { $0.report == nil } }
    /// `failed` if any file could not be judged, else `refused` if any is invalid, else `ok`.
    public var verdict: Verdict { couldNotVerify > 0 ? .failed : invalid > 0 ? .refused : .ok }
}

/// What a verification needs: the leaves and the trust they are judged against.
public struct VerificationRequest: Sendable {
    public var leaves: [String]
    /// A file listing more leaves, one per line (`-`: standard input, read by the caller).
    public var leafList: [String]
    public var caFile: String
    public var untrusted: [String]
    public var crls: [String]
    public var depth: Int
    /// RFC 3339; nil: now.
    public var at: String?
    public var keyFile: String?
    /// The system CNs (a configuration's `system_cns`): no tenant may hold one.
    public var systemCNs: [String]

    public init(
        leaves: [String], leafList: [String] = [], caFile: String, untrusted: [String] = [], crls: [String] = [], depth: Int = 1,
        at: String? = nil, keyFile: String? = nil, systemCNs: [String] = []
    ) {
        self.systemCNs = systemCNs
        self.leaves = leaves
        self.leafList = leafList
        self.caFile = caFile
        self.untrusted = untrusted
        self.crls = crls
        self.depth = depth
        self.at = at
        self.keyFile = keyFile
    }
}

/// Certificate inspection and verification: nothing here needs a configuration or
/// changes anything.
public enum CertificateWorkflows {
    /// Every certificate in each file (a file that cannot be read is a result, not an error).
    public static func inspect(_ files: [String]) -> [InspectedFile] {
        files.map { file in
            do {
                return InspectedFile(file: file, certificates: try Certificate.load(fromFile: file), error: nil)
            } catch {
                return InspectedFile(file: file, certificates: [], error: WorkflowError(error))
            }
        }
    }

    /// Judges each leaf under both layers (GlusterFS would accept it; gshare's tenant policy).
    /// Files are judged in parallel against one trust store.
    /// - Throws: ``WorkflowError`` when nothing can be judged (the CA file, `at`, the key).
    public static func verify(_ request: VerificationRequest) throws(WorkflowError) -> Verification {
        let files = request.leaves + request.leafList
        let (verifier, keyFile) = try reportedSync { () throws -> (CertificateVerifier, PrivateKeyFile?) in
            let time = try request.at.map(RFC3339.parse)
            let store = try TrustStore(caFile: request.caFile, untrustedFiles: request.untrusted, crlFiles: request.crls)
            let verifier = CertificateVerifier(
                trustStore: store, options: VerificationOptions(depth: request.depth, time: time, reservedCommonNames: Set(request.systemCNs)))
            return (verifier, try request.keyFile.map { try PrivateKeyFile(path: $0) })
        }
        let judged = zip(files, verifier.verify(files: files, key: keyFile)).map { VerifiedFile(file: $0, result: $1) }
        return Verification(depth: request.depth, files: judged)
    }

    /// A list of file paths, one per line, from a file or standard input (`-`): how scripts
    /// hand gshare thousands of files without an enormous argument vector.
    public static func pathList(_ source: String) throws(WorkflowError) -> [String] {
        let text: String
        if source == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: source) else { throw WorkflowError(PKIError.unreadablePathList(source)) }
            text = String(decoding: data, as: UTF8.self)
        }
        return text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }
}
