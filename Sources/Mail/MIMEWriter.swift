import Coordination
import Foundation

/// Writes a `MailMessage` as RFC 5322 / MIME text: CRLF line ends, no line longer than 998
/// octets (78 where the standard asks it), non-ASCII header text as RFC 2047 encoded words,
/// bodies quoted-printable (text, HTML, calendar) or base64 (the attachment). The same message
/// gives the same bytes (the boundaries are made from the message id).
public enum MIMEWriter {
    public static func render(_ m: MailMessage) -> String {
        var headers: [String] = []
        headers.append(header("From", address(m.from)))
        headers.append(header("To", m.to.map(address).joined(separator: ", ")))
        if !m.cc.isEmpty { headers.append(header("Cc", m.cc.map(address).joined(separator: ", "))) }
        if let r = m.replyTo { headers.append(header("Reply-To", address(r))) }
        headers.append(header("Subject", encodedWords(m.subject)))
        headers.append("Date: \(rfc5322Date(m.date))")
        headers.append("Message-ID: <\(m.messageID)>")
        headers.append("MIME-Version: 1.0")
        // An invitation goes out for the organizer, as one from a person would: receivers that
        // process iTIP skip auto-submitted messages (RFC 3834; xandikos does). Plain notices
        // (a Ladung, a reminder) say they were made by a program, against auto-replies.
        if m.calendar == nil { headers.append("Auto-Submitted: auto-generated") }
        let seed = m.messageID.unicodeScalars.reduce(UInt64(1_469_598_103_934_665_603)) {
            ($0 ^ UInt64($1.value)) &* 1_099_511_628_211
        }
        let mixed = "=_gremien_m_\(String(seed, radix: 16))"
        let alternative = "=_gremien_a_\(String(seed, radix: 16))"
        var parts: [String] = []
        parts.append(part("text/plain; charset=UTF-8", quotedPrintable(m.text), encoding: "quoted-printable"))
        if let html = m.html {
            parts.append(part("text/html; charset=UTF-8", quotedPrintable(html), encoding: "quoted-printable"))
        }
        guard let calendar = m.calendar else {
            if parts.count == 1 { return (headers + [parts[0]]).joined(separator: "\r\n") }
            headers.append("Content-Type: multipart/alternative;\r\n boundary=\"\(alternative)\"")
            return headers.joined(separator: "\r\n") + "\r\n\r\n" + multipart(parts, alternative)
        }
        parts.append(
            part(
                "text/calendar; charset=UTF-8; method=\(calendar.method)", quotedPrintable(calendar.text),
                encoding: "quoted-printable"))
        let inner =
            "Content-Type: multipart/alternative;\r\n boundary=\"\(alternative)\"\r\n\r\n"
            + multipart(parts, alternative)
        let attachment =
            "Content-Type: application/ics; name=\"einladung.ics\"\r\n"
            + "Content-Disposition: attachment; filename=\"einladung.ics\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(Data(calendar.text.utf8))
        headers.append("Content-Type: multipart/mixed;\r\n boundary=\"\(mixed)\"")
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + multipart([inner, attachment], mixed)
    }

    static func part(_ type: String, _ body: String, encoding: String) -> String {
        "Content-Type: \(type)\r\nContent-Transfer-Encoding: \(encoding)\r\n\r\n\(body)"
    }

    static func multipart(_ parts: [String], _ boundary: String) -> String {
        var out = "This is a multi-part message in MIME format.\r\n"
        for p in parts { out += "--\(boundary)\r\n\(p)\r\n" }
        return out + "--\(boundary)--\r\n"
    }

    /// `Name <address>` with the name as encoded words when it is not plain ASCII.
    static func address(_ a: MailAddress) -> String {
        guard let name = a.name, !name.isEmpty else { return "<\(a.address)>" }
        let plain = name.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value >= 0x20 && !"\"\\".unicodeScalars.contains($0)
        }
        return plain ? "\"\(name)\" <\(a.address)>" : "\(encodedWords(name)) <\(a.address)>"
    }

    /// A header line, folded at spaces so that no line exceeds 78 octets where it can be helped.
    static func header(_ name: String, _ value: String) -> String {
        var lines: [String] = []
        var line = "\(name):"
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if line.utf8.count + 1 + word.utf8.count > 78 && line.utf8.count > name.utf8.count + 1 {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 encoded words (`=?UTF-8?B?…?=`) for text that is not plain ASCII, each word at
    /// most 75 octets and cut between characters; plain ASCII as it is.
    public static func encodedWords(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
        if plain && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            let candidate = chunk + String(character)
            // 39 bytes of UTF-8 make 52 base64 characters: with `=?UTF-8?B?` and `?=` 64 octets,
            // so that a word fits a header line after its name ("Reply-To: ").
            if candidate.utf8.count > 39 {
                words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=")
                chunk = String(character)
            } else {
                chunk = candidate
            }
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk.utf8).base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// Quoted-printable (RFC 2045): lines of at most 76 characters, CRLF line ends kept as
    /// line ends, `=` and non-ASCII as `=XX`, soft breaks `=` at the end of a cut line.
    public static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            var encoded = ""
            let bytes = Array(line.utf8)
            for (i, b) in bytes.enumerated() {
                var piece: String
                let last = i == bytes.count - 1
                if (b >= 33 && b <= 126 && b != 61) || (b == 32 && !last) || (b == 9 && !last) {
                    piece = String(UnicodeScalar(b))
                } else {
                    piece = "=" + String(b, radix: 16, uppercase: true).leftPadded(2)
                }
                if encoded.utf8.count + piece.utf8.count > 75 {
                    out.append(encoded + "=")
                    encoded = ""
                }
                encoded += piece
            }
            out.append(encoded)
        }
        // A trailing empty line from a final newline stays an empty line.
        return out.joined(separator: "\r\n")
    }

    static func base64Lines(_ data: Data) -> String {
        let text = data.base64EncodedString()
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex
            out += text[index..<end] + "\r\n"
            index = end
        }
        return out
    }

    /// `Mon, 30 Nov 2026 22:39:32 +0000`.
    static func rfc5322Date(_ seconds: Int64) -> String {
        let t = LocalDateTime(localSeconds: seconds)
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][t.date.weekday.rawValue]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
            t.date.month - 1]
        let second = t.second < 10 ? "0\(t.second)" : "\(t.second)"
        return "\(weekday), \(t.date.day) \(month) \(t.date.year) \(t.clock):\(second) +0000"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
