import Benchmark
import Coordination
import Foundation
import ICalendar
// The reference workload of ../shared/bench (gen_workload.py writes workload-60.ics and
// workload-600.ics, a 60- and a 600-body district): parse, expand over the 10-year window
// [2020-01-01, 2030-01-01) Europe/Berlin, with our engine and with libical's iterator side by
// side in one run. `Benchmarks/compare.sh` makes the files and also runs the C anchor.
import Platform

let windowStart = LocalDateTime(year: 2020, month: 1, day: 1)
let windowEnd = LocalDateTime(year: 2030, month: 1, day: 1)

/// Instance count and checksum (sum of UTC start seconds), as the anchors print them.
func figures(_ expansion: CalendarExpansion) -> (Int, Int64) {
    (expansion.occurrences.count, expansion.occurrences.reduce(0) { $0 &+ $1.occurrence.utc })
}

/// libical's own iterator over every series (icalrecur_iterator + EXDATE + zone to UTC),
/// driven from Swift as `gremien expand --engine libical` does.
func libicalExpansion(_ file: CalendarFile, tzid: String) throws -> (Int, Int64) {
    var count = 0
    var sum: Int64 = 0
    for event in file.events {
        guard let rule = event.recurrence.rules.first else { continue }
        let exdates = Set(
            event.recurrence.exceptionDates.compactMap { value -> Int64? in
                if case .local(let t, _) = value { return t.localSeconds }
                return nil
            })
        let instances = try LibicalRecurrence.instances(
            rule: rule.description, start: event.recurrence.start, tzid: tzid, limit: 100_000, untilLocal: windowEnd)
        for i in instances where i.local >= windowStart.localSeconds && !exdates.contains(i.local) {
            count += 1
            sum &+= i.utc
        }
    }
    return (count, sum)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        maxDuration: .seconds(10), maxIterations: 30)
    let folder = ProcessInfo.processInfo.environment["ICSBENCH_OUT"] ?? "/tmp/icsbench"
    for n in [60, 600] {
        let path = "\(folder)/workload-\(n).ics"
        guard let data = FileManager.default.contents(atPath: path),
            let file = try? CalendarFile(
                text: String(decoding: data, as: UTF8.self), systemZones: SystemTimeZones.lookupTZID)
        else {
            print("missing \(path): run Benchmarks/compare.sh (or gen_workload.py) first")
            continue
        }
        let text = String(decoding: data, as: UTF8.self)
        let (count, sum) = figures(file.expand(from: windowStart, to: windowEnd, ordered: false))
        print("W\(n): \(count) instances, checksum \(sum)")

        Benchmark("W\(n) parse (libical) and read events") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try CalendarFile(text: text, systemZones: SystemTimeZones.lookupTZID))
            }
        }
        Benchmark("W\(n) expand, Swift engine") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(file.expand(from: windowStart, to: windowEnd, ordered: false))
            }
        }
        Benchmark("W\(n) parse and expand, Swift engine (what `gremien expand --ics` does)") { benchmark in
            for _ in benchmark.scaledIterations {
                let parsed = try CalendarFile(text: text, systemZones: SystemTimeZones.lookupTZID)
                blackHole(parsed.expand(from: windowStart, to: windowEnd, ordered: false))
            }
        }
        // The Swift floor (Floor.swift) from the same workload's TSV: it must give the same figures.
        let floorSeries: [FloorSeries]
        do {
            let tsvPath = "\(folder)/workload-\(n).tsv"
            guard let tsv = FileManager.default.contents(atPath: tsvPath) else {
                print("missing \(tsvPath): run Benchmarks/compare.sh (or gen_workload.py) first")
                continue
            }
            floorSeries = try Floor.series(tsv: String(decoding: tsv, as: UTF8.self))
        } catch {
            print("\(error)")
            continue
        }
        var pairs: [Int64] = []
        let floor = Floor.expand(floorSeries, into: &pairs)
        print("W\(n) Swift floor: \(floor.count) instances, checksum \(floor.checksum)")
        guard floor.count == count, floor.checksum == sum else {
            print("W\(n): the Swift floor and the engine differ; no floor benchmark")
            continue
        }
        Benchmark("W\(n) expand, Swift floor (integer expander for W's rule shapes)") { benchmark in
            // Its buffer kept from one iteration to the next, as the C floor keeps its own.
            var pairs: [Int64] = []
            pairs.reserveCapacity(2 * floor.count)
            for _ in benchmark.scaledIterations {
                blackHole(Floor.expand(floorSeries, into: &pairs))
            }
        }
        Benchmark("W\(n) expand, libical iterator", configuration: .init(maxDuration: .seconds(20), maxIterations: 5)) {
            benchmark in
            for _ in benchmark.scaledIterations { blackHole(try libicalExpansion(file, tzid: "Europe/Berlin")) }
        }
    }
}
