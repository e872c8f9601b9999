import Benchmark
import Coordination
import Definitions
import Foundation
import ICalendar
// The records of a 600-body district (the reference workload as calendars/, made by
// Benchmarks/make_calendars.py into $ICSBENCH_OUT/calendars-600): sync into an empty SQLite
// store, record 300,000 attendance rows in one transaction, render 1,000 minutes; the
// participation report over ten years of it (Reports.swift).
// `Benchmarks/compare.sh` makes the folder first.
import Platform
import Publishing
import Storage
import StorageSQLite
import Workflows

let time = LocalDateTime(year: 2026, month: 1, day: 5, hour: 9)

func temporaryStore() throws -> (SQLiteStore, () -> Void) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path
    return (
        try SQLiteStore(path: path),
        { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
    )
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(20), maxIterations: 10)
    let folder = ProcessInfo.processInfo.environment["ICSBENCH_OUT"] ?? "/tmp/icsbench"
    let zone: @Sendable (String) -> ZoneRules? = { try? SystemTimeZones.rules(for: $0) }
    guard let district = DefinitionsLoader(directory: "\(folder)/calendars-600", zone: zone).load().validDistrict,
        let planner = try? SessionPlanner(district: district, zone: zone)
    else {
        print("missing \(folder)/calendars-600: run Benchmarks/compare.sh first")
        return
    }
    let plan = SyncPlan.between(stored: StoredDefinitions(), files: district, at: time)
    // 300,000 attendance rows: sessions of 2022-2027, three offices each, office as a whole
    // (the same rows as Benchmarks/make_attendance.py writes for the process-level run).
    var entries: [AttendanceEntry] = []
    var views: [(Body, Series, Session)] = []
    let from = Int64(1_640_995_200)  // 2022-01-01
    let to = Int64(1_830_297_600)  // 2028-01-01
    outer: for body in district.bodies {
        for series in body.series {
            for session in planner.sessions(of: body, series: series, from: from, to: to)
            where session.status != .cancelled {
                if views.count < 1000 { views.append((body, series, session)) }
                let date = session.recurrenceID?.local.date ?? session.start.local.date
                for m in body.members {
                    // Mostly present, every 7th excused, every 11th absent.
                    let n = entries.count
                    entries.append(
                        AttendanceEntry(
                            session: SessionKey(body: body.id, series: series.id, date: date), office: m.office,
                            status: n % 7 == 3 ? .excused : n % 11 == 5 ? .absent : .present))
                    if entries.count == 300_000 { break outer }
                }
            }
        }
    }
    print("records: \(plan.changes.count) sync changes, \(entries.count) attendance rows, \(views.count) minutes")
    reportBenchmarks(district: district, planner: planner, entries: entries)

    Benchmark("sync a 600-body district into an empty SQLite store") { benchmark in
        for _ in benchmark.scaledIterations {
            let (store, cleanup) = try temporaryStore()
            defer { cleanup() }
            benchmark.startMeasurement()
            try await store.apply(plan, at: time, actor: "bench")
            benchmark.stopMeasurement()
        }
    }
    Benchmark("record 300,000 attendance rows (one transaction)", configuration: .init(maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            let (store, cleanup) = try temporaryStore()
            defer { cleanup() }
            try await store.apply(plan, at: time, actor: "bench")
            benchmark.startMeasurement()
            try await store.record(entries, at: time, actor: "bench")
            benchmark.stopMeasurement()
        }
    }
    // Aim 3 of issue 20: the import as `gremien attendance import` does it (every line checked
    // against the planned sessions, the body and the minutes, then one transaction), and the
    // streamed `audit verify` of the log that leaves. The clock stands after the last session,
    // so every session has begun.
    let lines = entries.enumerated().map { i, e in
        AttendanceLine(
            label: "bench.csv:\(i + 2)", body: e.session.body, date: e.session.date.description,
            series: e.session.series, office: e.office, status: e.status.rawValue)
    }
    let after = WallClock.fixed(LocalDateTime(year: 2028, month: 6, day: 1))
    Benchmark("import 300,000 attendance lines (checked, one transaction)", configuration: .init(maxIterations: 5)) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let (store, cleanup) = try temporaryStore()
            defer { cleanup() }
            try await store.apply(plan, at: time, actor: "bench")
            let workflows = Workflows(store: store, clock: after, zones: zone)
            benchmark.startMeasurement()
            blackHole(try await workflows.recordAttendance(lines, by: .localOperator("bench")))
            benchmark.stopMeasurement()
        }
    }
    Benchmark("audit verify, streamed (sync + 300,000 attendance entries)", configuration: .init(maxIterations: 10)) {
        benchmark in
        let (store, cleanup) = try temporaryStore()
        defer { cleanup() }
        try await store.apply(plan, at: time, actor: "bench")
        try await store.record(entries, at: time, actor: "bench")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let result = try await store.auditVerification()
            precondition(result.isIntact && result.counts.attendance == entries.count)
            blackHole(result)
        }
        benchmark.stopMeasurement()
    }
    let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("templates").path
    Benchmark("render 1,000 minutes (Markdown)") { benchmark in
        let renderer = try await MinutesRenderer(folder: templates)
        for _ in benchmark.scaledIterations {
            for (body, series, session) in views {
                let key = SessionKey(
                    body: body.id, series: series.id, date: session.recurrenceID?.local.date ?? session.start.local.date
                )
                let view = MinutesView(
                    district: district, body: body, series: series, session: session, key: key, attendance: [],
                    state: nil)
                blackHole(try renderer.text(view, format: .md))
            }
        }
    }
}
