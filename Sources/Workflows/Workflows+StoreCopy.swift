import Storage

/// What a copy of the store moved, and the check of the copy.
public struct StoreCopy: Sendable {
    /// Rows per table.
    public var counts: [(table: String, rows: Int)]
    /// The copy's event log, checked against its records as `gremien audit verify` does.
    public var verification: AuditVerification
    /// The source's chain head when it was read: the copy's must be the same.
    public var sourceHead: ChainHead
}

extension Workflows {
    /// Copies everything the store holds into `destination`, an empty store of any kind (SQLite
    /// to PostgreSQL and back), in one transaction there, and checks the copy: its event log
    /// must verify against its records and end in the head the source had. `invalid` when a
    /// store cannot be copied this way, `conflict` when the destination is not empty or the
    /// copy does not verify (it is left as written, for inspection).
    public func copyStore(to destination: any Store, named name: String, by principal: Principal)
        async throws(WorkflowError) -> StoreCopy
    {
        try principal.requireAdmin("copies the store")
        guard let source = store as? any DumpableStore, let target = destination as? any DumpableStore else {
            throw .invalid("only SQLite and PostgreSQL stores can be copied")
        }
        let dump = try await stored { () async throws(StorageError) in try await source.dump() }
        let sourceHead = dump.events.last.map { ChainHead(seq: $0.seq, hash: $0.hash) } ?? .genesis
        try await stored { () async throws(StorageError) in try await target.load(dump) }
        let verification = try await stored { () async throws(StorageError) in
            try await destination.auditVerification()
        }
        guard verification.isIntact, verification.head == sourceHead else {
            let why = verification.problems.first.map(\.description) ?? "its head is \(verification.head)"
            throw .conflict(
                code: "copy_differs", "the copy in \(name) does not verify against the source (\(sourceHead)): \(why)")
        }
        return StoreCopy(counts: dump.counts, verification: verification, sourceHead: sourceHead)
    }
}
