//===----------------------------------------------------------------------===//
// gshare — GShareWorkflows tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareWorkflows
import GlusterDriver
import TenantPKI
import TenantRegistry
import Testing
import WorkflowTestbed

@Suite("API users: a client certificate names one user, of one project, with one role")
struct APIUserWorkflowTests {
    @Test func anAddedUserIsAuthenticatedByThatVeryCertificateOnlyAndTheAddIsAudited() async throws {
        let bed = try Testbed()
        let alicePath = try bed.issue("alice")
        let user = try await bed.workflows.addAPIUser(name: "alice", certificatePath: alicePath, project: "p1", role: .member)
        #expect(user.commonName == "alice" && user.project == "p1" && user.role == .member)
        let alice = try #require(try Certificate.load(fromFile: alicePath).first)
        let found = try #require(try bed.workflows.apiUser(presenting: alice))
        #expect(found.name == "alice" && found.fingerprint == alice.sha256Fingerprint && found.project == "p1" && found.role == .member)
        // Another certificate with the same CN (a second issuance) is not alice's.
        let again = try #require(try Certificate.load(fromFile: try bed.issue("alice")).first)
        #expect(try bed.workflows.apiUser(presenting: again) == nil)
        let entry = try #require(try bed.audit().last)
        #expect(entry.result == .ok && entry.target == "alice" && entry.message?.contains("project p1, member") == true)
        #expect(try bed.workflows.apiUsers().map(\.name) == ["alice"])
    }

    @Test func aRemovedUserIsNoLongerAuthenticated() async throws {
        let bed = try Testbed()
        let path = try bed.issue("bob")
        _ = try await bed.workflows.addAPIUser(name: "bob", certificatePath: path, project: "p1", role: .admin)
        _ = try await bed.workflows.removeAPIUser("bob")
        #expect(try bed.workflows.apiUser(presenting: try #require(try Certificate.load(fromFile: path).first)) == nil)
        await #expect(throws: WorkflowError.self) { try await bed.workflows.removeAPIUser("bob") }
    }

    @Test func everyRefusedAddNamesTheReasonAndRecordsNothing() async throws {
        let now = Date()
        let bed = try Testbed(now: now.addingTimeInterval(3 * 86_400))
        let carol = try bed.issue("carol")
        let shortLived = try bed.issue("short", days: 1)
        let garbage = bed.folder.appendingPathComponent("garbage.pem").path
        try "not a certificate".write(toFile: garbage, atomically: true, encoding: .utf8)
        _ = try await bed.workflows.addAPIUser(name: "carol", certificatePath: carol, project: "p1", role: .member)
        for (name, path, project, phrase) in [
            ("x", carol, "a b", "is not a project ID"),
            ("x", shortLived, "p1", "expired"),
            ("x", garbage, "p1", "garbage.pem"),
            ("x", bed.folder.appendingPathComponent("missing.pem").path, "p1", "missing.pem"),
            ("carol", try bed.issue("dave"), "p1", "an API user called 'carol' exists"),
            ("erin", carol, "p1", "holds the CN 'carol' already"),
            ("no spaces", try bed.issue("frank"), "p1", "not a valid API user name"),
        ] {
            await #expect("\(name) \(path) \(project)") {
                try await bed.workflows.addAPIUser(name: name, certificatePath: path, project: project, role: .member)
            } throws: { error in
                (error as? WorkflowError)?.description.contains(phrase) == true
            }
        }
        #expect(try bed.workflows.apiUsers().map(\.name) == ["carol"])
    }

    @Test func aSystemCNCannotBeAnAPIUser() async throws {
        let bed = try Testbed()
        // The tenant root refuses to issue a reserved name; a node CA could: make one.
        let nodeRoot = try CertificateAuthority.create(in: bed.folder.appendingPathComponent("node-root").path, commonName: "Node Root", hierarchy: .node)
        let issued = try nodeRoot.issue(commonName: CommonName(validating: "gshare-manager"), profile: .client)
        let path = bed.folder.appendingPathComponent("manager.pem").path
        try issued.chainPEM.write(toFile: path, atomically: true, encoding: .utf8)
        await #expect {
            try await bed.workflows.addAPIUser(name: "manager", certificatePath: path, project: "p1", role: .admin)
        } throws: { error in
            (error as? WorkflowError)?.code == .systemCommonName
        }
    }
}
