//===----------------------------------------------------------------------===//
// gshare — GShareService tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareService
import GShareTestSupport
import GShareWorkflows
import GlusterDriver
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WorkflowTestbed

@Suite("Share API: malformed input gets a 4xx Manila error body, never a crash or a change")
struct RequestHandlingTests {
    @Test func everyMalformedCreateIs400NamingWhatIsWrong() async throws {
        let api = try APIBed()
        try await api.run { client in
            for (body, phrase) in [
                ("", "has no body"),
                ("{", "it is not JSON"),
                ("[]", "must be an object"),
                (#"{"share": {"size": 1}}"#, "'share' lacks 'share_proto'"),
                (#"{"share": {"share_proto": "GLUSTERFS"}}"#, "'share' lacks 'size'"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": "1"}}"#, "'share.size' must be a whole number"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 1.5}}"#, "POST /shares"),
                (#"{"share": {"share_proto": "NFS", "size": 1}}"#, "share_proto 'NFS' is not served"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 0}}"#, "is not a share size"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": -1}}"#, "is not a share size"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 1, "name": "a b"}}"#, "is not a valid share name"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 1, "name": "NONE"}}"#, "is not a valid share name"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 1, "share_type": "gold"}}"#, "share type 'gold' does not exist"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 1, "snapshot_id": "s"}}"#, "snapshot_id is not supported"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 1, "is_public": true}}"#, "public shares are not supported"),
                (#"{"share": {"share_proto": "GLUSTERFS", "size": 1, "metadata": {"a": "b"}}}"#, "metadata is not stored"),
            ] {
                let answer = try await client.post("/v2/p1/shares", body)
                #expect(answer.status == 400 && answer.fault?.name == "badRequest" && answer.fault?.code == 400, "\(body): \(answer.text)")
                #expect(answer.fault?.message.contains(phrase) == true, "\(body): \(answer.text)")
            }
            #expect(api.bed.pool.writes.isEmpty, "nothing may be written")
        }
    }

    @Test func everyMalformedActionIs400NamingWhatIsWrong() async throws {
        let api = try APIBed()
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            for (body, phrase) in [
                ("{}", "takes exactly one action"),
                (#"{"extend": {"new_size": 2}, "shrink": {"new_size": 1}}"#, "takes exactly one action"),
                (#"{"revert": {"snapshot_id": "s"}}"#, "the action 'revert' is not served"),
                (#"{"access_list": null}"#, "the action 'access_list' is not served"),
                (#"{"allow_access": {"access_type": "cert"}}"#, "'allow_access' lacks 'access_to'"),
                (#"{"deny_access": {}}"#, "'deny_access' lacks 'access_id'"),
            ] {
                let answer = try await client.post("/v2/p1/shares/\(id)/action", body)
                #expect(answer.status == 400 && answer.fault?.message.contains(phrase) == true, "\(body): \(answer.text)")
            }
        }
    }

    @Test func aBodyPastTheLimitIs413AndUnknownRoutesAndMethodsGetManilaErrorBodies() async throws {
        let api = try APIBed()
        try await api.run { client in
            let huge = #"{"share": {"share_proto": "GLUSTERFS", "size": 1, "name": ""# + String(repeating: "a", count: 100_000) + #""}}"#
            let tooLarge = try await client.post("/v2/p1/shares", huge)
            #expect(tooLarge.status == 413 && tooLarge.fault?.name == "requestEntityTooLarge", "\(tooLarge.text)")
            let unknown = try await client.get("/v2/p1/snapshots")
            #expect(unknown.status == 404 && unknown.fault?.message.contains("gshare serves no such resource") == true, "\(unknown.text)")
            let method = try await client.call(.put, "/v2/p1/shares/detail")
            #expect((400..<500).contains(method.status) && method.fault != nil, "\(method.status) \(method.text)")
            let rulesWithoutShare = try await client.get("/v2/p1/share-access-rules")
            #expect(rulesWithoutShare.status == 400 && rulesWithoutShare.fault?.message.contains("share_id") == true)
        }
    }

    @Test func randomBodiesOnEveryWriteRouteGetA4xxAndNeverCrashOrWrite() async throws {
        let api = try APIBed()
        try await api.run { client in
            let id = try await client.createShare(project: "p1", name: "x")
            let writes = api.bed.pool.writes.count
            var random = SplitMix64(seed: 0x6753_6861_7265)
            let pieces = [
                "{", "}", "[", "]", ":", ",", "\"share\"", "\"size\"", "\"allow_access\"", "\"access_to\"", "\"extend\"", "\"new_size\"", "1", "-1",
                "1e309", "null", "true", "\"\\u0000\"", "\"x\"", "\u{FFFD}", "\"share_proto\"", "\"GLUSTERFS\"", "9999999999999999999999",
            ]
            for _ in 0..<200 {
                let length = Int(random.next() % 12)
                let body = (0..<length).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
                for path in ["/v2/p1/shares", "/v2/p1/shares/\(id)/action"] {
                    let answer = try await client.post(path, body)
                    #expect((400..<500).contains(answer.status) && answer.fault != nil, "\(path) \(body): \(answer.status) \(answer.text)")
                }
            }
            #expect(api.bed.pool.writes.count == writes)
        }
    }
}

@Suite("Share API: discovery, the share type, health and metrics")
struct DiscoveryTests {
    @Test func versionDiscoveryAdvertisesMicroversion268AndEveryAnswerCarriesIt() async throws {
        let api = try APIBed()
        try await api.run { client in
            let versions = try await client.get("/")
            #expect(versions.status == 300)
            let version = try #require((versions.body["versions"] as? [[String: Any]])?.first)
            #expect(version["version"] as? String == "2.68" && version["min_version"] as? String == "2.0" && version["status"] as? String == "CURRENT")
            let detail = try await client.get("/v2/p1/shares/detail")
            #expect(detail.headers[.init("X-OpenStack-Manila-API-Version")!] == "2.68")
            let missing = try await client.get("/v2/p1/shares/nope")
            #expect(missing.headers[.init("X-OpenStack-Manila-API-Version")!] == "2.68", "errors carry it too")
        }
    }

    @Test func theOneShareTypeIsDefaultWithoutShareServers() async throws {
        let api = try APIBed()
        try await api.run { client in
            let type = try await client.get("/v2/p1/types/default")
            #expect(type["share_type"]?["name"] as? String == "default")
            #expect((type["share_type"]?["required_extra_specs"] as? [String: String])?["driver_handles_share_servers"] == "False")
            let list = try await client.get("/v2/p1/types?all_tenants=1&is_public=all")
            #expect((list.body["share_types"] as? [[String: Any]])?.count == 1)
            #expect(try await client.get("/v2/p1/types/gold").status == 404)
        }
    }

    @Test func healthzAnswersAndMetricsCountRequestsGlusterCallsSharesAndCertificateExpiry() async throws {
        let bedAPI = try APIBed()
        try await bedAPI.onboard("tenant-a", days: 30)
        let metrics = ServiceMetrics()
        var logger = bedAPI.api.logger
        logger.logLevel = .critical
        let api = ShareAPI(
            config: bedAPI.bed.config, runners: metrics.instrument(bedAPI.bed.pool), authentication: .projectInURL, metrics: metrics, logger: logger)
        let app = Application(router: api.router())
        try await app.test(.router) { raw in
            let client = APIBed.Client(client: raw)
            #expect(try await client.get("/healthz").body["status"] as? String == "ok")
            _ = try await client.createShare(project: "p1", name: "x")
            let text = try await client.get("/metrics").text
            #expect(text.contains(#"gshare_api_requests_total{route="/v2/{project}/shares",method="POST",status="202"} 1"#), "\(text)")
            #expect(text.contains("gshare_api_request_duration_seconds_bucket"))
            #expect(text.contains(#"gshare_gluster_calls_total{command="volume set",outcome="ok"}"#))
            #expect(text.contains(#"gshare_shares_count{status="available"} 1"#))
            let expiry = try #require(text.split(separator: "\n").first { $0.hasPrefix(#"gshare_tenant_certificate_expiry_seconds{tenant="tenant-a",cn="tenant-a"}"#) })
            let seconds = try #require(Double(expiry.split(separator: " ").last ?? ""))
            #expect(seconds > 29 * 86_400 && seconds <= 30 * 86_400)
        }
    }
}
