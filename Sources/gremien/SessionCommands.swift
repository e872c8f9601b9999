import ArgumentParser
import Coordination
import Foundation
import Storage

/// `gremien session cancel|move|add`: change single sessions; recorded in the store with who and when.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Cancel, move or add a single session; recorded in the store with who, when and why.",
        discussion: """
            Works on the store (run gremien sync --apply first). Subscribers see the change at \
            their next refresh after gremien generate: a cancelled session disappears (EXDATE), \
            a moved one shows at its new time, an added one appears; the event's SEQUENCE rises.
              gremien session cancel ag-78 2026-03-10 --reason "Personalversammlung"
              gremien session move ag-78 2026-04-14 --to 2026-04-16T14:00 --location "Raum B 001"
              gremien session add praeventionsteam 2026-05-07T10:00 --kind Fallbesprechung --duration 60
            """,
        subcommands: [Cancel.self, Move.self, Add.self]
    )

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel the session of a body on a date.")
        @OptionGroup var target: SessionArguments
        @Option(help: "Why it does not take place (shown to subscribers; no client data).") var reason: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let reason = reason.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { throw CommandError("--reason must not be empty") }
            let context = try await SessionContext(store: store)
            let (b, s, session, key) = try target.resolvePlanned(context)
            if session.status == .cancelled {
                throw CommandError(
                    "\(b.id) on \(key.date) is already cancelled (\(session.reason ?? "no reason given"))")
            }
            try await context.record(body: b, series: s, .cancel(date: key.date, reason: reason))
            printOut("cancelled \(b.id) on \(key.date) (\(reason)); run gremien generate to publish it\n")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move the session of a body on a date.")
        @OptionGroup var target: SessionArguments
        @Option(help: ArgumentHelp("New start, YYYY-MM-DDTHH:MM in the series' time zone.", valueName: "DATETIME"))
        var to: String
        @Option(help: "New place.") var location: String?
        @Option(help: "New length in minutes.") var duration: Int?
        @Option(help: "Why it moves.") var reason: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let newStart = LocalDateTime(iso: to) else {
                throw CommandError("--to '\(to)' is not a date and time; write YYYY-MM-DDTHH:MM, e.g. 2026-04-16T14:00")
            }
            try checkDuration(duration)
            let context = try await SessionContext(store: store)
            let (b, s, session, key) = try target.resolvePlanned(context)
            if session.status == .cancelled {
                printError(
                    "gremien: note: \(b.id) on \(key.date) was cancelled; moving it reinstates it at the new time")
            }
            if !b.isValid(on: newStart.date) {
                let period = "\(b.validFrom?.description ?? "…") to \(b.validUntil?.description ?? "…")"
                throw CommandError("\(b.id) does not exist on \(newStart.date) (valid \(period))")
            }
            let move = SeriesException.Move(
                date: key.date, to: newStart, durationMinutes: duration, location: location, reason: reason)
            try await context.record(body: b, series: s, .move(move))
            printOut(
                "moved \(b.id) from \(key.date) to \(newStart.description.prefix(16)); run gremien generate to publish it\n"
            )
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a single session to a body (a case discussion, a crisis counselling talk).")
        @Argument(help: "The body's id.") var body: String
        @Argument(help: ArgumentHelp("Start, YYYY-MM-DDTHH:MM in the series' time zone.", valueName: "DATETIME"))
        var start: String
        @Option(help: "Length in minutes (default: the series').") var duration: Int?
        @Option(help: "Kind of meeting: Austausch, Fallbesprechung, Fortbildung, Konferenz or Sitzung.") var kind:
            String?
        @Option(help: "Title (no client names or case data).") var title: String?
        @Option(help: "Place (default: the series').") var location: String?
        @Option(help: "The series it belongs to (default: the body's first).") var series: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            guard let begin = LocalDateTime(iso: start) else {
                throw CommandError("'\(start)' is not a date and time; write YYYY-MM-DDTHH:MM, e.g. 2026-05-07T10:00")
            }
            var meeting: Series.MeetingKind?
            if let kind {
                guard let k = Series.MeetingKind(rawValue: kind) else {
                    let allowed = Series.MeetingKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw CommandError("--kind '\(kind)' is not allowed; allowed: \(allowed)")
                }
                meeting = k
            }
            try checkDuration(duration)
            let context = try await SessionContext(store: store)
            let b = try context.body(body)
            guard let s = series.map({ id in b.series.first { $0.id == id } }) ?? b.series.first else {
                let known = b.series.map(\.id).joined(separator: ", ")
                throw CommandError("\(b.id) has no series '\(series ?? "")'; its series: \(known)")
            }
            guard b.isValid(on: begin.date) else {
                throw CommandError("\(b.id) does not exist on \(begin.date)")
            }
            let addition = SeriesException.Addition(
                id: "extra-\(begin.basicFormat.lowercased())", start: begin, durationMinutes: duration,
                location: location, title: title, kind: meeting)
            try await context.record(body: b, series: s, .add(addition))
            printOut(
                "added a session of \(b.id) at \(begin.description.prefix(16)); run gremien generate to publish it\n")
        }
    }
}

/// The arguments that name one session: `BODY DATE [--series ID]`, DATE being the planned date.
struct SessionArguments: ParsableArguments {
    @Argument(help: "The body's id, e.g. ag-78.") var body: String
    @Argument(help: ArgumentHelp("The session's planned date, YYYY-MM-DD.", valueName: "DATE")) var date: String
    @Option(help: "The series, when the body has several sessions that day.") var series: String?

    /// The session these arguments name in `context`, and its key in the store.
    func resolve(_ context: SessionContext) throws -> (body: Body, series: Series, session: Session, key: SessionKey) {
        let (b, s, session) = try context.session(body: body, date: date, series: series)
        return (b, s, session, SessionKey(body: b.id, series: s.id, date: try parseDay(date)))
    }

    /// Like `resolve`, for cancel and move: the session must come from the series' rule or be its single session.
    func resolvePlanned(_ context: SessionContext) throws -> (
        body: Body, series: Series, session: Session, key: SessionKey
    ) {
        let found = try resolve(context)
        if found.session.uid != context.district.uid(body: found.body, series: found.series) {
            throw CommandError(
                "\(found.body.id) on \(found.key.date) is an added session; cancelling or moving added sessions is not supported yet"
            )
        }
        return found
    }
}

/// The store's district with its recorded changes, for finding and changing one session.
struct SessionContext {
    let store: any Store
    let district: District
    let planner: SessionPlanner

    init(store options: StoreOptions) async throws {
        store = try options.open()
        do {
            guard let base = try await store.definitions().district else {
                throw CommandError("the store \(options.location) holds no definitions yet; run: gremien sync --apply")
            }
            district = base.applying(try await store.sessionChanges())
        } catch let error as StorageError {
            throw CommandError(error.description)
        }
        planner = try SessionPlanner(district: district, zone: systemZone)
    }

    func body(_ id: String) throws -> Body {
        guard let b = district.body(id) else {
            throw CommandError(
                "unknown body '\(id)'; known bodies: \(district.bodies.map(\.id).joined(separator: ", "))")
        }
        return b
    }

    /// The session of `body` whose planned (rule) date is `date`.
    func session(body id: String, date text: String, series seriesID: String?) throws -> (Body, Series, Session) {
        let b = try body(id)
        do {
            let found = try planner.session(of: b, plannedOn: try parseDay(text), series: seriesID)
            return (b, found.series, found.session)
        } catch let error as SessionPlanner.LookupError {
            throw CommandError(error.description)
        }
    }

    func record(body: Body, series: Series, _ exception: SeriesException) async throws {
        let now = LocalDateTime(localSeconds: Int64(Date().timeIntervalSince1970))
        let change = SessionChange(
            body: body.id, series: series.id, exception: exception, time: now, actor: currentActor())
        do { try await store.record(change) } catch { throw CommandError(error.description) }
    }
}

func parseDay(_ text: String) throws -> CivilDate {
    guard let day = CivilDate(iso: text) else {
        throw CommandError("'\(text)' is not a date; write YYYY-MM-DD, e.g. 2026-03-10")
    }
    return day
}

/// `--duration` within `Series.durations`.
func checkDuration(_ minutes: Int?) throws {
    guard let minutes, !Series.durations.contains(minutes) else { return }
    throw CommandError(
        "--duration \(minutes) is out of range; allowed: \(Series.durations.lowerBound) to \(Series.durations.upperBound) minutes"
    )
}
