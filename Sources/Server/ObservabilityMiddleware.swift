import Foundation
import Hummingbird
import Logging
import Prometheus

/// Counts requests by route and status (`/metrics`) and logs one line per request with the
/// route's template, never the path itself: a personal feed's path holds its token. For `/api`
/// paths, errors of the framework (404, 405, 413) become JSON errors like the API's own.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = GremienContext
    let counters: RequestCounters

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let api = request.uri.path.hasPrefix("/api/")
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, since: started)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, status: error.status.code, since: started)
            if api, !(error is APIError) {
                throw APIError(error.status, Self.code(error.status), Self.message(error.status))
            }
            throw error
        } catch {
            record(request, context, status: 500, since: started, cause: error)
            throw error
        }
    }

    private func record(
        _ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant,
        cause: (any Error)? = nil
    ) {
        let route = context.endpointPath ?? "(no route)"
        counters.counter(method: request.method.rawValue, route: route, status: status).increment()
        Self.log(context.logger, status: status) {
            var metadata = Self.requestMetadata(
                method: request.method.rawValue, route: route, status: status, since: started)
            // The cause of a 500: errors of the store and the workflows name no token or secret.
            if let cause { metadata["error"] = "\(String(describing: cause).prefix(500))" }
            return metadata
        }
    }

    /// One line per request at debug level (gremien serve --log-level debug); errors at info.
    static func log(_ logger: Logger, status: Int, _ metadata: () -> Logger.Metadata) {
        let level: Logger.Level = status >= 500 ? .error : .debug
        guard logger.logLevel <= level else { return }
        logger.log(level: level, "request", metadata: metadata())
    }

    static func requestMetadata(method: String, route: String, status: Int, since started: ContinuousClock.Instant)
        -> Logger.Metadata
    {
        let ms = (ContinuousClock.now - started).components
        let millis = Double(ms.seconds) * 1000 + Double(ms.attoseconds) / 1e15
        return [
            "method": "\(method)", "route": "\(route)", "status": "\(status)",
            "ms": "\(String(format: "%.1f", millis))",
        ]
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: return "not_found"
        case 405: return "method_not_allowed"
        case 413: return "too_large"
        case 400: return "bad_request"
        default: return "http_\(status.code)"
        }
    }

    static func message(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: return "there is no such route; see openapi.yaml"
        case 413: return "the request body is larger than 64 KiB"
        default: return status.reasonPhrase
        }
    }
}

/// `gremien_http_requests_total` by method, route and status (`/metrics`), each counter made
/// once; counted by `ObservabilityMiddleware` and by `PublicFeedHandler` for what it answers.
final class RequestCounters: Sendable {
    private let metrics: PrometheusCollectorRegistry
    private let counters = LockedValue<[String: Counter]>([:])

    init(metrics: PrometheusCollectorRegistry) { self.metrics = metrics }

    func counter(method: String, route: String, status: Int) -> Counter {
        let key = "\(method) \(route) \(status)"
        if let counter = counters.get()[key] { return counter }
        let counter = metrics.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "gremien", metricName: "http_requests", unitName: "total",
                helpText: "HTTP requests by method, route and status"),
            labels: [("method", method), ("route", route), ("status", String(status))])
        counters.update { $0[key] = counter }
        return counter
    }
}
