//===----------------------------------------------------------------------===//
// gshare — CLI tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import GShareWorkflows
import Testing

/// `gshare serve` as a child process on the real one-node TLS lab, driven over HTTP from
/// this (a second) process: 200 requests at once lose no update; a server killed in the
/// middle of a delete finishes it when started again and never hands the volume out
/// meanwhile. Each test's pool is volumes made for it (ScratchPool), so no other suite's
/// pool volume is touched. Fails (never skips) without the lab.
@Suite("gshare serve on the real lab: 200 requests at once from another process, a crash in the middle of a delete", .serialized)
struct ServeLabTests {
    // MARK: - 200 requests at once

    /// What the load does with a tenant on every share. The outcome of each is the same in
    /// every order the server may take the requests in.
    enum Role: CaseIterable {
        /// Allowed by many requests at once: ends allowed (its rule active).
        case keep
        /// Never allowed; many denies of its rule id at once: each 404, ends absent.
        case never
        /// Allowed, then denied by one task, one after the other: ends absent.
        case cycle
        /// Allowed before the load; many denies of its rule at once: ends absent.
        case leave
    }

    static let tenants: [(cn: String, role: Role)] = [
        ("load-keep-1", .keep), ("load-keep-2", .keep), ("load-never", .never), ("load-cycle-1", .cycle), ("load-cycle-2", .cycle),
        ("load-leave", .leave),
    ]

    /// One task of the load, on a connection of its own.
    enum Step: Sendable {
        case list
        case allow(share: String, cn: String)
        case deny(share: String, cn: String, rule: String, role: Role)
        case allowThenDeny(share: String, cn: String)
    }

    /// What one task got: its answers in order, or the error that stopped it.
    struct Outcome: Sendable {
        let step: Step
        var answers: [ServeConnection.Answer] = []
        var error: String?
        /// When its first request was sent and answered (nil: never answered).
        var sent: ContinuousClock.Instant
        var answered: ContinuousClock.Instant?
    }

    static func run(_ step: Step, on connection: ServeConnection) async -> Outcome {
        var outcome = Outcome(step: step, sent: .now)
        do {
            switch step {
            case .list:
                outcome.answers.append(try await connection.get("shares/detail"))
            case .allow(let share, let cn):
                outcome.answers.append(try await connection.allow(share, cn))
            case .deny(let share, _, let rule, _):
                outcome.answers.append(try await connection.deny(share, rule: rule))
            case .allowThenDeny(let share, let cn):
                let allowed = try await connection.allow(share, cn)
                outcome.answered = .now
                outcome.answers.append(allowed)
                if let rule = allowed["access"]?["id"] as? String { outcome.answers.append(try await connection.deny(share, rule: rule)) }
            }
        } catch {
            outcome.error = "\(error)"
        }
        if outcome.answered == nil, !outcome.answers.isEmpty { outcome.answered = .now }
        return outcome
    }

    /// The most first requests waiting for their answers at one time.
    static func peakInFlight(_ outcomes: [Outcome]) -> Int {
        let events = outcomes.flatMap { outcome in [(outcome.sent, 1)] + (outcome.answered.map { [($0, -1)] } ?? []) }
        var inFlight = 0
        var peak = 0
        for (_, change) in events.sorted(by: { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }) {
            inFlight += change
            peak = max(peak, inFlight)
        }
        return peak
    }

    /// The tenants of a volume's auth.ssl-allow, as the real CLI shows it.
    static func allowList(of volume: String) async throws -> [String] {
        (try await DriverLab.options(of: volume)["auth.ssl-allow"] ?? "").split(separator: ",").map(String.init)
    }

    @Test(.timeLimit(.minutes(10)))
    func twoHundredListsAllowsAndDeniesAtOnceFromAnotherProcessAreAllAnsweredAndLoseNoUpdate() async throws {
        let lab = try LabDescription.load()
        let pool = try await ScratchPool.create(lab, prefix: "gshare-test-serve-load", sizesGB: [1, 1, 1])
        defer { pool.removeBlocking() }
        let driver = pool.driver
        try await driver.onboardOwnTenants(Self.tenants.map(\.cn))

        let server = try driver.start(["serve", "--listen", "127.0.0.1:0"])
        defer { GShareServe.stopBlocking(server) }
        let port = try await GShareServe.port(of: server)
        let project = GShareServe.newProject()
        let api = ServeConnection(port: port, project: project)
        try await api.open()

        // Three shares through the API, one per volume, one after the other (the load is
        // access changes and lists, not creates); the leaving tenant allowed on each.
        var shares: [String] = []
        for index in 1...3 {
            let share = try await api.createShare(name: "load-\(index)")
            try await api.waitForStatus(share, "available")
            shares.append(share)
        }
        let leaving = try #require(Self.tenants.first { $0.role == .leave }).cn
        var leaveRules: [String: String] = [:]
        for share in shares {
            let allowed = try await api.allow(share, leaving)
            #expect(allowed.status == 200 && allowed["access"]?["state"] as? String == "active", "allow \(leaving) on \(share): \(allowed)")
            leaveRules[share] = try #require(allowed["access"]?["id"] as? String, "\(allowed)")
            #expect(leaveRules[share] == AccessRule.id(share: share, commonName: leaving))
        }
        // Which volume holds which share, read from the volumes themselves.
        var volumeOf: [String: String] = [:]
        for volume in pool.names {
            if let share = try await DriverLab.options(of: volume)["user.gshare.share"] { volumeOf[share] = volume }
        }
        try #require(Set(shares).isSubset(of: volumeOf.keys), "each share on a volume of the pool: \(volumeOf)")

        // The plan: per share 14 + 14 allows of the kept tenants, 6 denies of a never-allowed
        // one, 6 of the leaving one, an allow-then-deny of each cycling one; lists fill 200.
        var plan: [Step] = []
        for share in shares {
            for (cn, role) in Self.tenants {
                switch role {
                case .keep: plan += Array(repeating: .allow(share: share, cn: cn), count: 14)
                case .never: plan += Array(repeating: .deny(share: share, cn: cn, rule: AccessRule.id(share: share, commonName: cn), role: .never), count: 6)
                case .cycle: plan.append(.allowThenDeny(share: share, cn: cn))
                case .leave: plan += Array(repeating: .deny(share: share, cn: cn, rule: leaveRules[share] ?? "", role: .leave), count: 6)
                }
            }
        }
        plan += Array(repeating: .list, count: 200 - plan.count)
        let seed = UInt64.random(in: 0...UInt64.max)
        var generator = SplitMix64(seed: seed)
        plan.shuffle(using: &generator)
        #expect(plan.count == 200)

        // 200 connections, all open before the first request is sent.
        let connections = (0..<plan.count).map { _ in ServeConnection(port: port, project: project) }
        for connection in connections { try await connection.open() }

        let clock = ContinuousClock()
        let started = clock.now
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for (step, connection) in zip(plan, connections) { group.addTask { await Self.run(step, on: connection) } }
            var outcomes: [Outcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let elapsed = clock.now - started
        for connection in connections { await connection.close() }
        let requests = outcomes.map { $0.answers.count + ($0.error == nil ? 0 : 1) }.reduce(0, +)
        let slowest = outcomes.compactMap { outcome in outcome.answered.map { $0 - outcome.sent } }.max() ?? .zero
        let peak = Self.peakInFlight(outcomes)
        print(
            "ServeLabTests: \(plan.count) tasks, \(requests) requests (\(plan.count) at once, then the cycles' denies) done in \(elapsed), "
                + "\(outcomes.filter { $0.error != nil }.count) unanswered; peak in flight \(peak); slowest first answer \(slowest); shuffle seed \(seed)")

        // Every request answered: no connection error, no 5xx.
        #expect(outcomes.count == plan.count)
        let unanswered = outcomes.filter { $0.error != nil }
        let failed = outcomes.filter { $0.answers.contains { $0.status >= 500 } }
        #expect(failed.isEmpty, "\(failed.count) tasks got a 5xx, e.g. \(failed.prefix(3).map { "\($0.step): \($0.answers)" })")
        #expect(peak >= plan.count * 3 / 4, "the requests were not in flight at once: peak \(peak)")
        // A server that left requests unanswered would not answer the checks below either.
        try #require(
            unanswered.count == 0,
            "\(unanswered.count) of \(plan.count) tasks got no answer, e.g. \(unanswered.prefix(3).map { "\($0.step): \($0.error ?? "")" }); answered: \(outcomes.filter { $0.error == nil }.prefix(3).map { "\($0.step): \($0.answers)" })"
        )

        // Every answer is the one its request must get, whatever the order.
        var leaveAccepted: [String: Int] = [:]
        for outcome in outcomes {
            let answers = outcome.answers
            switch outcome.step {
            case .list:
                let listed = answers.first?.json["shares"] as? [[String: Any]] ?? []
                #expect(answers.first?.status == 200, "GET /shares/detail: \(answers)")
                #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(shares) && listed.count == shares.count, "\(answers)")
                #expect(listed.allSatisfy { $0["status"] as? String == "available" }, "\(answers)")
            case .allow(let share, let cn):
                let access = answers.first?["access"]
                #expect(answers.first?.status == 200 && access?["state"] as? String == "active", "allow \(cn) on \(share): \(answers)")
                #expect(access?["access_to"] as? String == cn && access?["share_id"] as? String == share, "\(answers)")
                #expect(access?["id"] as? String == AccessRule.id(share: share, commonName: cn), "\(answers)")
            case .deny(let share, let cn, _, .never):
                #expect(answers.first?.status == 404 && answers.first?.json["itemNotFound"] != nil, "deny never-allowed \(cn) on \(share): \(answers)")
            case .deny(let share, let cn, _, _):
                // A deny that finds the rule gone (another deny took it) is 404; one of them took it.
                #expect(answers.first?.status == 202 || answers.first?.status == 404, "deny \(cn) on \(share): \(answers)")
                if answers.first?.status == 202 { leaveAccepted[share, default: 0] += 1 }
            case .allowThenDeny(let share, let cn):
                #expect(answers.map(\.status) == [200, 202], "allow then deny \(cn) on \(share): \(answers)")
                #expect(answers.first?["access"]?["state"] as? String == "active", "\(answers)")
            }
        }
        for share in shares { #expect(leaveAccepted[share, default: 0] >= 1, "no deny of \(leaving) on \(share) was accepted: \(leaveAccepted)") }

        // No update lost: the API's rules and the volume's real auth.ssl-allow list exactly
        // the kept tenants, every rule in a final state.
        let kept = Self.tenants.filter { $0.role == .keep }.map(\.cn)
        for share in shares {
            let volume = try #require(volumeOf[share])
            let listed = try await api.get("share-access-rules?share_id=\(share)")
            let rules = listed.json["access_list"] as? [[String: Any]] ?? []
            #expect(listed.status == 200, "\(listed)")
            #expect(rules.compactMap { $0["access_to"] as? String }.sorted() == kept.sorted(), "rules of \(share): \(listed)")
            #expect(rules.allSatisfy { $0["state"] as? String == "active" }, "rules of \(share): \(listed)")
            #expect(
                Set(rules.compactMap { $0["id"] as? String }) == Set(kept.map { AccessRule.id(share: share, commonName: $0) }), "rules of \(share): \(listed)")
            for (cn, role) in Self.tenants {
                let shown = try await api.get("share-access-rules/\(AccessRule.id(share: share, commonName: cn))")
                if role == .keep {
                    #expect(shown.status == 200 && shown["access"]?["state"] as? String == "active", "rule of \(cn) on \(share): \(shown)")
                } else {
                    #expect(shown.status == 404, "rule of \(cn) on \(share) must be gone: \(shown)")
                }
            }
            let allowList = try await Self.allowList(of: volume)
            #expect(allowList.sorted() == ([lab.serverCN, lab.managerCN] + kept).sorted(), "auth.ssl-allow of \(volume): \(allowList)")
            let granted = (try await DriverLab.options(of: volume)["user.gshare.granted"] ?? "").split(separator: ",").map(String.init)
            #expect(granted.sorted() == kept.sorted(), "user.gshare.granted of \(volume): \(granted)")
        }
        let detail = try await api.get("shares/detail")
        let listed = detail.json["shares"] as? [[String: Any]] ?? []
        #expect(listed.count == 3 && listed.allSatisfy { $0["status"] as? String == "available" && $0["access_rules_status"] as? String == "active" }, "\(detail)")
        await api.close()

        // SIGTERM: a graceful stop after the load
        server.kill(SIGTERM)
        let stopped = try await server.finish()
        #expect(stopped.status == 0 && !stopped.signaled, "exit \(stopped.status): \(stopped.stdout) \(stopped.stderr)")
        #expect(stopped.stdout.contains("gshare serve: stopped"), "\(stopped.stdout) \(stopped.stderr)")
    }

    // MARK: - A crash in the middle of a delete

    /// Polls the volume's options (every 100 ms, up to a minute) until `done` holds; the last read.
    static func waitForOptions(of volume: String, until done: ([String: String]) -> Bool) async throws -> [String: String] {
        let deadline = ContinuousClock.now + .seconds(60)
        var options = try await DriverLab.options(of: volume)
        while !done(options), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            options = try await DriverLab.options(of: volume)
        }
        return options
    }

    /// The pool list's state of `volume` (`free`, `needs-wipe`, …).
    static func poolState(_ driver: DriverLab, _ volume: String) async throws -> String? {
        let pool = try driver.json(try await driver.gshare("pool", "list", "--json"))
        let volumes = pool["volumes"] as? [[String: Any]] ?? []
        return volumes.first { $0["volume"] as? String == volume }?["state"] as? String
    }

    @Test(.timeLimit(.minutes(15)))
    func aServerKilledInTheMiddleOfADeleteFinishesItWhenStartedAgainAndNeverHandsTheVolumeOutMeanwhile() async throws {
        let lab = try LabDescription.load()
        let pool = try await ScratchPool.create(lab, prefix: "gshare-test-serve-crash", sizesGB: [1])
        defer { pool.removeBlocking() }
        let volume = pool.names[0]
        let driver = pool.driver
        let onboard = try await driver.gshare(["tenant", "onboard", try lab.identity(named: "tenant-a").cert])
        try #require(onboard.status == 0, "\(onboard.stdout) \(onboard.stderr)")
        let systemCNs = "\(lab.serverCN),\(lab.managerCN)"
        let project = GShareServe.newProject()

        var server = try driver.start(["serve", "--listen", "127.0.0.1:0"])
        defer { GShareServe.stopBlocking(server) }
        let clock = ContinuousClock()

        // A share full of tenant-a's files, deleted, and the server killed while it wipes.
        // When the wipe was done before the kill, again with four times the files.
        var files = 4000
        var killed: (share: String, left: Int)?
        for attempt in 1...3 {
            let api = ServeConnection(port: try await GShareServe.port(of: server), project: project)
            try await api.open()
            let share = try await api.createShare(name: "crash-\(attempt)")
            try await api.waitForStatus(share, "available")
            let allowed = try await api.allow(share, "tenant-a")
            #expect(allowed.status == 200 && allowed["access"]?["state"] as? String == "active", "\(allowed)")
            let filling = clock.now
            try await driver.fill(volume, as: "tenant-a", files: files, directories: max(1, files / 100))
            print("ServeLabTests: attempt \(attempt): \(files) files written in \(clock.now - filling)")

            let wiping = clock.now
            let deleted = try await api.delete("shares/\(share)")
            #expect(deleted.status == 202, "DELETE /shares/\(share): \(deleted)")
            // Half done from the moment the volume is marked: its tenants are cut off.
            let marked = try await Self.waitForOptions(of: volume) { $0["user.gshare.state"] == "needs-wipe" }
            #expect(marked["user.gshare.state"] == "needs-wipe", "never marked needs-wipe: \(marked)")
            let beforeKill = try await api.get("shares/\(share)")
            server.kill(SIGKILL)
            let ended = try await server.finish()
            print("ServeLabTests: attempt \(attempt): killed \(clock.now - wiping) after the DELETE, the share \(beforeKill["share"]?["status"] ?? beforeKill)")
            #expect(ended.signaled && ended.status == SIGKILL, "the server must die of the SIGKILL: exit \(ended.status) \(ended.stdout) \(ended.stderr)")
            await api.close()

            let options = try await DriverLab.options(of: volume)
            let left = try await driver.contents(of: volume).count
            let wasDeleting = beforeKill.status == 200 && beforeKill["share"]?["status"] as? String == "deleting"
            if wasDeleting, options["user.gshare.share"] == share, options["user.gshare.state"] == "needs-wipe", left > 0 {
                killed = (share, left)
                break
            }
            print("ServeLabTests: attempt \(attempt): the wipe of \(files) files was done before the kill (\(left) entries left, \(options)); again with more")
            // Let the delete finish (a start resumes it if it was left half done), then a longer wipe.
            server = try driver.start(["serve", "--listen", "127.0.0.1:0"])
            let again = ServeConnection(port: try await GShareServe.port(of: server), project: project)
            try await again.open()
            let gone = try await again.waitForShare(share, limit: .seconds(300)) { $0.status == 404 }
            try #require(gone.status == 404, "share \(share) never went: \(gone)")
            await again.close()
            files *= 4
        }
        let (share, left) = try #require(killed, "the wipe was always done before the server could be killed, even with \(files / 4) files")
        print("ServeLabTests: killed in the middle of the wipe of share \(share): \(left) entries left")

        // Meanwhile the volume is never handed out: marked needs-wipe, only the system CNs in,
        // tenant-a cut off, listed as needs-wipe, and a create finds no free volume.
        let stranded = try await DriverLab.options(of: volume)
        #expect(stranded["user.gshare.share"] == share && stranded["user.gshare.state"] == "needs-wipe", "\(stranded)")
        #expect(stranded["auth.ssl-allow"] == systemCNs, "\(stranded)")
        #expect(try await driver.accessTest(volume, as: "tenant-a") == 1, "tenant-a must be cut off from a volume being wiped")
        #expect(try await Self.poolState(driver, volume) == "needs-wipe")
        let create = try await driver.gshare("share", "create", "--json")
        #expect(create.status != 0, "a create must not get the volume being wiped: \(create.stdout) \(create.stderr)")
        #expect(try await DriverLab.options(of: volume)["user.gshare.share"] == share)

        // Started again with the same config: it says it finishes the delete, and does.
        server = try driver.start(["serve", "--listen", "127.0.0.1:0"])
        let resuming = clock.now
        let api = ServeConnection(port: try await GShareServe.port(of: server), project: project)
        try await api.open()
        #expect(
            server.standardOutputSoFar.contains("gshare serve: finishing 1 delete(s) left half done: \(share)\n"), "\(server.standardOutputSoFar)")
        let during = try await api.get("shares/\(share)")
        #expect(during.status == 404 || during["share"]?["status"] as? String == "deleting", "\(during)")
        let gone = try await api.waitForShare(share, limit: .seconds(300)) { $0.status != 200 || $0["share"]?["status"] as? String != "deleting" }
        #expect(gone.status == 404 && gone.json["itemNotFound"] != nil, "share \(share) after the resumed delete: \(gone)")
        print("ServeLabTests: the resumed delete took \(clock.now - resuming)")
        let detail = try await api.get("shares/detail")
        #expect(detail.status == 200 && (detail.json["shares"] as? [Any])?.isEmpty == true, "\(detail)")

        // The volume is free and empty.
        let freed = try await DriverLab.options(of: volume)
        #expect(freed["user.gshare.share"] == "NONE" && freed["user.gshare.deleted"] == share, "\(freed)")
        #expect(freed["auth.ssl-allow"] == systemCNs && freed["features.quota"] == "off", "\(freed)")
        #expect(freed["user.gshare.failure"] == nil || freed["user.gshare.failure"] == "NONE", "\(freed)")
        #expect(try await driver.contents(of: volume) == [], "the wipe left files behind")
        #expect(try await Self.poolState(driver, volume) == "free")
        await api.close()

        server.kill(SIGTERM)
        let stopped = try await server.finish()
        #expect(stopped.status == 0 && !stopped.signaled, "exit \(stopped.status): \(stopped.stdout) \(stopped.stderr)")
        #expect(stopped.stdout.contains("gshare serve: stopped"), "\(stopped.stdout) \(stopped.stderr)")
    }
}
