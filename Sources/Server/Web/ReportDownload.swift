import Coordination
import Foundation
import Hummingbird
import Publishing
import Storage
import Workflows

/// The body of a report's download: its bytes sent while they are made, never held whole.
///
/// The report is written (`PreparedReport.write(to:)`, synchronous, some 64 KB at a time) on a
/// thread of its own, into a `PiecePipe` that the response reads from. The thread waits while
/// the browser has not yet taken the pieces before, so a download holds a few pieces however
/// large the report and however slowly it is read. A ten-year JSON report is some 95 MB: held
/// whole, the server's memory grew by that and more for each download.
func reportBody(_ prepared: PreparedReport) -> ResponseBody {
    ResponseBody { writer in
        let pipe = PiecePipe()
        let thread = Thread {
            _ = prepared.write(to: pipe.put)
            pipe.finish()
        }
        thread.name = "gremien-report"
        thread.start()
        // When the browser goes away, the writer throws: the thread's further pieces are dropped.
        defer { pipe.close() }
        while let piece = await pipe.next() {
            try await writer.write(ByteBuffer(bytes: piece))
        }
        try await writer.finish(nil)
    }
}

/// The body of the change log's download (`/pruefung/aenderungen.csv`): CSV, newest entry
/// first, sent a page of entries at a time as the store gives them (`ChangeLogPages`). Some
/// 300,000 entries of a district with years of attendance are 31 MB of CSV; built whole, the
/// server's memory grew by twice that for each download. A store error after the first bytes
/// ends the connection without the last chunk, so the browser reports the download as failed
/// rather than keeping a file cut short.
func changeLogBody(_ pages: ChangeLogPages) -> ResponseBody {
    ResponseBody { writer in
        var pages = pages
        var table = CSVTable(width: ChangeLogCSV.header.count)
        table.append(ChangeLogCSV.header)
        while let page = try await pages.next() {
            for c in page { table.append(ChangeLogCSV.row(c)) }
            try await writer.write(ByteBuffer(bytes: table.takeData()))
        }
        let rest = table.takeData()
        if !rest.isEmpty { try await writer.write(ByteBuffer(bytes: rest)) }
        try await writer.finish(nil)
    }
}

/// The columns of the change log's CSV.
enum ChangeLogCSV {
    static let header = ["time_utc", "actor", "subject", "action", "detail"]

    static func row(_ c: ChangeRecord) -> [String] { [c.time.description, c.actor, c.subject, c.action, c.detail] }
}

/// Pieces from a thread that makes them to a task that sends them, at most `limit` waiting:
/// `put` blocks the making thread until there is room (never call it from a task).
final class PiecePipe: @unchecked Sendable {
    // Every stored property but `limit` is guarded by `condition`, whose waits are the maker's.
    private let condition = NSCondition()
    private let limit: Int
    private var pieces: [[UInt8]] = []
    private var finished = false
    private var closed = false
    /// The task waiting in `next()` for a piece.
    private var reader: CheckedContinuation<[UInt8]?, Never>?

    init(limit: Int = 4) {
        precondition(limit > 0)
        self.limit = limit
    }

    /// Hands `piece` on; waits while `limit` pieces have not been taken. After `close()`,
    /// drops it at once.
    @Sendable func put(_ piece: [UInt8]) {
        condition.lock()
        while pieces.count >= limit && !closed { condition.wait() }
        if closed {
            condition.unlock()
            return
        }
        if let waiting = reader {
            reader = nil
            condition.unlock()
            waiting.resume(returning: piece)
            return
        }
        pieces.append(piece)
        condition.unlock()
    }

    /// No more pieces: `next()` gives `nil` once those put are taken.
    func finish() {
        condition.lock()
        finished = true
        let waiting = pieces.isEmpty ? reader : nil
        reader = nil
        condition.unlock()
        waiting?.resume(returning: nil)
    }

    /// The next piece in order, waiting for it; `nil` after the last.
    func next() async -> [UInt8]? {
        await withCheckedContinuation { c in
            condition.lock()
            if !pieces.isEmpty {
                let piece = pieces.removeFirst()
                condition.signal()
                condition.unlock()
                c.resume(returning: piece)
            } else if finished || closed {
                condition.unlock()
                c.resume(returning: nil)
            } else {
                reader = c
                condition.unlock()
            }
        }
    }

    /// The reader stops: pieces put from now on are dropped, and a `put` waiting for room goes on.
    func close() {
        condition.lock()
        closed = true
        pieces = []
        condition.broadcast()
        condition.unlock()
    }
}
