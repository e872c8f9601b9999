import ArgumentParser
import Coordination
import Foundation
import Platform
import Workflows

/// `gremien sessions`: the resolved sessions of a period.
struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List the sessions of a period: rules expanded, holidays and exceptions applied.",
        discussion: """
            Reads the store gremien.sqlite when it has been synced (with the recorded session \
            changes), else calendars/; --store or --calendars choose. \
            Without --from and --to it lists the coming eight weeks. Dates are whole days in \
            the district's time zone; --to is exclusive. Cancelled sessions are listed with \
            status cancelled and their reason (a planned exception or a public holiday).
              gremien sessions --from 2026-01-01 --to 2026-04-01 --office jc
              gremien sessions --body ag-78 --format json
            JSON: an array of objects with body, series, uid, recurrenceId (null for a single \
            session), start and end (ISO 8601 with offset), timeZone, status (scheduled, moved \
            or cancelled), title, location, kind and reason.
            With --conflicts it lists the overlaps of the period instead: two sessions of \
            different bodies at overlapping times with an office sitting in both (not cancelled).
              gremien sessions --conflicts --from 2027-01-01 --to 2028-01-01
            JSON: an array of objects with first and second (sessions as above) and offices.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table
        case json
    }

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("First day (inclusive), YYYY-MM-DD; default today.", valueName: "DATE"))
    var from: String?

    @Option(
        help: ArgumentHelp("Last day (exclusive), YYYY-MM-DD; default eight weeks after --from.", valueName: "DATE"))
    var to: String?

    @Option(help: ArgumentHelp("Only this body (its id, e.g. ag-78); repeatable.", valueName: "ID"))
    var body: [String] = []

    @Option(
        help: ArgumentHelp("Only bodies this office is a member of on the session's date (e.g. jc).", valueName: "ID"))
    var office: String?

    @Option(help: "Output format: table or json.")
    var format: Format = .table

    @Flag(
        help:
            "List the overlaps instead: sessions of different bodies at overlapping times with an office sitting in both."
    )
    var conflicts = false

    func run() async throws {
        let planning = try await source.planning()
        let query = SessionQuery(
            from: try from.map { try parseDay($0, option: "--from") },
            to: try to.map { try parseDay($0, option: "--to") },
            bodies: body, office: office)
        let listing: SessionListing
        do {
            listing = try Workflows.sessions(in: planning, query, today: Workflows.today(planning, clock: .system))
        } catch {
            // Name the option a coordinator typed.
            if case .notFound(let message) = error {
                if message.hasPrefix("unknown body") { throw CommandError("--body: \(message)") }
                if message.hasPrefix("unknown office") { throw CommandError("--office: \(message)") }
            }
            if case .invalid = error, let from = query.from, let to = query.to, to <= from {
                throw CommandError("--to must lie after --from")
            }
            throw CommandError(error)
        }
        if listing.beyondPlanning {
            printError(
                "gremien: note: sessions are planned up to \(planning.district.planUntil) (plan_until in district.yaml)"
            )
        }
        if conflicts {
            var found = Workflows.conflicts(in: planning, from: listing.from, to: listing.to)
            if !body.isEmpty { found = found.filter { body.contains($0.session.body) || body.contains($0.other.body) } }
            if let office { found = found.filter { $0.offices.contains(office) } }
            switch format {
            case .json: printOut(try Self.json(found) + "\n")
            case .table: printOut(Self.table(found))
            }
            return
        }
        let sessions = listing.sessions.map(\.session)
        switch format {
        case .json: printOut(try Self.json(sessions) + "\n")
        case .table: printOut(Self.table(sessions, district: planning.district))
        }
    }

    static func json(_ sessions: [Session]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(sessions.map(SessionJSON.init))
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ conflicts: [SessionConflict]) throws -> String {
        struct Pair: Encodable {
            var first: SessionJSON
            var second: SessionJSON
            var offices: [String]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let pairs = conflicts.map {
            Pair(first: SessionJSON(session: $0.session), second: SessionJSON(session: $0.other), offices: $0.offices)
        }
        return String(decoding: try encoder.encode(pairs), as: UTF8.self)
    }

    static func table(_ conflicts: [SessionConflict]) -> String {
        var rows = [["START", "BODY", "OVERLAPS", "FROM", "TO", "OFFICES IN BOTH"]]
        for c in conflicts {
            rows.append([
                c.session.start.local.description.prefix(16).description, c.session.body, c.other.body,
                c.other.start.local.description.prefix(16).description, c.other.end.local.clock,
                c.offices.joined(separator: ", "),
            ])
        }
        return aligned(rows) + "\(conflicts.count) overlap(s)\n"
    }

    /// Rows as columns padded to their widest cell, the last column unpadded.
    static func aligned(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return out
    }

    static func table(_ sessions: [Session], district: District) -> String {
        var rows = [["START", "END", "BODY", "STATUS", "KIND", "LOCATION", "NOTE"]]
        for s in sessions {
            rows.append([
                s.start.iso8601, s.end.local.description.suffix(8).description, s.body, s.status.rawValue,
                s.kind.rawValue, s.location ?? "", s.reason ?? (s.recurrenceID == nil ? "single session" : ""),
            ])
        }
        return aligned(rows) + "\(sessions.count) session(s)\n"
    }
}

/// The JSON form of a session; absent values are written as `null`, not left out.
struct SessionJSON: Encodable {
    var session: Session

    enum Keys: String, CodingKey {
        case body, series, uid, recurrenceId, start, end, timeZone, status, title, location, kind, reason
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(session.body, forKey: .body)
        try c.encode(session.series, forKey: .series)
        try c.encode(session.uid, forKey: .uid)
        try c.encode(session.recurrenceID?.iso8601, forKey: .recurrenceId)
        try c.encode(session.start.iso8601, forKey: .start)
        try c.encode(session.end.iso8601, forKey: .end)
        try c.encode(session.timeZone, forKey: .timeZone)
        try c.encode(session.status.rawValue, forKey: .status)
        try c.encode(session.title, forKey: .title)
        try c.encode(session.location, forKey: .location)
        try c.encode(session.kind.rawValue, forKey: .kind)
        try c.encode(session.reason, forKey: .reason)
    }
}
