//===----------------------------------------------------------------------===//
// gshare — TenantRegistry tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import TenantPKI
import Testing

@testable import TenantRegistry

@Suite("Tenant registry: tenants, certificate history, conflicts")
struct TenantRegistryTests {
    let pki: TestPKI
    let time = Date(timeIntervalSince1970: 1_780_272_000)

    init() throws { pki = try TestPKI() }

    @Test func onboardedTenantRoundTripsWithEveryCertificateField() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        let identity = try pki.identity("tenant-a")
        #expect(try registry.onboard(identity, name: nil, at: time) == .new)

        let record = try #require(try registry.tenant(named: "tenant-a"))
        #expect(record.name == "tenant-a")
        #expect(record.commonName == "tenant-a")
        #expect(record.createdAt == time)
        #expect(record.certificate.fingerprint == identity.fingerprint)
        #expect(record.certificate.subject == identity.certificate.subject)
        #expect(record.certificate.issuer == identity.certificate.issuer)
        #expect(record.certificate.serial == identity.certificate.serialNumberHex)
        #expect(abs(record.certificate.notAfter.timeIntervalSince(identity.certificate.notAfter)) < 0.001)
        #expect(abs(record.certificate.notBefore.timeIntervalSince(identity.certificate.notBefore)) < 0.001)
        #expect(record.certificate.pem == identity.certificate.pemString)
        #expect(try registry.tenant(commonName: "tenant-a") == record)
        #expect(try registry.tenants() == [record])
    }

    @Test func aGivenNameIsKeptAndTheCNIsStillFoundByCN() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        try registry.onboard(try pki.identity("tenant-b"), name: "acme", at: time)
        #expect(try registry.tenant(named: "acme")?.commonName == "tenant-b")
        #expect(try registry.tenant(commonName: "tenant-b")?.name == "acme")
        #expect(try registry.tenant(named: "tenant-b") == nil)
    }

    @Test func theSameCertificateAgainChangesNothing() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        let identity = try pki.identity("tenant-a")
        try registry.onboard(identity, name: nil, at: time)
        #expect(try registry.onboard(identity, name: nil, at: time.addingTimeInterval(60)) == .unchanged)
        #expect(try registry.history(of: "tenant-a").count == 1)
    }

    @Test func aRenewedCertificateReplacesTheCurrentOneAndKeepsHistory() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        let first = try pki.identity("tenant-a", days: 10)
        let renewed = try pki.identity("tenant-a", days: 90)
        try registry.onboard(first, name: "a", at: time)
        #expect(try registry.onboard(renewed, name: nil, at: time.addingTimeInterval(3600)) == .renewed(previousFingerprint: first.fingerprint))

        let record = try #require(try registry.tenant(named: "a"))
        #expect(record.certificate.fingerprint == renewed.fingerprint)
        #expect(record.createdAt == time)
        #expect(try registry.history(of: "a").map(\.fingerprint) == [first.fingerprint, renewed.fingerprint])
        #expect(try registry.history(of: "a").map(\.onboardedAt) == [time, time.addingTimeInterval(3600)])
    }

    @Test func aCNHeldByAnotherTenantIsRefused() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        try registry.onboard(try pki.identity("tenant-a"), name: "first", at: time)
        #expect(throws: RegistryError(.cnTaken, reason: "", hint: "")) {
            try registry.onboard(try pki.identity("tenant-a"), name: "second", at: time)
        }
        #expect(try registry.tenants().map(\.name) == ["first"])
    }

    @Test func aNameHeldByATenantWithAnotherCNIsRefused() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        try registry.onboard(try pki.identity("tenant-a"), name: "shared", at: time)
        #expect(throws: RegistryError(.nameTaken, reason: "", hint: "")) {
            try registry.onboard(try pki.identity("tenant-b"), name: "shared", at: time)
        }
        // also when the default name (the CN) is taken by another tenant's name
        try registry.onboard(try pki.identity("tenant-c"), name: "tenant-d", at: time)
        #expect(throws: RegistryError(.nameTaken, reason: "", hint: "")) {
            try registry.onboard(try pki.identity("tenant-d"), name: nil, at: time)
        }
        #expect(try registry.tenants().map(\.commonName) == ["tenant-a", "tenant-c"])
    }

    @Test(arguments: ["", "-x", ".x", "has space", "a/b", "a*", String(repeating: "n", count: 65), "é"])
    func namesThatBreakTheShareNameRulesAreRefused(_ name: String) throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        #expect(throws: RegistryError(.invalidName, reason: "", hint: "")) {
            try registry.onboard(try pki.identity("tenant-a"), name: name, at: time)
        }
        #expect(try registry.tenants().isEmpty)
    }

    @Test func removingATenantForgetsItAndItsHistory() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        try registry.onboard(try pki.identity("tenant-a"), name: nil, at: time)
        try registry.onboard(try pki.identity("tenant-b"), name: nil, at: time)
        #expect(try registry.remove(named: "tenant-a").commonName == "tenant-a")
        #expect(try registry.tenants().map(\.name) == ["tenant-b"])
        #expect(throws: RegistryError(.unknownTenant, reason: "", hint: "")) { try registry.history(of: "tenant-a") }
        #expect(throws: RegistryError(.unknownTenant, reason: "", hint: "")) { try registry.remove(named: "tenant-a") }
        // the CN is free again
        #expect(try registry.onboard(try pki.identity("tenant-a"), name: "again", at: time) == .new)
    }

    @Test func aSecondHandleSeesWhatTheFirstWrote() throws {
        let folder = try stateFolder()
        try TenantRegistry(stateDirectory: folder).onboard(try pki.identity("tenant-a"), name: nil, at: time)
        #expect(try TenantRegistry(stateDirectory: folder).tenants().map(\.name) == ["tenant-a"])
    }
}

@Suite("API users in the registry")
struct APIUserRegistryTests {
    static func user(_ name: String, cn: String? = nil, project: String = "p1", role: APIUserRecord.Role = .member) -> APIUserRecord {
        APIUserRecord(
            name: name, commonName: cn ?? name, fingerprint: "AA:BB", notAfter: Date(timeIntervalSince1970: 2_000_000_000), project: project, role: role,
            createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test func aRegistryWithAPIUsersOpensAgainAndReadsThem() throws {
        let folder = try stateFolder()
        try TenantRegistry(stateDirectory: folder).addAPIUser(Self.user("alice", role: .admin))
        // Opened again: the API users' migration (v2) is applied, the tenants' (v1) is not
        // asked for again (GRDB would trap).
        let reopened = try TenantRegistry(stateDirectory: folder)
        #expect(try reopened.apiUsers().map(\.name) == ["alice"])
        #expect(try reopened.apiUser(commonName: "alice")?.role == .admin)
    }

    @Test func openingARegistryDoesNotAddTheAPIUsersTableUntilAUserIsAdded() throws {
        let folder = try stateFolder()
        let registry = try TenantRegistry(stateDirectory: folder)
        #expect(try registry.apiUsers().isEmpty && registry.apiUser(commonName: "x") == nil)
        #expect(throws: RegistryError.self) { try registry.removeAPIUser(named: "x") }
    }

    @Test func aNameOrCNTakenIsRefused() throws {
        let registry = try TenantRegistry(stateDirectory: try stateFolder())
        try registry.addAPIUser(Self.user("alice"))
        for duplicate in [Self.user("alice", cn: "other"), Self.user("bob", cn: "alice")] {
            #expect { try registry.addAPIUser(duplicate) } throws: { ($0 as? RegistryError)?.code == .apiUserTaken }
        }
        #expect(try registry.apiUsers().count == 1)
    }
}
