import Coordination
import GremienTestSupport
import Platform
import Testing

/// The import's session index answers exactly as the planner's lookup does wherever it answers,
/// and answers wherever the lookup finds exactly one session: every day of two years, every
/// body of the shipped district, with sessions moved (months away), cancelled and added (in
/// 2027: the shipped AG 78 has a version of its series from late 2026 on).
@Suite struct SessionIndexTests {
    @Test func theIndexFindsWhatTheLookupFinds() throws {
        let shipped = try TestDistrict.district(at: TestDistrict.shippedCalendars)
        let body = try #require(shipped.bodies.first { $0.id == "ag-78" })
        let series = try #require(body.series.first)
        let planner0 = try SessionPlanner(district: shipped, zone: TestDistrict.zones)
        let planned = planner0.sessions(
            of: body, series: series, from: LocalDateTime(year: 2027, month: 1, day: 1).localSeconds,
            to: LocalDateTime(year: 2027, month: 12, day: 31).localSeconds)
        try #require(planned.count > 6)
        let key = { (s: Session) in shipped.key(of: s, body: body, series: series).date }
        let changes = [
            SessionChange(
                body: body.id, series: series.id,
                exception: .move(
                    .init(date: key(planned[1]), to: LocalDateTime(year: 2027, month: 6, day: 30, hour: 9))),
                time: TestDistrict.time, actor: "k"),
            SessionChange(
                body: body.id, series: series.id, exception: .cancel(date: key(planned[3]), reason: "Ausfall"),
                time: TestDistrict.time, actor: "k"),
            SessionChange(
                body: body.id, series: series.id,
                exception: .add(
                    .init(id: "extra", start: LocalDateTime(year: 2027, month: 11, day: 4, hour: 10))),
                time: TestDistrict.time, actor: "k"),
        ]
        let district = shipped.applying(changes)
        let planner = try SessionPlanner(district: district, zone: TestDistrict.zones)
        let from = CivilDate(year: 2026, month: 1, day: 1)
        let through = CivilDate(year: 2027, month: 12, day: 31)
        var answered = 0
        for b in district.bodies {
            let index = planner.index(of: b, from: from, through: through)
            var day = from
            while day <= through {
                let looked = try? planner.session(of: b, plannedOn: day)
                let indexed = index.session(plannedOn: day)
                #expect(indexed?.session == looked?.session, "\(b.id) \(day)")
                #expect(indexed?.series.id == looked?.series.id, "\(b.id) \(day)")
                if indexed != nil { answered += 1 }
                day = CivilDate(dayNumber: day.dayNumber + 1)
            }
        }
        #expect(answered > 200)
        // The moved session by its new date and its planned one, the added one, not the cancelled one's absence.
        let changed = try #require(district.bodies.first { $0.id == body.id })
        let index = planner.index(of: changed, from: from, through: through)
        #expect(index.session(plannedOn: CivilDate(year: 2027, month: 6, day: 30))?.session.status == .moved)
        #expect(index.session(plannedOn: key(planned[1]))?.session.status == .moved)
        #expect(index.session(plannedOn: CivilDate(year: 2027, month: 11, day: 4)) != nil)
        #expect(index.session(plannedOn: key(planned[3]))?.session.status == .cancelled)
    }
}
