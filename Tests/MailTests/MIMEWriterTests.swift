import Foundation
import Testing

@testable import Mail

/// The MIME text of a message: structure, encodings and line lengths as RFC 5322, 2045 and
/// 2047 demand (a real SMTP server and Python's `email` package read it in scripts/check-mail).
@Suite struct MIMEWriterTests {
    static let calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"

    static func message(calendar: Bool = true) -> MailMessage {
        MailMessage(
            from: MailAddress("gremien@kreis.example", name: "Gremien – Kreis Düren"),
            to: [MailAddress("anna.beispiel@kreis.example", name: "Anna Beispiel")],
            replyTo: MailAddress("jugendamt@kreis.example", name: "Amt 51 – Jugendamt"),
            subject: "Einladung: AG Kinder- und Jugendförderung nach § 78 SGB VIII, Sitzung am 12.01.2027",
            messageID: "gremien-1@kreis.example", date: 1_796_000_000,
            text: "Guten Tag,\n\nSie sind eingeladen. Größe = 100 %.\n.Zeile mit Punkt\n"
                + String(repeating: "ä", count: 120),
            html: "<p>Sie sind eingeladen.</p>",
            calendar: calendar ? .init(method: "REQUEST", text: Self.calendar) : nil)
    }

    @Test func structureEncodingsAndLineLengths() {
        let text = MIMEWriter.render(Self.message())
        // CRLF only, no line over 998 octets (none over 78 here).
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        // Only ASCII on the wire: headers as encoded words, bodies quoted-printable or base64.
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("Subject: =?UTF-8?B?"))
        #expect(text.contains("From: =?UTF-8?B?") && text.contains("<gremien@kreis.example>"))
        #expect(text.contains("Content-Type: multipart/mixed;\r\n boundary="))
        #expect(text.contains("Content-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n"))
        #expect(text.contains("Content-Disposition: attachment; filename=\"einladung.ics\""))
        #expect(text.contains("Gr=C3=B6=C3=9Fe =3D 100 %."))
        // The same message gives the same bytes.
        #expect(MIMEWriter.render(Self.message()) == text)
    }

    @Test func encodedWordsDecodeToTheText() throws {
        let subject = Self.message().subject
        let words = MIMEWriter.encodedWords(subject).split(separator: " ")
        #expect(words.allSatisfy { $0.utf8.count <= 75 })
        var decoded = Data()
        for w in words {
            let inner = w.dropFirst("=?UTF-8?B?".count).dropLast(2)
            decoded += try #require(Data(base64Encoded: String(inner)))
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        #expect(MIMEWriter.encodedWords("Plain ASCII") == "Plain ASCII")
    }

    @Test func quotedPrintableRoundTrips() {
        let text = "Zeile eins\nGröße = 1\tund Tab am Ende\t\n" + String(repeating: "x", count: 200)
        let encoded = MIMEWriter.quotedPrintable(text)
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        // Decode: soft breaks removed, =XX read back.
        var bytes: [UInt8] = []
        let joined = encoded.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "\r\n", with: "\n")
        var i = joined.utf8.startIndex
        let utf8 = joined.utf8
        while i < utf8.endIndex {
            if utf8[i] == UInt8(ascii: "=") {
                let hex = String(decoding: utf8[utf8.index(after: i)..<utf8.index(i, offsetBy: 3)], as: UTF8.self)
                bytes.append(UInt8(hex, radix: 16) ?? 0)
                i = utf8.index(i, offsetBy: 3)
            } else {
                bytes.append(utf8[i])
                i = utf8.index(after: i)
            }
        }
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }

    @Test func dotStuffingAndTheEnd() {
        #expect(SMTPClient.dotStuffed("a\r\n.b\r\n..c") == "a\r\n..b\r\n...c\r\n.\r\n")
    }

    @Test func smtpAddressesAreRead() throws {
        let c = try SMTPConfiguration(url: "smtp://gremien@mail.kreis.example:587", password: "x")
        #expect(c.host == "mail.kreis.example" && c.port == 587 && c.user == "gremien" && c.password == "x")
        #expect(throws: SMTPError.self) { try SMTPConfiguration(url: "smtp://u:geheim@host:25") }
        #expect(throws: SMTPError.self) { try SMTPConfiguration(url: "smtps://host") }
        #expect(throws: SMTPError.self) { try SMTPConfiguration(url: "smtp://host:99999") }
    }

    @Test func datesAreRFC5322() {
        #expect(MIMEWriter.rfc5322Date(0) == "Thu, 1 Jan 1970 00:00:00 +0000")
        #expect(MIMEWriter.rfc5322Date(1_796_000_000) == "Mon, 30 Nov 2026 00:53:20 +0000")
    }
}
