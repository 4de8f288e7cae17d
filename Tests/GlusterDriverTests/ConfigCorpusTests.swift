//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GlusterDriver
import Testing

/// Every file of the hostile configuration corpus (fixtures/config/) is refused with the
/// code, line, key and message phrase its `cases.json` entry records.
@Suite("Hostile configurations are refused with their code, line, key and reason")
struct ConfigCorpusTests {
    @Test func manifestLoadsAndCoversTheCorpus() throws {
        let cases = try ConfigCorpus.load()
        #expect(cases.count >= 20)
        #expect(cases.count == ConfigCorpus.cases.count)
        #expect(Set(cases.map(\.file)).count == cases.count, "a file is listed twice in cases.json")
    }

    @Test func everyFileInTheFolderIsListedInCasesJSON() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ConfigCorpus.directory.path)
            .filter { $0 != "README.md" && $0 != "cases.json" }
        let listed = try ConfigCorpus.load().map(\.file)
        #expect(Set(files).subtracting(listed).sorted() == [], "files missing from cases.json")
        #expect(Set(listed).subtracting(files).sorted() == [], "cases.json lists files that do not exist")
    }

    @Test func casesUseOnlyKnownCodesAndKeys() throws {
        let cases = try ConfigCorpus.load()
        let codes = Set(GShareConfigError.Code.all.map(\.rawValue))
        #expect(Set(cases.map(\.code)).subtracting(codes).sorted() == [], "cases.json uses unknown codes")
    }

    @Test(arguments: ConfigCorpus.cases)
    func hostileConfigurationIsRefusedWithItsCodeLineKeyAndPhrase(_ corpusCase: ConfigCorpus.Case) throws {
        let path = ConfigCorpus.path(corpusCase.file)
        let error = try #require(configError { try GShareConfig.load(fileAt: path, environment: ["HOME": "/home/op"]) }, "\(corpusCase.file) was accepted")
        #expect(error.code.rawValue == corpusCase.code, "\(error)")
        #expect(error.line == corpusCase.line, "\(error)")
        #expect(error.key == corpusCase.key, "\(error)")
        #expect(error.message.contains(corpusCase.phrase), "\(error)")
        #expect(error.source == path)
        #expect(error.description.hasPrefix(corpusCase.line > 0 ? "\(path):\(corpusCase.line):" : "\(path): "), "\(error)")
        if let key = corpusCase.key { #expect(error.description.contains("\(key): "), "\(error)") }
        #expect(!error.description.contains("\n"), "a message must stay on one line: \(error)")

        // The same verdict from text as from the file.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let fromText = try #require(configError { try GShareConfig.parse(text, source: path, environment: ["HOME": "/home/op"]) })
        #expect(fromText.code == error.code && fromText.line == error.line && fromText.column == error.column)
        #expect(fromText.message == error.message)
    }

    @Test func everyRefusalSaysHowToFixIt() throws {
        // TOML-level errors carry their fix in the message; gshare's own errors in the hint.
        for corpusCase in ConfigCorpus.cases where !["invalid-toml", "wrong-type", "unknown-key"].contains(corpusCase.code) {
            let error = try #require(configError { try GShareConfig.load(fileAt: ConfigCorpus.path(corpusCase.file)) })
            #expect(!error.hint.isEmpty, "\(corpusCase.file): \(error)")
        }
    }
}
