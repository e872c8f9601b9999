import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Storage

/// Where a PostgreSQL store is: `postgresql://USER@HOST:PORT/DATABASE`, with `?sslmode=disable`,
/// `prefer` (the default) or `require`, and `?host=/run/postgresql` for a Unix socket folder.
///
/// The password is never part of the address (it would show in the process list and in logs):
/// it comes from `PGPASSWORD`, or from the password file libpq reads (`PGPASSFILE`, else
/// `~/.pgpass`: lines `host:port:database:user:password`, `*` matching anything).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var socketFolder: String?
    public var sslMode: String
    var password: String?

    /// The address as written, without a password.
    public var description: String {
        let query = [
            sslMode == "prefer" ? nil : "sslmode=\(sslMode)", socketFolder.map { "host=\($0)" },
        ].compactMap { $0 }
        return "postgresql://\(user)@\(host):\(port)/\(database)"
            + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// Reads an address; `environment` gives `PGPASSWORD`, `PGPASSFILE` and `HOME`.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(StorageError)
    {
        // A password typed into the address is not repeated in the message.
        var shown = text
        if let parsed = URLComponents(string: text), let password = parsed.password, !password.isEmpty {
            shown = text.replacingOccurrences(of: ":\(password)@", with: ":***@")
        }
        func refuse(_ why: String) -> StorageError {
            .unavailable(
                "--store '\(shown)' is not a PostgreSQL address: \(why); "
                    + "use postgresql://USER@HOST:PORT/DATABASE, e.g. postgresql://gremien@localhost:5432/gremien")
        }
        guard let url = URLComponents(string: text), ["postgresql", "postgres"].contains(url.scheme ?? "") else {
            throw refuse("it does not begin with postgresql://")
        }
        guard url.password == nil else {
            throw refuse("it holds a password, which would show in the process list; put it in PGPASSWORD or ~/.pgpass")
        }
        guard let user = url.user, !user.isEmpty else { throw refuse("the user is missing (USER@)") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw refuse("the database is missing (/DATABASE)") }
        var socket: String?
        var mode = "prefer"
        for item in url.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("sslmode", let value) where ["disable", "prefer", "require"].contains(value): mode = value
            case ("sslmode", let value): throw refuse("sslmode '\(value)' is not disable, prefer or require")
            case ("host", let value) where value.hasPrefix("/"): socket = value
            case (let name, _): throw refuse("the setting '\(name)' is unknown (sslmode, host)")
            }
        }
        self.user = user
        self.host = url.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        self.port = url.port ?? 5432
        self.database = database
        self.socketFolder = socket
        self.sslMode = mode
        password = environment["PGPASSWORD"] ?? Self.passwordFile(environment, host: host, port: port, database, user)
    }

    /// The password for this address from libpq's password file, if there is one.
    static func passwordFile(
        _ environment: [String: String], host: String, port: Int, _ database: String, _ user: String
    )
        -> String?
    {
        guard let path = environment["PGPASSFILE"] ?? environment["HOME"].map({ $0 + "/.pgpass" }),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            // Fields are separated by ':'; '\:' and '\\' stand for themselves.
            var fields: [String] = [""]
            var escaped = false
            for c in line {
                if escaped {
                    fields[fields.count - 1].append(c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == ":" && fields.count < 5 {
                    fields.append("")
                } else {
                    fields[fields.count - 1].append(c)
                }
            }
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// One connection, made and closed at once: whether the server is there and lets the user
    /// into the database, with a message an operator can act on when it does not (the pool
    /// would try again for a minute and then say only that it gave up).
    func probe() async throws(StorageError) {
        var logger = Logger(label: "gremien.postgres.probe")
        logger.logLevel = .critical
        var c: PostgresConnection.Configuration
        do {
            if let socketFolder {
                c = .init(
                    unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password,
                    database: database)
            } else {
                let tls: PostgresConnection.Configuration.TLS
                switch sslMode {
                case "disable": tls = .disable
                case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                }
                c = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
            }
        } catch {
            throw .unavailable("cannot set up TLS for \(self): \(error)")
        }
        c.options.connectTimeout = .seconds(5)
        do {
            let connection = try await PostgresConnection.connect(configuration: c, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw refusal(error)
        }
    }

    /// What went wrong connecting, for the operator.
    func refusal(_ error: any Error) -> StorageError {
        let server = socketFolder.map { "\($0) (port \(port))" } ?? "\(host):\(port)"
        guard let e = error as? PSQLError else {
            return .unavailable("cannot reach the PostgreSQL server at \(server) for \(self): \(error)")
        }
        switch e.serverInfo?[.sqlState] {
        case "3D000":
            return .unavailable(
                "the database \(database) does not exist on \(server); create it first, e.g.: "
                    + "createdb -h \(host) -p \(port) -O \(user) \(database)")
        case "28P01", "28000":
            return .unavailable(
                "the PostgreSQL server at \(server) refused the user \(user): \(e.serverInfo?[.message] ?? "")"
                    + (password == nil ? " (no password was given: set PGPASSWORD or a line in ~/.pgpass)" : ""))
        case .some(let state):
            return .unavailable(
                "the PostgreSQL server at \(server) refused the connection: \(e.serverInfo?[.message] ?? "") "
                    + "[SQLSTATE \(state)]")
        case nil:
            let why = e.underlying.map { "\($0)" } ?? "\(e.code)"
            return .unavailable(
                "cannot reach the PostgreSQL server at \(server) (\(why)): is it running, and is the address right?")
        }
    }

    /// The client's configuration.
    var configuration: PostgresClient.Configuration {
        var c: PostgresClient.Configuration
        if let socketFolder {
            c = .init(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch sslMode {
            case "disable": tls = .disable
            case "require": tls = .require(.makeClientConfiguration())
            default: tls = .prefer(.makeClientConfiguration())
            }
            c = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        c.options.maximumConnections = 16
        c.options.connectTimeout = .seconds(5)
        return c
    }
}
