//===----------------------------------------------------------------------===//
// gshare — GShareTOML tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTOML
import Testing

/// Every file of the hostile-input corpus (fixtures/toml/) is refused with the code,
/// position and message phrase its `cases.json` entry records.
@Suite("Hostile inputs are refused with their code, line and reason")
struct HostileCorpusTests {
    @Test func manifestLoadsAndCoversTheCorpus() throws {
        let cases = try HostileCorpus.load()
        #expect(cases.count >= 80)
        #expect(cases.count == HostileCorpus.cases.count)
        #expect(Set(cases.map(\.file)).count == cases.count, "a file is listed twice in cases.json")
    }

    @Test func everyFileInTheFolderIsListedInCasesJSON() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: HostileCorpus.directory.path)
            .filter { $0 != "README.md" && $0 != "cases.json" }
        let listed = try HostileCorpus.load().map(\.file)
        #expect(Set(files).subtracting(listed).sorted() == [], "files missing from cases.json")
        #expect(Set(listed).subtracting(files).sorted() == [], "cases.json lists files that do not exist")
    }

    @Test func everyParserErrorCodeHasACase() throws {
        let covered = Set(try HostileCorpus.load().map(\.code))
        let madeAtRunTime: Set<TOMLError.Code> = [.fileUnreadable, .inputTooLarge, .wrongType, .unknownKey, .missingKey]
        let needed = TOMLError.Code.all.filter { !madeAtRunTime.contains($0) }.map(\.rawValue)
        #expect(Set(needed).subtracting(covered).sorted() == [], "codes without a corpus case")
        #expect(covered.subtracting(TOMLError.Code.all.map(\.rawValue)).sorted() == [], "cases.json uses unknown codes")
    }

    @Test(arguments: HostileCorpus.cases)
    func hostileInputIsRefusedWithItsCodeLineAndPhrase(_ corpusCase: HostileCorpus.Case) throws {
        let path = HostileCorpus.path(corpusCase.file)
        let error = try #require(caughtError { _ = try TOMLTable.parse(fileAt: path) }, "\(corpusCase.file) was accepted")
        #expect(error.code.rawValue == corpusCase.code, "\(error)")
        #expect(error.line == corpusCase.line, "\(error)")
        #expect(error.column == corpusCase.column, "\(error)")
        #expect(error.message.contains(corpusCase.phrase), "\(error)")
        #expect(error.source == path)
        #expect(error.description == "\(path):\(corpusCase.line):\(corpusCase.column): \(error.message)")

        // The same verdict whichever way the document arrives.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let fromBytes = try #require(parseError(utf8: bytes, source: corpusCase.file))
        #expect(fromBytes.code == error.code && fromBytes.line == error.line && fromBytes.column == error.column)
        #expect(fromBytes.message == error.message && fromBytes.source == corpusCase.file)
        if let text = String(validating: bytes, as: UTF8.self) {
            let fromString = try #require(parseError(text, source: corpusCase.file))
            #expect(fromString.code == error.code && fromString.line == error.line && fromString.column == error.column)
        }
    }
}
