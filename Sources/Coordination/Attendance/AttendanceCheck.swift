/// Checks an attendance entry against the body's memberships and the staff records, so that
/// nothing is recorded for an office that was not expected, a person of another office, or a
/// deputy who could not stand in.
public struct AttendanceCheck: Sendable {
    public let body: Body
    public let people: [String: Person]

    public init(body: Body, people: [Person]) {
        self.body = body
        self.people = Dictionary(people.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// What is wrong with `entry` (one message per problem; empty when it can be recorded).
    public func problems(_ entry: AttendanceEntry) -> [String] { findings(entry).map(\.text) }

    /// What is wrong with `entry`, each with the field it concerns and a German text for pages.
    public func findings(_ entry: AttendanceEntry) -> [AttendanceFinding] {
        var found: [AttendanceFinding] = []
        let date = entry.session.date
        let expected = body.expectedOffices(on: date).map(\.office)
        if !expected.contains(entry.office) {
            found.append(
                .init(
                    "office",
                    "office \(entry.office) is not a member of \(body.id) on \(date); expected: \(expected.joined(separator: ", "))",
                    german: "Das Amt \(entry.office) hat an diesem Tag keinen Sitz in diesem Gremium."))
        }
        if let name = entry.person {
            if let person = people[name] {
                if person.office != entry.office {
                    found.append(
                        .init(
                            "person", "\(name) works for \(person.office), not \(entry.office)",
                            german: "\(name) gehört zu \(person.office), nicht zu \(entry.office)."))
                }
            } else {
                found.append(
                    .init(
                        "person", "\(name) is not in the staff records (add with: gremien person add)",
                        german: "\(name) steht nicht im Personalverzeichnis von Gremien."))
            }
        }
        switch (entry.status, entry.deputy) {
        case (.represented, nil):
            found.append(
                .init(
                    "deputy", "status represented needs the deputy (--by NAME)",
                    german: "Bei „vertreten“ bitte angeben, wer vertreten hat."))
        case (.represented, let deputy?):
            if let d = people[deputy] {
                if d.office != entry.office {
                    found.append(
                        .init(
                            "deputy",
                            "deputy \(deputy) works for \(d.office), not \(entry.office): a deputy must be of the same office",
                            german: "\(deputy) gehört zu \(d.office); vertreten kann nur jemand aus \(entry.office)."))
                }
            } else {
                found.append(
                    .init(
                        "deputy", "deputy \(deputy) is not in the staff records (add with: gremien person add)",
                        german: "\(deputy) steht nicht im Personalverzeichnis von Gremien."))
            }
            if deputy == entry.person {
                found.append(
                    .init(
                        "deputy", "\(deputy) cannot represent themselves",
                        german: "Niemand kann sich selbst vertreten."))
            }
        case (_, let deputy?):
            found.append(
                .init(
                    "deputy", "a deputy (\(deputy)) is only given with status represented",
                    german: "Eine Vertretung wird nur beim Status „vertreten“ angegeben."))
        default: break
        }
        if let a = entry.arrival, let d = entry.departure, d <= a {
            found.append(
                .init(
                    "departure", "departure \(d.clock) is not after arrival \(a.clock)",
                    german: "Das Ende (\(d.clock)) muss nach der Ankunft (\(a.clock)) liegen."))
        }
        return found
    }
}

/// One problem of an attendance entry: the field, the text of the command line and the API, and
/// the German text of the pages.
public struct AttendanceFinding: Sendable, Hashable {
    public var field: String
    public var text: String
    public var german: String

    public init(_ field: String, _ text: String, german: String) {
        self.field = field
        self.text = text
        self.german = german
    }
}
