import Foundation

/// A received message as far as Gremien reads it (RFC 5322, 2045–2047): the headers, and the
/// leaf parts of its MIME tree with their content decoded (base64, quoted-printable, 7bit,
/// 8bit; UTF-8, or ISO-8859-1 where a part says so).
public struct ReceivedMail: Sendable, Hashable {
    public struct Part: Sendable, Hashable {
        /// Lower case: `text/calendar`.
        public var type: String
        /// Content-Type parameters, names lower case: `method`, `charset`, `name`.
        public var parameters: [String: String]
        public var text: String
    }

    /// Header names lower case, values unfolded; a repeated header keeps every value.
    public var headers: [(name: String, value: String)]
    public var parts: [Part]

    public static func == (a: ReceivedMail, b: ReceivedMail) -> Bool {
        a.parts == b.parts && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts)
        for h in headers { hasher.combine(h.name + ":" + h.value) }
    }

    /// The first value of a header (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    /// Every value of a header (any case).
    public func headers(_ name: String) -> [String] {
        headers.filter { $0.name == name.lowercased() }.map(\.value)
    }

    /// The address of the From header, lower case: `anna@kreis.example`.
    public var fromAddress: String? {
        header("from").flatMap(Self.address(in:))
    }

    /// The address in `Name <addr>` or a bare `addr`, lower case.
    public static func address(in value: String) -> String? {
        let inner: Substring
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            inner = value[value.index(after: open)..<close]
        } else {
            inner = Substring(value)
        }
        let address = inner.trimmingCharacters(in: .whitespaces).lowercased()
        guard address.contains("@"), !address.contains(" ") else { return nil }
        return address
    }

    /// Why a message could not be read.
    public struct Unreadable: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a whole message. Limits: 10 MB, 20 levels of nesting, 200 parts.
    public init(_ raw: [UInt8]) throws(Unreadable) {
        guard raw.count <= 10_000_000 else {
            throw Unreadable(description: "the message has \(raw.count) bytes; at most 10,000,000 are read")
        }
        let (headers, body) = Self.split(raw[...])
        guard !headers.isEmpty else { throw Unreadable(description: "the message has no header lines") }
        self.headers = headers
        var parts: [Part] = []
        try Self.collect(headers: headers, body: body, depth: 0, into: &parts)
        self.parts = parts
    }

    /// The headers (unfolded, names lower case) and the body of an entity.
    static func split(_ bytes: ArraySlice<UInt8>) -> ([(name: String, value: String)], ArraySlice<UInt8>) {
        var lines: [String] = []
        var i = bytes.startIndex
        var bodyStart = bytes.endIndex
        while i < bytes.endIndex {
            var end = i
            while end < bytes.endIndex && bytes[end] != 10 { end += 1 }
            var line = bytes[i..<end]
            if line.last == 13 { line = line.dropLast() }
            let next = end < bytes.endIndex ? end + 1 : end
            if line.isEmpty {
                bodyStart = next
                break
            }
            let text = String(decoding: line, as: UTF8.self)
            if (line.first == 32 || line.first == 9), !lines.isEmpty {
                lines[lines.count - 1] += " " + text.trimmingCharacters(in: .whitespaces)
            } else {
                lines.append(text)
            }
            i = next
            bodyStart = next
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (
                    line[..<colon].trimmingCharacters(in: .whitespaces).lowercased(),
                    line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                ))
        }
        return (headers, bytes[bodyStart...])
    }

    /// `text/calendar; method=REPLY; charset="utf-8"` → type and parameters.
    static func contentType(_ value: String?) -> (String, [String: String]) {
        guard let value else { return ("text/plain", [:]) }
        var pieces: [String] = []
        var current = ""
        var quoted = false
        for c in value {
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted {
                pieces.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        pieces.append(current)
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var v = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            parameters[name] = v
        }
        return (pieces[0].trimmingCharacters(in: .whitespaces).lowercased(), parameters)
    }

    private static func collect(
        headers: [(name: String, value: String)], body: ArraySlice<UInt8>, depth: Int, into parts: inout [Part]
    ) throws(Unreadable) {
        guard depth < 20 else { throw Unreadable(description: "MIME parts nested more than 20 deep") }
        guard parts.count < 200 else { throw Unreadable(description: "more than 200 MIME parts") }
        let (type, parameters) = contentType(headers.first { $0.name == "content-type" }?.value)
        if type.hasPrefix("multipart/") {
            guard let boundary = parameters["boundary"], !boundary.isEmpty else {
                throw Unreadable(description: "a \(type) part without a boundary")
            }
            for entity in Self.entities(body, boundary: Array(("--" + boundary).utf8)) {
                let (h, b) = split(entity)
                try collect(headers: h, body: b, depth: depth + 1, into: &parts)
            }
            return
        }
        if type == "message/rfc822" {
            let (h, b) = split(body)
            try collect(headers: h, body: b, depth: depth + 1, into: &parts)
            return
        }
        let encoding = headers.first { $0.name == "content-transfer-encoding" }?.value.lowercased() ?? "7bit"
        let bytes: [UInt8]
        switch encoding {
        case "base64":
            let compact = body.filter { !($0 == 13 || $0 == 10 || $0 == 32 || $0 == 9) }
            guard let data = Data(base64Encoded: Data(compact), options: .ignoreUnknownCharacters) else {
                throw Unreadable(description: "a \(type) part is not valid base64")
            }
            bytes = [UInt8](data)
        case "quoted-printable":
            bytes = Self.quotedPrintable(body)
        default:
            bytes = Array(body)
        }
        let charset = parameters["charset"]?.lowercased() ?? "utf-8"
        let text: String
        if ["iso-8859-1", "latin1", "windows-1252"].contains(charset) {
            text = String(bytes.map { Character(Unicode.Scalar($0)) })
        } else {
            text = String(decoding: bytes, as: UTF8.self)
        }
        parts.append(Part(type: type, parameters: parameters, text: text))
    }

    /// The entities between `--boundary` lines (the preamble and epilogue left out).
    private static func entities(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start: Int?
        var i = body.startIndex
        while i < body.endIndex {
            var end = i
            while end < body.endIndex && body[end] != 10 { end += 1 }
            var line = body[i..<end]
            if line.last == 13 { line = line.dropLast() }
            let trimmed = line.reversed().drop { $0 == 32 || $0 == 9 }.reversed()
            if trimmed.starts(with: boundary) {
                let rest = trimmed.dropFirst(boundary.count)
                if let s = start {
                    // The CRLF before the boundary line belongs to the boundary.
                    var stop = i
                    if stop > s && body[stop - 1] == 10 { stop -= 1 }
                    if stop > s && body[stop - 1] == 13 { stop -= 1 }
                    result.append(body[s..<stop])
                }
                if Array(rest) == Array("--".utf8) { return result }
                start = end < body.endIndex ? end + 1 : end
            }
            i = end < body.endIndex ? end + 1 : end
        }
        if let s = start, s < body.endIndex { result.append(body[s...]) }
        return result
    }

    private static func quotedPrintable(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = body.startIndex
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < body.endIndex {
            let c = body[i]
            if c == 61 {  // "="
                let a = i + 1 < body.endIndex ? body[i + 1] : 0
                if a == 13 || a == 10 {  // soft line break
                    i += (a == 13 && i + 2 < body.endIndex && body[i + 2] == 10) ? 3 : 2
                    continue
                }
                if i + 2 < body.endIndex, let h = hex(a), let l = hex(body[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
