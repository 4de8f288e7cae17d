//===----------------------------------------------------------------------===//
// gshare — GShareDoctor
//===----------------------------------------------------------------------===//

import GlusterDriver
import TenantPKI

extension Doctor {
    /// Check 9: the CNs the nodes present (learned from each node by a TLS handshake)
    /// against `system_cns`.
    ///
    /// - `node-cn-not-system` (critical): a node's CN is not a system CN, so gshare's lists
    ///   leave it out and the bricks refuse that node's self-heal daemon, heal info and quota;
    /// - `system-cn-unheld` (warning): a system CN that no node and not gshare holds (a node
    ///   renamed or gone: a name kept in every list for nobody; checked only when every
    ///   node's CN was learned);
    /// - `node-cn-unknown` (warning): a node's certificate could not be read.
    static func nodeFindings(_ input: DoctorInput) -> [DoctorFinding] {
        guard !input.nodes.isEmpty else { return [] }
        var findings: [DoctorFinding] = []
        let system = Set(input.systemCNs.map(\.value))
        for node in input.nodes {
            guard let cn = node.commonName else {
                findings.append(
                    DoctorFinding(
                        .nodeCNUnknown, .warning, "node \(node.host): its certificate could not be read (\(node.problem ?? "no answer")), so gshare cannot tell whether its CN is a system CN",
                        fix: "check that the node is up and its glusterd has management TLS (secure-access); then gshare doctor again"))
                continue
            }
            if !system.contains(cn) {
                findings.append(
                    DoctorFinding(
                        .nodeCNNotSystem, .critical,
                        "node \(node.host) presents the CN \"\(cn)\", which is not in system_cns: the lists gshare writes leave it out, so the bricks refuse this node's self-heal daemon, heal info and quota",
                        fix: "add \"\(cn)\" to system_cns in gshare.toml, then gshare doctor --fix (it adds the missing system CNs to every pool volume)"))
            }
        }
        guard input.nodes.allSatisfy({ $0.commonName != nil }) else { return findings }
        var held = Set(input.nodes.compactMap(\.commonName))
        if let pem = input.managerCertificatePEM, let chain = try? Certificate.parse(fileBytes: Array(pem.utf8), path: "manager_cert") {
            held.insert(String(decoding: chain[0].glusterFSName.bytes, as: UTF8.self))
        }
        for cn in input.systemCNs.map(\.value) where !held.contains(cn) {
            findings.append(
                DoctorFinding(
                    .systemCNUnheld, .warning,
                    "system_cns lists \"\(cn)\", which no node of the pool and not gshare presents: every list keeps a name nobody needs (a node renamed or removed?)",
                    fix: "remove \"\(cn)\" from system_cns in gshare.toml if no node will carry it again"))
        }
        return findings
    }
}
