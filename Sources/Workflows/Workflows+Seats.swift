import Coordination
import Foundation
import Platform
import Storage

/// A seat to assign: who holds an office's place in a body, from when to when.
public struct SeatRequest: Sendable, Hashable {
    public var body: String
    public var office: String
    /// The person's id, or a name only one person has.
    public var person: String
    public var deputy: Bool
    public var from: CivilDate?
    public var until: CivilDate?

    public init(
        body: String, office: String, person: String, deputy: Bool = false, from: CivilDate? = nil,
        until: CivilDate? = nil
    ) {
        self.body = body
        self.office = office
        self.person = person
        self.deputy = deputy
        self.from = from
        self.until = until
    }
}

/// A seat with the names a list shows.
public struct SeatListing: Sendable, Hashable {
    public var seat: Seat
    public var person: Person?
    public var bodyName: String

    public init(seat: Seat, person: Person?, bodyName: String) {
        self.seat = seat
        self.person = person
        self.bodyName = bodyName
    }
}

extension Workflows {
    /// Assigns a person to an office's place in a body, as its regular holder or as the next
    /// deputy (an admin, or a coordinator of the body). The office must sit in the body for the
    /// whole period, the person work for that office and not have left before it begins; the
    /// same person does not hold the same place twice at once.
    public func assignSeat(_ request: SeatRequest, by principal: Principal) async throws(WorkflowError) -> Seat {
        guard principal.mayAdminister || principal.mayWrite(body: request.body) else {
            throw .forbidden("only an admin or a coordinator of \(request.body) assigns its seats")
        }
        let planning = try await planning()
        let body = try planning.body(request.body)
        try planning.requireOffice(request.office)
        return try await checkedWrite { () async throws(WorkflowError) in
            let (people, seats) = try await stored { () async throws(StorageError) in
                (try await store.people(), try await store.seats())
            }
            let person = try Self.person(request.person, in: people)
            var problems: [Problem] = []
            let today = clock.now().date
            let from = request.from ?? today
            if let until = request.until, until < from {
                problems.append(
                    Problem(
                        "the seat ends (\(until)) before it begins (\(from))", german: "Das Ende liegt vor dem Beginn.",
                        field: "bis"))
            }
            if person.office != request.office {
                problems.append(
                    Problem(
                        "\(person.name) (\(person.id)) works for \(person.office), not \(request.office)",
                        german: "\(person.name) gehört zu \(person.office), nicht zu \(request.office).",
                        field: "person"))
            }
            if let left = person.until, left < from {
                problems.append(
                    Problem(
                        "\(person.name) (\(person.id)) left on \(left), before the seat begins",
                        german: "\(person.name) ist seit \(left.german) nicht mehr hier tätig.", field: "person"))
            }
            let memberships = body.members.filter { $0.office == request.office }
            let covered =
                memberships.contains { $0.isValid(on: from) }
                && (request.until.map { u in memberships.contains { $0.isValid(on: u) } } ?? true)
            if !covered {
                problems.append(
                    Problem(
                        "\(request.office) has no seat in \(body.id) on \(from)"
                            + (request.until.map { " or \($0)" } ?? "") + "; its seats come from calendars/",
                        german: "\(request.office) wirkt in diesem Zeitraum nicht in \(body.name) mit.", field: "office"
                    ))
            }
            let role: Seat.Role = request.deputy ? .deputy : .regular
            let overlapping = seats.contains { s in
                s.body == body.id && s.office == request.office && s.person == person.id && s.role == role
                    && (s.validUntil.map { $0 >= from } ?? true)
                    && (request.until.map { s.validFrom ?? from <= $0 } ?? true)
            }
            if overlapping {
                problems.append(
                    Problem(
                        "\(person.name) (\(person.id)) already holds this \(role.rawValue) seat of \(request.office) in \(body.id) then",
                        german: "\(person.name) hat diesen Sitz in diesem Zeitraum schon.", field: "person"))
            }
            guard problems.isEmpty else { throw .invalid(problems) }
            let rank =
                role == .deputy
                ? (seats.filter { $0.body == body.id && $0.office == request.office && $0.role == .deputy }
                    .filter { $0.validUntil.map { $0 >= from } ?? true }.map(\.rank).max() ?? 0) + 1 : 0
            let seat = Seat(
                body: body.id, office: request.office, person: person.id, role: role, rank: rank, from: from,
                until: request.until)
            let now = clock.now()
            // The invitation goes into the outbox with the seat (not for a seat wholly past).
            let mail = seat.validUntil.map { $0 >= now.date } ?? true ? mailFor(person: person, body: seat.body) : []
            return try await stored { () async throws(StorageError) in
                try await store.assign(seat, at: now, actor: principal.actor, outbox: mail)
            }
        }
    }

    /// Ends a seat on `day` (its last day; default yesterday: it is over from today).
    public func endSeat(_ id: Int, on day: CivilDate? = nil, by principal: Principal) async throws(WorkflowError)
        -> Seat
    {
        let seats = try await stored { () async throws(StorageError) in try await store.seats() }
        guard let seat = seats.first(where: { $0.id == id }) else {
            throw .notFound("there is no seat \(id); list them with: gremien seat list")
        }
        guard principal.mayAdminister || principal.mayWrite(body: seat.body) else {
            throw .forbidden("only an admin or a coordinator of \(seat.body) ends its seats")
        }
        let last = day ?? CivilDate(dayNumber: clock.now().date.dayNumber - 1)
        if let from = seat.validFrom, last < CivilDate(dayNumber: from.dayNumber - 1) {
            throw .invalid([
                Problem(
                    "seat \(id) begins on \(from); it cannot end on \(last)", german: "Das Ende liegt vor dem Beginn.",
                    field: "bis")
            ])
        }
        if let until = seat.validUntil, until <= last {
            throw .conflict(code: "seat_ended", "seat \(id) ended on \(until) already")
        }
        let now = clock.now()
        let person = try await stored { () async throws(StorageError) in try await store.person(id: seat.person) }
        let mail = mailFor(person: person, body: seat.body)
        return try await stored { () async throws(StorageError) in
            try await store.endSeat(id, on: last, at: now, actor: principal.actor, outbox: mail)
        }
    }

    /// The seats of one body or all, with the people's names, in order of body, office, role
    /// and rank (staff data: coordinators, auditors and admins).
    public func seats(body: String? = nil, by principal: Principal) async throws(WorkflowError) -> [SeatListing] {
        guard principal.mayAdminister || principal.roles.contains(.coordinator) || principal.roles.contains(.auditor)
        else { throw .forbidden("seats name people: coordinators, auditors and admins read them") }
        let planning = try await planning()
        if let body { _ = try planning.body(body) }
        let (people, seats) = try await stored { () async throws(StorageError) in
            (try await store.people(), try await store.seats())
        }
        let byID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return seats.filter { body == nil || $0.body == body }
            .sorted { ($0.body, $0.office, $0.rank, $0.id) < ($1.body, $1.office, $1.rank, $1.id) }
            .map {
                SeatListing(
                    seat: $0, person: byID[$0.person], bodyName: planning.district.body($0.body)?.name ?? $0.body)
            }
    }

    /// The seat plan of the store (every seat, for calendars and attendance).
    public func seatPlan() async throws(WorkflowError) -> SeatPlan {
        SeatPlan(try await stored { () async throws(StorageError) in try await store.seats() })
    }
}

extension Workflows {
    /// The signed-in person's record and seats (what *Mein Kalender* shows), current and coming
    /// ones first.
    public func ownSeats(by principal: Principal) async throws(WorkflowError) -> (person: Person, seats: [SeatListing])
    {
        guard let id = principal.person else { throw .forbidden("only a person has seats of their own") }
        let person = try await person(id)
        let planning = try await planning()
        let today = clock.now().date
        let seats = try await stored { () async throws(StorageError) in try await store.seats() }
            .filter { $0.person == id && ($0.validUntil.map { $0 >= today } ?? true) }
        return (
            person,
            seats.map {
                SeatListing(seat: $0, person: person, bodyName: planning.district.body($0.body)?.name ?? $0.body)
            }
        )
    }
}
