//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Testing

@testable import GlusterDriver

@Suite("AccessRequest: only cert access at rw")
struct AccessRequestTests {
    @Test("cert at rw, the default, is accepted")
    func certReadWriteIsAccepted() throws {
        try AccessRequest().validate()
        try AccessRequest(accessType: "cert", level: "rw").validate()
        #expect(AccessRequest() == AccessRequest(accessType: "cert", level: "rw"))
    }

    @Test(
        "other access types and levels are invalid requests that name the value",
        arguments: [
            (AccessRequest(accessType: "ip"), "'ip'"), (AccessRequest(accessType: "user"), "'user'"),
            (AccessRequest(accessType: "kerberos"), "'kerberos'"), (AccessRequest(accessType: "CERT"), "'CERT'"),
            (AccessRequest(accessType: ""), "''"), (AccessRequest(level: "ro"), "'ro'"), (AccessRequest(level: "admin"), "'admin'"),
            (AccessRequest(level: "RW"), "'RW'"),
        ])
    func otherRequestsAreRefused(request: AccessRequest, named: String) {
        #expect {
            try request.validate()
        } throws: { error in
            guard let error = error as? ShareDriverError else { return false }
            return error.code == .invalidRequest && error.message.contains(named) && !(error.hint ?? "").isEmpty
        }
    }

    @Test("the access type is checked before the level")
    func typeIsCheckedFirst() {
        #expect {
            try AccessRequest(accessType: "ip", level: "ro").validate()
        } throws: { ($0 as? ShareDriverError)?.message.contains("'ip'") == true }
    }
}
