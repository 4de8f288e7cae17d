//===----------------------------------------------------------------------===//
// gshare — TenantRegistry tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

@testable import TenantRegistry

/// Every file of the hostile registry corpus (fixtures/registry/, see its README) is opened
/// and read in full — tenants, each tenant's certificate history, the audit log — from a
/// copy: no trap, the error code and phrases its `cases.json` entry records, and the file
/// byte-identical when refused (the one old gshare registry is stamped and read instead).
@Suite("Hostile registry files: refused or read, never a crash")
struct RegistryCorpusTests {
    @Test func everyFileInTheFolderIsListedInCasesJSON() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: RegistryCorpus.directory.path).filter { $0.hasSuffix(".sqlite") }
        let listed = try RegistryCorpus.load().map(\.file)
        #expect(listed.count >= 10)
        #expect(Set(listed).count == listed.count, "a file is listed twice in cases.json")
        #expect(Set(files).subtracting(listed).sorted() == [], "files missing from cases.json")
        #expect(Set(listed).subtracting(files).sorted() == [], "cases.json lists files that do not exist")
        let codes = Set([RegistryError.Code.malformedRow, .foreignDatabase, .corrupt, .newerVersion].map(\.rawValue))
        #expect(Set(try RegistryCorpus.load().compactMap(\.code)).subtracting(codes).sorted() == [], "cases.json uses unknown codes")
    }

    @Test(arguments: RegistryCorpus.cases)
    func aHostileRegistryIsRefusedWithItsCodeAndPhrasesOrRead(_ corpusCase: RegistryCorpus.Case) async throws {
        let folder = try stateFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + TenantRegistry.fileName
        try FileManager.default.copyItem(atPath: RegistryCorpus.path(corpusCase.file), toPath: path)
        let before = try await sha256(of: path)

        var tenants: [TenantRecord] = []
        var entries: [AuditEntry] = []
        var failure: (any Error)?
        do {
            let registry = try TenantRegistry(stateDirectory: folder)
            tenants = try registry.tenants()
            for tenant in tenants { _ = try registry.history(of: tenant.name) }
            entries = try registry.audit()
        } catch {
            failure = error
        }

        guard let code = corpusCase.code else {
            #expect(failure == nil, "\(corpusCase.file): \(failure.map { "\($0)" } ?? "")")
            #expect(tenants.map(\.name) == corpusCase.tenants)
            #expect(entries.count == corpusCase.auditEntries)
            #expect(try applicationID(path) == Schema.applicationID, "an old gshare registry is stamped with gshare's mark")
            let stamped = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(try TenantRegistry(stateDirectory: folder).tenants().map(\.name) == corpusCase.tenants)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == stamped, "opening a marked registry changes nothing")
            return
        }
        let error = try #require(failure as? RegistryError, "\(corpusCase.file): expected \(code), got \(failure.map { "\($0)" } ?? "success")")
        #expect(error.code.rawValue == code, "\(error)")
        #expect(error.path == path, "the error names the file")
        for phrase in corpusCase.phrases { #expect(error.description.contains(phrase), "\(error)") }
        #expect(error.description.contains("mv \(path) \(path)."), "the fix says how to move the file aside: \(error)")
        #expect(!error.description.contains("\n"), "one line: \(error)")
        if corpusCase.unchanged {
            await #expect(try sha256(of: path) == before, "\(corpusCase.file) was changed")
            #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        }
        if let auditPhrase = corpusCase.auditPhrase {
            let audit = try #require(throws: RegistryError.self) { try TenantRegistry(stateDirectory: folder).audit() }
            #expect(audit.code == .malformedRow)
            #expect(audit.description.contains(auditPhrase), "\(audit)")
        }
    }

    @Test(arguments: [
        ("2024-02-29 23:59:59.999", 1_709_251_199.999), ("1970-01-01 00:00:00.000", 0), ("2026-06-01 00:00:00.000", 1_780_272_000),
        ("9999-12-31 23:59:59.000", 253_402_300_799),
    ])
    func datesAsGRDBWritesThemAreRead(_ text: String, _ seconds: Double) throws {
        let date = try #require(RegistryRow.parseDate(Array(text.utf8)))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.0005)
    }

    @Test(arguments: [
        "yesterday", "", "2026-02-30 00:00:00.000", "2025-02-29 00:00:00.000", "2026-13-01 00:00:00.000", "2026-00-10 00:00:00.000",
        "2026-06-01 24:00:00.000", "2026-06-01 23:60:00.000", "2026-06-01T00:00:00.000", "2026-06-01 00:00:00", "2026-06-01 00:00:00.0000",
        "+026-06-01 00:00:00.000", "2026-06-01 00:00:00.-01", "0000-01-01 00:00:00.000", "1780272000",
    ])
    func anythingElseIsNotADate(_ text: String) {
        #expect(RegistryRow.parseDate(Array(text.utf8)) == nil)
    }
}

/// fixtures/registry/: the hostile registry files and their manifest.
enum RegistryCorpus {
    struct Case: Decodable, Sendable, CustomStringConvertible {
        let file: String
        let code: String?
        let phrases: [String]
        /// With `code`: the file must be byte-identical afterwards.
        let unchanged: Bool
        /// Without `code`: what the registry then holds.
        let tenants: [String]?
        let auditEntries: Int?
        /// The audit log's own error, when the file has one there too.
        let auditPhrase: String?
        var description: String { file }
    }

    private struct Manifest: Decodable {
        let cases: [Case]
    }

    static let directory = repositoryRoot.appendingPathComponent("fixtures/registry")

    static func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

    static func load() throws -> [Case] {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: directory.appendingPathComponent("cases.json"))).cases
    }

    /// The cases, or none when the manifest cannot be read (``load()`` is tested on its own).
    static let cases: [Case] = (try? load()) ?? []
}
