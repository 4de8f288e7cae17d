//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

// Public imports: the conformances below are of public TenantPKI types (the executable
// exports nothing, but Swift requires it).
public import ArgumentParser
import Foundation
public import TenantPKI

// The value sets `gshare pki` accepts: the parser lists them in help and in its error
// for an unknown value ("Please provide one of 'p256', 'p384', …").
extension KeyType: ExpressibleByArgument {}
extension CertificateProfile: ExpressibleByArgument {}
extension RevocationReason: ExpressibleByArgument {}

/// How a `gshare pki` command ends when the library refuses or fails.
enum PKIExit {
    /// PKIError codes about input that was understood but is not allowed: exit 1.
    /// Everything else (unreadable or damaged files, unwritable folders) could not run: exit 2.
    static let refusedCodes: Set<PKIError.Code> = [
        .invalidCommonName, .alreadyExists, .issuanceRefused, .unknownSerial, .invalidProfile, .unknownKeyType,
    ]

    static func status(for error: PKIError) -> ExitCode {
        refusedCodes.contains(error.code) ? ExitStatus.rejected : ExitStatus.couldNotRun
    }

    /// Runs `body`; a failure is printed on stderr (and, with `--json`, as `{"error": {code, message}}`
    /// on stdout) and becomes exit status 1 (refused) or 2 (could not run).
    static func reporting<T>(json: Bool, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PKIError {
            try fail(code: error.code.rawValue, message: error.description, status: status(for: error), json: json)
        } catch let failure as PKICommandFailure {
            try fail(code: failure.code, message: failure.message, status: failure.status, json: json)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            try fail(code: "internal-error", message: "\(error)", status: ExitStatus.couldNotRun, json: json)
        }
    }

    private static func fail(code: String, message: String, status: ExitCode, json: Bool) throws -> Never {
        Console.printError(message)
        if json { try Console.printJSON(PKIErrorDocument(error: .init(code: code, message: message))) }
        throw status
    }
}

/// A failure found by the CLI itself (before the library is called), e.g. a missing default profile.
struct PKICommandFailure: Error {
    let code: String
    let message: String
    let status: ExitCode
}

/// The `--json` form of a `gshare pki` failure.
struct PKIErrorDocument: Codable {
    struct Entry: Codable {
        let code: String
        let message: String
    }

    let error: Entry
}

extension Console {
    /// Prints `gshare: warning: …` on stderr.
    static func printWarning(_ message: String) {
        FileHandle.standardError.write(Data("gshare: warning: \(message)\n".utf8))
    }

    /// Whether stderr is a terminal (progress lines are only drawn on one).
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }
}

/// Names given on the command line as a comma-separated list, each checked as a CN.
enum CommonNameList {
    static func parse(_ text: String) throws -> [CommonName] {
        guard !text.isEmpty else { return [] }
        return try text.split(separator: ",", omittingEmptySubsequences: false).map { try CommonName(validating: String($0)) }
    }
}
