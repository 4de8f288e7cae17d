//===----------------------------------------------------------------------===//
// gshare — GlusterDriver
//===----------------------------------------------------------------------===//

import GShareSSH
import Synchronization
public import Logging

/// Runs each command on the first node of a cluster that takes it, and moves to the next
/// node only when the command certainly never reached glusterd: the SSH connection or its
/// handshake failed (or timed out), or the node's CLI could not reach its own glusterd
/// ("Connection failed"). Never after a command was delivered: a node that took the command
/// and then hung (a stuck peer, a timeout) is an outcome to report, not to repeat elsewhere.
public struct FailoverGlusterRunner: GlusterCommandRunner {
    public struct Node: Sendable {
        public let server: GlusterServer
        public let runner: any GlusterCommandRunner

        public init(server: GlusterServer, runner: any GlusterCommandRunner) {
            self.server = server
            self.runner = runner
        }
    }

    /// In the order they are tried.
    public let nodes: [Node]
    /// Told about each node passed over (as a warning: the command still ran elsewhere).
    public let logger: Logger

    /// Which node took the last `volume set` (its store holds what it committed).
    private let lastWriter = LastWriter()

    /// Sendable by construction: its only state is the `Mutex`.
    private final class LastWriter: Sendable {
        let index = Mutex<Int?>(nil)
    }

    public init(nodes: [Node], logger: Logger) {
        self.nodes = nodes
        self.logger = logger
    }

    /// The store of the node that took the last `volume set` (glusterd commits there before
    /// the CLI returns); nil before any.
    public func committedOption(_ key: String, ofVolume volume: String) async -> String? {
        guard let index = lastWriter.index.withLock({ $0 }), nodes.indices.contains(index) else { return nil }
        return await nodes[index].runner.committedOption(key, ofVolume: volume)
    }

    /// The first node logs in ahead (the one the next command goes to when it answers).
    public func warmUp() async {
        await nodes.first?.runner.warmUp()
    }

    /// - Throws: the last node's error, naming every node passed over, when no node took the
    ///   command; any error from the node that took it.
    public func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        var passedOver: [String] = []
        for (position, node) in nodes.enumerated() {
            let isLast = position == nodes.count - 1
            do {
                let output = try await node.runner.run(arguments)
                if !isLast, Self.glusterdUnreachable(output) {
                    passedOver.append("\(node.server): its glusterd does not answer")
                    logger.info("\(node.server) passed over: its glusterd does not answer", metadata: ["command": "\(arguments.joined(separator: " "))"])
                    continue
                }
                if arguments.starts(with: ["volume", "set"]) { lastWriter.index.withLock { $0 = position } }
                return output
            } catch let error where !isLast && Self.neverDelivered(error) {
                passedOver.append("\(node.server): \(error)")
                logger.info("\(node.server) passed over: \(error)", metadata: ["command": "\(arguments.joined(separator: " "))"])
                continue
            } catch let error as GlusterDriverError where !passedOver.isEmpty {
                throw GlusterDriverError(
                    error.code, command: error.command,
                    message: "\(error.message) (nodes passed over before: \(passedOver.joined(separator: "; ")))",
                    glusterMessage: error.glusterMessage, glusterErrno: error.glusterErrno)
            }
        }
        // Only reached with no nodes at all.
        throw GlusterDriverError(.runnerFailed, command: arguments, message: "no GlusterFS server is configured for this volume")
    }

    /// The CLI said it could not reach its glusterd: nothing was done.
    static func glusterdUnreachable(_ output: GlusterCommandOutput) -> Bool {
        guard output.exitStatus != 0 else { return false }
        let text = String(decoding: output.standardOutput.prefix(512), as: UTF8.self)
        return text.contains("Connection failed") || output.standardError.contains("Connection failed")
    }

    /// The error happened before the command could reach the node.
    static func neverDelivered(_ error: any Error) -> Bool {
        if let error = error as? SSHError {
            return error.step == .connect || error.step == .handshake
        }
        return false
    }
}
