// The participation report over ten years (2020-2029) of the 600-body district with 300,000
// attendance rows: the summary (Coordination) and each format (Publishing), in process.
// The whole command, store reads included, is timed process-level in Benchmarks/compare.sh.
import Benchmark
import Coordination
import Publishing

func reportBenchmarks(district: District, planner: SessionPlanner, entries: [AttendanceEntry]) {
    let from = CivilDate(year: 2020, month: 1, day: 1)
    let through = CivilDate(year: 2029, month: 12, day: 31)
    let made = LocalDateTime(year: 2026, month: 11, day: 25, hour: 6)
    let sessions = planner.keyedSessions(from: from, through: through)
    let records = ParticipationRecords(
        offices: district.offices, bodies: district.bodies, sessions: sessions, attendance: entries, minutes: [],
        core: ["amt-00", "amt-01", "amt-02"])
    print("report: \(sessions.count) sessions 2020-2029, \(entries.count) attendance rows")
    Benchmark("participation summary, 10 years, 600 bodies, 300,000 rows") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ParticipationSummary(records: records, from: from, through: through, madeAt: made))
        }
    }
    let summary = ParticipationSummary(records: records, from: from, through: through, madeAt: made)
    for (format, excel) in [(ReportStamp.Format.csv, false), (.csv, true), (.json, false), (.html, false)] {
        let stamp = ReportStamp(
            from: from, through: through, office: nil, body: nil, core: records.core, format: format, excel: excel,
            madeAt: made, head: "0:" + String(repeating: "0", count: 64))
        let name = format.rawValue + (excel ? " (Excel)" : "")
        Benchmark("render the participation report as \(name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ParticipationReport(summary: summary, stamp: stamp).rendered())
            }
        }
    }
}
