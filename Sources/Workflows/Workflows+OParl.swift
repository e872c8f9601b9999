import Coordination
import Platform
import Publishing
import Storage

/// What the OParl endpoint publishes (issue 19): the public bodies (`public: true`), their
/// sessions with the public agenda items and their approved minutes, the offices that sit in
/// them; never a member of staff. With the times each object was created and last changed
/// (from the change log), and what was withdrawn (an archived body, a removed session).
extension Workflows {
    /// One object's life: when it first appeared and when it last changed (UTC).
    public struct Stamp: Sendable, Hashable {
        public var created: LocalDateTime
        public var modified: LocalDateTime

        public mutating func raise(_ time: LocalDateTime?) {
            guard let time else { return }
            if time > modified { modified = time }
        }
    }

    public struct PublicBody: Sendable {
        public var body: Body
        public var stamp: Stamp
        /// Archived (or no longer public): listed as deleted.
        public var deleted: Bool
    }

    public struct PublicItem: Sendable, Hashable {
        /// 1, 2, … in the order of the agenda (public and non-public items counted alike).
        public var number: Int
        public var text: String
    }

    public struct PublicMeeting: Sendable {
        public var key: SessionKey
        /// `nil` for a removed session (deleted).
        public var session: Session?
        public var bodyName: String
        /// Public agenda items only.
        public var items: [PublicItem]
        /// The latest approved version of the minutes, and when it was approved.
        public var approved: (version: Int, time: LocalDateTime)?
        public var stamp: Stamp
        public var deleted: Bool
        /// Attendance per office (no person), where the district publishes it
        /// (`oparl_attendance: true`) and something is recorded.
        public var attendance: [(office: String, status: AttendanceEntry.Status)] = []
    }

    public struct PublicOffice: Sendable {
        public var office: Office
        public var stamp: Stamp
        /// Sits only in withdrawn bodies now.
        public var deleted: Bool
    }

    public struct PublicRecords: Sendable {
        public var districtName: String
        public var bodies: [PublicBody]
        public var meetings: [PublicMeeting]
        /// The offices sitting in a public body (never people).
        public var offices: [PublicOffice]
        /// The oldest and newest change of anything published.
        public var stamp: Stamp
    }

    /// Everything the OParl endpoint shows, read now.
    public func publicRecords() async throws(WorkflowError) -> PublicRecords {
        let planning = try await planning()
        // Of the change log only what it says of each subject's times, the bodies once
        // public and the removed sessions: the log of a district with years of attendance
        // has hundreds of thousands of entries, and this is read again after every change.
        let (definitions, times, wasPublic, removedSessions, states, agendas) = try await stored {
            () async throws(StorageError) in
            (
                try await store.definitions(), try await store.subjectTimes(),
                try await store.changes(
                    matching: ChangeFilter(subjectPrefix: "body ", detailContaining: "public: true")),
                try await store.changes(matching: ChangeFilter(subjectPrefix: "session ", action: "removed")),
                try await store.minutesStates(), try await store.agendas()
            )
        }
        // First and last change per subject of the change log.
        let logged = Dictionary(times.map { ($0.subject, $0) }, uniquingKeysWith: { a, _ in a })
        func first(_ subject: String) -> LocalDateTime? { logged[subject]?.first }
        func last(_ subject: String) -> LocalDateTime? { logged[subject]?.last }
        // The bodies that were public at some time (an entry of theirs says "public: true").
        let oncePublic = Set(wasPublic.map { String($0.subject.dropFirst(5)) })
        let epoch = times.first?.first ?? clock.now()
        func stamp(_ subject: String) -> Stamp {
            Stamp(created: first(subject) ?? epoch, modified: last(subject) ?? epoch)
        }
        let publicBodies = planning.district.bodies.filter(\.isPublic)
        var bodies = publicBodies.map { PublicBody(body: $0, stamp: stamp("body \($0.id)"), deleted: false) }
        // A body once public, now archived or private: withdrawn.
        let withdrawn =
            definitions.archivedBodies.filter(\.isPublic)
            + definitions.bodies.filter { !$0.isPublic && oncePublic.contains($0.id) }
        bodies += withdrawn.map { PublicBody(body: $0, stamp: stamp("body \($0.id)"), deleted: true) }

        let approvedBy = Dictionary(
            states.filter { $0.status == .approved && $0.version != nil }.map { ($0.session, $0) },
            uniquingKeysWith: { a, b in a.time > b.time ? a : b })
        var meetings: [PublicMeeting] = []
        let ids = Set(publicBodies.map(\.id))
        let start = planning.district.bodies.filter(\.isPublic).flatMap(\.series).map { $0.start.date }.min()
        if let start {
            for (key, session) in planning.planner.keyedSessions(
                from: start, through: planning.district.planUntil, bodies: ids)
            {
                guard let body = planning.district.body(key.body),
                    let series = body.series.first(where: { $0.id == key.series })
                else { continue }
                var s = stamp("series \(key.body)/\(key.series)")
                let sessionSubject = "session \(key)"
                if let created = first(sessionSubject), session.uid != planning.district.uid(body: body, series: series)
                {
                    s.created = created  // an added session appears when it is added
                }
                s.raise(last(sessionSubject))
                s.raise(last("agenda \(key)"))
                s.raise(last("minutes \(key)"))
                s.raise(last("body \(key.body)"))
                let approved = approvedBy[key].flatMap { st in st.version.map { (version: $0, time: st.time) } }
                let texts = agendas[key] ?? []
                let items: [PublicItem]
                if first("minutes \(key)") != nil || first("agenda \(key)") != nil,
                    let record = try await stored({ () async throws(StorageError) in
                        try await store.minutesRecord(of: key)
                    })
                {
                    items = record.items.enumerated().filter { $0.element.isPublic }.map {
                        PublicItem(number: $0.offset + 1, text: $0.element.text)
                    }
                } else {
                    let all = MinutesRecord(session: key, standing: series.agenda, added: texts).items
                    items = all.enumerated().filter { $0.element.isPublic }.map {
                        PublicItem(number: $0.offset + 1, text: $0.element.text)
                    }
                }
                var attendance: [(office: String, status: AttendanceEntry.Status)] = []
                if planning.district.publicAttendance, let recorded = last("attendance \(key)") {
                    s.raise(recorded)
                    let entries = try await stored { () async throws(StorageError) in
                        try await store.attendance(of: key)
                    }
                    // Per office the best of its entries: present, represented, excused, absent.
                    let rank: [AttendanceEntry.Status] = [.present, .represented, .excused, .absent]
                    for office in Set(entries.map(\.office)).sorted() {
                        let statuses = entries.filter { $0.office == office }.map(\.status)
                        if let best = rank.first(where: statuses.contains) { attendance.append((office, best)) }
                    }
                }
                if s.created > s.modified { s.modified = s.created }
                meetings.append(
                    PublicMeeting(
                        key: key, session: session, bodyName: body.name, items: items, approved: approved, stamp: s,
                        deleted: false, attendance: attendance))
            }
        }
        // Sessions of withdrawn bodies, and removed added sessions, as deleted meetings.
        for withdrawnBody in withdrawn {
            var district = planning.district
            var open = withdrawnBody
            open.validUntil = nil
            district.bodies = [open]
            guard let planner = try? SessionPlanner(district: district, zone: zones) else { continue }
            let from = withdrawnBody.series.map { $0.start.date }.min() ?? planning.district.planUntil
            let body = stamp("body \(withdrawnBody.id)")
            for (key, session) in planner.keyedSessions(from: from, through: planning.district.planUntil) {
                let series = withdrawnBody.series.first { $0.id == key.series }
                let all = MinutesRecord(session: key, standing: series?.agenda ?? [], added: agendas[key] ?? []).items
                meetings.append(
                    PublicMeeting(
                        key: key, session: session, bodyName: withdrawnBody.name,
                        items: all.enumerated().filter { $0.element.isPublic }.map {
                            PublicItem(number: $0.offset + 1, text: $0.element.text)
                        },
                        approved: approvedBy[key].flatMap { st in st.version.map { (version: $0, time: st.time) } },
                        stamp: Stamp(created: body.created, modified: body.modified), deleted: true))
            }
        }
        for c in removedSessions {
            let parts = c.subject.dropFirst(8).split(separator: " ")
            guard parts.count == 2, let date = CivilDate(iso: String(parts[1])) else { continue }
            let bs = parts[0].split(separator: "/")
            guard bs.count == 2, ids.contains(String(bs[0])) else { continue }
            let key = SessionKey(body: String(bs[0]), series: String(bs[1]), date: date)
            guard !meetings.contains(where: { $0.key == key }), let body = planning.district.body(key.body) else {
                continue
            }
            meetings.append(
                PublicMeeting(
                    key: key, session: nil, bodyName: body.name, items: [], approved: nil,
                    stamp: Stamp(created: first("session \(key)") ?? c.time, modified: c.time), deleted: true))
        }

        var offices: [PublicOffice] = []
        let known = planning.district.offices + definitions.archivedOffices
        for office in known {
            let live = publicBodies.filter { $0.members.contains { $0.office == office.id } }
            let gone = withdrawn.filter { $0.members.contains { $0.office == office.id } }
            guard !live.isEmpty || !gone.isEmpty else { continue }
            var s = stamp("office \(office.id)")
            for b in live + gone { s.raise(last("body \(b.id)")) }
            offices.append(PublicOffice(office: office, stamp: s, deleted: live.isEmpty))
        }
        var all = Stamp(created: epoch, modified: epoch)
        for b in bodies { all.raise(b.stamp.modified) }
        for m in meetings { all.raise(m.stamp.modified) }
        for o in offices { all.raise(o.stamp.modified) }
        return PublicRecords(
            districtName: planning.district.name, bodies: bodies, meetings: meetings, offices: offices, stamp: all)
    }
}

extension Workflows {
    /// An approved version of a public body's minutes as it may be published: no person's name
    /// (attendance by office is left out, no minute-taker, the chair by office), non-public
    /// items by number only. `notFound` for a body that is not public or a version not approved.
    public func publicMinutes(_ target: SessionTarget, version: Int) async throws(WorkflowError) -> MinutesView {
        let found = try await session(target)
        guard found.body.isPublic else { throw .notFound("\(found.body.id) is not a public body") }
        var view = try await minutesView(of: found, version: version)
        view.chair = found.district.office(found.body.chair)?.name ?? found.body.chair
        view.minuteTaker = nil
        for i in view.members.indices { view.members[i].attendance = "nicht veröffentlicht" }
        let hidden = Set(view.agenda.filter { !$0.isPublic }.map(\.number))
        for i in view.agenda.indices where !view.agenda[i].isPublic {
            view.agenda[i].text = "nicht öffentlicher Teil"
            (view.agenda[i].discussion, view.agenda[i].results) = (nil, nil)
            (view.agenda[i].votes, view.agenda[i].hasVotes) = ([], false)
            (view.agenda[i].actions, view.agenda[i].hasActions) = ([], false)
        }
        view.votes = view.votes.filter { !hidden.contains($0.item) }
        view.hasVotes = !view.votes.isEmpty
        view.actions = view.actions.filter { a in !hidden.contains(Int(a.item.filter(\.isNumber)) ?? -1) }
        view.hasActions = !view.actions.isEmpty
        return view
    }
}
