import Coordination
import Foundation
import Platform
import Publishing
import Storage
import Synchronization

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
    /// neither the log nor the attendance table is held in memory). With `keptAt` (a report's
    /// chain head, `reportToCheck`), the records as replayed after that entry are kept for
    /// `checkReport`, which then does not read the log a second time.
    public func verifyAudit(keepingReplayAt keptAt: Int? = nil) async throws(WorkflowError) -> AuditVerification {
        try await stored { () async throws(StorageError) in try await store.auditVerification(keepingReplayAt: keptAt) }
    }

    /// A report with its stamp and chain head, read from it once: the head tells the check of
    /// the chain where to keep the records (`verifyAudit(keepingReplayAt:)`), the stamp how to
    /// make the report again (`checkReport`). `invalid` when it is not a gremien report or
    /// cannot be read.
    /// - Parameter name: how messages name the report (its path).
    public func reportToCheck<Source: ReportSource>(_ source: Source, named name: String) throws(WorkflowError)
        -> ReportToCheck<Source>
    {
        guard let stamp = try reading({ () throws(ReportSourceError) in try ReportStamp.found(in: source) }) else {
            throw .invalid(
                "\(name) is not a gremien report: it holds no line 'gremien-report v1 …', 'v2 …' or 'v3 …'")
        }
        guard let head = ChainHead(stamp.head) else {
            throw .invalid("\(name): the report's chain head '\(stamp.head)' is not SEQ:HASH")
        }
        return ReportToCheck(source: source, stamp: stamp, head: head)
    }

    /// `checkReport` of the report in `source` (`reportToCheck`).
    public func checkReport(_ source: some ReportSource, named name: String, chain: AuditVerification)
        async throws(WorkflowError) -> ReportCheck
    {
        try await checkReport(try reportToCheck(source, named: name), chain: chain)
    }

    /// Rebuilds the records as they stood at a report's chain head, makes the report again and
    /// compares it with the report's bytes (in memory or a `ReportFile`, read as it is
    /// compared). `invalid` when they cannot be read.
    public func checkReport(_ toCheck: ReportToCheck<some ReportSource>, chain: AuditVerification)
        async throws(WorkflowError) -> ReportCheck
    {
        let (source, stamp, head) = (toCheck.source, toCheck.stamp, toCheck.head)
        if head.seq > chain.head.seq && !chain.isIntact {
            return .uncheckable("the chain breaks before its head \(head.seq)")
        }
        // The records the check of the chain kept at the report's head; else the log replayed
        // up to it as it is read (the log is not held).
        let replay: AuditReplay
        if let kept = chain.replay, kept.entry?.seq == head.seq {
            replay = kept
        } else {
            replay = try await stored { () async throws(StorageError) in try await store.auditReplay(upTo: head.seq) }
        }
        switch HeadLookup(head, entry: replay.entry) {
        case .holds: break
        case .missing:
            return .uncheckable("its chain head \(head.seq) is not in the event log (\(chain.entries) entries)")
        case .differs(let found):
            return .uncheckable(
                "entry \(head.seq) of the event log has hash \(found), the report was made from \(head.hash)")
        }
        let replayed = replay.replayed
        let summary = try await participationSummary(
            from: stamp.from, through: stamp.through, core: stamp.core, madeAt: stamp.madeAt, office: stamp.office,
            body: stamp.body, replayed: replayed)
        let report = ParticipationReport(summary: summary, stamp: stamp)
        // Compared piece by piece as it is made again and the report read: a report that
        // matches is held neither whole nor twice. One that differs is read whole, to name the
        // line where.
        if try reading({ () throws(ReportSourceError) in try Self.same(report, as: source) }) {
            return .matches(stamp: stamp, head: head.seq)
        }
        let again = report.rendered()
        let text = String(decoding: try reading(source.bytes), as: UTF8.self)
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

/// A report's bytes with what was read from them once (`Workflows.reportToCheck`).
public struct ReportToCheck<Source: ReportSource>: Sendable {
    public let source: Source
    public let stamp: ReportStamp
    public let head: ChainHead
}

/// What reading a report gave, its failure as `invalid` (the message names the file).
private func reading<T>(_ read: () throws(ReportSourceError) -> T) throws(WorkflowError) -> T {
    do throws(ReportSourceError) { return try read() } catch { throw .invalid(error.description) }
}

extension Workflows {
    /// Whether `report`, made again, is `source` byte for byte; its pieces compared as they are
    /// made (`ParticipationReport.write(to:)`) with the report's bytes as they are read, through
    /// one buffer of `window` bytes.
    static func same(_ report: ParticipationReport, as source: some ReportSource, window: Int = 1 << 16)
        throws(ReportSourceError) -> Bool
    {
        // Bytes compared so far; where `window` begins in the report and how much it holds.
        let compared = Mutex(
            (
                window: [UInt8](repeating: 0, count: window), offset: 0, start: 0, filled: 0, same: true,
                failure: ReportSourceError?.none
            ))
        report.write { piece in
            compared.withLock { c in
                guard c.same else { return }
                guard c.offset + piece.count <= source.byteCount else {
                    c.same = false
                    return
                }
                piece.withUnsafeBytes { made in
                    var done = 0
                    while done < made.count, c.same, let start = made.baseAddress {
                        if c.offset >= c.start + c.filled {
                            let offset = c.offset
                            let got = c.window.withUnsafeMutableBytes { window in
                                Result { () throws(ReportSourceError) in try source.read(at: offset, into: window) }
                            }
                            switch got {
                            case .success(let n): (c.start, c.filled) = (offset, n)
                            case .failure(let error): (c.failure, c.filled) = (error, 0)
                            }
                            guard c.filled > 0 else {
                                c.same = false
                                return
                            }
                        }
                        let n = min(made.count - done, c.start + c.filled - c.offset)
                        let at = c.offset - c.start
                        c.same = c.window.withUnsafeBytes { w in
                            w.baseAddress.map { memcmp($0 + at, start + done, n) == 0 } ?? false
                        }
                        (done, c.offset) = (done + n, c.offset + n)
                    }
                }
            }
        }
        return try compared.withLock { c throws(ReportSourceError) in
            if let failure = c.failure { throw failure }
            return c.same && c.offset == source.byteCount
        }
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
    public func check(_ anchor: ChainAnchor) async throws(WorkflowError) -> AnchorCheck {
        let head = anchor.head
        let entry = try await stored { () async throws(StorageError) in try await store.auditEvent(seq: head.seq) }
        switch HeadLookup(head, entry: entry) {
        case .holds: return .holds(head)
        case .missing:
            let last = try await stored { () async throws(StorageError) in try await store.chainHead() }.seq
            return .fails(
                "the event log ends at entry \(last); the anchor of \(anchor.time) holds entry "
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

/// Whether an event log holds a chain head a report or an anchor names, from the log's entry
/// with that number (`nil`: none): the entry is there with that hash, missing, or there with
/// another hash.
enum HeadLookup {
    case holds
    case missing
    case differs(String)

    init(_ head: ChainHead, entry: AuditEvent?) {
        guard head.seq > 0 else {
            self = .holds
            return
        }
        guard let entry, entry.seq == head.seq else {
            self = .missing
            return
        }
        self = entry.hash == head.hash ? .holds : .differs(entry.hash)
    }
}
