import Coordination
import Testing

@testable import Storage

/// The replayed log's attendance, kept packed (issue 20, aim 3): it must answer exactly as a
/// dictionary of the rows as written, also for rows whose dates or times do not pack.
@Suite struct LoggedAttendanceTests {
    /// A small generator with a fixed seed, so that a failure can be run again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Dates that pack and dates that do not (a year after 65534, a month beyond 255, a negative day).
    static let dates = [
        CivilDate(year: 2026, month: 3, day: 2), CivilDate(year: 2019, month: 12, day: 31),
        CivilDate(year: 65534, month: 255, day: 255), CivilDate(year: 0, month: 0, day: 0),
        CivilDate(year: 70000, month: 1, day: 1), CivilDate(year: 2026, month: 300, day: 1),
        CivilDate(year: 2026, month: 1, day: -1),
    ]

    static func pick<T>(_ items: [T], _ g: inout Seeded) -> T { items[Int.random(in: 0..<items.count, using: &g)] }

    static func key(_ g: inout Seeded) -> AttendanceEntry.RowKey {
        AttendanceEntry.RowKey(
            session: SessionKey(
                body: Self.pick(["runde", "body-0001-weekly-with-a-long-name", "ag-78"], &g),
                series: Self.pick(["montag", "sitzung"], &g), date: Self.pick(dates, &g)),
            office: Self.pick(["jc", "ja-k", "soza"], &g),
            person: Self.pick([nil, "Anna Beispiel", "Ben Vertreter"], &g))
    }

    static func time(_ g: inout Seeded) -> LocalDateTime? {
        switch Int.random(in: 0..<5, using: &g) {
        case 0: return nil
        case 1: return LocalDateTime(date: Self.pick(dates, &g), secondOfDay: Int.max)
        case 2: return LocalDateTime(date: Self.pick(dates, &g), secondOfDay: -60)
        default: return LocalDateTime(date: Self.pick(dates, &g), secondOfDay: Int.random(in: 0..<86_400, using: &g))
        }
    }

    /// `count` random rows written (with `removing`, a quarter of the writes remove their row
    /// instead), packed and as a plain dictionary.
    static func written(_ count: Int, seed: UInt64, removing: Bool) -> (
        packed: LoggedAttendance, plain: [AttendanceEntry.RowKey: AttendanceEntry.Logged]
    ) {
        var g = Seeded(state: seed)
        var packed = LoggedAttendance()
        var plain: [AttendanceEntry.RowKey: AttendanceEntry.Logged] = [:]
        for seq in 1...count {
            let key = Self.key(&g)
            if removing && Int.random(in: 0..<4, using: &g) == 0 {
                packed[key] = nil
                plain[key] = nil
            } else {
                let logged = AttendanceEntry.Logged(
                    status: Self.pick(AttendanceEntry.Status.allCases, &g),
                    deputy: Self.pick([nil, "Carla Muster"], &g), arrival: Self.time(&g),
                    departure: Self.time(&g), seq: seq)
                packed[key] = logged
                plain[key] = logged
            }
        }
        return (packed, plain)
    }

    @Test func answersAsADictionaryOfTheRowsAsWritten() {
        let (packed, plain) = Self.written(5_000, seed: 20, removing: true)
        #expect(packed.count == plain.count && plain.count > 50)
        var unpackable = 0
        for (key, logged) in plain {
            let got = packed[key]
            #expect(got.map { $0.entry(key) } == logged.entry(key) && got?.seq == logged.seq, "\(key)")
            if PackedRowsProbe.unpackable(key, logged) { unpackable += 1 }
        }
        #expect(unpackable > 0, "the test holds no row that does not pack")
        var seen: [Int: AttendanceEntry] = [:]
        packed.forEach { seq, entry in seen[seq] = entry() }
        #expect(seen == Dictionary(uniqueKeysWithValues: plain.map { ($0.value.seq, $0.value.entry($0.key)) }))
        // A key never written is not there.
        let other = AttendanceEntry.RowKey(
            session: SessionKey(body: "beirat", series: "sitzung", date: Self.dates[0]), office: "jc", person: nil)
        #expect(packed[other] == nil)
    }

    /// The rows of some bodies in a period (a report's run of bodies) are those of the rows as
    /// written, in the order of their entries, also where a row or a bound does not pack.
    @Test func givesTheRowsOfSomeBodiesInAPeriod() {
        let (packed, plain) = Self.written(3_000, seed: 78, removing: false)
        let inOrder = plain.sorted { $0.value.seq < $1.value.seq }.map { $0.value.entry($0.key) }
        let bodySets: [Set<String>] = [["runde"], ["ag-78", "body-0001-weekly-with-a-long-name"], ["unbekannt"], []]
        var found = 0
        for bodies in bodySets {
            for from in Self.dates {
                for through in Self.dates {
                    let got = packed.entries(of: bodies, from: from, through: through)
                    let expected = inOrder.filter {
                        bodies.contains($0.session.body) && $0.session.date >= from && $0.session.date <= through
                    }
                    #expect(got == expected, "\(bodies) \(from)...\(through)")
                    found += got.count
                }
            }
        }
        #expect(found > 1_000)
    }
}

/// Whether a row's dates or times are outside what packs (then it is kept as written).
enum PackedRowsProbe {
    static func unpackable(_ key: AttendanceEntry.RowKey, _ logged: AttendanceEntry.Logged) -> Bool {
        func fits(_ d: CivilDate) -> Bool {
            (0...65534).contains(d.year) && (0...255).contains(d.month) && (0...255).contains(d.day)
        }
        func fits(_ t: LocalDateTime?) -> Bool {
            t.map { fits($0.date) && UInt32(exactly: $0.secondOfDay) != nil } ?? true
        }
        return !fits(key.session.date) || !fits(logged.arrival) || !fits(logged.departure)
    }
}
