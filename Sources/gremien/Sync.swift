import ArgumentParser
import Coordination
import Foundation
import Workflows

/// `gremien sync`: bring the store in line with calendars/, plan first.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync calendars/ into the store: show the plan, or apply it with --apply.",
        discussion: """
            Compares the offices, bodies, memberships and series of calendars/ with the store \
            and prints what would change, field by field. With --apply the plan is applied in \
            one transaction and recorded in the store's change log (who, when, what). Nothing \
            is deleted: a body, office or series that is no longer in the files is archived, \
            its sessions and records stay, and it is restored when it comes back.
              gremien sync                 # the plan only
              gremien sync --apply         # apply it
            """
    )

    @OptionGroup var calendars: CalendarsOptions
    @OptionGroup var store: StoreOptions

    @Flag(help: "Apply the plan (without it, nothing is changed).")
    var apply = false

    func run() async throws {
        let district = try calendars.district()
        let workflows = try await store.workflows(.create)
        let plan = try await call { try await workflows.syncPlan(files: district) }
        printOut(Self.describe(plan))
        guard !plan.isEmpty else { return }
        if apply {
            try await call { try await workflows.applySync(plan, by: localOperator) }
            printOut("applied \(plan.changes.count) change(s) to \(store.location)\n")
        } else {
            printOut("nothing changed yet; apply with: gremien sync --apply\n")
        }
    }

    /// The plan as a coordinator reads it: one line per entity, one indented line per field.
    static func describe(_ plan: SyncPlan) -> String {
        guard !plan.isEmpty else { return "the store is up to date with calendars/: nothing to do\n" }
        var out = ""
        let marks: [SyncChange.Action: String] = [.added: "+", .changed: "~", .archived: "-", .restored: "^"]
        for change in plan.changes {
            out += "\(marks[change.action] ?? "?") \(change.subject): \(change.action.rawValue)\n"
            for f in change.fields {
                switch (f.old.isEmpty, f.new.isEmpty) {
                case (true, _): out += "    \(f.field): \(f.new)\n"
                case (false, true): out += "    \(f.field): \(f.old) → (removed)\n"
                case (false, false): out += "    \(f.field): \(f.old) → \(f.new)\n"
                }
            }
        }
        var counts: [String] = []
        for action in [SyncChange.Action.added, .changed, .archived, .restored] {
            let n = plan.changes.filter { $0.action == action }.count
            if n > 0 { counts.append("\(n) \(action.rawValue)") }
        }
        return out + "\(plan.changes.count) change(s): \(counts.joined(separator: ", "))\n"
    }
}
