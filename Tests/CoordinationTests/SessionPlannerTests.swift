import Coordination
import Testing

/// Holiday policies and planned exceptions, each on a hand-made one-body district whose
/// expected sessions are written out by hand.
@Suite struct SessionPlannerTests {
    static let updated = LocalDateTime(year: 2026, month: 1, day: 1)

    static func district(_ series: [Series], validUntil: CivilDate? = nil, closing: [HolidayCalendar.Day] = [])
        -> District
    {
        let body = Body(
            id: "ag", name: "AG Test", kind: .arbeitsgemeinschaft, chair: "jc",
            members: [Membership(office: "jc", role: .chair)], validUntil: validUntil, series: series)
        return District(
            name: "Kreis Test", uidDomain: "example.org", planUntil: CivilDate(year: 2027, month: 12, day: 31),
            holidays: HolidayCalendar(closingDays: closing),
            offices: [Office(id: "jc", name: "job-com", shortName: "JC", administration: .district)], bodies: [body])
    }

    /// Mondays 10:00 around Easter Monday 2026 (6 April), with the given policy.
    static func mondays(_ policy: Series.HolidayPolicy, exceptions: [SeriesException] = []) throws -> Series {
        Series(
            id: "s", start: LocalDateTime(year: 2026, month: 3, day: 30, hour: 10), durationMinutes: 60,
            rule: try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=MO"), location: "Raum 1", kind: .sitzung,
            holidayPolicy: policy, exceptions: exceptions, updated: updated)
    }

    /// `start status recurrenceId reason` per session, for compact comparison.
    static func lines(_ district: District, from: String, to: String) throws -> [String] {
        let planner = try SessionPlanner(district: district) { try? TestZones.rules($0) }
        let zone = try TestZones.rules("Europe/Berlin")
        let a = zone.utc(forLocal: TestZones.local(from).localSeconds)
        let b = zone.utc(forLocal: TestZones.local(to).localSeconds)
        return planner.sessions(from: a, to: b).map { s in
            [s.start.iso8601, s.end.iso8601, s.status.rawValue, s.recurrenceID?.iso8601 ?? "-", s.reason ?? "-"]
                .joined(separator: " ")
        }
    }

    @Test func skipCancelsTheHolidaySession() throws {
        let d = Self.district([try Self.mondays(.skip)])
        #expect(
            try Self.lines(d, from: "2026-03-30", to: "2026-04-14") == [
                "2026-03-30T10:00:00+02:00 2026-03-30T11:00:00+02:00 scheduled 2026-03-30T10:00:00+02:00 -",
                "2026-04-06T10:00:00+02:00 2026-04-06T11:00:00+02:00 cancelled 2026-04-06T10:00:00+02:00 Ostermontag",
                "2026-04-13T10:00:00+02:00 2026-04-13T11:00:00+02:00 scheduled 2026-04-13T10:00:00+02:00 -",
            ])
    }

    @Test func nextWorkingDayMovesToTuesday() throws {
        let d = Self.district([try Self.mondays(.nextWorkingDay)])
        #expect(
            try Self.lines(d, from: "2026-04-01", to: "2026-04-10") == [
                "2026-04-07T10:00:00+02:00 2026-04-07T11:00:00+02:00 moved 2026-04-06T10:00:00+02:00 Ostermontag"
            ])
    }

    @Test func previousWorkingDaySkipsGoodFridayToo() throws {
        let d = Self.district([try Self.mondays(.previousWorkingDay)])
        #expect(
            try Self.lines(d, from: "2026-04-01", to: "2026-04-10") == [
                "2026-04-02T10:00:00+02:00 2026-04-02T11:00:00+02:00 moved 2026-04-06T10:00:00+02:00 Ostermontag"
            ])
    }

    @Test func keepHoldsTheSessionOnTheHoliday() throws {
        let d = Self.district([try Self.mondays(.keep)])
        #expect(
            try Self.lines(d, from: "2026-04-06", to: "2026-04-07") == [
                "2026-04-06T10:00:00+02:00 2026-04-06T11:00:00+02:00 scheduled 2026-04-06T10:00:00+02:00 -"
            ])
    }

    @Test func closingDayCountsLikeAHoliday() throws {
        let series = Series(
            id: "s", start: LocalDateTime(year: 2026, month: 2, day: 9, hour: 9), durationMinutes: 90,
            rule: try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=MO"), kind: .austausch, holidayPolicy: .nextWorkingDay,
            updated: Self.updated)
        let d = Self.district([series], closing: [.init(name: "Rosenmontag", rule: .easter(offset: -48))])
        #expect(
            try Self.lines(d, from: "2026-02-16", to: "2026-02-18") == [
                "2026-02-17T09:00:00+01:00 2026-02-17T10:30:00+01:00 moved 2026-02-16T09:00:00+01:00 Rosenmontag"
            ])
    }

    @Test func cancelMoveAndAdd() throws {
        let exceptions: [SeriesException] = [
            .cancel(date: CivilDate(year: 2026, month: 4, day: 13), reason: "Personalversammlung"),
            // Moved from before the window into it: found although its rule date lies outside.
            .move(
                .init(
                    date: CivilDate(year: 2026, month: 3, day: 30),
                    to: LocalDateTime(year: 2026, month: 5, day: 5, hour: 15),
                    durationMinutes: 30, location: "Raum 2", reason: "Raumtausch")),
            .add(
                .init(id: "extra", start: LocalDateTime(year: 2026, month: 5, day: 6, hour: 8), title: "Krisengespräch")
            ),
        ]
        let d = Self.district([try Self.mondays(.skip, exceptions: exceptions)])
        #expect(
            try Self.lines(d, from: "2026-04-13", to: "2026-04-21") == [
                "2026-04-13T10:00:00+02:00 2026-04-13T11:00:00+02:00 cancelled 2026-04-13T10:00:00+02:00 Personalversammlung",
                "2026-04-20T10:00:00+02:00 2026-04-20T11:00:00+02:00 scheduled 2026-04-20T10:00:00+02:00 -",
            ])
        // The window starts four weeks after the moved rule date, beyond the expansion margin.
        #expect(
            try Self.lines(d, from: "2026-04-27", to: "2026-05-07") == [
                "2026-04-27T10:00:00+02:00 2026-04-27T11:00:00+02:00 scheduled 2026-04-27T10:00:00+02:00 -",
                "2026-05-04T10:00:00+02:00 2026-05-04T11:00:00+02:00 scheduled 2026-05-04T10:00:00+02:00 -",
                "2026-05-05T15:00:00+02:00 2026-05-05T15:30:00+02:00 moved 2026-03-30T10:00:00+02:00 Raumtausch",
                "2026-05-06T08:00:00+02:00 2026-05-06T09:00:00+02:00 scheduled - -",
            ])
        // And the rule date itself no longer holds a session.
        #expect(try Self.lines(d, from: "2026-03-30", to: "2026-03-31") == [])
        let planner = try SessionPlanner(district: d) { try? TestZones.rules($0) }
        let all = planner.sessions(from: 0, to: Int64.max / 2)
        let extra = try #require(all.first { $0.recurrenceID == nil })
        #expect(extra.uid == "extra.s.ag@gremien.example.org")
        #expect(extra.title == "Krisengespräch")
        #expect(all.filter { $0.uid == "s.ag@gremien.example.org" }.count == all.count - 1)
    }

    @Test func bodyEndStopsTheSeries() throws {
        let d = Self.district([try Self.mondays(.keep)], validUntil: CivilDate(year: 2026, month: 4, day: 20))
        let lines = try Self.lines(d, from: "2026-04-01", to: "2026-06-01")
        #expect(lines.map { String($0.prefix(10)) } == ["2026-04-06", "2026-04-13", "2026-04-20"])
    }

    @Test func unknownTimeZoneIsNamed() throws {
        var series = try Self.mondays(.keep)
        series.timeZone = "Europe/Dueren"
        #expect(
            throws: SessionPlanner.PlanningError.unknownTimeZone(body: "ag", series: "s", timeZone: "Europe/Dueren")
        ) {
            _ = try SessionPlanner(district: Self.district([series])) { try? TestZones.rules($0) }
        }
    }

    /// The feed's shortcut (only days with an exception or a holiday) finds exactly the sessions
    /// that a full expansion marks as deviating, for every policy.
    @Test(arguments: Series.HolidayPolicy.allCases)
    func deviationsOnlyAgreesWithFullExpansion(policy: Series.HolidayPolicy) throws {
        let exceptions: [SeriesException] = [
            .cancel(date: CivilDate(year: 2026, month: 4, day: 13), reason: "Ausfall"),
            .move(
                .init(
                    date: CivilDate(year: 2026, month: 5, day: 4),
                    to: LocalDateTime(year: 2026, month: 5, day: 5, hour: 9))),
            .add(.init(id: "extra", start: LocalDateTime(year: 2026, month: 7, day: 1, hour: 8))),
        ]
        let d = Self.district(
            [try Self.mondays(policy, exceptions: exceptions)],
            closing: [.init(name: "Rosenmontag", rule: .easter(offset: -48))])
        let planner = try SessionPlanner(district: d) { try? TestZones.rules($0) }
        let body = d.bodies[0]
        let full = planner.sessions(of: body, series: body.series[0], from: 0, to: Int64(4_000_000_000))
        let short = planner.sessions(
            of: body, series: body.series[0], from: 0, to: Int64(4_000_000_000), deviationsOnly: true)
        #expect(short == full.filter { $0.status != .scheduled || $0.recurrenceID == nil })
        #expect(short.count >= 3)
    }
}

/// Recorded session changes laid over the planned exceptions.
@Suite struct SessionChangeTests {
    @Test func laterChangesWinAndRaiseTheSequence() throws {
        let planned: [SeriesException] = [
            .cancel(date: CivilDate(year: 2026, month: 4, day: 13), reason: "geplant")
        ]
        let d = SessionPlannerTests.district([try SessionPlannerTests.mondays(.skip, exceptions: planned)])
        let t1 = LocalDateTime(year: 2026, month: 3, day: 1, hour: 9)
        let t2 = LocalDateTime(year: 2026, month: 3, day: 2, hour: 9)
        let changes = [
            SessionChange(
                body: "ag", series: "s",
                exception: .move(
                    .init(
                        date: CivilDate(year: 2026, month: 4, day: 13),
                        to: LocalDateTime(year: 2026, month: 4, day: 14, hour: 10))), time: t2, actor: "a"),
            SessionChange(
                body: "ag", series: "s",
                exception: .cancel(date: CivilDate(year: 2026, month: 4, day: 20), reason: "x"),
                time: t1, actor: "b"),
            SessionChange(
                body: "nope", series: "s",
                exception: .cancel(date: CivilDate(year: 2026, month: 4, day: 20), reason: "x"), time: t1, actor: "b"),
        ]
        let series = d.applying(changes).bodies[0].series[0]
        #expect(series.exceptions.map { $0.date?.description ?? "" } == ["2026-04-13", "2026-04-20"])
        if case .move = series.exceptions[0] {} else { Issue.record("the move replaces the planned cancel") }
        #expect(series.sequence == 2)
        #expect(series.updated == t2)
        let lines = try SessionPlannerTests.lines(d.applying(changes), from: "2026-04-13", to: "2026-04-21")
        #expect(
            lines == [
                "2026-04-14T10:00:00+02:00 2026-04-14T11:00:00+02:00 moved 2026-04-13T10:00:00+02:00 -",
                "2026-04-20T10:00:00+02:00 2026-04-20T11:00:00+02:00 cancelled 2026-04-20T10:00:00+02:00 x",
            ])
    }
}

/// Which action items the minutes of a session carry over.
@Suite struct ActionItemTests {
    @Test func openMeansAgreedBeforeAndNotDoneBeforeTheSession() {
        let agreed = SessionKey(body: "ag", series: "s", date: CivilDate(year: 2026, month: 3, day: 2))
        let open = ActionItem(session: agreed, text: "a", office: "jc")
        let done = ActionItem(
            session: agreed, text: "b", office: "jc", done: LocalDateTime(year: 2026, month: 3, day: 20))
        let day = { (d: Int) in CivilDate(year: 2026, month: 3, day: d) }
        #expect(!open.isOpen(before: day(2)))  // not in the session that agreed it
        #expect(open.isOpen(before: day(9)))
        #expect(done.isOpen(before: day(16)))  // done only after that session
        #expect(!done.isOpen(before: day(23)))
    }
}
