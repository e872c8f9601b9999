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
        try principal.requireAdmin("keeps the staff records")
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .invalid("the name must not be empty") }
        try WorkflowError.requireText(name, "the name")
        try WorkflowError.requireText(email, "the e-mail address")
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
