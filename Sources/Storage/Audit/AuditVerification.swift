import Coordination

/// The outcome of checking the event log: its chain, and whether the tables hold what it says.
public struct AuditVerification: Sendable {
    /// Something that does not match, with the entry it concerns when there is one.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The entry of the event log; `nil` for a row that no entry accounts for.
        public var seq: Int?
        public var message: String

        public var description: String { seq.map { "entry \($0): \(message)" } ?? message }
    }

    /// How many rows of each kind the store holds (what `audit verify` says it compared).
    public struct Counts: Sendable, Hashable {
        public var attendance = 0
        public var sessionChanges = 0
        public var minutes = 0
        public var seats = 0
    }

    /// How many entries the log holds.
    public var entries: Int
    /// The head of the chain as far as it holds (the last entry whose hash and link are right).
    public var head: ChainHead
    /// Every mismatch found, the first one first; empty when the records verify.
    public var problems: [Problem]
    /// The rows compared with the log.
    public var counts: Counts
    /// The records as the log says they stood after the entry asked for (`keepingReplayAt`),
    /// with that entry: kept from the check's own replay when the chain holds up to it, so that
    /// checking a report made at that entry needs no second reading of the log. `nil` otherwise.
    public var replay: AuditReplay?

    public var isIntact: Bool { problems.isEmpty }

    /// Recomputes the chain of `events` and compares the records the log implies with `records`.
    ///
    /// The chain is checked first; once an entry's hash or link is wrong, what follows cannot be
    /// trusted and the records are not compared.
    public init(events: [AuditEvent], records: AuditRecords, keepingReplayAt kept: Int? = nil) {
        var verifier = AuditVerifier(keepingReplayAt: kept)
        for event in events { verifier.add(event) }
        self = verifier.finish(records: records)
    }

    init(entries: Int, head: ChainHead, problems: [Problem], counts: Counts, replay: AuditReplay?) {
        (self.entries, self.head, self.problems, self.counts) = (entries, head, problems, counts)
        self.replay = replay
    }
}

/// The check of `AuditVerification`, one entry at a time, so a store can stream its log (and
/// its attendance table) through it without holding either: first every entry in the order of
/// `seq` (`add`), then every attendance row (`compare(stored:)`), then the other tables
/// (`finish`).
public struct AuditVerifier: Sendable {
    public typealias Problem = AuditVerification.Problem

    private var entries = 0
    private var head = ChainHead.genesis
    /// The first break of the chain; after it nothing is replayed or compared.
    private var broken: Problem?
    private var log = ReplayedRecords()
    /// Problems of attendance rows compared so far.
    private var attendance: [Problem] = []
    private var attendanceRows = 0
    /// The entries whose row was found in the attendance table, by `seq` (sized at the first row).
    private var compared: [Bool] = []
    /// The entry after which the replayed records are kept (`AuditVerification.replay`).
    private let keptAt: Int?
    private var kept: AuditReplay?

    /// - Parameter keptAt: the entry after which to keep the records as replayed (the chain
    ///   head of a report to be checked); they are shared with the check's own replay until the
    ///   next entry changes them.
    public init(keepingReplayAt keptAt: Int? = nil) {
        self.keptAt = keptAt
    }

    /// Room for this many attendance rows (the table's count), so the replayed log is not
    /// copied as it grows.
    public mutating func expect(attendanceRows: Int) {
        log.attendance.reserveCapacity(attendanceRows)
    }

    /// An entry of the log with what can be worked out for it alone (`checked(_:)`), on any
    /// thread and in any order: whether its fields give its hash, and its attendance payload
    /// read. `audit verify` works these out beside the reading of the log.
    public struct Checked: Sendable {
        public let event: AuditEvent
        let hashMatches: Bool
        /// The payload of an attendance entry, read (`nil` for other entries and when unreadable).
        let attendance: AttendanceEntry?
    }

    /// `event` checked on its own, for `add(_:)`.
    public static func checked(_ event: AuditEvent) -> Checked {
        Checked(
            event: event, hashMatches: EventChain.expectedHash(of: event) == event.hash,
            attendance: ReplayedRecords.attendance(of: event))
    }

    /// `events` checked each on its own; a large batch in two halves at once, so that the
    /// checking never leaves a core idle while the store's thread reads.
    public static func checked(_ events: [AuditEvent]) -> [Checked] {
        inHalves(events) { checked($0) }
    }

    /// `items` transformed each on its own, in order; 512 or more in two halves at once (a
    /// single write's few entries never start a thread).
    static func inHalves<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ transform: @Sendable (Item) -> Result
    ) -> [Result] {
        guard items.count >= 512 else { return items.map(transform) }
        let middle = items.count / 2
        let halves = ParallelResults<[Result], Never>.map(2) { half in
            (half == 0 ? items[..<middle] : items[middle...]).map(transform)
        }
        return halves[0] + halves[1]
    }

    /// The next entry of the log.
    public mutating func add(_ event: AuditEvent) {
        add(Self.checked(event))
    }

    /// The next entry of the log, checked beforehand.
    public mutating func add(_ checked: Checked) {
        let event = checked.event
        entries += 1
        guard broken == nil else { return }
        if event.seq != head.seq + 1 {
            broken = Problem(
                seq: event.seq,
                message: "follows entry \(head.seq): entries \(head.seq + 1)…\(event.seq - 1) are missing")
        } else if event.previous != head.hash {
            broken = Problem(
                seq: event.seq,
                message: "(\(event.subject)) does not link to entry \(head.seq): an entry before it was changed")
        } else if !checked.hashMatches {
            broken = Problem(
                seq: event.seq,
                message: "(\(event.subject)) does not match its hash: it was changed after it was written")
        } else {
            head = ChainHead(seq: event.seq, hash: event.hash)
            log.replay(event, read: checked.attendance)
            if event.seq == keptAt { kept = AuditReplay(replayed: log, entry: event) }
        }
    }

    /// One row of the attendance table, after the last entry: it must be what the last entry
    /// for its key set.
    public mutating func compare(stored row: AttendanceEntry) {
        compare(matcher.matched(row))
    }

    /// The log's attendance after the last entry, to match the table's rows against on any
    /// thread (`Matcher.matched`), for `compare(_:)`.
    public var matcher: Matcher { Matcher(logged: log.attendance) }

    /// A row of the attendance table looked up in the log's attendance on its own, on any
    /// thread: the entry that last set its key, and the problem when that entry set another value.
    public struct Matched: Sendable {
        let row: AttendanceEntry
        /// The entry that last set the row's key; `nil` when none did.
        let seq: Int?
        let mismatch: Problem?
    }

    /// The log's attendance after the last entry, read only: `audit verify` looks the table's
    /// rows up in it beside the reading of the table.
    public struct Matcher: Sendable {
        let logged: LoggedAttendance

        /// `row` looked up.
        public func matched(_ row: AttendanceEntry) -> Matched {
            let key = row.rowKey
            guard let logged = logged[key] else { return Matched(row: row, seq: nil, mismatch: nil) }
            let entry = logged.entry(key)
            guard row != entry else { return Matched(row: row, seq: logged.seq, mismatch: nil) }
            return Matched(
                row: row, seq: logged.seq,
                mismatch: Problem(
                    seq: logged.seq,
                    message:
                        "(\(row.auditSubject)) the attendance table says \(AuditVerifier.describe(row)), the log says \(AuditVerifier.describe(entry))"
                ))
        }

        /// `rows` looked up each on its own; a large batch in two halves at once.
        public func matched(_ rows: [AttendanceEntry]) -> [Matched] {
            AuditVerifier.inHalves(rows) { matched($0) }
        }
    }

    /// One row of the attendance table, looked up (`Matcher`), in the table's order: the first
    /// row for a key takes the log's entry, a second one has none.
    public mutating func compare(_ matched: Matched) {
        attendanceRows += 1
        guard broken == nil else { return }
        if compared.count <= head.seq { compared = [Bool](repeating: false, count: head.seq + 1) }
        guard let seq = matched.seq, seq < compared.count, !compared[seq] else {
            attendance.append(
                Problem(
                    seq: nil, message: "the attendance row \(matched.row.auditSubject) has no entry in the event log"))
            return
        }
        compared[seq] = true
        if let mismatch = matched.mismatch { attendance.append(mismatch) }
    }

    /// The outcome, with the rest of the tables (`records.attendance` counts as more rows of the
    /// attendance table).
    public mutating func finish(records: AuditRecords) -> AuditVerification {
        for row in records.attendance { compare(stored: row) }
        let counts = AuditVerification.Counts(
            attendance: attendanceRows, sessionChanges: records.sessionChanges.count, minutes: records.minutes.count,
            seats: records.seats.count)
        if let broken {
            return AuditVerification(entries: entries, head: head, problems: [broken], counts: counts, replay: kept)
        }
        var found = attendance
        log.attendance.forEach { seq, entry in
            guard !(seq < compared.count && compared[seq]) else { return }
            found.append(
                Problem(seq: seq, message: "(\(entry().auditSubject)) the attendance row is missing from the store"))
        }
        found += compare(log, with: records)
        return AuditVerification(
            entries: entries, head: head,
            problems: found.sorted { ($0.seq ?? .max, $0.message) < ($1.seq ?? .max, $1.message) }, counts: counts,
            replay: kept)
    }

    private func compare(_ log: ReplayedRecords, with records: AuditRecords) -> [Problem] {
        var found: [Problem] = log.unreadable.map {
            Problem(seq: $0.seq, message: "(\($0.subject)) holds a value that cannot be read")
        }
        // Approved minutes lock a session's attendance: nothing may be recorded until they are reopened.
        found += log.writtenWhileLocked.map {
            Problem(
                seq: $0.entry.seq,
                message:
                    "(\($0.entry.subject)) attendance recorded while the minutes were approved (entry \($0.approval))")
        }
        // Session changes: the same list, in the same order.
        for (i, logged) in log.sessionChanges.enumerated() {
            guard i < records.sessionChanges.count else {
                found.append(
                    Problem(
                        seq: logged.seq,
                        message: "(\(logged.change.record.subject)) the session change is missing from the store"))
                continue
            }
            if records.sessionChanges[i] != logged.change {
                found.append(
                    Problem(
                        seq: logged.seq,
                        message:
                            "(\(logged.change.record.subject)) the store holds another session change in its place: \(records.sessionChanges[i].record.subject) \(records.sessionChanges[i].record.action)"
                    ))
            }
        }
        for change in records.sessionChanges.dropFirst(log.sessionChanges.count) {
            found.append(
                Problem(seq: nil, message: "the session change \(change.record.subject) has no entry in the event log"))
        }
        // Minutes state: like attendance.
        found += Self.compare(
            log: Dictionary(
                uniqueKeysWithValues: log.minutes.values.map { ($0.state.auditSubject, ($0.state, $0.seq)) }),
            rows: records.minutes, key: \.auditSubject,
            table: "minutes state",
            mismatch: {
                "the store says \($0.status.rawValue) at \($0.time) by \($0.actor), the log says \($1.status.rawValue) at \($1.time) by \($1.actor)"
            })
        // Seats: like attendance, one row per seat id (every seat was logged from the start).
        found += Self.compare(
            log: log.seats.reduce(into: [:]) { $0["seat \($1.key)"] = ($1.value, log.seatSeq[$1.key] ?? 0) },
            rows: records.seats, key: { "seat \($0.id)" }, table: "seat",
            mismatch: { "the seat table says \(Self.describe($0)), the log says \(Self.describe($1))" })
        // Minutes content: like attendance, one document per session.
        found += Self.compare(
            log: log.contents.mapValues { ($0.record, $0.seq) }, rows: records.contents, key: \.auditSubject,
            table: "minutes content",
            mismatch: {
                "the store holds revision \($0.revision), not the content the log recorded (revision \($1.revision))"
            })
        // Approved versions: each frozen content must hash to what its approval's entry says.
        var unaccounted = Set(records.versions.map { "\($0.session) \($0.number)" })
        for (state, seq) in log.approvals {
            let name = "minutes \(state.session) version \(state.version ?? 0)"
            unaccounted.remove("\(state.session) \(state.version ?? 0)")
            guard
                let version = records.versions.first(where: {
                    $0.session == state.session && $0.number == state.version
                })
            else {
                found.append(Problem(seq: seq, message: "(\(name)) the approved version is missing from the store"))
                continue
            }
            let hash = SHA256Hex.of(Array(version.content.utf8))
            if hash != state.contentHash || version.hash != state.contentHash {
                found.append(
                    Problem(
                        seq: seq,
                        message:
                            "(\(name)) the frozen content was changed: it hashes to \(hash.prefix(12))…, the approval recorded \((state.contentHash ?? "").prefix(12))…"
                    ))
            }
        }
        for name in unaccounted.sorted() {
            found.append(
                Problem(seq: nil, message: "the approved version minutes \(name) has no approval in the event log"))
        }
        // People: a person the log records must be stored as it says (people stored before the
        // log recorded them have no entry).
        let stored = Dictionary(records.people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (id, logged) in log.people {
            guard let row = stored[id] else {
                found.append(Problem(seq: logged.seq, message: "(person \(id)) the person is missing from the store"))
                continue
            }
            if row != logged.person {
                found.append(
                    Problem(
                        seq: logged.seq,
                        message:
                            "(person \(id)) the store says \(Self.describe(row)), the log says \(Self.describe(logged.person))"
                    ))
            }
        }
        return found
    }

    /// Rows kept one per key (attendance, minutes state) against the value the log last set for
    /// each key: a changed row, a missing row, a row no entry accounts for.
    private static func compare<Row: Equatable>(
        log: [String: (value: Row, seq: Int)], rows: [Row], key: (Row) -> String, table: String,
        mismatch: (Row, Row) -> String
    ) -> [Problem] {
        var found: [Problem] = []
        var byKey: [String: Row] = [:]
        for row in rows { byKey[key(row)] = row }
        for (k, logged) in log {
            guard let row = byKey.removeValue(forKey: k) else {
                found.append(Problem(seq: logged.seq, message: "(\(k)) the \(table) is missing from the store"))
                continue
            }
            if row != logged.value {
                found.append(Problem(seq: logged.seq, message: "(\(k)) " + mismatch(row, logged.value)))
            }
        }
        for k in byKey.keys.sorted() {
            found.append(Problem(seq: nil, message: "the \(table) \(k) has no entry in the event log"))
        }
        return found
    }

    private static func describe(_ s: Seat) -> String {
        "\(s.person) \(s.role.rawValue) for \(s.office) in \(s.body), \(s.validFrom?.description ?? "open")…\(s.validUntil?.description ?? "open")"
    }

    private static func describe(_ p: Person) -> String {
        "\(p.name), \(p.office), \(p.level.rawValue), \(p.email ?? "no e-mail"), until \(p.until?.description ?? "open")"
    }

    fileprivate static func describe(_ e: AttendanceEntry) -> String {
        var text = e.status.rawValue
        if let d = e.deputy { text += " by \(d)" }
        if let a = e.arrival { text += ", arrival \(a)" }
        if let d = e.departure { text += ", departure \(d)" }
        return text
    }
}
