import ArgumentParser
import Coordination
import Foundation
import Workflows

/// `gremien seat assign|list|end`: who holds an office's place in a body, with deputies.
struct SeatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seat",
        abstract: "Assign, list and end seats: the people who hold an office's place in a body, and their deputies.",
        discussion: """
            calendars/ says which offices sit in a body; seats say who sits for them: regular \
            holders and deputies (asked in the order they were assigned), each for a period. A \
            person's own calendar (Mein Kalender) shows the sessions of their seats. Every change \
            is in the change log and the event log.
              gremien seat assign ag-78 --office jc --person anna-beispiel --from 2027-01-01
              gremien seat assign ag-78 --office jc --person ben-vertreter --deputy
              gremien seat list ag-78
              gremien seat end 3 --on 2027-06-30
            """,
        subcommands: [Assign.self, List.self, End.self]
    )

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign", abstract: "Assign a person to an office's place in a body.")
        @Argument(help: "The body's id.") var body: String
        @Option(help: "The office (id) whose place the person holds.") var office: String
        @Option(help: "The person's id (or a name only one person has).") var person: String
        @Flag(help: "As a deputy (after the deputies already assigned).") var deputy = false
        @Option(help: ArgumentHelp("First day (default: today).", valueName: "DATE")) var from: String?
        @Option(help: ArgumentHelp("Last day (default: open).", valueName: "DATE")) var until: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let request = SeatRequest(
                body: body, office: office, person: person, deputy: deputy,
                from: try from.map { try parseDay($0, option: "--from") },
                until: try until.map { try parseDay($0, option: "--until") })
            let seat = try await call { try await store.workflows().assignSeat(request, by: localOperator) }
            printOut("\(seat.id)\n")
            printError(
                "gremien: seat \(seat.id): \(seat.person) holds the place of \(seat.office) in \(seat.body) as "
                    + (seat.role == .regular ? "member" : "deputy \(seat.rank)") + " " + period(seat))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the seats of one body or all.")
        @Argument(help: "The body's id (default: all).") var body: String?
        @Option(help: "Output format: table or json.") var format: ListFormat = .table
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let seats = try await call { try await store.workflows(.read).seats(body: body, by: localOperator) }
            switch format {
            case .json:
                let rows: [[String: Any]] = seats.map { l in
                    [
                        "id": l.seat.id, "body": l.seat.body, "office": l.seat.office, "person": l.seat.person,
                        "name": l.person?.name ?? NSNull(), "role": l.seat.role.rawValue, "rank": l.seat.rank,
                        "from": l.seat.validFrom?.description ?? NSNull(),
                        "until": l.seat.validUntil?.description ?? NSNull(),
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
                printOut(String(decoding: data, as: UTF8.self) + "\n")
            case .table:
                var out = "ID  BODY  OFFICE  PERSON  ROLE  PERIOD\n"
                for l in seats {
                    let role = l.seat.role == .regular ? "member" : "deputy \(l.seat.rank)"
                    out +=
                        "\(l.seat.id)  \(l.seat.body)  \(l.seat.office)  \(l.seat.person) (\(l.person?.name ?? "?"))  \(role)  \(period(l.seat))\n"
                }
                printOut(out + "\(seats.count) seat(s)\n")
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end", abstract: "End a seat: its last day (default yesterday).")
        @Argument(help: "The seat's id (see gremien seat list).") var id: Int
        @Option(help: ArgumentHelp("Its last day.", valueName: "DATE")) var on: String?
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let day = try on.map { try parseDay($0, option: "--on") }
            let seat = try await call { try await store.workflows().endSeat(id, on: day, by: localOperator) }
            printOut(
                "seat \(seat.id) of \(seat.person) in \(seat.body) ends on \(seat.validUntil?.description ?? "")\n")
        }
    }
}

/// `2027-01-01 to 2027-06-30`, `2027-01-01 to open`.
func period(_ seat: Seat) -> String {
    "\(seat.validFrom?.description ?? "start") to \(seat.validUntil?.description ?? "open")"
}
