//===----------------------------------------------------------------------===//
// gshare — GShareService
//===----------------------------------------------------------------------===//

import Foundation
public import GlusterDriver
import Hummingbird
import Prometheus

/// What `GET /metrics` exposes (Prometheus text format, swift-prometheus): requests and
/// latency by route; gluster calls and latency; shares by state and seconds until each
/// tenant certificate expires (both read when scraped).
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init() {}

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gshare", subsystem: "api", metricName: "requests", unitName: "total", helpText: "Share API requests by route, method and status")
    }
    static var requestSeconds: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gshare", subsystem: "api", metricName: "request_duration", unitName: "seconds", helpText: "Share API request latency by route and method")
    }
    static var glusterCalls: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gshare", subsystem: "gluster", metricName: "calls", unitName: "total", helpText: "gluster CLI calls by command and outcome")
    }
    static var glusterSeconds: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gshare", subsystem: "gluster", metricName: "call_duration", unitName: "seconds", helpText: "gluster CLI call latency by command")
    }
    static var shares: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gshare", metricName: "shares", unitName: "count", helpText: "Shares by API status, from the server's view of the pool (at most 5 s old) when scraped")
    }
    static var expiry: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "gshare", subsystem: "tenant", metricName: "certificate_expiry", unitName: "seconds",
            helpText: "Seconds until each onboarded tenant certificate expires (negative: expired)")
    }

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.requestSeconds, labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets)
            .record(duration)
    }

    func recordGlusterCall(command: String, outcome: String, duration: Duration) {
        registry.makeCounter(descriptor: Self.glusterCalls, labels: [("command", command), ("outcome", outcome)]).increment()
        registry.makeDurationHistogram(descriptor: Self.glusterSeconds, labels: [("command", command)], buckets: Self.latencyBuckets).record(duration)
    }

    func setShares(_ counts: [String: Int]) {
        for status in ["creating", "available", "deleting", "error", "error_deleting"] {
            registry.makeGauge(descriptor: Self.shares, labels: [("status", status)]).set(Double(counts[status] ?? 0))
        }
    }

    func setExpiry(tenant: String, commonName: String, seconds: Double) {
        registry.makeGauge(descriptor: Self.expiry, labels: [("tenant", tenant), ("cn", commonName)]).set(seconds)
    }

    /// The exposition text.
    func render() -> String { registry.emitToString() }

    /// `runners` with every gluster call counted and timed here.
    public func instrument(_ runners: any GlusterRunnerProvider) -> any GlusterRunnerProvider {
        MeasuredRunnerProvider(wrapped: runners, metrics: self)
    }
}

/// Runners whose calls are counted and timed in ``ServiceMetrics``.
struct MeasuredRunnerProvider: GlusterRunnerProvider {
    let wrapped: any GlusterRunnerProvider
    let metrics: ServiceMetrics

    func runner(for server: GlusterServer) throws -> any GlusterCommandRunner {
        MeasuredRunner(wrapped: try wrapped.runner(for: server), metrics: metrics)
    }

    var readyLockWorkers: ReadyLockWorkers? { wrapped.readyLockWorkers }
}

struct MeasuredRunner: GlusterCommandRunner {
    let wrapped: any GlusterCommandRunner
    let metrics: ServiceMetrics

    func run(_ arguments: [String]) async throws -> GlusterCommandOutput {
        // The command's words, not its operands (volume names, values): `volume set`, `volume info`.
        let command = arguments.prefix(2).joined(separator: " ")
        let start = ContinuousClock.now
        do {
            let output = try await wrapped.run(arguments)
            metrics.recordGlusterCall(command: command, outcome: output.exitStatus == 0 ? "ok" : "failed", duration: ContinuousClock.now - start)
            return output
        } catch {
            metrics.recordGlusterCall(command: command, outcome: "error", duration: ContinuousClock.now - start)
            throw error
        }
    }

    func committedOption(_ key: String, ofVolume volume: String) async -> String? {
        await wrapped.committedOption(key, ofVolume: volume)
    }

    func warmUp() async { await wrapped.warmUp() }
}

/// Counts and times every request by its route (the pattern, not the path: no share ids
/// in label values).
struct MetricsRecorder<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.recordRequest(
                route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status, duration: ContinuousClock.now - start)
            throw error
        }
    }
}
