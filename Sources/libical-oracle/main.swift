// libical-oracle: a development tool for the differential test, not part of the product.
//
// Reads cases from a file, one per line: ZONE <tab> DTSTART (YYYYMMDDTHHMMSS) <tab> RRULE <tab> LIMIT,
// and prints for each one line: `ok <tab> local:utc,...` (wall-clock and UTC seconds) or
// `refused <tab> reason`, flushed at once.
// libical 3.0.16 crashes on some valid rules (FREQ=YEARLY;BYWEEKNO=24 among them), so the test
// runs it in this separate process: a crash ends only the oracle, and the test names the case.
import Coordination
import Foundation
import ICalendar

/// One answer line, written at once (unbuffered) so that a crash loses no earlier answer.
func answer(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

let path = CommandLine.arguments.dropFirst().first ?? "/dev/stdin"
guard let data = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("libical-oracle: cannot read \(path)\n".utf8))
    exit(2)
}
for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
    let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    guard fields.count == 4, case .dateTime(let start, _) = ICalDateText.parse(fields[1]), let limit = Int(fields[3])
    else {
        answer("refused\tbad case line")
        continue
    }
    do {
        let instants = try LibicalRecurrence.instances(
            rule: fields[2], start: .dateTime(start), tzid: fields[0], limit: limit)
        answer("ok\t" + instants.map { "\($0.local):\($0.utc)" }.joined(separator: ","))
    } catch {
        answer("refused\t\(error)")
    }
}
