import ArgumentParser
import Hummingbird
import Logging
import Server

/// `gremien serve`: feeds, the JSON API and the coordinators' pages over HTTP.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the feeds, the JSON API (/api/v1) and the coordinators' web pages.",
        discussion: """
            Feeds: /feeds/all.ics, /feeds/bodies/ID.ics, /feeds/offices/ID.ics (public) and \
            /feeds/personal/TOKEN.ics (private; gremien token issue --kind feed). The API \
            (openapi.yaml) and the pages need an API token (gremien token issue --kind api). \
            Health: /healthz; metrics: /metrics. Stops on Ctrl-C or SIGTERM after open requests.
              gremien serve --port 8080
              gremien serve --host 0.0.0.0 --public-url https://gremien.kreis-dueren.de
            """
    )

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Option(
        help: ArgumentHelp(
            "The address clients use, for subscription links; default http://HOST:PORT.", valueName: "URL"))
    var publicURL: String?
    @Option(help: ArgumentHelp("The minutes templates folder.", valueName: "DIR")) var templates = "templates"
    @Option(
        help: ArgumentHelp(
            "info, or debug for a line per request (route, status, time; never a token).", valueName: "LEVEL"))
    var logLevel = "info"
    @OptionGroup var store: StoreOptions

    /// Whether Swift concurrency runs on NIO's event loops (set in `Gremien.main` before any task).
    nonisolated(unsafe) static var concurrencyOnEventLoops = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        var logger = Logger(label: "gremien")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let state = ServerState(
            store: try store.open(.create),
            settings: .init(publicURL: publicURL ?? "http://\(host):\(port)", templates: templates))
        logger.info("concurrency on the event loops: \(Self.concurrencyOnEventLoops ? "yes" : "no (the global pool)")")
        let app = try await buildApplication(state: state, host: host, port: port, logger: logger)
        try await app.runService()
    }
}
