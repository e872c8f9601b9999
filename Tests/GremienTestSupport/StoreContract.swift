import Coordination
import Foundation
import Storage
import Testing

/// The contract every store keeps, method by method, with every kind of refusal: each check
/// runs on a fresh store of one kind (`StorageTests` runs each on every kind), and `transcript`
/// records what a store answered so that the kinds can be compared with each other.
public enum StoreContract {
    static let time = TestDistrict.time
    static let later = TestDistrict.later
    /// A session of the beirat (planned on a Tuesday of its rule, but the store does not check that).
    public static let key = SessionKey(body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 1))

    /// What a store answered, step by step, in words: equal for every kind.
    public final class Transcript: @unchecked Sendable {
        public private(set) var lines: [String] = []
        public init() {}
        func note(_ line: String) { lines.append(line) }
    }

    /// Expects `work` to be refused with exactly `expected`, and notes the refusal.
    static func refused(
        _ expected: StorageError, _ transcript: Transcript, _ step: String,
        _ work: () async throws(StorageError) -> Void, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        do {
            try await work()
            Issue.record("\(step): was not refused", sourceLocation: sourceLocation)
            transcript.note("\(step): accepted")
        } catch {
            #expect(error == expected, "\(step)", sourceLocation: sourceLocation)
            transcript.note("\(step): \(error)")
        }
    }

    // MARK: definitions and sync

    /// What a sync stores is read back unchanged; a second sync plans nothing; the change log
    /// names who and when; a plan whose series belongs to no body is refused and changes nothing.
    public static func syncStoresTheDefinitions(_ kind: StoreKind, _ transcript: Transcript = Transcript())
        async throws
    {
        let (store, cleanup) = try await kind.make()
        defer { cleanup() }
        let district = try TestDistrict.district()
        #expect(try await store.definitions() == StoredDefinitions())
        #expect(try await store.chainHead() == .genesis)
        // A series of a body the store does not hold and the plan does not add: refused, nothing stored.
        let full = SyncPlan.between(stored: StoredDefinitions(), files: district, at: time)
        var orphan = full
        orphan.changes.removeAll { $0.subject == .body("beirat") }
        await refused(.constraint("series beirat/sitzung belongs to an unknown body"), transcript, "orphan series") {
            () async throws(StorageError) in try await store.apply(orphan, at: time, actor: "a")
        }
        #expect(try await store.definitions() == StoredDefinitions())
        #expect(try await store.changes().isEmpty)
        #expect(try await store.chainHead() == .genesis)
        // The district's settings, 3 offices, 2 bodies, 3 series, all new.
        #expect(full.changes.map(\.action) == Array(repeating: .added, count: 9))
        try await store.apply(full, at: time, actor: "koordination")
        let stored = try await store.definitions()
        #expect(stored.offices.sorted { $0.id < $1.id } == district.offices.sorted { $0.id < $1.id })
        #expect(stored.bodies == district.bodies)
        #expect(stored.settings == district.settings)
        #expect(stored.district?.holidays == district.holidays)
        #expect(SyncPlan.between(stored: stored, files: district, at: time).isEmpty)
        let log = try await store.changes()
        #expect(log.count == 9)
        #expect(log.allSatisfy { $0.actor == "koordination" && $0.time == time })
        #expect(
            log.first { $0.subject == "series runde/montag" }?.detail.contains("rrule:  → FREQ=WEEKLY;BYDAY=MO") == true
        )
        #expect(try await store.chainHead().seq == 9)
        transcript.note("synced: \(log.map { "\($0.subject) \($0.action)" })")
    }

    /// A body removed from the files is archived (never deleted) and restored when it comes back.
    public static func removedBodiesAreArchivedAndRestored(_ kind: StoreKind) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        let district = try TestDistrict.district()
        var edited = district
        edited.bodies.removeAll { $0.id == "beirat" }
        edited.bodies[0].series[0].location = "Raum 9"
        edited.bodies[0].members[1].role = .advisory
        let plan = SyncPlan.between(stored: try await store.definitions(), files: edited, at: later)
        #expect(
            plan.changes.map { "\($0.action.rawValue) \($0.subject)" } == [
                "changed body runde", "changed series runde/montag", "archived body beirat",
            ])
        #expect(plan.changes[0].fields == [FieldChange(field: "member ja-k", old: "member []", new: "advisory []")])
        #expect(plan.changes[1].fields == [FieldChange(field: "location", old: "Kreishaus, Raum 1", new: "Raum 9")])
        try await store.apply(plan, at: time, actor: "a")
        let stored = try await store.definitions()
        #expect(stored.bodies.map(\.id) == ["runde"])
        #expect(stored.archivedBodies.map(\.id) == ["beirat"])
        #expect(stored.archivedBodies.first?.series.map(\.id) == ["sitzung", "klausur"])
        // What subscribers see of runde/montag changed: SEQUENCE 2 → 3, changed at the sync's time.
        let montag = try #require(stored.bodies.first?.series.first)
        #expect(montag.sequence == 3)
        #expect(montag.updated == later)
        #expect(SyncPlan.between(stored: stored, files: edited, at: later).isEmpty)
        // Back in the files: restored, with its series.
        let back = SyncPlan.between(stored: stored, files: district, at: time)
        #expect(
            back.changes.map { "\($0.action.rawValue) \($0.subject)" } == [
                "restored body beirat", "restored series beirat/sitzung", "restored series beirat/klausur",
                "changed body runde", "changed series runde/montag",
            ])
        try await store.apply(back, at: time, actor: "a")
        #expect(SyncPlan.between(stored: try await store.definitions(), files: district, at: time).isEmpty)
        let all = try await store.changes()
        #expect(all.count == 9 + 3 + 5)
        // The last entries alone, oldest first, with the number of all (the auditor's page).
        for n in [0, 1, 4, 17, 100] {
            let last = try await store.changes(last: n)
            #expect(last.entries == Array(all.suffix(n)) && last.total == 17, "last \(n)")
        }
        // Pages, newest first, each entry with a number that falls with it; a page read on from
        // an entry's number begins with the entry before it.
        for size in [1, 4, 17, 100] {
            var read: [NumberedChange] = []
            var before: Int64?
            while true {
                let page = try await store.changes(before: before, count: size)
                #expect(page.count <= size)
                read += page
                guard page.count == size, let last = page.last else { break }
                before = last.number
            }
            #expect(read.map(\.entry) == Array(all.reversed()), "pages of \(size)")
            #expect(zip(read, read.dropFirst()).allSatisfy { $0.number > $1.number }, "pages of \(size)")
        }
        #expect(try await store.changes(before: nil, count: 0).isEmpty)
        let newest = try await store.changes(before: nil, count: 5)
        #expect(
            try await store.changes(before: newest[4].number, count: 3).map(\.entry) == Array(all.reversed()[5..<8]))
        #expect(try await store.changes(before: newest[0].number + 1, count: 2) == Array(newest.prefix(2)))
        #expect(try await store.changes(before: 1, count: 10).isEmpty)
    }

    /// Each subject's times and the entries a filter admits, as a reading of the whole log gives
    /// them: a subject's first time is that of its first entry in the order of writing (not the
    /// earliest: here the clock goes back), its last the latest of its entries; filters compare
    /// exact text (no case folding, `%` and `_` are text).
    public static func subjectTimesAndFilteredEntries(_ kind: StoreKind) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        let earlier = LocalDateTime(year: 2025, month: 12, day: 1, hour: 8)
        var edited = try TestDistrict.district()
        let runde = try #require(edited.bodies.firstIndex { $0.id == "runde" })
        let beirat = try #require(edited.bodies.firstIndex { $0.id == "beirat" })
        edited.bodies[runde].series[0].location = "Raum 9"
        edited.bodies[beirat].isPublic = true
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: edited, at: later), at: later, actor: "a")
        edited.bodies[runde].series[0].location = "Raum 10_%"
        edited.bodies[beirat].isPublic = false
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: edited, at: earlier), at: earlier,
            actor: "b")
        let all = try await store.changes()
        // Each sync: the body, its two series (they show the body's details) and runde/montag.
        #expect(all.count == 9 + 4 + 4)
        let times = try await store.subjectTimes()
        // The same times, worked out from the whole log.
        var expected: [SubjectTimes] = []
        for entry in all {
            if let i = expected.firstIndex(where: { $0.subject == entry.subject }) {
                expected[i].last = max(expected[i].last, entry.time)
            } else {
                expected.append(SubjectTimes(subject: entry.subject, first: entry.time, last: entry.time))
            }
        }
        #expect(times == expected)
        #expect(times.count == 9)
        let montag = try #require(times.first { $0.subject == "series runde/montag" })
        #expect(montag.first == time && montag.last == later)
        #expect(times.first?.first == time)
        // Filters, each against the whole log read and filtered here.
        let filters = [
            ChangeFilter(), ChangeFilter(subjectPrefix: "body "),
            ChangeFilter(subjectPrefix: "body ", detailContaining: "public: true"),
            ChangeFilter(subjectPrefix: "series ", action: "changed"), ChangeFilter(action: "added"),
            ChangeFilter(detailContaining: "Raum 10_%"), ChangeFilter(detailContaining: "raum 9"),
            ChangeFilter(subjectPrefix: "BODY "), ChangeFilter(subjectPrefix: "b_dy "),
            ChangeFilter(subjectPrefix: "%"),
            ChangeFilter(detailContaining: "Raum _0"), ChangeFilter(subjectPrefix: "body beirat", action: "removed"),
        ]
        for filter in filters {
            #expect(try await store.changes(matching: filter) == all.filter(filter.admits), "\(filter)")
        }
        // What the filters admit, counted by hand: so that `admits` is checked too.
        var counts: [Int] = []
        for filter in filters { counts.append(try await store.changes(matching: filter).count) }
        #expect(counts == [17, 4, 1, 6, 9, 1, 0, 0, 0, 0, 0, 0])
        let withdrawn = try await store.changes(matching: filters[2])
        #expect(withdrawn.map(\.subject) == ["body beirat"] && withdrawn.first?.time == earlier)
    }

    /// A series removed from the files is archived; its body keeps the others.
    public static func removedSeriesIsArchivedWithItsBody(_ kind: StoreKind) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        var edited = try TestDistrict.district()
        let beirat = try #require(edited.bodies.firstIndex { $0.id == "beirat" })
        edited.bodies[beirat].series.removeAll { $0.id == "klausur" }
        let plan = SyncPlan.between(stored: try await store.definitions(), files: edited, at: later)
        #expect(plan.changes.map { "\($0.action.rawValue) \($0.subject)" } == ["archived series beirat/klausur"])
        try await store.apply(plan, at: time, actor: "a")
        let stored = try await store.definitions()
        #expect(stored.archivedSeries["beirat"]?.map(\.id) == ["klausur"])
        #expect(stored.bodies.first { $0.id == "beirat" }?.series.map(\.id) == ["sitzung"])
    }

    // MARK: session changes

    /// Session changes are kept in order with a change-log line each; one for an unknown series is refused.
    public static func sessionChanges(_ kind: StoreKind, _ transcript: Transcript = Transcript()) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        let head = try await store.chainHead()
        let cancel = SessionChange(
            body: "beirat", series: "sitzung", exception: .cancel(date: key.date, reason: "Personalversammlung"),
            time: later, actor: "k")
        let move = SessionChange(
            body: "runde", series: "montag",
            exception: .move(
                .init(
                    date: CivilDate(year: 2026, month: 3, day: 2),
                    to: LocalDateTime(year: 2026, month: 3, day: 3, hour: 9),
                    durationMinutes: 60, location: "Raum 2", reason: "Feiertag")), time: later, actor: "k")
        try await store.record(cancel)
        try await store.record(move)
        #expect(try await store.sessionChanges() == [cancel, move])
        let log = try await store.changes().suffix(2).map { "\($0.subject) \($0.action): \($0.detail)" }
        #expect(
            log == [
                "session beirat/sitzung 2026-09-01 cancelled: reason: Personalversammlung",
                "session runde/montag 2026-03-02 moved: to: 2026-03-03T09:00:00\nlocation: Raum 2\nduration: 60 min\nreason: Feiertag",
            ])
        #expect(try await store.chainHead().seq == head.seq + 2)
        var unknown = cancel
        unknown.series = "nope"
        await refused(.unknownSeries("beirat", "nope"), transcript, "change of an unknown series") {
            () async throws(StorageError) in try await store.record(unknown)
        }
        #expect(try await store.sessionChanges().count == 2)
        #expect(try await store.chainHead().seq == head.seq + 2)
        transcript.note("changes: \(try await store.sessionChanges().map(\.record.subject))")
    }

    // MARK: people and attendance

    /// People are saved and replaced by name; attendance is all or nothing, replaces earlier
    /// entries of the same office and person, and refuses unknown series and offices alike.
    public static func peopleAndAttendance(_ kind: StoreKind, _ transcript: Transcript = Transcript()) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        try await store.save(Person(name: "Anna Beispiel", office: "jc", level: .al), at: time, actor: "a")
        try await store.save(
            Person(name: "Anna Beispiel", office: "jc", level: .sgl, email: "a@example.org"), at: time, actor: "a")
        try await store.save(Person(name: "Ben Vertreter", office: "aa", level: .tl), at: time, actor: "a")
        #expect(
            try await store.people() == [
                Person(name: "Anna Beispiel", office: "jc", level: .sgl, email: "a@example.org"),
                Person(name: "Ben Vertreter", office: "aa", level: .tl),
            ])
        #expect(try await store.changes().last?.detail == "Ben Vertreter, aa TL")
        await refused(.unknownOffice("nope"), transcript, "person of an unknown office") {
            () async throws(StorageError) in
            try await store.save(Person(name: "X", office: "nope", level: .tl), at: time, actor: "a")
        }
        #expect(try await store.people().count == 2)

        let jc = AttendanceEntry(session: key, office: "jc", person: "Anna Beispiel", status: .present)
        try await store.record(
            [jc, AttendanceEntry(session: key, office: "aa", status: .excused)], at: time, actor: "a")
        // A later entry for the same office and person replaces the earlier one.
        try await store.record([AttendanceEntry(session: key, office: "aa", status: .present)], at: later, actor: "a")
        #expect(try await store.attendance(of: key).map(\.line) == ["aa present", "jc Anna Beispiel present"])
        let other = SessionKey(body: "runde", series: "montag", date: CivilDate(year: 2026, month: 10, day: 5))
        try await store.record(
            [AttendanceEntry(session: other, office: "ja-k", status: .absent)], at: later, actor: "a")
        #expect(
            try await store.attendance(from: key.date, through: other.date).map(\.session) == [key, key, other])
        #expect(try await store.attendance(from: other.date, through: other.date).map(\.line) == ["ja-k absent"])
        // Only the bodies asked for (a report reads a few at a time), in the same order.
        #expect(
            try await store.attendance(from: key.date, through: other.date, bodies: ["runde"]).map(\.session) == [other]
        )
        #expect(
            try await store.attendance(from: key.date, through: other.date, bodies: ["runde", "beirat"]).map(\.session)
                == [key, key, other])
        #expect(try await store.attendance(from: key.date, through: other.date, bodies: ["nope"]).isEmpty)
        #expect(try await store.attendance(from: key.date, through: other.date, bodies: []).isEmpty)
        #expect(
            try await store.attendance(
                from: CivilDate(year: 2027, month: 1, day: 1), through: CivilDate(year: 2027, month: 12, day: 31)
            ).isEmpty)
        let head = try await store.chainHead()

        // One bad entry: nothing of the batch is stored, for an unknown series as for an unknown office.
        let badSeries = SessionKey(body: "beirat", series: "nope", date: key.date)
        await refused(.unknownSeries("beirat", "nope"), transcript, "attendance of an unknown series") {
            () async throws(StorageError) in
            try await store.record(
                [
                    AttendanceEntry(session: key, office: "aa", status: .absent),
                    AttendanceEntry(session: badSeries, office: "jc", status: .present),
                ], at: time, actor: "a")
        }
        await refused(.unknownOffice("xx"), transcript, "attendance of an unknown office") {
            () async throws(StorageError) in
            try await store.record(
                [
                    AttendanceEntry(session: key, office: "aa", status: .absent),
                    AttendanceEntry(session: key, office: "xx", status: .present),
                ], at: time, actor: "a")
        }
        #expect(try await store.attendance(of: key).map(\.line) == ["aa present", "jc Anna Beispiel present"])
        #expect(try await store.chainHead() == head)

        // Entries made batch by batch: a batch with a problem leaves everything as it was, and
        // every batch is still asked for; without one, all are recorded.
        let held = SessionKey(body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 15))
        let made = (0..<5).map { i in
            AttendanceEntry(session: held, office: ["aa", "jc"][i % 2], person: "P\(i)", status: .present)
        }
        let asked = Counter()
        let failing = AttendanceBatches(count: made.count, size: 2) { range in
            asked.add()
            return range.lowerBound == 2 ? nil : Array(made[range])
        }
        #expect(try await store.record(failing, reason: nil, at: later, actor: "a") == false)
        #expect(asked.value == 3)
        #expect(try await store.attendance(of: held).isEmpty)
        #expect(try await store.chainHead() == head)
        #expect(try await store.record(AttendanceBatches(made, size: 2), reason: nil, at: later, actor: "a"))
        #expect(try await store.attendance(of: held).count == 5)
        #expect(try await store.chainHead().seq == head.seq + 5)
        await refused(.unknownOffice("xx"), transcript, "batches naming an unknown office") {
            () async throws(StorageError) in
            _ = try await store.record(
                AttendanceBatches([AttendanceEntry(session: held, office: "xx", status: .present)]), reason: nil,
                at: later, actor: "a")
        }
        #expect(try await store.attendance(of: held).count == 5)
        transcript.note("attendance: \(try await store.attendance(from: key.date, through: other.date).map(\.line))")
    }

    // MARK: minutes, agenda and action items

    /// Minutes states, agenda items and action items are kept and logged; unknown series and
    /// offices are refused; closing an action item twice, or one that does not exist, is refused.
    public static func minutesAgendaAndActionItems(_ kind: StoreKind, _ transcript: Transcript = Transcript())
        async throws
    {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        #expect(try await store.minutesState(of: key) == nil)
        let approved = MinutesState(session: key, status: .approved, time: time, actor: "k")
        try await store.save(approved)
        #expect(try await store.minutesState(of: key) == approved)
        let reopened = MinutesState(session: key, status: .draft, time: later, actor: "k", reason: "Tippfehler")
        try await store.save(reopened)
        #expect(try await store.minutesState(of: key) == reopened)
        #expect(try await store.minutesStates() == [reopened])
        #expect(try await store.changes().last.map { "\($0.action) \($0.detail)" } == "reopened reason: Tippfehler")
        var lost = approved
        lost.session.series = "nope"
        await refused(.unknownSeries("beirat", "nope"), transcript, "minutes of an unknown series") {
            () async throws(StorageError) in try await store.save(lost)
        }
        #expect(try await store.minutesStates() == [reopened])

        // What is written into the minutes: stored with a raised revision, the added items as the
        // session's agenda; a stale revision and an unknown series are refused.
        var record = MinutesRecord(session: key, standing: ["Begrüßung", "Verschiedenes"], added: ["Haushalt 2027"])
        #expect(record.items.map(\.text) == ["Begrüßung", "Haushalt 2027", "Verschiedenes"])
        record.items[1].results = "Der Entwurf wird beraten."
        let saved = try await store.save(record, expecting: 0, at: time, actor: "k", action: "item 2 written")
        #expect(saved.revision == 1)
        #expect(try await store.minutesRecord(of: key) == saved)
        #expect(try await store.agenda(of: key).map(\.text) == ["Haushalt 2027"])
        #expect(try await store.changes().last.map { "\($0.subject) \($0.action)" } == "minutes \(key) item 2 written")
        await refused(.changedMeanwhile("the minutes of \(key)"), transcript, "minutes content of a stale revision") {
            () async throws(StorageError) in
            _ = try await store.save(record, expecting: 0, at: time, actor: "k", action: "x")
        }
        var elsewhere = record
        elsewhere.session = lost.session
        await refused(.unknownSeries("beirat", "nope"), transcript, "minutes content of an unknown series") {
            () async throws(StorageError) in
            _ = try await store.save(elsewhere, expecting: 0, at: time, actor: "k", action: "x")
        }
        #expect(try await store.minutesRecord(of: key)?.revision == 1)

        let first = try await store.add(
            ActionItem(
                session: key, text: "Entwurf vorlegen", office: "jc", due: CivilDate(year: 2026, month: 10, day: 1)),
            at: time, actor: "k")
        let second = try await store.add(
            ActionItem(session: key, text: "Raum buchen", office: "aa"), at: time, actor: "k")
        #expect(first.id == 1 && second.id == 2 && first.done == nil)
        #expect(try await store.actionItem(2) == second)
        #expect(try await store.actionItem(99) == nil)
        #expect(try await store.changes().last?.subject == "action 2 \(key)")
        await refused(.unknownOffice("xx"), transcript, "action item of an unknown office") {
            () async throws(StorageError) in
            _ = try await store.add(ActionItem(session: key, text: "x", office: "xx"), at: time, actor: "k")
        }
        await refused(.unknownSeries("beirat", "nope"), transcript, "action item of an unknown series") {
            () async throws(StorageError) in
            _ = try await store.add(ActionItem(session: lost.session, text: "x", office: "jc"), at: time, actor: "k")
        }
        try await store.closeActionItem(1, at: later, actor: "k")
        await refused(.actionItemDone(1), transcript, "closing a done action item") {
            () async throws(StorageError) in try await store.closeActionItem(1, at: later, actor: "k")
        }
        await refused(.noActionItem(7), transcript, "closing a missing action item") {
            () async throws(StorageError) in try await store.closeActionItem(7, at: later, actor: "k")
        }
        let items = try await store.actionItems(of: "beirat")
        #expect(items.map(\.id) == [1, 2] && items[0].done == later && items[1].done == nil)
        #expect(try await store.actionItems(of: "runde").isEmpty)
        transcript.note(
            "action items: \(items.map { "\($0.id ?? 0) \($0.office) \($0.done.map { "\($0)" } ?? "open")" })")
    }

    // MARK: expectations checked in the write

    /// Approved minutes lock attendance; a write that expects what is no longer stored (minutes
    /// state, attendance of a session, the number of a series' session changes) is refused, and
    /// nothing of it is stored.
    public static func expectationsAreCheckedInTheWrite(_ kind: StoreKind, _ transcript: Transcript = Transcript())
        async throws
    {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        let jc = AttendanceEntry(session: key, office: "jc", status: .present)
        try await store.record([jc], at: time, actor: "a", expecting: .exactly([]))
        await refused(.changedMeanwhile("the attendance of \(key)"), transcript, "attendance read before a write") {
            () async throws(StorageError) in
            try await store.record(
                [AttendanceEntry(session: key, office: "aa", status: .absent)], at: time, actor: "a",
                expecting: .exactly([]))
        }
        let approved = MinutesState(session: key, status: .approved, time: later, actor: "k")
        await refused(.changedMeanwhile("the minutes of \(key)"), transcript, "minutes read before an approval") {
            () async throws(StorageError) in try await store.save(approved, expecting: .exactly(approved))
        }
        let frozen = MinutesVersion(
            session: key, number: 1, approved: later, actor: "k", content: "{}", hash: SHA256Hex.of("{}"))
        var freezing = approved
        (freezing.version, freezing.contentHash) = (1, frozen.hash)
        try await store.save(freezing, freezing: frozen, expecting: .exactly(nil))
        #expect(try await store.minutesVersions(of: key) == [frozen])
        await refused(
            .changedMeanwhile("version 1 of the minutes of \(key)"), transcript, "a version number frozen twice"
        ) {
            () async throws(StorageError) in
            try await store.save(freezing, freezing: frozen, expecting: .anything)
        }
        // Approved minutes freeze everything in them: content and action items too.
        let record = MinutesRecord(session: key, standing: ["Verschiedenes"], added: [])
        await refused(.minutesLocked(key), transcript, "minutes content after approval") {
            () async throws(StorageError) in
            _ = try await store.save(record, expecting: 0, at: later, actor: "k", action: "x")
        }
        await refused(.minutesLocked(key), transcript, "an action item after approval") {
            () async throws(StorageError) in
            _ = try await store.add(ActionItem(session: key, text: "x", office: "jc"), at: later, actor: "k")
        }
        #expect(try await store.minutesRecord(of: key) == nil)
        #expect(try await store.actionItems(of: key.body).isEmpty)
        await refused(.minutesLocked(key), transcript, "attendance after approval") {
            () async throws(StorageError) in
            try await store.record(
                [AttendanceEntry(session: key, office: "aa", status: .absent)], at: later, actor: "a")
        }
        #expect(try await store.attendance(of: key) == [jc])
        let change = SessionChange(
            body: "beirat", series: "sitzung", exception: .cancel(date: key.date, reason: "x"), time: later, actor: "k")
        try await store.record(change, expecting: .exactly(0))
        await refused(.changedMeanwhile("the sessions of beirat/sitzung"), transcript, "a second change of one reading")
        {
            () async throws(StorageError) in try await store.record(change, expecting: .exactly(0))
        }
        #expect(try await store.sessionChanges() == [change])
        let snapshot = try await store.auditSnapshot()
        #expect(AuditVerification(events: snapshot.events, records: snapshot.records).isIntact)
    }

    // MARK: tokens

    /// Seats are stored with an id, listed in order, ended by id; a seat of an unknown body,
    /// office or person is refused; a person saved with a day ends every seat of theirs that
    /// runs beyond it (and only those); every change is in the change log and the event log.
    public static func seats(_ kind: StoreKind, _ transcript: Transcript = Transcript()) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        let anna = Person(name: "Anna Beispiel", office: "jc", level: .sgl)
        try await store.save(anna, at: time, actor: "a")
        try await store.save(Person(name: "Ben Vertreter", office: "jc", level: .tl), at: time, actor: "a")
        let first = try await store.assign(
            Seat(
                body: "runde", office: "jc", person: "anna-beispiel", role: .regular,
                from: CivilDate(year: 2026, month: 1, day: 1)),
            at: time, actor: "a")
        let deputy = try await store.assign(
            Seat(body: "runde", office: "jc", person: "ben-vertreter", role: .deputy, rank: 1), at: time, actor: "a")
        let beirat = try await store.assign(
            Seat(
                body: "beirat", office: "jc", person: "anna-beispiel", role: .regular,
                until: CivilDate(year: 2026, month: 3, day: 31)),
            at: time, actor: "a")
        #expect(first.id > 0 && deputy.id > first.id && beirat.id > deputy.id)
        #expect(try await store.seats() == [first, deputy, beirat])
        #expect(try await store.changes().last?.subject == "seat \(beirat.id) beirat jc")
        for (seat, error, what) in [
            (
                Seat(body: "nope", office: "jc", person: "anna-beispiel", role: .regular),
                StorageError.unknownBody("nope"), "unknown body"
            ),
            (
                Seat(body: "runde", office: "xx", person: "anna-beispiel", role: .regular), .unknownOffice("xx"),
                "unknown office"
            ),
            (
                Seat(body: "runde", office: "jc", person: "nobody", role: .regular), .unknownPerson("nobody"),
                "unknown person"
            ),
        ] {
            await refused(error, transcript, "seat of an \(what)") { () async throws(StorageError) in
                _ = try await store.assign(seat, at: time, actor: "a")
            }
        }
        #expect(try await store.seats().count == 3)
        let ended = try await store.endSeat(
            deputy.id, on: CivilDate(year: 2026, month: 6, day: 30), at: time, actor: "a")
        #expect(ended.validUntil == CivilDate(year: 2026, month: 6, day: 30))
        await refused(.noSeat(999), transcript, "ending a seat that does not exist") { () async throws(StorageError) in
            _ = try await store.endSeat(999, on: CivilDate(year: 2026, month: 6, day: 30), at: time, actor: "a")
        }
        // Anna changes office on 1 September: her open seat ends on 31 August, the Beirat seat
        // (ended in March) keeps its end.
        var moved = anna
        moved.office = "ja-k"
        try await store.save(moved, endingSeatsOn: CivilDate(year: 2026, month: 8, day: 31), at: time, actor: "a")
        let after = try await store.seats()
        #expect(after.first { $0.id == first.id }?.validUntil == CivilDate(year: 2026, month: 8, day: 31))
        #expect(after.first { $0.id == beirat.id }?.validUntil == CivilDate(year: 2026, month: 3, day: 31))
        let log = try await store.auditSnapshot().events
        #expect(log.filter { $0.kind == .seat }.count == 5)  // three assigned, one ended, one by the office change
        #expect(ReplayedRecords(replaying: log).seats.values.sorted { $0.id < $1.id } == after)
    }

    /// Tokens are stored with their hash only, found by hash, listed, revoked once; a token of a
    /// person not in the staff records and a second token with the same id are refused, and
    /// revoking a missing or revoked token finds no active token.
    public static func tokens(_ kind: StoreKind, _ transcript: Transcript = Transcript()) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        try await store.save(Person(name: "Anna Beispiel", office: "jc", level: .al), at: time, actor: "a")
        let token = AccessToken(
            id: "t-0123456789", hash: TokenSecret.hash("ga_secret"), person: "anna-beispiel", kind: .api,
            role: .coordinator, bodies: ["runde"], created: time, expires: LocalDateTime(year: 2027, month: 1, day: 1))
        try await store.save(token, actor: "admin")
        #expect(try await store.token(hash: TokenSecret.hash("ga_secret")) == token)
        #expect(try await store.token(hash: TokenSecret.hash("other")) == nil)
        #expect(try await store.tokens() == [token])
        #expect(
            try await store.changes().last?.detail
                == "api for anna-beispiel, coordinator, bodies runde, expires 2027-01-01T00:00:00")
        await refused(.unknownPerson("Nobody"), transcript, "token of an unknown person") {
            () async throws(StorageError) in
            var other = token
            other.id = "t-aaaaaaaaaa"
            other.hash = TokenSecret.hash("x")
            other.person = "Nobody"
            try await store.save(other, actor: "admin")
        }
        await refused(.tokenTaken("t-0123456789"), transcript, "token with a taken id") {
            () async throws(StorageError) in
            var again = token
            again.hash = TokenSecret.hash("y")
            try await store.save(again, actor: "admin")
        }
        try await store.markUsed(tokenID: token.id, at: later)
        try await store.markUsed(tokenID: "t-ffffffffff", at: later)
        #expect(try await store.tokens().first?.lastUsed == later)
        try await store.revokeToken(id: token.id, at: later, actor: "admin")
        #expect(try await store.tokens().first?.revoked == later)
        await refused(.noActiveToken(token.id), transcript, "revoking a revoked token") {
            () async throws(StorageError) in try await store.revokeToken(id: token.id, at: later, actor: "admin")
        }
        await refused(.noActiveToken("t-9999999999"), transcript, "revoking a missing token") {
            () async throws(StorageError) in try await store.revokeToken(id: "t-9999999999", at: later, actor: "admin")
        }
        #expect(try await store.changes().last.map { "\($0.subject) \($0.action)" } == "token t-0123456789 revoked")
        transcript.note("tokens: \(try await store.tokens().map { "\($0.id) \($0.revoked.map { "\($0)" } ?? "-")" })")
    }

    // MARK: event log

    /// The event log holds every audited change in order, chained, with the records it vouches
    /// for, and a refused change adds nothing to it.
    public static func eventLog(_ kind: StoreKind, _ transcript: Transcript = Transcript()) async throws {
        let (store, cleanup) = try await kind.synced()
        defer { cleanup() }
        try await store.record(
            SessionChange(
                body: "beirat", series: "sitzung", exception: .cancel(date: key.date, reason: "x"), time: later,
                actor: "k"))
        try await store.record([AttendanceEntry(session: key, office: "jc", status: .present)], at: later, actor: "k")
        try await store.save(MinutesState(session: key, status: .approved, time: later, actor: "k"))
        let snapshot = try await store.auditSnapshot()
        #expect(snapshot.events.map(\.seq) == Array(1...12))
        #expect(snapshot.events.last?.hash == (try await store.chainHead()).hash)
        #expect(snapshot.records.attendance.count == 1 && snapshot.records.sessionChanges.count == 1)
        #expect(snapshot.records.minutes.count == 1)
        #expect(AuditVerification(events: snapshot.events, records: snapshot.records).isIntact)
        // Replayed as read, up to each entry (and beyond the last): the records as the log
        // held them then, and the entry itself.
        for last in [0, 1, 9, 10, 11, 12, 13] {
            let replay = try await store.auditReplay(upTo: last)
            #expect(replay.records == ReplayedRecords(replaying: snapshot.events, upTo: last).records, "\(last)")
            #expect(replay.entry == snapshot.events.first { $0.seq == last }, "\(last)")
            #expect(try await store.auditEvent(seq: last) == replay.entry, "\(last)")
        }
        #expect(try await store.auditReplay(upTo: 11).records.attendance.count == 1)
        #expect(try await store.auditReplay(upTo: 10).records.attendance.isEmpty)
        transcript.note("events: \(snapshot.events.map(\.kind))")
    }
}

extension AttendanceEntry {
    /// `jc Anna Beispiel present`, for comparing lists.
    var line: String { "\(office)\(person.map { " \($0)" } ?? "") \(status.rawValue)" }
}

/// Counts calls from the thread a store makes its batches on.
private final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func add() { value += 1 }
}
