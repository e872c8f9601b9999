import Benchmark
import Coordination
import Definitions
import Foundation
import ICalendar
// Feed generation for the reference workload of ../shared/bench turned into calendars/ folders
// (Benchmarks/make_calendars.py writes calendars-60 and calendars-600 next to the workload):
// read and check the definitions, then plan and write every feed (all.ics, one per body, one
// per office). `Benchmarks/compare.sh` makes the folders and runs the C anchor beside it.
import Platform
import Publishing

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(10), maxIterations: 30)
    let folder = ProcessInfo.processInfo.environment["ICSBENCH_OUT"] ?? "/tmp/icsbench"
    let zone: @Sendable (String) -> ZoneRules? = { try? SystemTimeZones.rules(for: $0) }
    for n in [60, 600] {
        let directory = "\(folder)/calendars-\(n)"
        guard let district = DefinitionsLoader(directory: directory, zone: zone).load().validDistrict,
            let planner = try? SessionPlanner(district: district, zone: zone),
            let feeds = try? FeedBuilder(planner: planner).feeds()
        else {
            print("missing or invalid \(directory): run Benchmarks/compare.sh first")
            continue
        }
        print("W\(n): \(feeds.count) feeds, \(feeds.reduce(0) { $0 + $1.byteCount }) bytes")

        Benchmark("W\(n) read and check calendars/ (\(n) body files)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(DefinitionsLoader(directory: directory, zone: zone).load())
            }
        }
        Benchmark("W\(n) plan and write all \(feeds.count) feeds (in memory)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try FeedBuilder(planner: planner).feeds()) }
        }
    }
}
