import ArgumentParser
import Foundation
import Glibc
import Hummingbird
import Logging
import Server
import Workflows

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
    @Option(
        name: .customLong("header-timeout"),
        help: ArgumentHelp(
            "Seconds a client has to send a request's head (also the idle time between requests).",
            valueName: "SECONDS"))
    var headerTimeout = 10
    @Option(
        name: .customLong("body-timeout"),
        help: ArgumentHelp("Seconds a client has to send a request's body.", valueName: "SECONDS"))
    var bodyTimeout = 30
    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp("Open connections at most; more wait until others close.", valueName: "N"))
    var maxConnections = 4000
    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp(
            "A load balancer in front (repeat for several): requests from it count by the client address it "
                + "adds to X-Forwarded-For, e.g. for the throttling of wrong passwords.", valueName: "ADDRESS"))
    var trustedProxies: [String] = []
    @OptionGroup var mail: MailOptions
    @Option(
        name: .customLong("mail-interval"),
        help: ArgumentHelp("Seconds between two rounds of the invitation sender (with --smtp).", valueName: "SECONDS"))
    var mailInterval = 30
    @OptionGroup var store: StoreOptions

    /// Raises the soft limit of open files to the hard one; returns the limit now in force.
    static func raiseFileLimit() -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(min(limit.rlim_cur, 1 << 20))
    }

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)]
        where !(1...3600).contains(value) {
            throw ValidationError("\(name) must be 1 to 3600 seconds")
        }
        guard (1...100_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be 1 to 100000")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        var logger = Logger(label: "gremien")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let state = ServerState(
            store: try await store.open(.create),
            settings: .init(
                publicURL: publicURL ?? "http://\(host):\(port)", templates: templates,
                trustedProxies: Set(trustedProxies)))
        // Every connection is a file: the soft limit (often 1024) is raised to the hard one.
        let files = Self.raiseFileLimit()
        let connections = min(maxConnections, max(16, files - 64))
        if connections < maxConnections {
            logger.warning("only \(connections) connections at once: the process may open \(files) files")
        }
        let limits = ConnectionLimits(
            header: .seconds(Int64(headerTimeout)), body: .seconds(Int64(bodyTimeout)),
            idle: .seconds(Int64(max(60, headerTimeout))), maxConnections: connections)
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(state: state, host: host, port: port, limits: limits, logger: logger)
        } catch let error as ServerStartError {
            throw CommandError(error.description)
        }
        // The invitation sender: what the outbox holds goes out every --mail-interval seconds;
        // its claims keep a second server from sending the same message.
        var sender: Task<Void, Never>?
        if let (client, settings) = try mail.client(publicURL: publicURL ?? "http://\(host):\(port)") {
            let workflows = state.workflows
            let interval = mailInterval
            // One name per host and port: only one process can listen there, so a server started
            // again after a crash (even SIGKILL) takes up at once what the lost one had claimed.
            let owner =
                port == 0
                ? "serve-\(ProcessInfo.processInfo.hostName)-pid\(ProcessInfo.processInfo.processIdentifier)"
                : "serve-\(ProcessInfo.processInfo.hostName)-\(port)"
            let log = logger
            log.info("invitations: sending through \(mail.smtp ?? "") every \(interval) s as \(settings.from)")
            sender = Task {
                while !Task.isCancelled {
                    do {
                        let round = try await workflows.sendOutbox(settings, sender: client, owner: owner)
                        if round.sent + round.failed + round.retried > 0 {
                            log.info(
                                "invitations: sent \(round.sent), to try again \(round.retried), failed \(round.failed)"
                            )
                        }
                        for p in round.problems { log.warning("invitations: \(p)") }
                    } catch {
                        log.error("invitations: \(error)")
                    }
                    try? await Task.sleep(for: .seconds(interval))
                }
            }
        }
        defer { sender?.cancel() }
        try await app.runService()
    }
}
