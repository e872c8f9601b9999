import Coordination
import Foundation
import Mustache

extension ParticipationReport {
    /// The report as one self-contained, printable HTML page in German: tables per office, pair
    /// and body, an SVG bar chart of attendance per office and an SVG heat map of the pair matrix.
    /// No scripts, no external assets.
    ///
    /// The template (swift-mustache) makes the page without the lists of sessions behind the
    /// figures (version 2), with a mark where each goes; the lists, most of a ten-year report's
    /// 28 MB, are then written as bytes where their marks are, in pieces of some 64 KB. Made
    /// whole by the template they took a third of the report's time and its peak memory.
    /// - Parameter sink: where the bytes go as they are made (the `Data` returned is then empty).
    public func html(sink: ReportSink? = nil) -> Data {
        // The template is part of the program (not of templates/): a report made today must be
        // made again byte for byte by `audit verify --report`.
        var out = ReportStage(sink: sink)
        guard let template = try? MustacheTemplate(string: v2 ? Self.templateV2 : Self.template) else {
            return out.take()
        }
        let view = HTMLView(self)
        var page = template.render(view)
        page.withUTF8 { page in
            var start = 0
            var i = 0
            while i < page.count {
                // A mark: "<", NUL, "o" or "b", the row's index, NUL. No other "<" of the page
                // is followed by a NUL: the template's are followed by a tag's name, and values
                // are escaped ("&lt;").
                guard page[i] == 0x3C, let (list, end) = Self.mark(in: page, at: i) else {
                    i += 1
                    continue
                }
                out.put(UnsafeBufferPointer(rebasing: page[start..<i]))
                switch list {
                case .office(let n) where n < summary.offices.count: writeSessions(of: summary.offices[n], to: &out)
                case .body(let n) where n < summary.bodies.count: writeSessions(of: summary.bodies[n], to: &out)
                default: out.put(UnsafeBufferPointer(rebasing: page[i..<end]))
                }
                out.flushIfFull()
                i = end
                start = end
            }
            out.put(UnsafeBufferPointer(rebasing: page[start...]))
        }
        return out.take()
    }

    /// Which list a mark stands for.
    enum ListMark: Equatable {
        case office(Int), body(Int)
    }

    /// The mark at `i` (a "<") and the index after it, `nil` when the bytes there are none.
    static func mark(in page: UnsafeBufferPointer<UInt8>, at i: Int) -> (ListMark, Int)? {
        guard i + 4 < page.count, page[i + 1] == 0,
            page[i + 2] == UInt8(ascii: "o") || page[i + 2] == UInt8(ascii: "b")
        else { return nil }
        var n = 0
        var j = i + 3
        while j < page.count, page[j] &- 0x30 < 10 {
            n = n * 10 + Int(page[j] &- 0x30)
            j += 1
        }
        guard j > i + 3, j < page.count, page[j] == 0 else { return nil }
        return (page[i + 2] == UInt8(ascii: "o") ? .office(n) : .body(n), j + 1)
    }

    /// The mark the template is given for a list.
    static func markText(_ list: ListMark) -> String {
        switch list {
        case .office(let n): return "<\u{0}o\(n)\u{0}"
        case .body(let n): return "<\u{0}b\(n)\u{0}"
        }
    }

    /// `13.01.2026 AG 78 anwesend · …`: an office's held sessions, escaped as the template
    /// escapes (`mustacheEscaped`).
    private func writeSessions(of o: OfficeParticipation, to out: inout ReportStage) {
        for (k, s) in o.sessions.enumerated() {
            if k > 0 { out.put(" · ") }
            Self.putGerman(s.date, to: &out)
            out.put(0x20)
            out.put(text: Self.mustacheEscaped(s.body))
            out.put(0x20)
            out.put(text: s.outcome.german)
            out.flushIfFull()
        }
    }

    /// `13.01.2026 gehalten, verlegt (2 von 3 Büros erfasst) · …`: a body's sessions.
    private func writeSessions(of b: BodyParticipation, to out: inout ReportStage) {
        for (k, s) in b.sessions.enumerated() {
            if k > 0 { out.put(" · ") }
            Self.putGerman(s.date, to: &out)
            out.put(0x20)
            out.put(text: s.state.german)
            if s.moved { out.put(", verlegt") }
            if s.state == .held {
                out.put(0x20, 0x28)
                out.put(number: s.recordedOffices)
                out.put(" von ")
                out.put(number: s.expectedOffices)
                out.put(" Büros erfasst)")
            }
            out.flushIfFull()
        }
    }

    /// `CivilDate.german` as bytes.
    private static func putGerman(_ date: CivilDate, to out: inout ReportStage) {
        out.put(0x30 + UInt8(date.day / 10), 0x30 + UInt8(date.day % 10), 0x2E, 0x30 + UInt8(date.month / 10))
        out.put(0x30 + UInt8(date.month % 10), 0x2E)
        out.put(number: date.year)
    }

    /// The bytes swift-mustache escapes: `< > & " '`.
    private static func isEscapedByte(_ b: UInt8) -> Bool {
        b == 0x3C || b == 0x3E || b == 0x26 || b == 0x22 || b == 0x27
    }

    /// The view the template reads, each field by its name (`MustacheParent`): through `Mirror`,
    /// swift-mustache's way otherwise, each of the page's some 9,000 lookups cost 80,000
    /// instructions, three quarters of what the template took for ten years of 600 bodies.
    struct HTMLView {
        struct Office {
            var short, name, seats, rate, hours: String
            var expected, attended, excused, absent, unrecorded: Int
            /// Version 2: sessions with something recorded, and the sessions behind the figures
            /// (escaped already: `mustacheEscaped`).
            var recorded = 0
            var sessions = ""
        }
        struct Pair {
            var office, partner, bodies, kinds, legal, agreements: String
            var joint, officeAttended, partnerAttended, both: Int
        }
        struct Body {
            var name, kind, archived, attendance, quorum, minutes: String
            var planned, held, cancelled, moved, upcoming: Int
            /// Version 2: the sessions behind the figures (escaped already: `mustacheEscaped`).
            var sessions = ""
        }

        var period, madeAt, head, filter, stamp, chart, heatmap: String
        var offices: [Office]
        var pairs: [Pair]
        var bodies: [Body]

        /// The view of `r`, with a mark (`markText`) where each list of sessions goes (version 2).
        init(_ r: ParticipationReport) {
            let s = r.summary
            period = r.periodText
            madeAt = "\(s.madeAt.date.german), \(s.madeAt.clock) UTC"
            head = r.stamp.head
            filter = r.filterText
            stamp = r.stamp.line
            offices = s.offices.enumerated().map { n, o in
                Office(
                    short: o.shortName, name: o.name,
                    seats: o.seats.map(r.seatText).joined(separator: r.v3 ? " · " : "; "),
                    rate: r.percent(o.counts), hours: r.decimal(r.hours(o.personMinutes), 1, comma: true),
                    expected: o.counts.expected, attended: o.counts.attended, excused: o.counts.excused,
                    absent: o.counts.absent, unrecorded: o.counts.unrecorded, recorded: o.counts.recorded,
                    sessions: r.v2 && !o.sessions.isEmpty ? ParticipationReport.markText(.office(n)) : "")
            }
            pairs = r.shownPairs.map { p in
                Pair(
                    office: r.name(p.office), partner: r.name(p.partner),
                    bodies: p.sharedBodies.joined(separator: ", "),
                    kinds: p.kinds.map(\.rawValue).joined(separator: ", "), legal: p.legalBases.joined(separator: "; "),
                    agreements: p.agreements.joined(separator: "; "), joint: p.jointSessions,
                    officeAttended: p.officeAttended, partnerAttended: p.partnerAttended, both: p.bothAttended)
            }
            bodies = s.bodies.enumerated().map { n, b in
                var quorum = "–"
                if let reached = b.quorumReached {
                    quorum =
                        "\(reached) erreicht, \(b.quorumMissed ?? 0) nicht erreicht, \(b.quorumUnrecorded ?? 0) nicht erfasst"
                }
                var minutes = "\(b.minutesApproved) genehmigt"
                if let mean = r.meanDays(b.approvalDays) {
                    minutes += ", im Mittel \(r.decimal(mean, 1, comma: true)) Tage nach der Sitzung"
                }
                return Body(
                    name: b.name, kind: b.kind.rawValue, archived: b.archived ? " (archiviert)" : "",
                    attendance: b.attendance.map {
                        r.v2
                            ? "\(r.name($0.office)) \($0.counts.attended)/\($0.counts.recorded)"
                                + ($0.counts.unrecorded > 0 ? " (\($0.counts.unrecorded) nicht erfasst)" : "")
                            : "\(r.name($0.office)) \($0.counts.attended)/\($0.counts.expected)"
                    }.joined(separator: ", "),
                    quorum: quorum, minutes: minutes, planned: b.planned, held: b.held, cancelled: b.cancelled,
                    moved: b.moved, upcoming: b.upcoming,
                    sessions: r.v2 && !b.sessions.isEmpty ? ParticipationReport.markText(.body(n)) : "")
            }
            chart = r.barChart()
            heatmap = r.heatMap()
        }
    }

    /// Text escaped as the template's `{{value}}` escapes it (swift-mustache: `< > & " '`, each a
    /// whole character, so one with a combining mark stays), for the session lists the template
    /// takes as they are (`{{{sessions}}}`): swift-mustache looks every character up in a
    /// dictionary, which took half the page's time for ten years of sessions. Text without those
    /// characters (the lists almost always) is taken as it is.
    static func mustacheEscaped(_ text: String) -> String {
        // Over the bytes in place: through `String.UTF8View` the check cost as much again.
        var text = text
        guard text.withUTF8({ $0.contains(where: isEscapedByte) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Text for SVG and HTML attributes.
    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// Horizontal bars: each office's attendance rate, with its figures.
    func barChart() -> String {
        let rows = summary.offices.filter { $0.counts.expected > 0 }
        guard !rows.isEmpty else { return "<p>Im Zeitraum wurde keine Sitzung gehalten.</p>" }
        let (label, bar, rowHeight) = (150, 420, 26)
        // Room right of the longest bar for its figures (version 2 says more).
        let room = v2 ? 230 : 110
        let height = rows.count * rowHeight + 30
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title\" width=\"\(label + bar + room)\" height=\"\(height)\" viewBox=\"0 0 \(label + bar + room) \(height)\" font-family=\"sans-serif\" font-size=\"13\">\n"
        svg += "<title id=\"chart-title\">Teilnahmequote je Büro</title>\n"
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = label + bar * tick / 100
            svg += "<line x1=\"\(x)\" y1=\"0\" x2=\"\(x)\" y2=\"\(height - 20)\" stroke=\"#ccc\"/>"
            svg += "<text x=\"\(x)\" y=\"\(height - 5)\" text-anchor=\"middle\" fill=\"#555\">\(tick) %</text>\n"
        }
        for (i, o) in rows.enumerated() {
            let y = i * rowHeight + 4
            let width = Int(((rate(o.counts) ?? 0) * Double(bar)).rounded())
            svg += "<text x=\"\(label - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(Self.escape(o.shortName))</text>"
            svg += "<rect x=\"\(label)\" y=\"\(y)\" width=\"\(width)\" height=\"\(rowHeight - 8)\" fill=\"#2f5d8a\">"
            svg += "<title>\(Self.escape(o.name)): \(o.counts.attended) von \(o.counts.expected)</title></rect>"
            let figures =
                v2
                ? "\(o.counts.attended)/\(o.counts.recorded) erfasst, \(o.counts.expected) erwartet"
                : "\(o.counts.attended)/\(o.counts.expected)"
            svg += "<text x=\"\(label + width + 6)\" y=\"\(y + 15)\">\(percent(o.counts)) (\(figures))</text>\n"
        }
        return svg + "</svg>"
    }

    /// The pair matrix: rows are offices, columns partners, each cell the sessions both attended.
    func heatMap() -> String {
        // Version 2 lists each pair once: the matrix shows it in both directions.
        var listed = shownPairs
        if v2 {
            listed += listed.map { p in
                var q = p
                (q.office, q.partner, q.officeAttended, q.partnerAttended) = (
                    p.partner, p.office, p.partnerAttended, p.officeAttended
                )
                return q
            }
        }
        var ids: [String] = []
        for p in listed {
            for id in [p.office, p.partner] where !ids.contains(id) { ids.append(id) }
        }
        guard !ids.isEmpty else { return "<p>Keine Paare im Zeitraum.</p>" }
        var cells: [String: PairParticipation] = [:]
        for p in listed { cells[p.office + "\u{0}" + p.partner] = p }
        let top = max(1, listed.map(\.bothAttended).max() ?? 1)
        let (label, cell) = (120, 44)
        let size = label + ids.count * cell + 10
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"heat-title\" width=\"\(size)\" height=\"\(size)\" viewBox=\"0 0 \(size) \(size)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<title id=\"heat-title\">Sitzungen, die beide Büros besucht haben, je Paar</title>\n"
        for (j, id) in ids.enumerated() {
            let x = label + j * cell + cell / 2
            svg +=
                "<text x=\"\(x)\" y=\"\(label - 8)\" text-anchor=\"start\" transform=\"rotate(-45 \(x) \(label - 8))\">\(Self.escape(name(id)))</text>\n"
        }
        for (i, a) in ids.enumerated() {
            let y = label + i * cell
            svg +=
                "<text x=\"\(label - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\">\(Self.escape(name(a)))</text>"
            for (j, b) in ids.enumerated() {
                let x = label + j * cell
                guard let p = cells[a + "\u{0}" + b] else {
                    svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"#eee\"/>"
                    continue
                }
                let share = Double(p.bothAttended) / Double(top)
                let light = Int((95 - share * 65).rounded())
                let fill = "hsl(210, 60%, \(light)%)"
                let ink = light < 55 ? "#fff" : "#000"
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(fill)\">"
                svg +=
                    "<title>\(Self.escape(name(a))) – \(Self.escape(name(b))): \(p.bothAttended) von \(p.jointSessions) gemeinsamen Sitzungen</title></rect>"
                svg +=
                    "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\" fill=\"\(ink)\">\(p.bothAttended)</text>"
            }
            svg += "\n"
        }
        return svg + "</svg>"
    }
}

// Every stored field by its name, and nothing else (a test holds them to `Mirror`'s children).
extension ParticipationReport.HTMLView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "period": period
        case "madeAt": madeAt
        case "head": head
        case "filter": filter
        case "stamp": stamp
        case "chart": chart
        case "heatmap": heatmap
        case "offices": offices
        case "pairs": pairs
        case "bodies": bodies
        default: nil
        }
    }
}

extension ParticipationReport.HTMLView.Office: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "short": short
        case "name": self.name
        case "seats": seats
        case "rate": rate
        case "hours": hours
        case "expected": expected
        case "attended": attended
        case "excused": excused
        case "absent": absent
        case "unrecorded": unrecorded
        case "recorded": recorded
        case "sessions": sessions
        default: nil
        }
    }
}

extension ParticipationReport.HTMLView.Pair: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "office": office
        case "partner": partner
        case "bodies": bodies
        case "kinds": kinds
        case "legal": legal
        case "agreements": agreements
        case "joint": joint
        case "officeAttended": officeAttended
        case "partnerAttended": partnerAttended
        case "both": both
        default: nil
        }
    }
}

extension ParticipationReport.HTMLView.Body: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "kind": kind
        case "archived": archived
        case "attendance": attendance
        case "quorum": quorum
        case "minutes": minutes
        case "planned": planned
        case "held": held
        case "cancelled": cancelled
        case "moved": moved
        case "upcoming": upcoming
        case "sessions": sessions
        default: nil
        }
    }
}
