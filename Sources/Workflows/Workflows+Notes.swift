import Coordination
import Foundation
import Platform
import Storage

extension Workflows {
    /// Adds an agenda item to a session that takes place.
    public func addAgendaItem(_ target: SessionTarget, text: String, by principal: Principal)
        async throws(WorkflowError) -> AgendaItem
    {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw .invalid("the agenda item must not be empty") }
        try WorkflowError.requireText(text, "the agenda item")
        let found = try await session(target)
        try principal.requireWrite(body: found.body.id)
        if found.session.status == .cancelled {
            throw .conflict(code: "cancelled", "\(found.body.id) on \(found.key.date) is cancelled; it has no agenda")
        }
        let item = AgendaItem(session: found.key, text: text)
        let now = clock.now()
        try await stored { () async throws(StorageError) in try await store.add(item, at: now, actor: principal.actor) }
        return item
    }

    /// Records an action item agreed in a session, for an office that is a member of the body.
    public func addActionItem(
        _ target: SessionTarget, text: String, office: String, due: CivilDate?, by principal: Principal
    ) async throws(WorkflowError) -> ActionItem {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else {
            throw .invalid("the action item must not be empty", german: "Bitte die Aufgabe beschreiben.")
        }
        try WorkflowError.requireText(text, "the action item")
        let found = try await session(target)
        try principal.requireWrite(body: found.body.id)
        let b = found.body
        if found.session.status == .cancelled {
            throw .conflict(
                code: "cancelled", "\(b.id) on \(found.key.date) was cancelled; no action items were agreed in it")
        }
        guard b.members.contains(where: { $0.office == office }) else {
            let known = b.members.map(\.office).joined(separator: ", ")
            throw .invalid(
                "office \(office) is not a member of \(b.id); members: \(known)",
                german: "Das Amt \(office) ist nicht Mitglied dieses Gremiums.")
        }
        let item = ActionItem(session: found.key, text: text, office: office, due: due)
        let now = clock.now()
        return try await stored { () async throws(StorageError) in
            try await store.add(item, at: now, actor: principal.actor)
        }
    }

    /// Marks an action item done.
    public func closeActionItem(_ id: Int, by principal: Principal) async throws(WorkflowError) {
        let item = try await stored { () async throws(StorageError) in try await store.actionItem(id) }
        guard let item else { throw .notFound("there is no action item \(id)") }
        try principal.requireWrite(body: item.session.body)
        let now = clock.now()
        try await stored { () async throws(StorageError) in
            try await store.closeActionItem(id, at: now, actor: principal.actor)
        }
    }

    /// The action items of a body, oldest first; only the open ones when `open`.
    public func actionItems(of body: String, open: Bool = false) async throws(WorkflowError) -> [ActionItem] {
        let items = try await stored { () async throws(StorageError) in try await store.actionItems(of: body) }
        return items.filter { !open || $0.done == nil }
    }
}
