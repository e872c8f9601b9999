import Coordination
import Platform
import Storage

extension Workflows {
    /// What would change in the store to bring it in line with the district read from `calendars/`.
    public func syncPlan(files: District) async throws(WorkflowError) -> SyncPlan {
        let stored = try await stored { () async throws(StorageError) in try await store.definitions() }
        return SyncPlan.between(stored: stored, files: files, at: clock.now())
    }

    /// Applies a sync plan in one transaction, recorded as done by the principal.
    public func applySync(_ plan: SyncPlan, by principal: Principal) async throws(WorkflowError) {
        try principal.requireAdmin("syncs calendars/ into the store")
        guard !plan.isEmpty else { return }
        let now = clock.now()
        // The people holding seats in a body whose series or settings changed get its sessions
        // anew (a new version of a series has its own UID; the old one ends with UNTIL).
        var bodies: [String] = []
        for change in plan.changes {
            switch change.value {
            case .body(let b) where !bodies.contains(b.id): bodies.append(b.id)
            case .series(let b, _, _) where !bodies.contains(b): bodies.append(b)
            default: break
            }
        }
        var mail: [OutboxEntry] = []
        for body in bodies { mail += try await mailFor(body: body, from: now.date) }
        let outbox = mail
        try await stored { () async throws(StorageError) in
            try await store.apply(plan, at: now, actor: principal.actor, outbox: outbox)
        }
    }
}
