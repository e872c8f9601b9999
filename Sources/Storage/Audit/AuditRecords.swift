import Coordination

/// The records the event log vouches for: attendance, session changes and minutes state.
public struct AuditRecords: Sendable, Hashable {
    public var attendance: [AttendanceEntry]
    /// In the order they were recorded.
    public var sessionChanges: [SessionChange]
    public var minutes: [MinutesState]
    /// Seats as the log last set them, by id.
    public var seats: [Seat]
    /// People as the log last set them (people stored before the log recorded them are absent).
    public var people: [Person]
    /// What is written into minutes, per session.
    public var contents: [MinutesRecord]
    /// Approved minutes as frozen (the store's table; the log holds their hashes).
    public var versions: [MinutesVersion]

    public init(
        attendance: [AttendanceEntry] = [], sessionChanges: [SessionChange] = [], minutes: [MinutesState] = [],
        seats: [Seat] = [], people: [Person] = [], contents: [MinutesRecord] = [], versions: [MinutesVersion] = []
    ) {
        self.contents = contents
        self.versions = versions
        self.attendance = attendance
        self.sessionChanges = sessionChanges
        self.minutes = minutes
        self.seats = seats
        self.people = people
    }
}

extension AttendanceEntry {
    /// What identifies an attendance row: one per session, office and person (`nil` for the
    /// office as a whole). The event log names it as `auditSubject`.
    public struct RowKey: Sendable, Hashable {
        public var session: SessionKey
        public var office: String
        public var person: String?
    }

    public var rowKey: RowKey { RowKey(session: session, office: office, person: person) }

    /// What an entry holds besides its key, with the event-log entry that set it: the replayed
    /// log keeps one per row key, so the key is not held twice.
    public struct Logged: Sendable {
        public var status: Status
        public var deputy: String?
        public var arrival: LocalDateTime?
        public var departure: LocalDateTime?
        public var seq: Int

        init(_ e: AttendanceEntry, seq: Int) {
            (status, deputy, arrival, departure, self.seq) = (e.status, e.deputy, e.arrival, e.departure, seq)
        }

        init(status: Status, deputy: String?, arrival: LocalDateTime?, departure: LocalDateTime?, seq: Int) {
            (self.status, self.deputy, self.arrival, self.departure, self.seq) = (
                status, deputy, arrival, departure, seq
            )
        }

        /// The entry of `key`.
        public func entry(_ key: RowKey) -> AttendanceEntry {
            AttendanceEntry(
                session: key.session, office: key.office, person: key.person, status: status, deputy: deputy,
                arrival: arrival, departure: departure)
        }
    }
}

/// The records as the event log says they stand after entry `upTo`, each with the number of the
/// entry that last set it.
public struct ReplayedRecords: Sendable {
    public var attendance = LoggedAttendance()
    public var sessionChanges: [(change: SessionChange, seq: Int)] = []
    /// Minutes state per session.
    public var minutes: [SessionKey: (state: MinutesState, seq: Int)] = [:]
    /// Seats as the log last set them, by id.
    public var seats: [Int: Seat] = [:]
    /// The entry that last set each seat.
    public var seatSeq: [Int: Int] = [:]
    /// Minutes content as the log last set it, by subject, with that entry.
    public var contents: [String: (record: MinutesRecord, seq: Int)] = [:]
    /// Every approval that froze a version: the state (with number and hash) and its entry.
    public var approvals: [(state: MinutesState, seq: Int)] = []
    /// People as the log last set them, by id, with that entry.
    public var people: [String: (person: Person, seq: Int)] = [:]
    /// Entries whose payload could not be read back.
    public var unreadable: [AuditEvent] = []
    /// Attendance entries written while the session's minutes stood approved (the lock should
    /// have refused them), each with the entry of the approval.
    public var writtenWhileLocked: [(entry: AuditEvent, approval: Int)] = []

    /// Nothing replayed yet; `replay` takes the entries one by one.
    public init() {}

    public init(replaying events: [AuditEvent], upTo last: Int = .max) {
        for event in events where event.seq <= last { replay(event) }
    }

    /// Applies one entry (entries come in the order of `seq`).
    public mutating func replay(_ event: AuditEvent) {
        replay(event, read: Self.attendance(of: event))
    }

    /// An entry with its attendance payload read beforehand (`read(_:)`), for `replay(_:)`.
    public struct Read: Sendable {
        let event: AuditEvent
        let attendance: AttendanceEntry?
    }

    /// `events` with their attendance payloads read, on any thread (a large batch in two halves
    /// at once): a store replaying its log reads the next batch meanwhile.
    public static func read(_ events: [AuditEvent]) -> [Read] {
        AuditVerifier.inHalves(events) { Read(event: $0, attendance: attendance(of: $0)) }
    }

    /// Applies one entry read beforehand (entries come in the order of `seq`).
    public mutating func replay(_ read: Read) { replay(read.event, read: read.attendance) }

    /// The attendance entry the payload of `event` holds when it records or removes one; `nil`
    /// for other entries and when the payload cannot be read.
    static func attendance(of event: AuditEvent) -> AttendanceEntry? {
        guard event.kind == .attendance || event.kind == .attendanceRemoved else { return nil }
        return AttendanceEntry(auditPayload: event.payload)
    }

    /// `replay` with the payload of an attendance entry (`attendance(of:)`) read beforehand,
    /// on any thread: `nil` when it could not be read.
    mutating func replay(_ event: AuditEvent, read: AttendanceEntry?) {
        switch event.kind {
        case .definitions:
            return
        case .attendance:
            guard let entry = read else {
                unreadable.append(event)
                return
            }
            attendance[entry.rowKey] = AttendanceEntry.Logged(entry, seq: event.seq)
            if let state = minutes[entry.session], state.state.status == .approved {
                writtenWhileLocked.append((event, state.seq))
            }
        case .attendanceRemoved:
            guard let removed = read else {
                unreadable.append(event)
                return
            }
            attendance[removed.rowKey] = nil
            if let state = minutes[removed.session], state.state.status == .approved {
                writtenWhileLocked.append((event, state.seq))
            }
        case .session:
            guard let change = AuditPayload.decode(SessionChange.self, from: event.payload) else {
                unreadable.append(event)
                return
            }
            sessionChanges.append((change, event.seq))
        case .minutes:
            guard let state = AuditPayload.decode(MinutesState.self, from: event.payload) else {
                unreadable.append(event)
                return
            }
            minutes[state.session] = (state, event.seq)
            if state.status == .approved && state.version != nil { approvals.append((state, event.seq)) }
        case .seat:
            guard let seat = AuditPayload.decode(Seat.self, from: event.payload) else {
                unreadable.append(event)
                return
            }
            seats[seat.id] = seat
            seatSeq[seat.id] = event.seq
        case .person:
            guard let person = AuditPayload.decode(Person.self, from: event.payload) else {
                unreadable.append(event)
                return
            }
            people[person.id] = (person, event.seq)
        case .minutesContent:
            guard let record = AuditPayload.decode(MinutesRecord.self, from: event.payload) else {
                unreadable.append(event)
                return
            }
            contents[record.auditSubject] = (record, event.seq)
        case .reply:
            if AuditPayload.decode(Reply.self, from: event.payload) == nil { unreadable.append(event) }
        case .replyRefused:
            if AuditPayload.decode(RefusedReply.self, from: event.payload) == nil { unreadable.append(event) }
        }
    }

    /// The attendance rows in the order of the entries that last set them.
    private var attendanceInOrder: [AttendanceEntry] {
        var rows: [(seq: Int, entry: AttendanceEntry)] = []
        rows.reserveCapacity(attendance.count)
        attendance.forEach { seq, entry in rows.append((seq, entry())) }
        return rows.sorted { $0.seq < $1.seq }.map(\.entry)
    }

    /// The records themselves, in a stable order.
    public var records: AuditRecords {
        var records = recordsBesidesAttendance
        records.attendance = attendanceInOrder
        return records
    }

    /// The records without attendance (which `attendance` holds packed), in a stable order.
    public var recordsBesidesAttendance: AuditRecords {
        AuditRecords(
            sessionChanges: sessionChanges.map(\.change),
            minutes: minutes.values.sorted { $0.seq < $1.seq }.map(\.state),
            seats: seats.values.sorted { $0.id < $1.id }, people: people.values.map(\.person).sorted { $0.id < $1.id },
            contents: contents.values.sorted { $0.seq < $1.seq }.map(\.record))
    }
}
