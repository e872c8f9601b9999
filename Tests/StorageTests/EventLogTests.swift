import Coordination
import Foundation
import GRDB
import GremienTestSupport
import Testing

@testable import Storage
@testable import StorageSQLite

/// The tamper-evident event log on every store: what is appended, that it verifies, and that
/// each kind of tampering is named.
@Suite struct EventLogTests {
    typealias Kind = StoreKind
    static let time = TestDistrict.time
    static let later = TestDistrict.later
    static let key = SessionKey(body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 1))

    /// A synced store with two attendance batches, a session change and approved minutes.
    static func filled(_ kind: Kind) async throws -> (any Store, () -> Void) {
        let (store, cleanup) = try await kind.make()
        try await fill(store)
        return (store, cleanup)
    }

    static func fill(_ store: any Store) async throws {
        let district = try TestDistrict.district()
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: district, at: time), at: time, actor: "a")
        try await store.record(
            [
                AttendanceEntry(session: key, office: "jc", person: "Anna Beispiel", status: .present),
                AttendanceEntry(session: key, office: "aa", status: .excused),
            ], at: time, actor: "b")
        try await store.record([AttendanceEntry(session: key, office: "aa", status: .present)], at: later, actor: "c")
        try await store.record(
            SessionChange(
                body: "runde", series: "montag",
                exception: .cancel(date: CivilDate(year: 2026, month: 4, day: 6), reason: "Klausur"), time: later,
                actor: "d"))
        try await store.save(MinutesState(session: key, status: .approved, time: later, actor: "e"))
    }

    /// An entry's hash is SHA-256 of the encoding `EventChain` documents, written out here field
    /// by field: stores written by earlier versions must keep verifying.
    @Test func theHashIsOfTheDocumentedEncoding() throws {
        let previous = String(repeating: "ab", count: 32)
        let subject = "attendance beirat/sitzung/2026-09-01 Jugendamt – Anna Müller"
        let payload = "{\"office\":\"jc\",\"note\":\"" + String(repeating: "x", count: 120) + "\"}"
        let time = LocalDateTime(date: CivilDate(year: 2026, month: 3, day: 10), secondOfDay: 14 * 3600 + 5)
        var message = "gremien-event-v1"
        for field in [
            previous, "1234567", "2026-03-10T14:00:05", "jugendamt.koordination", "attendance", subject, payload,
        ] {
            message += "\(field.utf8.count):\(field),"
        }
        let hash = EventChain.hash(
            previous: previous, seq: 1_234_567, time: time, actor: "jugendamt.koordination", kind: .attendance,
            subject: subject, payload: payload)
        #expect(hash == SHA256Hex.of(message))
        #expect(hash.count == 64)
        // Each field counts: another seq or another subject gives another hash.
        #expect(
            hash
                != EventChain.hash(
                    previous: previous, seq: 1_234_568, time: time, actor: "jugendamt.koordination", kind: .attendance,
                    subject: subject, payload: payload))
    }

    /// A large batch is checked in two halves at once: in order, each entry as it would be alone.
    @Test func aLargeBatchIsCheckedAsEachEntryAlone() throws {
        var chain = EventChain()
        var events = (0..<1_500).map { i in
            let entry = AttendanceEntry(
                session: SessionKey(
                    body: "beirat", series: "sitzung", date: CivilDate(dayNumber: Self.key.date.dayNumber + i % 40)),
                office: "jc", person: "p\(i)", status: i % 3 == 0 ? .excused : .present)
            return chain.append(entry.auditDraft(at: Self.time, actor: "import"))
        }
        events[1_200].payload = events[1_200].payload.replacingOccurrences(of: "p1200", with: "p1201")
        events[300].hash = String(events[301].hash)
        let checked = AuditVerifier.checked(events)
        #expect(checked.map(\.event.seq) == events.map(\.seq))
        #expect(checked.indices.filter { !checked[$0].hashMatches } == [300, 1_200])
        for i in [0, 299, 749, 750, 751, 1_200, 1_499] {
            let alone = AuditVerifier.checked([events[i]])[0]
            #expect(checked[i].hashMatches == alone.hashMatches)
            #expect(checked[i].attendance == alone.attendance)
            #expect(checked[i].attendance?.person == (i == 1_200 ? "p1201" : "p\(i)"))
        }
    }

    /// A large batch of table rows looked up at once (in two halves) names each problem as the
    /// rows compared one by one do: a changed row, a row without an entry, a key twice, a row missing.
    @Test func aLargeTableBatchIsMatchedAsEachRowAlone() throws {
        var chain = EventChain()
        let entries = (0..<1_500).map { i in
            AttendanceEntry(
                session: SessionKey(
                    body: "beirat", series: "sitzung", date: CivilDate(dayNumber: Self.key.date.dayNumber + i % 40)),
                office: "jc", person: "p\(i)", status: i % 3 == 0 ? .excused : .present)
        }
        let events = entries.map { chain.append($0.auditDraft(at: Self.time, actor: "import")) }
        var rows = entries
        rows[1_200].status = .absent
        rows[300].person = "someone"
        rows.remove(at: 700)
        rows.append(rows[5])
        var batch = AuditVerifier()
        var single = AuditVerifier()
        for e in events {
            batch.add(e)
            single.add(e)
        }
        let matched = batch.matcher.matched(rows)
        #expect(matched.count == rows.count)
        for (i, row) in rows.enumerated() {
            let alone = batch.matcher.matched(row)
            #expect(matched[i].seq == alone.seq && matched[i].mismatch == alone.mismatch && matched[i].row == row)
        }
        for m in matched { batch.compare(m) }
        for row in rows { single.compare(stored: row) }
        let empty = AuditRecords()
        let found = batch.finish(records: empty)
        #expect(found.problems == single.finish(records: empty).problems)
        #expect(
            found.problems.map(\.description) == [
                "entry 301: (attendance beirat/sitzung 2026-09-21 jc p300) the attendance row is missing from the store",
                "entry 701: (attendance beirat/sitzung 2026-09-21 jc p700) the attendance row is missing from the store",
                "entry 1201: (attendance beirat/sitzung 2026-09-01 jc p1200) the attendance table says absent, the log says excused",
                "the attendance row attendance beirat/sitzung 2026-09-06 jc p5 has no entry in the event log",
                "the attendance row attendance beirat/sitzung 2026-09-21 jc someone has no entry in the event log",
            ])
        #expect(found.counts.attendance == rows.count)
    }

    /// The streamed check of each store says what the check of the whole snapshot says.
    @Test(arguments: Kind.allCases)
    func theStreamedCheckIsTheCheckOfTheSnapshot(kind: Kind) async throws {
        let (store, cleanup) = try await Self.filled(kind)
        defer { cleanup() }
        let s = try await store.auditSnapshot()
        let whole = AuditVerification(events: s.events, records: s.records)
        let streamed = try await store.auditVerification()
        #expect(streamed.isIntact && whole.isIntact)
        #expect(streamed.entries == 14 && streamed.entries == whole.entries && streamed.head == whole.head)
        #expect(streamed.counts == AuditVerification.Counts(attendance: 2, sessionChanges: 1, minutes: 1, seats: 0))
        #expect(streamed.counts == whole.counts)
    }

    /// The check keeps the records at the entry asked for (a report's head) as the replay of
    /// the log up to that entry gives them, so that `audit verify --report` reads the log once;
    /// before the first entry and after the last it keeps nothing.
    @Test(arguments: Kind.allCases)
    func theCheckKeepsTheRecordsAtAnEntryAsTheReplayGivesThem(kind: Kind) async throws {
        let (store, cleanup) = try await Self.filled(kind)
        defer { cleanup() }
        let plain = try await store.auditVerification()
        #expect(plain.replay == nil)
        for seq in 0...15 {
            let checked = try await store.auditVerification(keepingReplayAt: seq)
            #expect(checked.problems == plain.problems && checked.head == plain.head, "\(seq)")
            guard (1...14).contains(seq) else {
                #expect(checked.replay == nil, "\(seq)")
                continue
            }
            let replay = try await store.auditReplay(upTo: seq)
            let kept = try #require(checked.replay, "\(seq)")
            #expect(kept.entry == replay.entry && kept.entry?.seq == seq)
            #expect(kept.records == replay.records, "\(seq)")
        }
        // The records change after the first entries and again with the attendance: what is kept
        // is the state at the entry, not at the end.
        let early = try await store.auditVerification(keepingReplayAt: 9)
        let late = try await store.auditVerification(keepingReplayAt: 14)
        #expect(early.replay?.records.attendance.isEmpty == true)
        #expect(late.replay?.records.attendance.count == 2)
    }

    /// Tables and log changed behind the store's back in a real SQLite file: the streamed check
    /// names each change as the check of the snapshot does.
    @Test func tamperingInTheFileIsNamedByTheStreamedCheck() async throws {
        let path = TemporaryFile.path("tampered", "sqlite")
        defer { TemporaryFile.removeSQLite(path) }
        try await Self.fill(try SQLiteStore(path: path))
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE attendance SET status = 'absent' WHERE office = 'aa'")
            try db.execute(
                sql:
                    "INSERT INTO attendance SELECT bodyId, seriesId, date, 'ja-k', person, status, deputy, arrival, departure FROM attendance WHERE office = 'aa'"
            )
            try db.execute(sql: "DELETE FROM attendance WHERE office = 'jc'")
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        let s = try await store.auditSnapshot()
        let streamed = try await store.auditVerification()
        #expect(
            streamed.problems.map(\.description) == [
                "entry 10: (attendance beirat/sitzung 2026-09-01 jc Anna Beispiel) the attendance row is missing from the store",
                "entry 12: (attendance beirat/sitzung 2026-09-01 aa) the attendance table says absent, the log says present",
                "the attendance row attendance beirat/sitzung 2026-09-01 ja-k has no entry in the event log",
            ])
        #expect(streamed.problems == AuditVerification(events: s.events, records: s.records).problems)
        #expect(streamed.counts.attendance == 2)
        // An entry's payload changed in the file: the chain breaks there, nothing else is compared.
        let edit = try DatabaseQueue(path: path)
        try await edit.write { db in
            try db.execute(sql: "UPDATE event SET payload = replace(payload, 'excused', 'present') WHERE seq = 11")
        }
        try edit.close()
        let broken = try await SQLiteStore(path: path).auditVerification()
        #expect(
            broken.problems.map(\.description) == [
                "entry 11: (attendance beirat/sitzung 2026-09-01 aa) does not match its hash: it was changed after it was written"
            ])
        #expect(broken.entries == 14 && broken.head.seq == 10)
        // Up to the break the check keeps the records as the replay gives them; after it, nothing.
        let beforeBreak = try await SQLiteStore(path: path).auditVerification(keepingReplayAt: 10)
        #expect(
            try #require(beforeBreak.replay).records
                == (try await SQLiteStore(path: path).auditReplay(upTo: 10)).records)
        #expect(try await SQLiteStore(path: path).auditVerification(keepingReplayAt: 12).replay == nil)
    }

    /// An attendance write checks its offices and series itself and switches SQLite's own
    /// foreign-key check off for its transaction: afterwards, written or refused, the check is
    /// on again.
    @Test func theForeignKeyCheckIsOnAgainAfterAnAttendanceWrite() async throws {
        let path = TemporaryFile.path("foreign-keys", "sqlite")
        defer { TemporaryFile.removeSQLite(path) }
        let store = try SQLiteStore(path: path)
        try await Self.fill(store)
        // Not the session whose minutes `fill` approves.
        let open = SessionKey(body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 15))
        #expect(try await store.writerChecksForeignKeys())
        try await store.record(
            [AttendanceEntry(session: open, office: "jc", status: .absent)], at: Self.later, actor: "f")
        #expect(try await store.writerChecksForeignKeys())
        await #expect(throws: StorageError.unknownOffice("xx")) {
            try await store.record(
                [AttendanceEntry(session: open, office: "xx", status: .absent)], at: Self.later, actor: "f")
        }
        #expect(try await store.writerChecksForeignKeys())
        #expect(
            try await store.attendance(of: open).map { "\($0.office) \($0.person ?? "-") \($0.status)" } == [
                "jc - absent"
            ])
    }

    /// The direct reader of attendance payloads answers as JSONDecoder does: for every text the
    /// encoder writes, and for every text made from one by cutting, doubling or changing a
    /// character (it either gives JSONDecoder's entry or leaves the text to JSONDecoder).
    @Test func theDirectPayloadReaderAgreesWithJSONDecoder() throws {
        var random = SplitMix64(seed: 20)
        let names = ["jc", "Anna Beispiel", "Zoë \"Zitat\"", "a\\b", "😀", "", "x/y", "Neue\nZeile"]
        var checked = 0
        for _ in 0..<400 {
            let pick = { (r: inout SplitMix64) in names[Int(r.next() % UInt64(names.count))] }
            let date = CivilDate(
                year: 2000 + Int(random.next() % 40), month: 1 + Int(random.next() % 12),
                day: 1 + Int(random.next() % 28))
            let entry = AttendanceEntry(
                session: SessionKey(body: pick(&random), series: pick(&random), date: date), office: pick(&random),
                person: random.next() % 2 == 0 ? nil : pick(&random),
                status: AttendanceEntry.Status.allCases[Int(random.next() % 4)],
                deputy: random.next() % 3 == 0 ? pick(&random) : nil,
                arrival: random.next() % 3 == 0
                    ? LocalDateTime(date: date, secondOfDay: Int(random.next() % 86_400)) : nil,
                departure: random.next() % 3 == 0
                    ? LocalDateTime(date: date, secondOfDay: Int(random.next() % 86_400)) : nil)
            let texts = [entry.auditPayload, entry.removalDraft(at: Self.time, actor: "a", reason: "Irrtum").payload]
            for text in texts {
                #expect(AttendanceEntry(auditPayload: text) == entry)
                var bytes = Array(text.utf8)
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes.removeSubrange(at...)
                case 1: bytes.insert(bytes[at], at: at)
                case 2:
                    let noise = Array(" 0-9e.\"{}:,\\n".utf8)
                    bytes[at] = noise[Int(random.next() % UInt64(noise.count))]
                default: bytes.remove(at: at)
                }
                let mutated = String(decoding: bytes, as: UTF8.self)
                #expect(
                    AttendanceEntry(auditPayload: mutated) == AuditPayload.decode(AttendanceEntry.self, from: mutated),
                    "\(mutated)")
                checked += 1
            }
        }
        #expect(checked == 800)
    }

    @Test(arguments: Kind.allCases)
    func everyChangeIsAnEntryAndTheChainVerifies(kind: Kind) async throws {
        let (store, cleanup) = try await Self.filled(kind)
        defer { cleanup() }
        let snapshot = try await store.auditSnapshot()
        // 9 definitions (the sync), 3 attendance entries, 1 session change, 1 minutes state.
        #expect(
            snapshot.events.map(\.kind.rawValue) == Array(repeating: "definitions", count: 9) + [
                "attendance", "attendance", "attendance", "session", "minutes",
            ])
        #expect(snapshot.events.map(\.seq) == Array(1...14))
        #expect(snapshot.events[9].subject == "attendance beirat/sitzung 2026-09-01 jc Anna Beispiel")
        #expect(snapshot.events[11].actor == "c")
        let result = AuditVerification(events: snapshot.events, records: snapshot.records)
        #expect(result.problems == [])
        #expect(result.head == ChainHead(seq: 14, hash: snapshot.events[13].hash))
        #expect(try await store.chainHead() == result.head)
        // Each entry's hash is SHA-256 over its fields and the one before: recomputed here.
        #expect(snapshot.events[0].previous == ChainHead.genesis.hash)
        #expect(snapshot.events.dropFirst().allSatisfy { e in e.previous == snapshot.events[e.seq - 2].hash })
        // The records as they stood after entry 11: aa was still excused.
        let earlier = ReplayedRecords(replaying: snapshot.events, upTo: 11).records
        #expect(earlier.attendance.first { $0.office == "aa" }?.status == .excused)
        #expect(earlier.sessionChanges.isEmpty && earlier.minutes.isEmpty)
        // A refused batch adds nothing to the log.
        await #expect(throws: StorageError.self) {
            try await store.record(
                [
                    AttendanceEntry(
                        session: SessionKey(body: "beirat", series: "nope", date: Self.key.date), office: "jc",
                        status: .present)
                ],
                at: Self.later, actor: "x")
        }
        #expect(try await store.chainHead().seq == 14)
    }

    @Test func eachKindOfTamperingIsNamed() async throws {
        let (store, cleanup) = try await Self.filled(.memory)
        defer { cleanup() }
        let s = try await store.auditSnapshot()
        // An entry's content changed: its own hash no longer matches.
        var events = s.events
        events[10].payload = events[10].payload.replacingOccurrences(of: "excused", with: "present")
        #expect(
            AuditVerification(events: events, records: s.records).problems.map(\.description) == [
                "entry 11: (attendance beirat/sitzung 2026-09-01 aa) does not match its hash: it was changed after it was written"
            ])
        // An entry changed and its hash recomputed: the next entry's link breaks.
        events[10].hash = EventChain.expectedHash(of: events[10])
        #expect(AuditVerification(events: events, records: s.records).problems.first?.seq == 12)
        // An entry removed.
        events = s.events
        events.remove(at: 4)
        #expect(
            AuditVerification(events: events, records: s.records).problems.map(\.description) == [
                "entry 6: follows entry 4: entries 5…5 are missing"
            ])
        // A row of the table changed: named by the entry that last set it.
        var records = s.records
        let i = try #require(records.attendance.firstIndex { $0.office == "aa" })
        records.attendance[i].status = .absent
        #expect(
            AuditVerification(events: s.events, records: records).problems.map(\.description) == [
                "entry 12: (attendance beirat/sitzung 2026-09-01 aa) the attendance table says absent, the log says present"
            ])
        // A row without an entry, a minutes state changed, a session change removed.
        records = s.records
        records.attendance.append(AttendanceEntry(session: Self.key, office: "ja-k", status: .present))
        records.minutes[0].actor = "someone else"
        records.sessionChanges.removeAll()
        #expect(
            AuditVerification(events: s.events, records: records).problems.map(\.description) == [
                "entry 13: (session runde/montag 2026-04-06) the session change is missing from the store",
                "entry 14: (minutes beirat/sitzung 2026-09-01) the store says approved at 2026-02-01T16:30:00 by someone else, the log says approved at 2026-02-01T16:30:00 by e",
                "the attendance row attendance beirat/sitzung 2026-09-01 ja-k has no entry in the event log",
            ])
    }

    @Test(arguments: Kind.allCases)
    func removedMembershipsAndArchivedBodiesKeepTheirDates(kind: Kind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { cleanup() }
        let district = try TestDistrict.district()
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: district, at: Self.time), at: Self.time,
            actor: "a")
        var edited = district
        edited.bodies.removeAll { $0.id == "beirat" }
        edited.bodies[0].members.removeAll { $0.office == "ja-k" }
        try await store.apply(
            SyncPlan.between(stored: try await store.definitions(), files: edited, at: Self.later), at: Self.later,
            actor: "a")
        let stored = try await store.definitions()
        // ja-k left the Runde with the sync of 2026-02-01: its seat ended the day before.
        #expect(
            stored.pastMemberships["runde"] == [
                Membership(office: "ja-k", role: .member, validUntil: CivilDate(year: 2026, month: 1, day: 31))
            ])
        #expect(stored.archivedOn["body beirat"] == Self.later.date)
        let history = try #require(stored.historicalDistrict)
        #expect(history.bodies.map(\.id).sorted() == ["beirat", "runde"])
        #expect(
            history.body("runde")?.members(on: CivilDate(year: 2026, month: 1, day: 20)).map(\.office) == [
                "jc", "ja-k",
            ])
        #expect(history.body("runde")?.members(on: CivilDate(year: 2026, month: 2, day: 2)).map(\.office) == ["jc"])
    }

    /// The attendance payload is written by hand for speed: it must be the very text
    /// `JSONEncoder` (sorted keys) writes, and read back to the same entry.
    @Test(arguments: [
        AttendanceEntry(session: key, office: "jc", status: .present),
        AttendanceEntry(
            session: key, office: "aa", person: "Zoë \"Zitat\" Back\\slash/Strich", status: .represented,
            deputy: "Neue\nZeile\tTab\u{01}\u{1F}", arrival: LocalDateTime(year: 2026, month: 9, day: 1, hour: 15),
            departure: LocalDateTime(year: 2026, month: 9, day: 1, hour: 16, minute: 59, second: 1)),
        AttendanceEntry(session: key, office: "ja-k", person: "😀 \u{08}\u{0C}\r", status: .excused),
    ])
    func attendancePayloadIsJSONEncodersText(entry: AttendanceEntry) {
        #expect(entry.auditPayload == AuditPayload.encode(entry))
        #expect(AuditPayload.decode(AttendanceEntry.self, from: entry.auditPayload) == entry)
    }

    /// The same for 2,000 random entries: every control character, quotes, backslashes,
    /// slashes, DEL, non-ASCII letters, emoji and line separators in every text field, and
    /// dates and times across their range.
    @Test func randomAttendancePayloadsAreJSONEncodersText() {
        var random = SplitMix64(seed: 78)
        let alphabet: [Unicode.Scalar] =
            (0...0x20).compactMap(Unicode.Scalar.init) + [
                "\"", "\\", "/", "a", "Z", "ä", "ß", "€", "😀", "\u{7F}", "\u{2028}",
            ]
        func text() -> String {
            var out = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 12) { out.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            return String(out)
        }
        func maybe(_ make: () -> String) -> String? { random.next() % 2 == 0 ? nil : make() }
        func date() -> CivilDate {
            CivilDate(
                year: 1900 + Int(random.next() % 400), month: 1 + Int(random.next() % 12),
                day: 1 + Int(random.next() % 28))
        }
        func time() -> LocalDateTime? {
            random.next() % 2 == 0 ? nil : LocalDateTime(date: date(), secondOfDay: Int(random.next() % 86_400))
        }
        let statuses: [AttendanceEntry.Status] = [.present, .excused, .absent, .represented]
        for _ in 0..<2_000 {
            let entry = AttendanceEntry(
                session: SessionKey(body: text(), series: text(), date: date()), office: text(), person: maybe(text),
                status: statuses[Int(random.next() % 4)], deputy: maybe(text), arrival: time(), departure: time())
            #expect(entry.auditPayload == AuditPayload.encode(entry), "\(entry)")
        }
    }

    @Test func migrationV2GivesAnOlderStoreAVerifyingLog() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v1-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v1 definitions and change log")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO office VALUES ('jc', 'job-com', 'JC', 'district', 0);
                        INSERT INTO body VALUES ('b', 'B', 'Runde', '[]', '[]', 'jc', NULL, NULL, NULL, 0);
                        INSERT INTO series VALUES ('b', 's', 0, NULL, '2026-01-05T10:00:00', 60, 'Europe/Berlin',
                          'FREQ=WEEKLY', NULL, 'Austausch', 'skip', '[]', '[]', '2026-01-01T00:00:00', 0, 0);
                        INSERT INTO attendance VALUES ('b', 's', '2026-01-05', 'jc', '', 'present', NULL, NULL, NULL);
                        INSERT INTO attendance VALUES ('b', 's', '2026-01-12', 'jc', '', 'excused', NULL, NULL, NULL);
                        INSERT INTO minutesState VALUES ('b', 's', '2026-01-05', 'approved', '2026-01-06T08:00:00', 'x', NULL);
                        INSERT INTO changeLog (time, actor, subject, action, detail)
                          VALUES ('2026-01-12T12:00:00', 'x', 'attendance b/s 2026-01-12', 'recorded', 'jc: excused');
                        """)
            }
        }
        let store = try SQLiteStore(path: path)
        let s = try await store.auditSnapshot()
        #expect(s.events.map(\.kind) == [.attendance, .attendance, .minutes])
        #expect(s.events.first?.actor == "migration v2")
        #expect(s.events.first?.time == LocalDateTime(year: 2026, month: 1, day: 12, hour: 12))
        #expect(AuditVerification(events: s.events, records: s.records).isIntact)
        // Migration v15 kept the rows, in a table ordered by its key alone.
        #expect(s.records.attendance.map(\.status) == [.present, .excused])
        let queue = try DatabaseQueue(path: path)
        let table = try await queue.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attendance'")
        }
        #expect(table?.hasSuffix("WITHOUT ROWID") == true, "\(table ?? "no table")")
        // Migration v16 kept the change log's lines and ids; the next line takes the next id.
        let log = try await queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO changeLog (time, actor, subject, action, detail) VALUES ('2026-01-13T09:00:00', 'y', 's', 'a', 'd')"
            )
            return (
                try Int.fetchAll(db, sql: "SELECT id FROM changeLog ORDER BY id"),
                try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'changeLog'")
            )
        }
        #expect(log.0 == [1, 2])
        #expect(
            log.1.count == 2 && !log.1.contains { $0.contains("AUTOINCREMENT") }
                && log.1.contains { $0.contains("changeLog_archived") })
    }
}

/// Migration v6 gives the people of an older store ids made from their names (two who would
/// get the same id are told apart), and what referred to them by name refers to the id.
@Suite struct PeopleMigrationTests {
    @Test func peopleGetIdsAndTheirTokensAndAccountsFollow() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v5-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v5 cancelled sessions shown and series history")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO office VALUES ('jc', 'job-com', 'JC', 'district', 0);
                        INSERT INTO person VALUES ('Anna Beispiel', 'jc', 'SGL', 'anna@kreis.example');
                        INSERT INTO person VALUES ('Anna-Beispiel', 'jc', 'TL', NULL);
                        INSERT INTO person VALUES ('Jörg Müßig', 'jc', 'AL', NULL);
                        INSERT INTO token VALUES ('t-1', 'h1', 'Anna Beispiel', 'feed', NULL, '[]', '2026-01-01T00:00:00',
                          NULL, NULL, NULL);
                        INSERT INTO account VALUES ('Jörg Müßig', 'joerg@kreis.example', NULL, '["admin"]', '[]',
                          '2026-01-01T00:00:00');
                        INSERT INTO signInLink VALUES ('l1', 'Jörg Müßig', '2026-01-04T00:00:00');
                        """)
            }
        }
        let store = try SQLiteStore(path: path)
        let people = try await store.people()
        #expect(people.map(\.id) == ["anna-beispiel", "anna-beispiel-2", "joerg-muessig"])
        #expect(people.map(\.name) == ["Anna Beispiel", "Anna-Beispiel", "Jörg Müßig"])
        #expect(people.first?.email == "anna@kreis.example")
        #expect(try await store.tokens().map(\.person) == ["anna-beispiel"])
        #expect(try await store.account(person: "joerg-muessig")?.email == "joerg@kreis.example")
        #expect(try await store.seats().isEmpty)
        // The foreign keys hold against the ids now.
        let check = try DatabaseQueue(path: path)
        let violations = try check.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(violations.isEmpty)
    }
}

/// `audit verify` names attendance that stands in the log after an approval of its minutes
/// (the lock should have refused it; a store edited behind Gremien's back can hold it).
@Suite struct AttendanceAfterTheLockTests {
    @Test func attendanceWrittenWhileTheMinutesWereApprovedIsNamed() throws {
        let key = SessionKey(body: "beirat", series: "sitzung", date: CivilDate(year: 2026, month: 9, day: 1))
        let time = TestDistrict.time
        var chain = EventChain()
        let approved = MinutesState(session: key, status: .approved, time: time, actor: "k")
        let entry = AttendanceEntry(session: key, office: "jc", status: .present)
        let events = [chain.append(approved.auditDraft), chain.append(entry.auditDraft(at: time, actor: "x"))]
        let result = AuditVerification(
            events: events, records: AuditRecords(attendance: [entry], minutes: [approved]))
        #expect(
            result.problems.map(\.description) == [
                "entry 2: (attendance beirat/sitzung 2026-09-01 jc) attendance recorded while the minutes were approved (entry 1)"
            ])
        // Reopened first: then the entry is allowed.
        var reopenedChain = EventChain()
        let reopened = MinutesState(session: key, status: .draft, time: time, actor: "k", reason: "Korrektur")
        let fine = [
            reopenedChain.append(approved.auditDraft), reopenedChain.append(reopened.auditDraft),
            reopenedChain.append(entry.auditDraft(at: time, actor: "x")),
        ]
        #expect(
            AuditVerification(events: fine, records: AuditRecords(attendance: [entry], minutes: [reopened])).isIntact)
    }
}
