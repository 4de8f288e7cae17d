//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import TenantPKI
import Testing

@testable import GlusterDriver

/// One volume on one host spelt two ways is one volume: `config check` refuses it.
@Suite("Targets that are one volume spelt two ways")
struct TargetSpellingTests {
    static func config(_ targets: [String]) throws -> GShareConfig {
        GShareConfig(targets: try targets.map { try GlusterTarget(parsing: $0) }, systemCNs: [try CommonName(validating: "gluster-node-1")])
    }

    @Test func theSameHostSpeltTwoWaysAndTheSameVolumeIsAPair() throws {
        let hosts: [String: Set<String>] = ["h": ["127.0.0.1"], "localhost": ["127.0.0.1", "::1"], "127.0.0.1": ["127.0.0.1"]]
        let config = try Self.config(["h:/v", "127.0.0.1:/v", "localhost:/v", "h:/other"])
        let pairs = config.sameVolumeSpellings { hosts[$0] ?? [] }.map { "\($0.0) = \($0.1)" }
        #expect(pairs == ["h:/v = 127.0.0.1:/v", "h:/v = localhost:/v", "127.0.0.1:/v = localhost:/v"])
    }

    @Test func nodesOfOnePoolNamingOneVolumeAndHostsThatDoNotResolveAreNotPairs() throws {
        let config = try Self.config(["127.0.0.11:/v", "127.0.0.12:/v", "node-a:/v", "node-b:/v"])
        #expect(config.sameVolumeSpellings { $0.first == "1" ? [$0] : [] }.isEmpty)
        #expect(try Self.config(["NODE-A:/v", "node-a:/v"]).sameVolumeSpellings { _ in [] }.count == 1, "host names are case-insensitive")
    }

    @Test func localhostAndItsAddressResolveToTheSameHostOnThisMachine() {
        #expect(HostAddresses.of("localhost").contains("127.0.0.1"))
        #expect(HostAddresses.of("127.0.0.1") == ["127.0.0.1"])
        #expect(HostAddresses.of("no-such-host.invalid").isEmpty)
    }
}
