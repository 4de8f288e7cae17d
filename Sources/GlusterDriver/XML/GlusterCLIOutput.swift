//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

public import Foundation

/// What one `gluster --mode=script --xml …` run printed, and how it ended.
public struct GlusterCommandOutput: Sendable, Equatable {
    public let exitStatus: Int32
    public let standardOutput: Data
    public let standardError: String

    public init(exitStatus: Int32, standardOutput: Data, standardError: String) {
        self.exitStatus = exitStatus
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// A parsed `<cliOutput>` document whose opRet was 0.
///
/// The gluster CLI's failure conventions, all handled here: most failures exit 0 with
/// `opRet` -1 and an `opErrstr`; some exit 1 or 2 with XML; with glusterd down it prints
/// "Connection failed…" with no XML at all.
struct GlusterCLIDocument {
    let root: LightXMLElement

    init(_ output: GlusterCommandOutput, command: [String]) throws {
        // "Connection failed…" (glusterd down) comes without XML: look at the text only then.
        let startsLikeXML = output.standardOutput.first { !LightXMLElement.isSpace($0) } == UInt8(ascii: "<")
        let text = startsLikeXML ? "" : String(decoding: output.standardOutput, as: UTF8.self)
        if text.contains("Connection failed") || output.standardError.contains("Connection failed") {
            throw GlusterDriverError(
                .glusterdUnreachable, command: command,
                message: "glusterd does not answer; start it (or check the host) and try again")
        }
        // A peer that does not answer within the CLI's --timeout: "Error : Request timed out".
        if text.contains("Request timed out") || output.standardError.contains("Request timed out") {
            throw GlusterDriverError(
                .timedOut, command: command,
                message: "glusterd did not finish within the CLI's timeout (a node of its pool hangs?); the command may still take effect")
        }
        // glusterd stores option values unchecked, but libxml2 refuses to write a control byte
        // (an ESC set by hand): the CLI then prints no XML at all, for the whole pool.
        if output.standardError.contains("PCDATA invalid Char value") {
            let byte = output.standardError.range(of: "Char value ").map { output.standardError[$0.upperBound...].prefix { $0.isNumber } } ?? ""
            throw GlusterDriverError(
                .malformedOutput, command: command,
                message: "glusterd could not write its XML: an option value holds a control character (byte \(byte.isEmpty ? "?" : String(byte))), "
                    + "set by hand; gluster refuses to describe any volume in XML until it is gone. Find it with `gluster volume info` "
                    + "(without --xml; option values shown raw) and reset it (`gluster volume reset VOLUME OPTION`, or "
                    + "`gluster volume set VOLUME OPTION NONE` for a user.* option)")
        }
        guard startsLikeXML, let root = LightXMLElement.parse(output.standardOutput) else {
            let shown = startsLikeXML ? String(decoding: output.standardOutput.prefix(300), as: UTF8.self) : text
            throw GlusterDriverError(
                .malformedOutput, command: command,
                message: "the output is not XML (exit status \(output.exitStatus)): \(Self.excerpt(shown.isEmpty ? output.standardError : shown))")
        }
        guard root.name == "cliOutput",
            let opRetText = root.elements(forName: "opRet").first?.stringValue,
            let opRet = Int(opRetText.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            throw GlusterDriverError(
                .malformedOutput, command: command,
                message: "the XML has no <cliOutput><opRet>: \(Self.excerpt(String(decoding: output.standardOutput.prefix(300), as: UTF8.self)))")
        }
        let opErrno = root.text(of: "opErrno").flatMap { Int($0) }
        let opErrstr = root.elements(forName: "opErrstr").first?.stringValue
        if opRet != 0 {
            if opErrno == 30806 {
                throw GlusterDriverError(
                    .unknownVolume, command: command, message: "the volume does not exist (gluster volume list shows the ones that do)",
                    glusterMessage: opErrstr, glusterErrno: opErrno)
            }
            let said = opErrstr ?? ""
            if said.range(of: "quorum not met", options: .caseInsensitive) != nil {
                throw GlusterDriverError(
                    .quorumLost, command: command,
                    message: "glusterd refused the change: its pool lost server quorum (too many nodes are down); nothing was changed",
                    glusterMessage: opErrstr, glusterErrno: opErrno)
            }
            if said.range(of: "not connected", options: .caseInsensitive) != nil || said.range(of: " is down", options: .caseInsensitive) != nil {
                throw GlusterDriverError(
                    .nodeDown, command: command,
                    message: "glusterd refused the command: a node it needs is down or disconnected (\(Self.excerpt(said))); nothing was changed",
                    glusterMessage: opErrstr, glusterErrno: opErrno)
            }
            throw GlusterDriverError(
                .commandFailed, command: command, message: "glusterd refused the command (opRet \(opRet), opErrno \(opErrno ?? 0))",
                glusterMessage: opErrstr, glusterErrno: opErrno)
        }
        self.root = root
    }

    static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}


