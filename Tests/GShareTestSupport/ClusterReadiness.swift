//===----------------------------------------------------------------------===//
// gshare — shared test support (not shipped)
//===----------------------------------------------------------------------===//

internal import Foundation

extension ClusterDescription {
    /// Why ``ready(patience:)`` gave up: what the script and the nodes said.
    public struct NotReady: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes the cluster fully up and settled before a test that kills, hangs or changes
    /// nodes, so one test's failure (a node it left down, hung or still rejoining) does not
    /// fail every cluster test after it:
    /// 1. `scripts/gluster-cluster status`; when it is not UP, `resume-node N` for a node left
    ///    stopped (SIGSTOP) and then `up` (which starts what is down and verifies the volumes);
    /// 2. waits (up to `patience`) until every node sees every peer connected and answers
    ///    `volume status all`: a node that just rejoined still syncs for a while, and a
    ///    `volume quota … enable` sent meanwhile (a sized create) was seen to hang
    ///    (GlusterFS 10.3, in CI).
    /// - Returns: what was done to heal it ("" when it was up), for the test's log.
    /// - Throws: ``NotReady`` when `up` fails or the nodes do not settle in time.
    /// The nodes `scripts/gluster-cluster status` reports with a stopped (SIGSTOP) glusterd:
    /// each node's block starts with `node N  ADDRESS  CN`, its glusterd line says `STOPPED`.
    public static func stoppedNodes(status: String) -> [Int] {
        var current: Int?
        var stopped: [Int] = []
        for line in status.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("node "), let number = Int(line.dropFirst(5).prefix { $0.isNumber }) { current = number }
            if let current, line.contains("glusterd:  STOPPED (pid"), !stopped.contains(current) { stopped.append(current) }
        }
        return stopped
    }

    @discardableResult
    public func ready(patience: Duration = .seconds(90)) async throws -> String {
        var healed = ""
        let status = try await runProcess(script, ["status"], environment: scriptEnvironment)
        if status.status != 0 {
            healed = "the cluster was not fully up:\n\(status.stdout)"
            for node in Self.stoppedNodes(status: status.stdout) {
                _ = try await runProcess(script, ["resume-node", String(node)], environment: scriptEnvironment)
            }
            let up = try await runProcess(script, ["up"], environment: scriptEnvironment)
            guard up.status == 0 else {
                throw NotReady(description: "\(healed)\nscripts/gluster-cluster up failed (\(up.status)): \(up.stdout) \(up.stderr)")
            }
            healed += "\nscripts/gluster-cluster up brought it back"
            print(healed)
        }
        let deadline = ContinuousClock.now + patience
        var unsettled: [String] = []
        repeat {
            unsettled = []
            for node in nodes {
                let peers = try await runProcess(script, ["gluster", String(node.index), "peer", "status"], environment: scriptEnvironment)
                let volumes = try await runProcess(
                    script, ["gluster", String(node.index), "--xml", "volume", "status", "all"], environment: scriptEnvironment)
                if peers.status != 0 || peers.stdout.contains("Disconnected") {
                    unsettled.append("node \(node.index): peer status \(peers.status) \(peers.stdout) \(peers.stderr)")
                }
                if !volumes.stdout.contains("<opRet>0</opRet>") {
                    unsettled.append("node \(node.index): volume status all \(volumes.status) \(volumes.stderr)")
                }
            }
            if unsettled.isEmpty { return healed }
            try await Task.sleep(for: .seconds(2))
        } while ContinuousClock.now < deadline
        throw NotReady(description: "\(healed)\nthe cluster did not settle within \(patience): \(unsettled.joined(separator: "; "))")
    }
}
