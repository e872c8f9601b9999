import ArgumentParser
import Foundation
import GremienTestSupport
import Testing

@testable import gremien

/// `gremien expand` as a user runs it: the built executable, its output, messages and exit codes.
struct CommandLineTests {
    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// The built `gremien` next to the test bundle.
    static var executable: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here, here.deletingLastPathComponent()].map { $0.appendingPathComponent("gremien") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs a command line in this process (`gremien`'s own parser, commands and error mapping).
    static func inProcess(_ arguments: [String]) async -> Run {
        let r = await Gremien.runInProcess(arguments)
        return Run(status: r.status, out: r.out, err: r.err)
    }

    static func gremien(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:]) throws
        -> Run
    {
        try run(executable, arguments, in: folder, environment: environment)
    }

    /// Runs a program of the system (`sqlite3`, `chromium`, `pdftotext`) found on the PATH.
    static func program(_ name: String, _ arguments: [String], in folder: URL? = nil) throws -> Run {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, in: folder)
    }

    static func run(
        _ executable: URL, _ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:]
    ) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes at once: a program that fills one while the other is read would wait forever.
        let errors = LockedData()
        let reader = Thread { errors.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let e = errors.wait()
        return Run(
            status: process.terminationStatus, out: String(decoding: o, as: UTF8.self),
            err: String(decoding: e, as: UTF8.self))
    }

    /// Every command names itself. A command without `commandName` is named from its type at
    /// start, through `String(describing:)`, which makes the Swift runtime scan every protocol
    /// conformance of the binary: that was 40 % of the start of every `gremien` command.
    @Test func everyCommandNamesItself() {
        func unnamed(_ command: any ParsableCommand.Type, path: String) -> [String] {
            let configuration = command.configuration
            let here = path + " " + (configuration.commandName ?? "<\(command)>")
            let own = configuration.commandName == nil ? [here] : []
            return own + configuration.subcommands.flatMap { unnamed($0, path: here) }
        }
        let missing = unnamed(Gremien.self, path: "")
        #expect(missing.isEmpty, "without commandName: \(missing)")
        #expect(Gremien.configuration.subcommands.count >= 20)
    }

    @Test func ruleModePrintsInstancesAndSaysWhenCutOff() throws {
        let run = try Self.gremien([
            "expand", "--dtstart", "2026-01-13T14:00:00", "--tzid", "Europe/Berlin", "--rrule",
            "FREQ=MONTHLY;BYDAY=2TU",
            "--exdate", "2026-02-10T14:00:00", "--limit", "3",
        ])
        #expect(run.status == 0)
        #expect(run.out == "2026-01-13T14:00:00+01:00\n2026-03-10T14:00:00+01:00\n2026-04-14T14:00:00+02:00\n")
        #expect(run.err == "gremien: cut off after 3 instances; raise --limit or narrow --from/--to\n")
    }

    @Test func allDayAndWindow() throws {
        let run = try Self.gremien([
            "expand", "--dtstart", "2026-12-24", "--rrule", "FREQ=YEARLY", "--from", "2027-01-01", "--to", "2029-01-01",
        ])
        #expect(run.out == "2027-12-24\n2028-12-24\n")
        #expect(run.err.isEmpty)
    }

    @Test(arguments: [
        (
            ["expand", "--dtstart", "2026-01-05T10:00:00", "--rrule", "FREQ=WEEKLY;BYHOUR=24"],
            "Error: --rrule: RRULE BYHOUR=24 is out of range; allowed: 0 to 23\n"
        ),
        (
            ["expand", "--dtstart", "2026-01-05T10:00:00", "--rrule", "FREQ=DAILY;UNTIL=20250101T000000Z"],
            "Error: --rrule: RRULE UNTIL=20250101T000000Z is before DTSTART 2026-01-05T10:00:00; allowed: UNTIL at or after DTSTART\n"
        ),
        (
            ["expand", "--dtstart", "2026-13-05"],
            "Error: --dtstart '2026-13-05' is not a local date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS\n"
        ),
        (
            ["expand", "--dtstart", "2026-01-05T10:00:00", "--tzid", "Mars/Base", "--rrule", "FREQ=DAILY"],
            "Error: --tzid: unknown time zone 'Mars/Base': not an IANA zone of the system's zoneinfo, nor a VTIMEZONE of the file\n"
        ),
    ])
    func badInputIsRefusedWithAMessage(_ arguments: [String], _ message: String) throws {
        let run = try Self.gremien(arguments)
        #expect(run.status == 1)
        #expect(run.out.isEmpty)
        #expect(run.err == message)
    }

    @Test func fileModeReportsProblemsByLineAndExpandsTheRest() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-cli-\(UUID().uuidString).ics")
        try ICSFixtures.withOverrides.write(to: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: path) }
        let run = try Self.gremien(["expand", "--ics", path.path])
        #expect(run.status == 1)
        #expect(
            run.out.split(separator: "\n").map { String($0.prefix(25)) } == [
                "2026-01-13T14:00:00+01:00", "2026-01-15T08:00:00+00:00", "2026-03-12T09:00:00+01:00",
            ])
        let lines = run.err.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(
            lines.first?.hasPrefix("gremien: \(path.path):37: error: DTSTART: unknown time zone 'Mars/Olympus'") == true
        )
        #expect(lines[1].hasPrefix("gremien: \(path.path):44: error: RRULE: RRULE BYDAY=1MO is not allowed"))
        #expect(lines.last == "gremien: 2 errors in \(path.path); what they concern is not in the output")
    }

    @Test func summaryOfTheReferenceWorkload() throws {
        let url = TestDistrict.workload60
        let run = try Self.gremien([
            "expand", "--ics", url.path, "--from", "2020-01-01", "--to", "2030-01-01", "--summary",
        ])
        #expect(run.out == "instances: 20315\nchecksum: 35446469722200\n")
    }

    /// Hardening: `--limit` near 2^63 reserved memory from it and trapped.
    @Test func expandLimitIsBounded() async throws {
        let run = await Self.inProcess([
            "expand", "--dtstart", "2026-01-05T10:00:00", "--rrule", "FREQ=DAILY", "--limit", "9223372036854775807",
        ])
        #expect(run.status != 0)
        #expect(run.err.hasPrefix("Error: --limit must be 1 to 10000000, got 9223372036854775807\n"))
    }
}

/// Data handed over from a reading thread, waited for.
final class LockedData: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    func set(_ value: Data) {
        data = value
        done.signal()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
