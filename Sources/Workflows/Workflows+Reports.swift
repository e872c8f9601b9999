import Coordination
import Foundation
import Platform
import Publishing
import Storage

/// A participation report as made: its bytes and the summary they show.
public struct MadeReport: Sendable {
    /// Its bytes; empty when they were handed to a sink as they were made
    /// (`participationReport(_:writingTo:)`).
    public var data: Data
    public var summary: ParticipationSummary
    public var stamp: ReportStamp
    /// The event log's head the report was made from.
    public var head: ChainHead
    /// The pairs of offices the report lists (version 2: each once, those with a joint session).
    public var pairsListed: Int

    init(data: Data, _ report: ParticipationReport, head: ChainHead) {
        self.data = data
        summary = report.summary
        stamp = report.stamp
        self.head = head
        pairsListed = report.shownPairs.count
    }
}

/// A participation report whose records were read and counted (`preparedParticipationReport`):
/// writing its bytes can no longer fail.
public struct PreparedReport: Sendable {
    let report: ParticipationReport
    /// The event log's head the report is made from.
    public let head: ChainHead

    /// Its bytes handed to `sink` in order, some 64 KB at a time, as they are made; the summary.
    public func write(to sink: @escaping ReportSink) -> MadeReport {
        report.write(to: sink)
        return MadeReport(data: Data(), report, head: head)
    }
}

extension Workflows {
    /// The offices whose every ordered pair a report lists by default: the audit's Sozialamt,
    /// Jugendamt and job-com.
    public static let auditOffices = ["soza", "ja-k", "jc"]

    /// What a participation report covers.
    public struct ReportRequest: Sendable, Hashable {
        public var from: CivilDate
        public var through: CivilDate
        public var office: String?
        public var body: String?
        /// `nil`: the audit's offices, those the store knows; given ones must all exist.
        public var core: [String]?
        public var format: ReportStamp.Format
        public var excel: Bool
        /// Every pair of offices, also those without a joint held session in the period.
        public var allPairs: Bool

        public init(
            from: CivilDate, through: CivilDate, office: String? = nil, body: String? = nil, core: [String]? = nil,
            format: ReportStamp.Format = .csv, excel: Bool = false, allPairs: Bool = false
        ) {
            self.allPairs = allPairs
            self.from = from
            self.through = through
            self.office = office
            self.body = body
            self.core = core
            self.format = format
            self.excel = excel
        }
    }

    /// Participation per office, per pair of offices and per body for a period, from the store
    /// alone. The event log's head before and after reading must agree, so that the report is
    /// exactly the records at that head (tried three times).
    public func participationReport(_ request: ReportRequest) async throws(WorkflowError) -> MadeReport {
        let (report, head) = try await participationReportMade(request)
        return MadeReport(data: report.rendered(), report, head: head)
    }

    /// `participationReport(_:)` with the bytes handed to `sink` in order as they are made,
    /// not held (`gremien report --out` writes a ten-year report of some 40 MB while it is made).
    /// Nothing is handed on when the request is refused or the records cannot be read.
    public func participationReport(_ request: ReportRequest, writingTo sink: @escaping ReportSink)
        async throws(WorkflowError)
        -> MadeReport
    {
        try await preparedParticipationReport(request).write(to: sink)
    }

    /// `participationReport(_:)` counted and checked, its bytes not yet made: for a download
    /// whose answer is sent only once the request has been found good, and whose bytes are then
    /// made while they are sent (`PreparedReport.write(to:)`). Throws as `participationReport(_:)`.
    public func preparedParticipationReport(_ request: ReportRequest) async throws(WorkflowError) -> PreparedReport {
        let (report, head) = try await participationReportMade(request)
        return PreparedReport(report: report, head: head)
    }

    /// The report of a request, and the chain head it was made at.
    private func participationReportMade(_ request: ReportRequest) async throws(WorkflowError) -> (
        ParticipationReport, ChainHead
    ) {
        guard request.from <= request.through else {
            throw .invalid("the period's first day \(request.from) is after its last \(request.through)")
        }
        if request.excel && request.format != .csv { throw .invalid("the Excel dialect applies to CSV only") }
        // The records (hundreds of thousands of entries over ten years) are let go before the
        // report is rendered: only the summary is needed for that.
        let (summary, stamp, head) = try await participationSummary(request)
        return (ParticipationReport(summary: summary, stamp: stamp), head)
    }

    /// The summary of a request from records that stayed the same while they were counted
    /// (counted again, up to three times, when the chain head moved meanwhile), its stamp and that head.
    private func participationSummary(_ request: ReportRequest) async throws(WorkflowError) -> (
        ParticipationSummary, ReportStamp, ChainHead
    ) {
        var attempt = 0
        while true {
            attempt += 1
            let before = try await stored { () async throws(StorageError) in try await store.chainHead() }
            // Read once per count, after the head (a sync moves it): for the check of the
            // request's ids and for the count.
            let definitions = try await stored { () async throws(StorageError) in try await store.definitions() }
            let core = try checkReportIDs(request, stored: definitions)
            // Sessions that had begun by now count as held.
            let made = clock.now()
            let summary = try await participationSummary(
                from: request.from, through: request.through, core: core, madeAt: made, office: request.office,
                body: request.body, definitions: definitions)
            let after = try await stored { () async throws(StorageError) in try await store.chainHead() }
            guard before == after || attempt == 3 else { continue }
            let stamp = ReportStamp(
                from: request.from, through: request.through, office: request.office, body: request.body, core: core,
                format: request.format, excel: request.excel, madeAt: made, head: after.description,
                allPairs: request.allPairs)
            return (summary, stamp, after)
        }
    }

    /// The core offices of a request after checking its office, body and core ids against every
    /// office and body the store ever held.
    private func checkReportIDs(_ request: ReportRequest, stored: StoredDefinitions) throws(WorkflowError) -> [String] {
        guard stored.settings != nil else { throw notSynced }
        let offices = (stored.offices + stored.archivedOffices).map(\.id)
        let bodies = (stored.bodies + stored.archivedBodies).map(\.id)
        for id in [request.office].compactMap({ $0 }) + (request.core ?? []) where !offices.contains(id) {
            throw .notFound("unknown office '\(id)'; known offices: \(offices.joined(separator: ", "))")
        }
        if let body = request.body, !bodies.contains(body) {
            throw .notFound("unknown body '\(body)'; known bodies: \(bodies.joined(separator: ", "))")
        }
        return (request.core ?? Self.auditOffices).filter(offices.contains)
    }

    /// Participation in `from...through` as of `madeAt`, for one office or body when given, from
    /// the store alone (never from `calendars/`): the district as it has been, its sessions in the
    /// period, and the records, either as stored now or as the event log says they stood at an
    /// earlier entry. Counted a few bodies at a time (ten years are hundreds of thousands of
    /// sessions and attendance rows; only a few bodies' are held at once), the next bodies'
    /// attendance read while those before are counted.
    ///
    /// - Parameters:
    ///   - replayed: the records as of an earlier chain head (`audit verify --report`); `nil`
    ///     reads them from the store's tables.
    ///   - definitions: the store's definitions when the caller has read them already.
    public func participationSummary(
        from: CivilDate, through: CivilDate, core: [String], madeAt: LocalDateTime, office: String? = nil,
        body: String? = nil, replayed: ReplayedRecords? = nil, definitions: StoredDefinitions? = nil
    ) async throws(WorkflowError) -> ParticipationSummary {
        // A moved session keeps the key of its planned date, which may lie a little outside the period.
        let margin = 62
        let lo = CivilDate(dayNumber: from.dayNumber - margin)
        let hi = CivilDate(dayNumber: through.dayNumber + margin)
        let store = self.store
        let (stored, changes, minutes, seats, people) = try await stored {
            () async throws(StorageError) -> (StoredDefinitions, [SessionChange], [MinutesState], [Seat], [Person]) in
            let stored: StoredDefinitions
            if let definitions { stored = definitions } else { stored = try await store.definitions() }
            let people = try await store.people()
            if let replayed = replayed?.recordsBesidesAttendance {
                // People stored before the log recorded them keep the name the store has.
                let logged = Set(replayed.people.map(\.id))
                return (
                    stored, replayed.sessionChanges, replayed.minutes, replayed.seats,
                    replayed.people + people.filter { !logged.contains($0.id) }
                )
            }
            return (
                stored, try await store.sessionChanges(), try await store.minutesStates(), try await store.seats(),
                people
            )
        }
        guard let base = stored.historicalDistrict else { throw notSynced }
        let planning = try Planning(district: base.applying(changes), zones: zones)
        let records = ParticipationRecords(
            offices: planning.district.offices, bodies: planning.district.bodies,
            archivedBodies: Set(stored.archivedBodies.map(\.id)), sessions: [], attendance: [], minutes: minutes,
            core: core, seats: seats,
            names: Dictionary(people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
        var counting = ParticipationSummary.Counting(
            records: records, from: from, through: through, madeAt: madeAt, office: office, body: body)

        // The replayed attendance is in memory already, packed: each run makes its bodies' rows.
        let replayedAttendance = replayed?.attendance
        let ids = counting.bodyIDs
        let run = 64
        let runs = stride(from: 0, to: ids.count, by: run).map { Array(ids[$0..<min(ids.count, $0 + run)]) }
        func attendance(of bodies: [String]) -> Task<Result<[AttendanceEntry], StorageError>, Never> {
            Task {
                if let replayedAttendance {
                    return .success(replayedAttendance.entries(of: Set(bodies), from: lo, through: hi))
                }
                do throws(StorageError) {
                    return .success(try await store.attendance(from: lo, through: hi, bodies: bodies))
                } catch { return .failure(error) }
            }
        }
        var next = runs.first.map(attendance(of:))
        defer { next?.cancel() }
        for (i, bodies) in runs.enumerated() {
            guard let reading = next else { break }
            next = i + 1 < runs.count ? attendance(of: runs[i + 1]) : nil
            var sessions = planning.planner.keyedSessions(from: from, through: through, bodies: Set(bodies))
            sessions.removeAll { !stored.isBeforeArchiving($0.session) }
            let read = await reading.value
            let entries = try await self.stored { () throws(StorageError) in try read.get() }
            counting.add(sessions: sessions, attendance: entries)
        }
        return counting.summary()
    }
}
