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

/// The records as the event log says they stand after entry `upTo`, each with the number of the
/// entry that last set it.
public struct ReplayedRecords: Sendable {
    public var attendance: [String: (entry: AttendanceEntry, seq: Int)] = [:]
    public var sessionChanges: [(change: SessionChange, seq: Int)] = []
    public var minutes: [String: (state: MinutesState, seq: Int)] = [:]
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

    public init(replaying events: [AuditEvent], upTo last: Int = .max) {
        for event in events where event.seq <= last {
            switch event.kind {
            case .definitions:
                continue
            case .attendance:
                guard let entry = AuditPayload.decode(AttendanceEntry.self, from: event.payload) else {
                    unreadable.append(event)
                    continue
                }
                attendance[entry.auditSubject] = (entry, event.seq)
                if let state = minutes[MinutesState.auditSubject(of: entry.session)], state.state.status == .approved {
                    writtenWhileLocked.append((event, state.seq))
                }
            case .attendanceRemoved:
                guard let removed = AuditPayload.decode(AttendanceEntry.self, from: event.payload) else {
                    unreadable.append(event)
                    continue
                }
                attendance[removed.auditSubject] = nil
                if let state = minutes[MinutesState.auditSubject(of: removed.session)], state.state.status == .approved
                {
                    writtenWhileLocked.append((event, state.seq))
                }
            case .session:
                guard let change = AuditPayload.decode(SessionChange.self, from: event.payload) else {
                    unreadable.append(event)
                    continue
                }
                sessionChanges.append((change, event.seq))
            case .minutes:
                guard let state = AuditPayload.decode(MinutesState.self, from: event.payload) else {
                    unreadable.append(event)
                    continue
                }
                minutes[state.auditSubject] = (state, event.seq)
                if state.status == .approved && state.version != nil { approvals.append((state, event.seq)) }
            case .seat:
                guard let seat = AuditPayload.decode(Seat.self, from: event.payload) else {
                    unreadable.append(event)
                    continue
                }
                seats[seat.id] = seat
                seatSeq[seat.id] = event.seq
            case .person:
                guard let person = AuditPayload.decode(Person.self, from: event.payload) else {
                    unreadable.append(event)
                    continue
                }
                people[person.id] = (person, event.seq)
            case .minutesContent:
                guard let record = AuditPayload.decode(MinutesRecord.self, from: event.payload) else {
                    unreadable.append(event)
                    continue
                }
                contents[record.auditSubject] = (record, event.seq)
            case .reply:
                guard AuditPayload.decode(Reply.self, from: event.payload) != nil else {
                    unreadable.append(event)
                    continue
                }
            case .replyRefused:
                guard AuditPayload.decode(RefusedReply.self, from: event.payload) != nil else {
                    unreadable.append(event)
                    continue
                }
            }
        }
    }

    /// The records themselves, in a stable order.
    public var records: AuditRecords {
        AuditRecords(
            attendance: attendance.values.sorted { $0.seq < $1.seq }.map(\.entry),
            sessionChanges: sessionChanges.map(\.change),
            minutes: minutes.values.sorted { $0.seq < $1.seq }.map(\.state),
            seats: seats.values.sorted { $0.id < $1.id }, people: people.values.map(\.person).sorted { $0.id < $1.id },
            contents: contents.values.sorted { $0.seq < $1.seq }.map(\.record))
    }
}
