import Foundation

/// Where a report's bytes go as they are made, in order, some 64 KB at a time: a file being
/// written (`gremien report --out`: the file is written while the rest is made, and the report is
/// never held whole).
public typealias ReportSink = @Sendable ([UInt8]) -> Void

/// The bytes of a report as it is written (CSV, JSON, HTML): written in small pieces into `pending`,
/// handed on some 64 KB at a time: to a sink when there is one, else moved into one `Data`.
/// `Data` grows in place (it reallocates), so a report of a hundred megabytes is never held
/// twice; appending to it piece by piece costs too much per call.
struct ReportBytes {
    private var data = Data()
    private let sink: ReportSink?
    /// What was written since the last move; writers append to it directly.
    var pending: [UInt8] = []

    init(sink: ReportSink? = nil) {
        self.sink = sink
        pending.reserveCapacity(1 << 16)
    }

    /// Hands on what is pending once it is 64 KB or more.
    mutating func flushIfFull() {
        if pending.count >= 1 << 16 { flush() }
    }

    /// Appends `bytes` made elsewhere (`CSVTable.appendParts`), handed on in the usual pieces
    /// however many they are.
    mutating func append(_ bytes: Data) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends `bytes`, handed on in the usual pieces.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        for start in stride(from: 0, to: bytes.count, by: 1 << 16) {
            pending.append(contentsOf: bytes[start..<min(bytes.count, start + (1 << 16))])
            flushIfFull()
        }
    }

    /// Everything written and not handed to the sink, leaving these bytes empty (with a sink:
    /// everything handed to it, and nothing left).
    mutating func take() -> Data {
        flush()
        defer { data = Data() }
        return data
    }

    private mutating func flush() {
        guard let sink else {
            pending.withUnsafeBufferPointer { data.append($0) }
            pending.removeAll(keepingCapacity: true)
            return
        }
        guard !pending.isEmpty else { return }
        var next: [UInt8] = []
        next.reserveCapacity(1 << 16)
        swap(&next, &pending)
        sink(next)
    }
}
