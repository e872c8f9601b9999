import ArgumentParser
import CSV
import Coordination
import Foundation
import Storage

/// `gremien attendance record|show|import`: who attended which session for which office.
struct AttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Record and show attendance per session, office and person (Anwesenheitsliste).",
        discussion: """
            The expected attendance of a session follows from the memberships valid on its date. \
            Per office, and per person when named: present, excused, absent, or represented by a \
            deputy of the same office. Where the body's rules set a quorum (the Beirat nach § 18d \
            SGB II), show states whether it was reached.
              gremien attendance record beirat-18d 2026-03-19 --office jc --person "Anna Beispiel" --status present
              gremien attendance record beirat-18d 2026-03-19 --office aa --status represented --by "Ben Vertreter"
              gremien attendance show beirat-18d 2026-03-19
              gremien attendance import anwesenheit.csv
            """,
        subcommands: [Record.self, Show.self, Import.self]
    )

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record one office's (or person's) attendance.")
        @OptionGroup var target: SessionArguments
        @Option(help: "The office (id).") var office: String
        @Option(help: "The member of staff (as in the staff records).") var person: String?
        @Option(help: "present, excused, absent or represented.") var status: String
        @Option(help: "The deputy of the same office (with --status represented).") var by: String?
        @Option(help: "Arrival, HH:MM.") var arrival: String?
        @Option(help: "Departure, HH:MM.") var departure: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let context = try await SessionContext(store: store)
            let row = AttendanceRow(
                body: target.body, date: target.date, office: office, person: person, status: status, by: by,
                arrival: arrival, departure: departure, series: target.series)
            let entry = try await row.entry(context, lookup: AttendanceLookup())
            try await context.recordAttendance([entry])
            printOut(
                "recorded \(office)\(person.map { " \($0)" } ?? ""): \(entry.status.rawValue) for \(entry.session)\n")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the expected and recorded attendance of a session.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
        @OptionGroup var target: SessionArguments
        @Option(help: "table or json.") var format: Format = .table
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let context = try await SessionContext(store: store)
            let (b, _, session, key) = try target.resolve(context)
            let recorded: [AttendanceEntry]
            do { recorded = try await context.store.attendance(of: key) } catch {
                throw CommandError(error.description)
            }
            let report = AttendanceReport(
                body: b, session: session, key: key, recorded: recorded, district: context.district)
            printOut(format == .json ? try report.json() : report.table())
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a typed-in signed attendance list (CSV); nothing is stored unless every row is valid.",
            discussion: """
                The first line names the columns: body,date,office,person,status,by,arrival,departure \
                (person, by, arrival and departure may be empty; a column series is optional). \
                Commas or semicolons (German Excel) both work. Every row is checked; problems are \
                reported as FILE:LINE: message, and then nothing is imported.
                """
        )
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError("cannot read \(file)")
            }
            guard var text = String(data: data, encoding: .utf8) else {
                throw CommandError("\(file) is not UTF-8 text; save it as CSV UTF-8")
            }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            let header = text.prefix { $0 != "\n" && $0 != "\r\n" }
            let delimiter: UnicodeScalar = header.contains(";") && !header.contains(",") ? ";" : ","
            let rows: [(line: Int, fields: [String: String])]
            do {
                let reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true, delimiter: delimiter)
                let names = (reader.headerRow ?? []).map { $0.lowercased() }
                let missing = ["body", "date", "office", "status"].filter { !names.contains($0) }
                if !missing.isEmpty {
                    throw CommandError(
                        "\(file):1: missing column(s) \(missing.joined(separator: ", ")); expected: body,date,office,person,status,by,arrival,departure"
                    )
                }
                var collected: [(Int, [String: String])] = []
                var line = 1
                while let row = reader.next() {
                    line += 1
                    if row.allSatisfy(\.isEmpty) { continue }
                    collected.append((line, Dictionary(zip(names, row), uniquingKeysWith: { a, _ in a })))
                }
                rows = collected
            } catch let error as CommandError {
                throw error
            } catch {
                throw CommandError("\(file): not valid CSV: \(error)")
            }
            let context = try await SessionContext(store: store)
            var entries: [AttendanceEntry] = []
            var problems: [String] = []
            let lookup = AttendanceLookup()
            for (line, f) in rows {
                let row = AttendanceRow(
                    body: f["body"] ?? "", date: f["date"] ?? "", office: f["office"] ?? "",
                    person: f["person"].nonEmpty,
                    status: f["status"] ?? "", by: f["by"].nonEmpty, arrival: f["arrival"].nonEmpty,
                    departure: f["departure"].nonEmpty, series: f["series"].nonEmpty)
                do {
                    entries.append(try await row.entry(context, lookup: lookup))
                } catch let error as CommandError {
                    problems.append("\(file):\(line): \(error.description)")
                }
            }
            if !problems.isEmpty {
                for p in problems { printError(p) }
                throw CommandError("\(problems.count) of \(rows.count) row(s) are not valid; nothing was imported")
            }
            try await context.recordAttendance(entries)
            printOut("imported \(entries.count) row(s) from \(file)\n")
        }
    }
}

/// One attendance line as typed: checked against the session, the body and the staff records.
struct AttendanceRow {
    var body: String
    var date: String
    var office: String
    var person: String?
    var status: String
    var by: String?
    var arrival: String?
    var departure: String?
    var series: String?

    func entry(_ context: SessionContext, lookup: AttendanceLookup) async throws -> AttendanceEntry {
        guard let s = AttendanceEntry.Status(rawValue: status.lowercased()) else {
            throw CommandError("status '\(status)' is not allowed; allowed: present, excused, absent, represented")
        }
        let (b, found, session) = try lookup.session(context, body: body, date: date, series: series)
        if session.status == .cancelled {
            throw CommandError("\(b.id) on \(date) was cancelled (\(session.reason ?? "")); no attendance to record")
        }
        let day = session.start.local.date
        func clock(_ text: String?, _ name: String) throws -> LocalDateTime? {
            guard let text else { return nil }
            guard let t = LocalDateTime(iso: "\(day)T\(text)") else {
                throw CommandError("\(name) '\(text)' is not a time; write HH:MM, e.g. 14:05")
            }
            return t
        }
        let entry = AttendanceEntry(
            session: SessionKey(body: b.id, series: found.id, date: try parseDay(date)), office: office, person: person,
            status: s, deputy: by, arrival: try clock(arrival, "arrival"), departure: try clock(departure, "departure"))
        if try await lookup.isLocked(context, entry.session) {
            throw CommandError(
                "the minutes of \(entry.session) are approved and locked; reopen them first: "
                    + "gremien minutes reopen \(b.id) \(date) --reason TEXT")
        }
        let problems = try await lookup.check(context, body: b).problems(entry)
        if !problems.isEmpty { throw CommandError(problems.joined(separator: "; ")) }
        return entry
    }
}

/// What checking attendance rows reads from the store, read once per command (an import of
/// thousands of rows asks about the same sessions and people again and again).
final class AttendanceLookup {
    private var people: [Person]?
    private var sessions: [String: Result<(Body, Series, Session), CommandError>] = [:]
    private var locked: [SessionKey: Bool] = [:]
    private var checks: [String: AttendanceCheck] = [:]

    func session(_ context: SessionContext, body: String, date: String, series: String?) throws
        -> (Body, Series, Session)
    {
        let key = "\(body)|\(date)|\(series ?? "")"
        if let known = sessions[key] { return try known.get() }
        let result: Result<(Body, Series, Session), CommandError>
        do {
            result = .success(try context.session(body: body, date: date, series: series))
        } catch let error as CommandError {
            result = .failure(error)
        }
        sessions[key] = result
        return try result.get()
    }

    func isLocked(_ context: SessionContext, _ key: SessionKey) async throws -> Bool {
        if let known = locked[key] { return known }
        let value = try await context.minutesState(key)?.status == .approved
        locked[key] = value
        return value
    }

    func check(_ context: SessionContext, body: Body) async throws -> AttendanceCheck {
        if let known = checks[body.id] { return known }
        if people == nil {
            do { people = try await context.store.people() } catch { throw CommandError(error.description) }
        }
        let check = AttendanceCheck(body: body, people: people ?? [])
        checks[body.id] = check
        return check
    }
}

extension SessionContext {
    func recordAttendance(_ entries: [AttendanceEntry]) async throws {
        let now = LocalDateTime(localSeconds: Int64(Date().timeIntervalSince1970))
        do { try await store.record(entries, at: now, actor: currentActor()) } catch {
            throw CommandError(error.description)
        }
    }
}

extension Optional where Wrapped == String {
    /// `nil` for an absent or empty field.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
