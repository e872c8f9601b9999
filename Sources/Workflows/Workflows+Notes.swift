import Coordination
import Foundation
import Platform
import Storage

extension Workflows {
    /// Adds an agenda item to a session that takes place (before "Verschiedenes").
    @discardableResult
    public func addAgendaItem(_ target: SessionTarget, text: String, by principal: Principal)
        async throws(WorkflowError) -> AgendaItem
    {
        let found = try await session(target)
        try await editAgenda(target, .add(text), by: principal)
        return AgendaItem(session: found.key, text: text.trimmingCharacters(in: .whitespaces))
    }

    /// A change to a session's agenda (positions count from 0 over every item, standing ones too).
    public enum AgendaEdit: Sendable, Hashable {
        /// A new item, placed before "Verschiedenes" when that is the last item.
        case add(String)
        case moveUp(Int)
        case moveDown(Int)
        /// Items added for the session only; a standing item of the series stays (move it).
        case remove(Int)
    }

    /// Adds, moves or removes an agenda item of a session that takes place, until its minutes
    /// are approved (checked again in the write's transaction). Returns the items' texts.
    @discardableResult
    public func editAgenda(_ target: SessionTarget, _ edit: AgendaEdit, by principal: Principal)
        async throws(WorkflowError) -> [String]
    {
        if case .add(let text) = edit {
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                throw .invalid([
                    Problem(
                        "the agenda item must not be empty", german: "Bitte den Tagesordnungspunkt eingeben.",
                        field: "punkt")
                ])
            }
            if let problem = ControlCharacters.problem(in: text, field: "the agenda item") {
                throw .invalid([Problem(problem, german: "Der Punkt enthält ein Steuerzeichen.", field: "punkt")])
            }
        }
        let record = try await editMinutes(target, .agenda(edit), by: principal)
        return record.items.map(\.text)
    }

    /// Records an action item agreed in a session, for an office that is a member of the body.
    public func addActionItem(
        _ target: SessionTarget, text: String, office: String, due: CivilDate?, agendaItem: Int? = nil,
        by principal: Principal
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
                code: "cancelled", "\(found.name) was cancelled; no action items were agreed in it")
        }
        guard b.members.contains(where: { $0.office == office }) else {
            let known = b.members.map(\.office).joined(separator: ", ")
            throw .invalid(
                "office \(office) is not a member of \(b.id); members: \(known)",
                german: "Das Amt \(office) ist nicht Mitglied dieses Gremiums.")
        }
        if let due, due < found.session.start.local.date {
            throw .invalid([
                Problem(
                    "the due date \(due) lies before the session (\(found.session.start.local.date))",
                    german: "Die Frist liegt vor der Sitzung.", field: "frist")
            ])
        }
        if let agendaItem {
            let record = try await minutesRecord(of: found)
            guard record.item(agendaItem) != nil else {
                throw .invalid([
                    Problem(
                        "\(found.name) has no agenda item \(agendaItem)",
                        german: "Diesen Tagesordnungspunkt gibt es nicht.", field: "top")
                ])
            }
        }
        let item = ActionItem(session: found.key, text: text, office: office, due: due, agendaItem: agendaItem)
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
        let found = try await session(
            SessionTarget(body: item.session.body, date: item.session.date, series: item.session.series))
        try requireBegun(found, "its action items are done after it")
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
