//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import TenantPKI
import Testing

@testable import GlusterDriver

/// fixtures/allow-lists/hostile.json: every hostile auth.ssl-allow value, and what gshare
/// must make of it.
@Suite("Hostile auth.ssl-allow values (fixtures/allow-lists)")
struct HostileAllowListTests {
    struct Corpus: Decodable {
        struct Case: Decodable, CustomTestStringConvertible, Sendable {
            let value: String
            let irregular: [String]
            let admitsTenantA: [String]
            let freezes: Bool
            let denyTenantA: String?
            let why: String
            var testDescription: String { why }
        }

        let cases: [Case]
    }

    static let cases: [Corpus.Case] = {
        let url = repositoryRoot.appendingPathComponent("fixtures/allow-lists/hostile.json")
        return (try? JSONDecoder().decode(Corpus.self, from: Data(contentsOf: url)))?.cases ?? []
    }()

    @Test func theCorpusIsThere() {
        #expect(Self.cases.count >= 10)
    }

    @Test(arguments: cases)
    func eachValueIsJudgedAsGlusterFSWouldUseIt(_ hostile: Corpus.Case) throws {
        let list = SSLAllowList(optionValue: hostile.value)
        let tenantA = try CommonName(validating: "tenant-a")
        #expect(list.irregularEntries == hostile.irregular)
        #expect(list.entries(admitting: tenantA) == hostile.admitsTenantA)
        #expect(list.freezesTheBricks == hostile.freezes)
        let system = [try CommonName(validating: "gluster-node-1"), try CommonName(validating: "gshare-manager")]
        let info = VolumeInfo(name: "v", status: .started, options: ["server.ssl": "on", "client.ssl": "on", "auth.ssl-allow": hostile.value])
        #expect(TLSPosture.evaluate(info, systemCNs: system).isReady == (hostile.irregular.isEmpty && !list.admitsAnyone))
        if let expected = hostile.denyTenantA {
            #expect(try list.denying(tenantA, systemCNs: system).rendered == expected)
        } else {
            #expect(throws: AccessListError.self) { try list.denying(tenantA, systemCNs: system) }
        }
    }
}
