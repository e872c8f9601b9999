import Coordination
import Foundation
import Platform
import Publishing
import Storage

/// The outcome of checking a report against the records at its chain head.
public enum ReportCheck: Sendable, Hashable {
    /// Made again from the records at `head`, it is byte for byte the same.
    case matches(stamp: ReportStamp, head: Int)
    /// It differs first in `line` (1-based): what the report says and what the records give.
    case differs(head: Int, line: Int, report: String, records: String)
    /// It cannot be checked: the chain breaks before its head, or its head is not in the log.
    case uncheckable(String)
}

extension Workflows {
    /// The event log's chain recomputed and compared with the records it vouches for (streamed:
    /// neither the log nor the attendance table is held in memory).
    public func verifyAudit() async throws(WorkflowError) -> AuditVerification {
        try await stored { () async throws(StorageError) in try await store.auditVerification() }
    }

    /// The whole event log, oldest first, for checking reports and anchors against it.
    public func auditLog() async throws(WorkflowError) -> [AuditEvent] {
        try await stored { () async throws(StorageError) in try await store.auditSnapshot() }.events
    }

    /// Rebuilds the records as they stood at a report's chain head, makes the report again and
    /// compares it with `data`. `invalid` when `data` is not a gremien report.
    /// - Parameter name: how messages name the report (its path).
    public func checkReport(_ data: Data, named name: String, events: [AuditEvent], chain: AuditVerification)
        async throws(WorkflowError) -> ReportCheck
    {
        let text = String(decoding: data, as: UTF8.self)
        guard let stamp = ReportStamp(findingIn: text) else {
            throw .invalid(
                "\(name) is not a gremien report: it holds no line 'gremien-report v1 …', 'v2 …' or 'v3 …'")
        }
        guard let head = ChainHead(stamp.head) else {
            throw .invalid("\(name): the report's chain head '\(stamp.head)' is not SEQ:HASH")
        }
        if head.seq > chain.head.seq && !chain.isIntact {
            return .uncheckable("the chain breaks before its head \(head.seq)")
        }
        switch HeadLookup(head, in: events) {
        case .holds: break
        case .missing:
            return .uncheckable("its chain head \(head.seq) is not in the event log (\(events.count) entries)")
        case .differs(let found):
            return .uncheckable(
                "entry \(head.seq) of the event log has hash \(found), the report was made from \(head.hash)")
        }
        let replayed = ReplayedRecords(replaying: events, upTo: head.seq).records
        let summary = try await participationSummary(
            from: stamp.from, through: stamp.through, core: stamp.core, madeAt: stamp.madeAt, office: stamp.office,
            body: stamp.body, replayed: replayed)
        let again = ParticipationReport(summary: summary, stamp: stamp).rendered()
        if again == data { return .matches(stamp: stamp, head: head.seq) }
        // Lines end in CRLF (CSV) or LF; "\r\n" is one Character, and a newline.
        let old = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let new = String(decoding: again, as: UTF8.self).split(
            omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let line = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
        return .differs(
            head: head.seq, line: line + 1, report: line < old.count ? String(old[line].prefix(200)) : "(end of file)",
            records: line < new.count ? String(new[line].prefix(200)) : "(end of file)")
    }
}

/// The outcome of checking the store's event log against an anchor the auditors kept.
public enum AnchorCheck: Sendable, Hashable {
    /// The log holds the anchored entry with the anchored hash.
    case holds(ChainHead)
    /// It does not: what is missing or different.
    case fails(String)
}

extension Workflows {
    /// The head of the intact event log, signed with the auditors' key, for a file they keep
    /// outside the store. Refused while the chain does not verify: the anchor would vouch for it.
    public func anchorAudit(signingWith key: AuditorKey, by principal: Principal) async throws(WorkflowError)
        -> ChainAnchor
    {
        try principal.requireAudit("anchors the event log")
        let result = try await verifyAudit()
        guard result.isIntact else {
            throw .conflict(
                code: "chain_broken",
                "the event log does not verify (\(result.problems.count) problem(s), first: \(result.problems[0])); "
                    + "no anchor is written for it")
        }
        let time = clock.now()
        do {
            return try ChainAnchor(
                store: location ?? "the store", head: result.head, time: time.description + "Z", signingWith: key)
        } catch {
            throw .invalid(error.description)
        }
    }

    /// Whether the event log still contains the anchored entry with the anchored hash.
    public func check(_ anchor: ChainAnchor, events: [AuditEvent]) -> AnchorCheck {
        let head = anchor.head
        switch HeadLookup(head, in: events) {
        case .holds: return .holds(head)
        case .missing:
            return .fails(
                "the event log ends at entry \(events.last?.seq ?? 0); the anchor of \(anchor.time) holds entry "
                    + "\(head.seq): entries were removed after the anchor was written")
        case .differs(let found):
            return .fails(
                "entry \(head.seq) of the event log has hash \(found), the anchor of \(anchor.time) holds "
                    + "\(head.hash): the log was changed after the anchor was written")
        }
    }

    /// Writes a consistent copy of a live store to a new file (for the auditors, or before an
    /// update). `invalid` when the store cannot be copied by Gremien.
    public func backupStore(to destination: String, by principal: Principal) async throws(WorkflowError) {
        try principal.requireAdmin("copies the store")
        guard let backup = store as? any BackupStore else {
            throw .invalid("this store cannot be copied by gremien; use the tools of its database")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw .conflict(code: "exists", "\(destination) exists already; name a new file for the copy")
        }
        try await stored { () async throws(StorageError) in try await backup.backup(to: destination) }
    }
}

/// Whether an event log (in order of `seq`, from 1) holds a chain head a report or an anchor
/// names: the entry is there with that hash, missing, or there with another hash.
enum HeadLookup {
    case holds
    case missing
    case differs(String)

    init(_ head: ChainHead, in events: [AuditEvent]) {
        guard head.seq > 0 else {
            self = .holds
            return
        }
        guard head.seq <= events.count, events[head.seq - 1].seq == head.seq else {
            self = .missing
            return
        }
        let found = events[head.seq - 1].hash
        self = found == head.hash ? .holds : .differs(found)
    }
}
