import ArgumentParser
import Coordination
import Foundation
import ICalendar
import Platform

/// `gremien expand`: when does this rule meet, or what does this iCalendar file hold?
struct Expand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Expand a recurrence rule, or every event of an iCalendar file, into dates.",
        discussion: """
            Rule mode prints one start per line as YYYY-MM-DDTHH:MM:SS+HH:MM (YYYY-MM-DD for \
            an all-day start):
              gremien expand --dtstart 2026-01-13T14:00:00 --tzid Europe/Berlin \\
                --rrule 'FREQ=MONTHLY;BYDAY=2TU' --limit 12
            File mode prints every instance of every event (RECURRENCE-ID overrides applied), \
            as start, UID and summary separated by tabs:
              gremien expand --ics kalender.ics --from 2026-01-01 --to 2027-01-01
            --from is inclusive and --to exclusive, both read on the wall clock of each \
            event's own time zone. Times in a spring-forward gap move forward by the gap for \
            that instance only; an ambiguous autumn time is taken at its first occurrence \
            (RFC 5545 3.3.5).
            """
    )

    @Option(
        help: ArgumentHelp(
            "First start, YYYY-MM-DDTHH:MM:SS in --tzid, or YYYY-MM-DD for an all-day series.", valueName: "LOCAL"))
    var dtstart: String?

    @Option(help: ArgumentHelp("IANA time zone of --dtstart, --exdate and --rdate (or UTC).", valueName: "ZONE"))
    var tzid: String = "Europe/Berlin"

    @Option(help: ArgumentHelp("RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;BYDAY=TU.", valueName: "RULE"))
    var rrule: String?

    @Option(help: ArgumentHelp("A start to leave out (repeatable), in the form of --dtstart.", valueName: "LOCAL"))
    var exdate: [String] = []

    @Option(help: ArgumentHelp("An extra start (repeatable), in the form of --dtstart.", valueName: "LOCAL"))
    var rdate: [String] = []

    @Option(
        help: ArgumentHelp(
            "Instances to print at most (per series with --ics); a cut-off is said on stderr.", valueName: "N"))
    var limit: Int = 1000

    /// The most instances `expand` lists: ten million, a few hundred megabytes of text.
    static let maxLimit = 10_000_000

    @Option(help: ArgumentHelp("Window start (inclusive), YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.", valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("Window end (exclusive), YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.", valueName: "DATE"))
    var to: String?

    @Option(help: ArgumentHelp("An iCalendar file to expand instead of a rule.", valueName: "FILE"))
    var ics: String?

    @Flag(help: "With --ics: print only the instance count and the sum of the starts as UTC epoch seconds.")
    var summary = false

    @Option(
        help: ArgumentHelp(
            "Rule mode only: 'swift' (default) or 'libical' (libical 3.0's own iterator, for comparison; no EXDATE, RDATE or window).",
            valueName: "ENGINE"))
    var engine: String = "swift"

    func validate() throws {
        guard (1...Self.maxLimit).contains(limit) else {
            throw ValidationError("--limit must be 1 to \(Self.maxLimit), got \(limit)")
        }
        if ics == nil && dtstart == nil { throw ValidationError("give --dtstart (with --rrule) or --ics FILE") }
        if ics != nil && (dtstart != nil || rrule != nil || !exdate.isEmpty || !rdate.isEmpty) {
            throw ValidationError("--ics cannot be combined with --dtstart, --rrule, --exdate or --rdate")
        }
        if summary && ics == nil { throw ValidationError("--summary belongs to --ics") }
        guard ["swift", "libical"].contains(engine) else {
            throw ValidationError("--engine must be swift or libical, got '\(engine)'")
        }
        if engine == "libical" && (ics != nil || !exdate.isEmpty || !rdate.isEmpty || from != nil || to != nil) {
            throw ValidationError("--engine libical takes --dtstart, --tzid, --rrule and --limit only")
        }
    }

    func run() throws {
        let window = (
            from: try from.map { try Self.local($0, option: "--from") },
            to: try to.map { try Self.local($0, option: "--to") }
        )
        if let f = window.from, let t = window.to, t <= f {
            throw CommandError("--to \(to ?? "") must lie after --from \(from ?? "")")
        }
        if let ics {
            try expandFile(ics, window: window)
        } else {
            try expandRule(window: window)
        }
    }

    private func expandRule(window: (from: LocalDateTime?, to: LocalDateTime?)) throws {
        let startText = dtstart ?? ""
        let start: RecurrenceSet.Start
        switch try Self.value(startText, option: "--dtstart") {
        case .date(let d): start = .date(d)
        case .dateTime(let t): start = .dateTime(t)
        }
        let zone: ZoneRules?
        do { zone = start.isDate ? nil : try SystemTimeZones.rules(for: tzid) } catch {
            throw CommandError("--tzid: \(error.description)")
        }
        var rules: [RecurrenceRule] = []
        if let rrule {
            let text = rrule.hasPrefix("RRULE:") ? String(rrule.dropFirst(6)) : rrule
            do { rules.append(try RecurrenceRule(parsing: text)) } catch {
                throw CommandError("--rrule: \(error.description)")
            }
        }
        func dates(_ texts: [String], _ option: String) throws -> [RecurrenceSet.DateValue] {
            try texts.map {
                switch try Self.value($0, option: option) {
                case .date(let d): return .date(d)
                case .dateTime(let t): return .local(t, zone: nil)
                }
            }
        }
        let set = RecurrenceSet(
            start: start, zone: zone, rules: rules, recurrenceDates: try dates(rdate, "--rdate"),
            exceptionDates: try dates(exdate, "--exdate"))
        do { try set.validate() } catch { throw CommandError("--rrule: \(error.description)") }

        if engine == "libical" {
            guard let rrule else { throw CommandError("--engine libical needs --rrule") }
            let instants = try LibicalRecurrence.expand(
                rule: rrule, start: start, tzid: start.isDate ? nil : tzid, limit: limit)
            var out = ""
            for utc in instants {
                let offset = zone?.offset(atUTC: utc) ?? 0
                let o = Occurrence(
                    utc: utc, offset: offset, nominal: LocalDateTime(localSeconds: utc + Int64(offset)),
                    isDate: start.isDate)
                out += o.formatted + "\n"
            }
            printOut(out)
            return
        }
        let expansion = set.expand(from: window.from, to: window.to, limit: limit)
        var out = ""
        for o in expansion.occurrences { out += o.formatted + "\n" }
        printOut(out)
        if expansion.cutOff {
            Self.warn("cut off after \(limit) instances; raise --limit or narrow --from/--to")
        }
    }

    private func expandFile(_ path: String, window: (from: LocalDateTime?, to: LocalDateTime?)) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError("--ics: cannot read \(path)")
        }
        let file: CalendarFile
        do {
            file = try CalendarFile(
                text: String(decoding: data, as: UTF8.self), systemZones: SystemTimeZones.lookupTZID)
        } catch {
            throw CommandError("\(path): \(error.description)")
        }
        for d in file.diagnostics {
            Self.warn("\(path):\(d.line > 0 ? "\(d.line):" : "") \(d.severity.rawValue): \(d.property): \(d.message)")
        }
        let cutOff: [String]
        if summary {
            let total = file.instanceSummary(from: window.from, to: window.to, limit: limit)
            print("instances: \(total.count)")
            print("checksum: \(total.checksum)")
            cutOff = total.cutOff
        } else {
            let expansion = file.expand(from: window.from, to: window.to, limit: limit)
            cutOff = expansion.cutOff
            var out = ""
            out.reserveCapacity(expansion.occurrences.count * 64)
            for o in expansion.occurrences {
                let e = expansion.event(of: o)
                out += o.occurrence.formatted + "\t" + e.uid + "\t" + Self.unescape(e.summary ?? "") + "\n"
            }
            printOut(out)
        }
        if !cutOff.isEmpty {
            Self.warn(
                "\(cutOff.count) series cut off after \(limit) instances (first: \(cutOff[0])); raise --limit or give --to"
            )
        }
        let errors = file.errors.count
        if errors > 0 {
            // The rest was printed; the exit status tells a script that something is missing.
            Self.warn("\(errors) error\(errors == 1 ? "" : "s") in \(path); what they concern is not in the output")
            throw ExitCode(1)
        }
    }

    enum LocalValue {
        case date(CivilDate)
        case dateTime(LocalDateTime)
    }

    /// Reads `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (also the iCalendar basic forms).
    static func value(_ text: String, option: String) throws -> LocalValue {
        let compact = text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        switch ICalDateText.parse(compact) {
        case .date(let d): return .date(d)
        case .dateTime(let t, false): return .dateTime(t)
        default:
            throw CommandError(
                "\(option) '\(text)' is not a local date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS")
        }
    }

    static func local(_ text: String, option: String) throws -> LocalDateTime {
        switch try value(text, option: option) {
        case .date(let d): return LocalDateTime(date: d)
        case .dateTime(let t): return t
        }
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        return text.replacingOccurrences(of: "\\n", with: " ").replacingOccurrences(of: "\\N", with: " ")
            .replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
            .replacingOccurrences(of: "\\\\", with: "\\")
    }

    static func warn(_ message: String) {
        printError("gremien: " + message)
    }
}
