import Coordination
import Foundation
import Platform
import Storage

/// A change to a member of staff: only the fields given change.
public struct PersonChange: Sendable, Hashable {
    public var name: String?
    public var office: String?
    public var level: Membership.Level?
    /// An empty text removes the address.
    public var email: String?
    /// The last day the person works here (they leave): their seats end that day.
    public var until: CivilDate?

    public init(
        name: String? = nil, office: String? = nil, level: Membership.Level? = nil, email: String? = nil,
        until: CivilDate? = nil
    ) {
        self.name = name
        self.office = office
        self.level = level
        self.email = email
        self.until = until
    }
}

extension Workflows {
    /// Adds a member of staff under a new id (a second person of the same name gets `-2`).
    /// Personal data: it lives only in the store and the records, never in `calendars/` or
    /// public feeds.
    @discardableResult
    public func savePerson(
        name: String, office: String, level: Membership.Level, email: String?, by principal: Principal
    )
        async throws(WorkflowError) -> Person
    {
        try Self.requireStaffKeeper(principal)
        let name = name.trimmingCharacters(in: .whitespaces)
        let email = email.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        try Self.checkPerson(name: name, email: email)
        try await planning().requireOffice(office)
        let now = clock.now()
        return try await checkedWrite { () async throws(WorkflowError) in
            let people = try await stored { () async throws(StorageError) in try await store.people() }
            let person = Person(
                id: Person.freshID(for: name, taken: Set(people.map(\.id))), name: name, office: office, level: level,
                email: email)
            try await stored { () async throws(StorageError) in
                try await store.save(person, at: now, actor: principal.actor)
            }
            return person
        }
    }

    /// Changes a member of staff (named by id, or by a name only one person has). A change of
    /// office ends their seats the day before today (they sit for the old office no longer); a
    /// last day (`until`) ends them that day.
    @discardableResult
    public func updatePerson(_ reference: String, _ change: PersonChange, by principal: Principal)
        async throws(WorkflowError) -> Person
    {
        try Self.requireStaffKeeper(principal)
        var person = try await person(reference)
        if let name = change.name { person.name = name.trimmingCharacters(in: .whitespaces) }
        if let email = change.email {
            let trimmed = email.trimmingCharacters(in: .whitespaces)
            person.email = trimmed.isEmpty ? nil : trimmed
        }
        try Self.checkPerson(name: person.name, email: person.email)
        let today = clock.now().date
        var endSeats: CivilDate?
        if let office = change.office, office != person.office {
            try await planning().requireOffice(office)
            person.office = office
            endSeats = CivilDate(dayNumber: today.dayNumber - 1)
        }
        if let level = change.level { person.level = level }
        if let until = change.until {
            person.until = until
            endSeats = min(endSeats ?? until, until)
        }
        let now = clock.now()
        let saved = person
        try await stored { () async throws(StorageError) in
            try await store.save(saved, endingSeatsOn: endSeats, at: now, actor: principal.actor)
        }
        return saved
    }

    /// The member of staff a reference names: their id, or a name only one person has.
    public func person(_ reference: String) async throws(WorkflowError) -> Person {
        let people = try await stored { () async throws(StorageError) in try await store.people() }
        return try Self.person(reference, in: people)
    }

    /// The member of staff `reference` names among `people` (by id, else by a unique name).
    static func person(_ reference: String, in people: [Person]) throws(WorkflowError) -> Person {
        if let byID = people.first(where: { $0.id == reference }) { return byID }
        let named = people.filter { $0.name == reference }
        if named.count == 1 { return named[0] }
        if named.count > 1 {
            throw .invalid([
                Problem(
                    "\(named.count) people are named \(reference) (ids \(named.map(\.id).joined(separator: ", "))); name one by its id",
                    german: "Mehrere Personen heißen \(reference); bitte eine auswählen.", field: "person")
            ])
        }
        throw .notFound(
            "\(reference) is not in the staff records (neither an id nor a name); list them with: gremien person list")
    }

    /// The staff records, by name; of one office when given.
    public func people(office: String? = nil) async throws(WorkflowError) -> [Person] {
        let all = try await stored { () async throws(StorageError) in try await store.people() }
        return all.filter { office == nil || $0.office == office }
    }

    /// Sets whether the signed-in person's own calendar shows the sessions of their deputy seats.
    public func showDeputySeats(_ shown: Bool, by principal: Principal) async throws(WorkflowError) {
        guard let id = principal.person else { throw .forbidden("only a person has a calendar of their own") }
        var person = try await person(id)
        person.showsDeputySeats = shown
        let now = clock.now()
        let saved = person
        try await stored { () async throws(StorageError) in
            try await store.save(saved, at: now, actor: principal.actor)
        }
    }

    static func requireStaffKeeper(_ principal: Principal) throws(WorkflowError) {
        guard principal.mayAdminister || principal.roles.contains(.coordinator) else {
            throw .forbidden("only a coordinator or an admin keeps the staff records")
        }
    }

    /// `invalid` for an empty name, a control character, or an e-mail address that is none.
    static func checkPerson(name: String, email: String?) throws(WorkflowError) {
        var problems: [Problem] = []
        if name.isEmpty {
            problems.append(Problem("the name must not be empty", german: "Bitte den Namen angeben.", field: "name"))
        } else if let p = ControlCharacters.problem(in: name, field: "the name", multiline: false) {
            problems.append(Problem(p, german: "Der Name enthält ein Steuerzeichen.", field: "name"))
        } else if name.count > 200 {
            problems.append(
                Problem("the name is longer than 200 characters", german: "Der Name ist zu lang.", field: "name"))
        }
        if let email, let p = ControlCharacters.problem(in: email, field: "the e-mail address", multiline: false) {
            problems.append(Problem(p, german: "Die E-Mail-Adresse enthält ein Steuerzeichen.", field: "email"))
        } else if let email, !Self.isEmailAddress(email) {
            problems.append(
                Problem(
                    "'\(email)' is not an e-mail address (name@example.org)",
                    german: "Bitte eine E-Mail-Adresse angeben, z. B. anna.beispiel@kreis.example.", field: "email"))
        }
        guard problems.isEmpty else { throw .invalid(problems) }
    }
}
