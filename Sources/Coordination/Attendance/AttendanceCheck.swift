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
    public func problems(_ entry: AttendanceEntry) -> [String] {
        var found: [String] = []
        let date = entry.session.date
        let expected = body.expectedOffices(on: date).map(\.office)
        if !expected.contains(entry.office) {
            found.append(
                "office \(entry.office) is not a member of \(body.id) on \(date); expected: \(expected.joined(separator: ", "))"
            )
        }
        if let name = entry.person {
            if let person = people[name] {
                if person.office != entry.office {
                    found.append("\(name) works for \(person.office), not \(entry.office)")
                }
            } else {
                found.append("\(name) is not in the staff records (add with: gremien person add)")
            }
        }
        switch (entry.status, entry.deputy) {
        case (.represented, nil):
            found.append("status represented needs the deputy (--by NAME)")
        case (.represented, let deputy?):
            if let d = people[deputy] {
                if d.office != entry.office {
                    found.append(
                        "deputy \(deputy) works for \(d.office), not \(entry.office): a deputy must be of the same office"
                    )
                }
            } else {
                found.append("deputy \(deputy) is not in the staff records (add with: gremien person add)")
            }
            if deputy == entry.person { found.append("\(deputy) cannot represent themselves") }
        case (_, let deputy?):
            found.append("a deputy (\(deputy)) is only given with status represented")
        default: break
        }
        if let a = entry.arrival, let d = entry.departure, d <= a {
            found.append(
                "departure \(d.clock) is not after arrival \(a.clock)"
            )
        }
        return found
    }
}
