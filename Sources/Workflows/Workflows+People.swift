import Coordination
import Foundation
import Platform
import Storage

extension Workflows {
    /// Adds a member of staff, or updates the one of that name. Personal data: it lives only in
    /// the store and the records, never in `calendars/` or public feeds.
    @discardableResult
    public func savePerson(
        name: String, office: String, level: Membership.Level, email: String?, by principal: Principal
    )
        async throws(WorkflowError) -> Person
    {
        guard principal.mayAdminister || principal.roles.contains(.coordinator) else {
            throw .forbidden("only a coordinator or an admin keeps the staff records")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        var problems: [Problem] = []
        if name.isEmpty {
            problems.append(Problem("the name must not be empty", german: "Bitte den Namen angeben.", field: "name"))
        } else if let p = ControlCharacters.problem(in: name, field: "the name", multiline: false) {
            problems.append(Problem(p, german: "Der Name enthält ein Steuerzeichen.", field: "name"))
        }
        if let email, let p = ControlCharacters.problem(in: email, field: "the e-mail address", multiline: false) {
            problems.append(Problem(p, german: "Die E-Mail-Adresse enthält ein Steuerzeichen.", field: "email"))
        } else if let email, !Self.isEmailAddress(email) {
            problems.append(
                Problem(
                    "'\(email)' is not an e-mail address",
                    german: "Bitte eine E-Mail-Adresse angeben, z. B. anna.beispiel@kreis.example.", field: "email"))
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        try await planning().requireOffice(office)
        let person = Person(name: name, office: office, level: level, email: email)
        let now = clock.now()
        try await stored { () async throws(StorageError) in
            try await store.save(person, at: now, actor: principal.actor)
        }
        return person
    }

    /// The staff records, by name; of one office when given.
    public func people(office: String? = nil) async throws(WorkflowError) -> [Person] {
        let all = try await stored { () async throws(StorageError) in try await store.people() }
        return all.filter { office == nil || $0.office == office }
    }
}
