import Coordination
import Testing

/// What a sync plans, on hand-made districts.
@Suite struct SyncPlanTests {
    static let t0 = LocalDateTime(year: 2026, month: 1, day: 1)
    static let t1 = LocalDateTime(year: 2026, month: 2, day: 1, hour: 12)

    static func stored(_ district: District) -> StoredDefinitions {
        StoredDefinitions(settings: district.settings, offices: district.offices, bodies: district.bodies)
    }

    @Test func aBodyChangeRaisesTheSequenceOfItsSeries() throws {
        let district = SessionPlannerTests.district([try SessionPlannerTests.mondays(.skip)])
        var edited = district
        edited.bodies[0].name = "AG Test (neu)"
        let plan = SyncPlan.between(stored: Self.stored(district), files: edited, at: Self.t1)
        #expect(
            plan.changes.map { "\($0.action.rawValue) \($0.subject)" } == ["changed body ag", "changed series ag/s"])
        #expect(plan.changes[0].fields == [FieldChange(field: "name", old: "AG Test", new: "AG Test (neu)")])
        guard case .series(_, let series, _) = plan.changes[1].value else {
            Issue.record("a series change")
            return
        }
        #expect(series.sequence == 1)
        #expect(series.updated == Self.t1)
    }

    @Test func unchangedDefinitionsPlanNothingAndFilesSeedOnlyNewSeries() throws {
        let district = SessionPlannerTests.district([try SessionPlannerTests.mondays(.skip)])
        #expect(SyncPlan.between(stored: Self.stored(district), files: district, at: Self.t1).isEmpty)
        // The files' sequence and updated do not count as changes of a stored series.
        var files = district
        files.bodies[0].series[0].sequence = 7
        files.bodies[0].series[0].updated = Self.t0
        #expect(SyncPlan.between(stored: Self.stored(district), files: files, at: Self.t1).isEmpty)
        let fresh = SyncPlan.between(stored: StoredDefinitions(), files: files, at: Self.t1)
        guard case .series(_, let series, _) = fresh.changes.last?.value else {
            Issue.record("a series change")
            return
        }
        #expect(series.sequence == 7)
        #expect(series.updated == Self.t0)
    }

    @Test func aRenamedOfficeRaisesTheSequenceOfItsBodiesSeries() throws {
        let district = SessionPlannerTests.district([try SessionPlannerTests.mondays(.skip)])
        var edited = district
        edited.offices[0].shortName = "job-com"
        let plan = SyncPlan.between(stored: Self.stored(district), files: edited, at: Self.t1)
        #expect(
            plan.changes.map { "\($0.action.rawValue) \($0.subject)" } == ["changed office jc", "changed series ag/s"])
    }
}
