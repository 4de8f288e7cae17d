//===----------------------------------------------------------------------===//
// gshare — TenantPKI tests
//===----------------------------------------------------------------------===//

import Foundation
import Testing

@testable import TenantPKI

@Suite("RFC 3339 times (--at, CA records)")
struct RFC3339Tests {
    static let reference = Date(timeIntervalSince1970: 1_780_272_000)  // 2026-06-01T00:00:00Z

    @Test(arguments: ["2026-06-01T00:00:00Z", "2026-06-01T02:00:00+02:00", "2026-05-31T19:00:00-05:00", "2026-06-01T00:00:00.000Z"])
    func everyFormOfTheSameInstantParsesAlike(_ text: String) throws {
        #expect(try RFC3339.parse(text) == Self.reference)
    }

    @Test func theCanonicalFormRoundTrips() throws {
        for seconds in stride(from: 0.0, to: 4_000_000_000, by: 123_456_789) {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try RFC3339.parse(RFC3339.format(date)) == date)
        }
    }

    @Test(arguments: ["tomorrow", "", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-06-01 00:00:00Z", "2026-06-01T24:00:00Z"])
    func nonsenseIsRefusedWithTheFormat(_ text: String) {
        #expect {
            try RFC3339.parse(text)
        } throws: { error in
            guard let error = error as? PKIError else { return false }
            return error.code == .invalidTime && error.hint.contains("2026-06-01T00:00:00Z")
        }
    }
}
