//===----------------------------------------------------------------------===//
// gshare — command-line tool
//===----------------------------------------------------------------------===//

import Foundation
import TenantPKI

/// A list of file paths, one per line, from a file or stdin (`-`): how scripts hand
/// gshare thousands of files without an enormous argument vector.
enum PathList {
    static func read(_ source: String) throws -> [String] {
        let text: String
        if source == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: source) else {
                throw PKIError.unreadablePathList(source)
            }
            text = String(decoding: data, as: UTF8.self)
        }
        return text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    }
}
