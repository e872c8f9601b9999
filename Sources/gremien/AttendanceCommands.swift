import ArgumentParser
import Coordination
import Foundation
import Workflows

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
        static let configuration = CommandConfiguration(
            commandName: "record", abstract: "Record one office's (or person's) attendance.")
        @OptionGroup var target: SessionArguments
        @Option(help: "The office (id).") var office: String
        @Option(help: "The member of staff (as in the staff records).") var person: String?
        @Option(help: "present, excused, absent or represented.") var status: String
        @Option(help: "The deputy of the same office (with --status represented).") var by: String?
        @Option(help: "Arrival, HH:MM.") var arrival: String?
        @Option(help: "Departure, HH:MM.") var departure: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let line = AttendanceLine(
                label: "", session: try target.target(), office: office, person: person, status: status, deputy: by,
                arrival: arrival, departure: departure)
            let recorded: [AttendanceEntry]
            do {
                recorded = try await store.workflows().recordAttendance([line], by: localOperator)
            } catch let error as WorkflowError {
                guard case .locked(let message) = error else { throw CommandError(error) }
                throw CommandError(
                    "\(message): gremien minutes reopen \(target.body) \(target.date) --reason TEXT")
            }
            for entry in recorded {
                printOut(
                    "recorded \(office)\(person.map { " \($0)" } ?? ""): \(entry.status.rawValue) for \(entry.session)\n"
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the expected and recorded attendance of a session.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
        @OptionGroup var target: SessionArguments
        @Option(help: "table or json.") var format: Format = .table
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let session = try target.target()
            let sheet = try await call { try await store.workflows(.read).attendance(of: session) }
            let found = sheet.session
            let report = AttendanceReport(
                body: found.body, session: found.session, key: found.key, recorded: sheet.entries,
                district: found.district,
                holders: Dictionary(
                    uniqueKeysWithValues: sheet.expected.map { m in
                        (m.office, (sheet.expectedPeople(m.office), sheet.deputies(m.office)))
                    }))
            printOut(format == .json ? try report.json() : report.table())
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
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
            let lines: [AttendanceLine]
            do {
                var records = CSVRecords(text, delimiter: delimiter)
                guard let firstRecord = try records.next() else {
                    throw CommandError(
                        "\(file) is empty; its first line names the columns: body,date,office,person,status,by,arrival,departure"
                    )
                }
                let names = firstRecord.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
                    throw CommandError("\(file):1: column \(twice) appears twice; each column once")
                }
                let missing = ["body", "date", "office", "status"].filter { !names.contains($0) }
                if !missing.isEmpty {
                    throw CommandError(
                        "\(file):1: missing column(s) \(missing.joined(separator: ", ")); expected: body,date,office,person,status,by,arrival,departure"
                    )
                }
                // Each column's place once, not a dictionary per row (an import has many thousands).
                let place = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                let columns = ["body", "date", "series", "office", "person", "status", "by", "arrival", "departure"]
                    .map { place[$0] }
                func field(_ row: [String], _ column: Int) -> String? {
                    guard let i = columns[column], i < row.count else { return nil }
                    return row[i]
                }
                var collected: [AttendanceLine] = []
                while let raw = try records.next() {
                    let line = records.recordLine
                    let row = raw.map { cell in
                        // Trimmed (Unicode spaces and tabs), without a copy for the usual cell.
                        let scalars = cell.unicodeScalars
                        return Self.isSpace(scalars.first) || Self.isSpace(scalars.last)
                            ? cell.trimmingCharacters(in: .whitespaces) : cell
                    }
                    if row.allSatisfy(\.isEmpty) { continue }
                    collected.append(
                        AttendanceLine(
                            label: "\(file):\(line)", body: field(row, 0) ?? "", date: field(row, 1) ?? "",
                            series: field(row, 2), office: field(row, 3) ?? "", person: field(row, 4),
                            status: field(row, 5) ?? "", deputy: field(row, 6), arrival: field(row, 7),
                            departure: field(row, 8)))
                }
                lines = collected
            } catch let error as CSVRecords.Malformed {
                throw CommandError("\(file):\(error.line): not valid CSV: \(error.message)")
            }
            let workflows = try await store.workflows()
            do {
                try await workflows.recordAttendance(lines, by: localOperator)
            } catch {
                guard case .invalid(let problems) = error else { throw CommandError(error) }
                for p in problems { printError(p.text) }
                let bad = Set(problems.compactMap(\.line)).count
                throw CommandError("\(bad) of \(lines.count) row(s) are not valid; nothing was imported")
            }
            printOut("imported \(lines.count) row(s) from \(file)\n")
        }

        /// Whether a cell's first or last character is white space: an ASCII one is answered
        /// without Unicode's tables (an import asks this of millions of cells).
        private static func isSpace(_ scalar: Unicode.Scalar?) -> Bool {
            guard let scalar else { return false }
            if scalar.isASCII { return scalar == " " || (0x09...0x0D).contains(scalar.value) }
            return scalar.properties.isWhitespace
        }
    }
}
