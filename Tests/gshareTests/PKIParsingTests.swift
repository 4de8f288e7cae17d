//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import ArgumentParser
import TenantPKI
import Testing

@testable import gshare

@Suite("gshare pki: command-line parsing, in process")
struct PKIParsingTests {
    @Test func initCADefaultsToAP256RootNamedAfterItsFolder() throws {
        let command = try #require(try GShare.parseAsRoot(["pki", "init-ca", "--dir", "ca/tenant-root/"]) as? GShare.Pki.InitCA)
        #expect(command.keyType == .p256)
        #expect(command.parent == nil && command.days == nil)
        #expect(command.cn == nil, "the default name is the workflow's (PKIWorkflowsTests)")
        let named = try #require(try GShare.parseAsRoot(["pki", "init-ca", "--dir", "x", "--cn", "My Root"]) as? GShare.Pki.InitCA)
        #expect(named.cn == "My Root")
    }

    @Test func issueParsesEveryOption() throws {
        let command = try GShare.parseAsRoot([
            "pki", "issue", "--ca", "ca/int", "--cn", "node-1", "--profile", "node", "--san", "DNS:node-1", "--san", "IP:10.0.0.1",
            "--days", "90", "--key-type", "rsa3072", "--out", "out/node-1", "--peer-ca", "a.pem", "--peer-ca", "b.pem", "--force", "--json",
        ])
        let issue = try #require(command as? GShare.Pki.Issue)
        #expect(issue.ca == "ca/int" && issue.cn == "node-1" && issue.profile == .node)
        #expect(issue.san == ["DNS:node-1", "IP:10.0.0.1"])
        #expect(issue.days == 90 && issue.keyType == .rsa3072 && issue.out == "out/node-1")
        #expect(issue.peerCA == ["a.pem", "b.pem"])
        #expect(issue.force && issue.output.json)
    }

    @Test func issueNeedsAProfile() {
        #expect {
            try GShare.parseAsRoot(["pki", "issue", "--ca", "ca", "--cn", "tenant-a"])
        } throws: { error in
            GShare.message(for: error).contains("--profile")
        }
    }

    @Test func anUnknownProfileListsTheProfiles() {
        #expect {
            try GShare.parseAsRoot(["pki", "issue", "--ca", "ca", "--cn", "tenant-a", "--profile", "admin"])
        } throws: { error in
            let message = GShare.message(for: error)
            return message.contains("client") && message.contains("server") && message.contains("node")
        }
    }

    @Test func revokeTakesASerialOrACertificateButNotBoth() throws {
        let bySerial = try #require(try GShare.parseAsRoot(["pki", "revoke", "--ca", "ca", "--serial", "0A"]) as? GShare.Pki.Revoke)
        #expect(bySerial.serial == "0A" && bySerial.cert == nil && bySerial.reason == .unspecified)
        let byCert = try #require(
            try GShare.parseAsRoot(["pki", "revoke", "--ca", "ca", "--cert", "a.pem", "--reason", "superseded"]) as? GShare.Pki.Revoke)
        #expect(byCert.cert == "a.pem" && byCert.reason == .superseded)
        #expect {
            try GShare.parseAsRoot(["pki", "revoke", "--ca", "ca", "--serial", "0A", "--cert", "a.pem"])
        } throws: { error in
            GShare.message(for: error).contains("give exactly one of --serial HEX or --cert FILE")
        }
    }

    @Test func crlDefaultsToThirtyDays() throws {
        let crl = try #require(try GShare.parseAsRoot(["pki", "crl", "--ca", "ca"]) as? GShare.Pki.CRL)
        #expect(crl.days == 30 && crl.out == nil)
    }

    @Test func labTakesTenantsOrACountButNotBoth() throws {
        let lab = try #require(
            try GShare.parseAsRoot(["pki", "lab", "--dir", "out", "--nodes", "n1,n2", "--tenant-count", "12"]) as? GShare.Pki.Lab)
        #expect(lab.nodes == "n1,n2" && lab.tenantCount == 12 && lab.profile == nil)
        #expect {
            try GShare.parseAsRoot(["pki", "lab", "--dir", "out", "--tenants", "a", "--tenant-count", "2"])
        } throws: { error in
            GShare.message(for: error).contains("either --tenants or --tenant-count")
        }
    }

    @Test func aCommaSeparatedListIsSplitAsWritten() {
        // The names are judged by the workflow (PKIWorkflowsTests): the CLI only splits.
        #expect(GShare.Pki.Lab.names("a,b-1") == ["a", "b-1"])
        #expect(GShare.Pki.Lab.names("").isEmpty)
        #expect(GShare.Pki.Lab.names("a,,b") == ["a", "", "b"])
    }

    @Test(arguments: [GShare.Pki.InitCA.self, GShare.Pki.Issue.self, GShare.Pki.Revoke.self, GShare.Pki.CRL.self, GShare.Pki.Lab.self] as [any ParsableCommand.Type])
    func everyHelpTeachesWithAnExampleAndTheExitStatuses(command: any ParsableCommand.Type) {
        let help = GShare.helpMessage(for: command)
        #expect(help.contains("Exit status: 0"))
        #expect(help.contains("Example:"))
        #expect(help.contains("gshare pki "))
    }
}
