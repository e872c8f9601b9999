import Foundation

/// The bytes of a report as it is written (CSV, JSON): written in small pieces into `pending`,
/// moved into one `Data` some 64 KB at a time. `Data` grows in place (it reallocates), so a report
/// of a hundred megabytes is never held twice; appending to it piece by piece costs too much per call.
struct ReportBytes {
    private var data = Data()
    /// What was written since the last move; writers append to it directly.
    var pending: [UInt8] = []

    init() { pending.reserveCapacity(1 << 16) }

    /// Moves what is pending once it is 64 KB or more.
    mutating func flushIfFull() {
        if pending.count >= 1 << 16 { flush() }
    }

    /// Everything written, leaving these bytes empty.
    mutating func take() -> Data {
        flush()
        defer { data = Data() }
        return data
    }

    private mutating func flush() {
        pending.withUnsafeBufferPointer { data.append($0) }
        pending.removeAll(keepingCapacity: true)
    }
}
