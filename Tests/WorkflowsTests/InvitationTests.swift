import Coordination
import Foundation
import GremienTestSupport
import ICalendar
import Mail
import Platform
import Publishing
import Storage
import Testing
import Workflows

/// What a change puts into the outbox, in its transaction, and the iTIP messages the sender
/// makes of it (issue 17). The clock stands at 1 October 2026.
@Suite struct InvitationTests {
    static let local = WorkflowsTests.local
    static let settings = Workflows.MailSettings(from: "gremien@kreis.example", publicURL: "https://gremien.example")

    /// Keeps what it is given; refuses an address when told to.
    actor Outgoing: MailSending {
        var sent: [(data: String, to: [String])] = []
        var refuse: SMTPError?

        func send(_ data: String, from sender: String, to recipients: [String]) async throws(SMTPError) {
            if let refuse { throw refuse }
            sent.append((data, recipients))
        }
        func refusing(_ error: SMTPError?) { refuse = error }
        func take() -> [(data: String, to: [String])] {
            defer { sent = [] }
            return sent
        }
    }

    /// The calendar part of a rendered message, unfolded lines.
    static func calendar(_ data: String) -> String {
        let part = data.components(separatedBy: "Content-Type: text/calendar; charset=UTF-8; method=").last ?? ""
        let body = part.components(separatedBy: "\r\n\r\n").dropFirst().first ?? ""
        let qp = body.replacingOccurrences(of: "=\r\n", with: "")
        var bytes: [UInt8] = []
        var i = qp.utf8.startIndex
        while i < qp.utf8.endIndex {
            let c = qp.utf8[i]
            if c == UInt8(ascii: "="),
                let hex = UInt8(
                    String(decoding: qp.utf8[qp.utf8.index(after: i)..<qp.utf8.index(i, offsetBy: 3)], as: UTF8.self),
                    radix: 16)
            {
                bytes.append(hex)
                i = qp.utf8.index(i, offsetBy: 3)
            } else {
                bytes.append(c)
                i = qp.utf8.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
    }

    @Test(arguments: StoreKind.allCases)
    func aSeatACancellationAndTheEndOfASeat(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let out = Outgoing()
        _ = try await w.queueDueLadungen()  // this week's Ladung went out before anyone had a seat (LadungTests)
        // Without an e-mail address nobody is written to.
        _ = try await w.assignSeat(.init(body: "runde", office: "ja-k", person: "jana-jugend"), by: Self.local)
        #expect(try await w.outbox(by: Self.local).isEmpty)
        let anna = try await w.savePerson(
            name: "Anna Mail", office: "jc", level: .sgl, email: "anna.mail@kreis.example", by: Self.local)
        let seat = try await w.assignSeat(.init(body: "runde", office: "jc", person: anna.id), by: Self.local)
        #expect(try await w.outbox(by: Self.local).map(\.kind) == [.update])

        var round = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        #expect(round.sent == 1 && round.failed == 0)
        var sent = await out.take()
        #expect(sent.map(\.to) == [["anna.mail@kreis.example"]])
        let request = Self.calendar(sent[0].data)
        #expect(request.contains("METHOD:REQUEST\r\n"))
        #expect(request.contains("ORGANIZER;CN=Amt 56 – job-com:mailto:gremien@kreis.example\r\n"))
        #expect(
            request.contains(
                "ATTENDEE;CN=Anna Mail;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:anna.mail@kreis.example"
            ))
        #expect(request.contains("UID:montag.runde@") && request.contains("RRULE:FREQ=WEEKLY"))
        #expect(!request.contains("X-WR-CALNAME") && !request.contains("REFRESH-INTERVAL"))
        #expect(ICalRestrictions.findings(in: request) == [], "\(ICalRestrictions.findings(in: request))")
        // Sent once: a second round has nothing to do.
        round = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        let none = await out.take()
        #expect(round.sent == 0 && none.isEmpty)

        // A session in the future cancelled: an instance CANCEL, then the series anew with the EXDATE.
        let day = CivilDate(year: 2026, month: 10, day: 12)
        _ = try await w.cancel(SessionTarget(body: "runde", date: day), reason: "Personalversammlung", by: Self.local)
        #expect(try await w.outbox(by: Self.local).prefix(2).map(\.kind) == [.update, .cancelSession])
        round = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        sent = await out.take()
        #expect(round.sent == 2 && sent.count == 2)
        let cancel = Self.calendar(sent[0].data)
        #expect(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n"))
        #expect(cancel.contains("RECURRENCE-ID;TZID=Europe/Berlin:20261012T100000\r\n"))
        #expect(ICalRestrictions.findings(in: cancel) == [], "\(ICalRestrictions.findings(in: cancel))")
        let renewed = Self.calendar(sent[1].data)
        #expect(renewed.contains("METHOD:REQUEST") && renewed.contains("EXDATE;TZID=Europe/Berlin:20261012T100000"))
        #expect(ICalRestrictions.findings(in: renewed) == [])

        // A past session cancelled: nothing is sent.
        _ = try await w.cancel(
            SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 9, day: 21)), reason: "x", by: Self.local)
        #expect(try await w.outbox(by: Self.local).count == 3)

        // The seat ends: a CANCEL of the series for her.
        _ = try await w.endSeat(seat.id, by: Self.local)
        round = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        sent = await out.take()
        let gone = Self.calendar(sent[0].data)
        #expect(gone.contains("METHOD:CANCEL") && gone.contains("STATUS:CANCELLED") && !gone.contains("RECURRENCE-ID"))
        #expect(ICalRestrictions.findings(in: gone) == [], "\(ICalRestrictions.findings(in: gone))")
        #expect(sent.count == 2)  // the runde has two series: one CANCEL per UID
        #expect(sent[0].data.contains("Subject: Kein Sitz mehr: Leitungsrunde; JC, JA-K (Teil 1 von 2)\r\n"))
        #expect(ICalRestrictions.findings(in: Self.calendar(sent[1].data)) == [])
        #expect(gone.contains("DTSTAMP:20261001T120000Z\r\n"))  // when the message was made
    }

    /// A sync that changes a series: the seat holders get the body's sessions anew, with the
    /// new version's own UID from the day of the change; the old version ends with UNTIL.
    @Test func aSeriesChangedBySyncIsSentAgain() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        let out = Outgoing()
        _ = try await w.queueDueLadungen()  // this week's Ladung went out before anyone had a seat (LadungTests)
        let anna = try await w.savePerson(
            name: "Anna Mail", office: "jc", level: .sgl, email: "anna.mail@kreis.example", by: Self.local)
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: anna.id), by: Self.local)
        _ = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        _ = await out.take()
        var files = try TestDistrict.district()
        files.bodies[1].series[0].location = "Neuer Sitzungssaal"
        try await w.applySync(try await w.syncPlan(files: files), by: WorkflowsTests.admin)
        #expect(
            try await w.outbox(by: Self.local).first.map { "\($0.kind) \($0.person) \($0.state)" }
                == "update anna-mail pending")
        _ = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        // One message per UID: the old version (ending with UNTIL), then the new one.
        let sent = await out.take()
        #expect(sent.count == 2)
        let old = Self.calendar(try #require(sent.first).data)
        let new = Self.calendar(try #require(sent.last).data)
        #expect(old.contains("UID:montag.runde@") && old.contains("UNTIL=") && !old.contains("UID:montag-2026"))
        #expect(new.contains("UID:montag-20261001.runde@") && new.contains("LOCATION:Neuer Sitzungssaal"))
        #expect(sent[0].data.contains("(Teil 1 von 2)") && sent[1].data.contains("Teil 2 von 2"))
        for request in [old, new] {
            #expect(ICalRestrictions.findings(in: request) == [], "\(ICalRestrictions.findings(in: request))")
        }
    }

    /// An office with a mailbox of its own organizes the invitations of the bodies it chairs:
    /// ORGANIZER and Reply-To are its mailbox, sent by the district's sender (SENT-BY).
    @Test func theChairOfficesMailboxOrganizes() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        _ = try await w.queueDueLadungen()
        var files = try TestDistrict.district()
        let jc = try #require(files.offices.firstIndex { $0.id == "jc" })
        files.offices[jc].mailbox = "jobcenter-gremien@kreis.example"
        try await w.applySync(try await w.syncPlan(files: files), by: WorkflowsTests.admin)
        let anna = try await w.savePerson(
            name: "Anna Mail", office: "jc", level: .sgl, email: "anna.mail@kreis.example", by: Self.local)
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: anna.id), by: Self.local)
        let out = Outgoing()
        _ = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        let sent = await out.take()
        let message = try #require(sent.first?.data)
        let replyTo =
            message.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
            .first { $0.hasPrefix("Reply-To: ") } ?? ""
        #expect(replyTo.hasSuffix(" <jobcenter-gremien@kreis.example>"))
        #expect(message.contains("From: =?UTF-8?B?") && message.contains("<gremien@kreis.example>"))
        let request = Self.calendar(message)
        #expect(
            request.contains(
                "ORGANIZER;CN=Amt 56 – job-com;SENT-BY=\"mailto:gremien@kreis.example\":mailto:jobcenter-gremien@kreis.example\r\n"
            ))
        #expect(ICalRestrictions.findings(in: request) == [])
    }

    /// An added session that is removed is cancelled at the receivers by its UID (no feed
    /// shows it any more, so the series REQUEST could not take it away).
    @Test func aRemovedAddedSessionIsCancelled() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        _ = try await w.queueDueLadungen()
        let anna = try await w.savePerson(
            name: "Anna Mail", office: "jc", level: .sgl, email: "anna.mail@kreis.example", by: Self.local)
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: anna.id), by: Self.local)
        let start = LocalDateTime(year: 2026, month: 10, day: 21, hour: 9)
        _ = try await w.add(.init(body: "runde", start: start, title: "Sondersitzung", confirmed: true), by: Self.local)
        let out = Outgoing()
        _ = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        let added = await out.take().map { Self.calendar($0.data) }.first { $0.contains("SUMMARY:Sondersitzung") }
        let uid = try #require(added?.components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") })
        _ = try await w.remove(
            SessionTarget(body: "runde", date: start.date), reason: "doppelt angesetzt", by: Self.local)
        #expect(
            try await w.outbox(by: Self.local).first.map { "\($0.kind) \($0.uid ?? "")" }
                == "cancelRemoved \(uid.dropFirst(4))")
        _ = try await w.sendOutbox(Self.settings, sender: out, owner: "t")
        let sent = await out.take()
        #expect(sent.count == 1)
        let cancel = Self.calendar(try #require(sent.first).data)
        #expect(
            cancel.contains("METHOD:CANCEL\r\n") && cancel.contains(uid + "\r\n") && cancel.contains("STATUS:CANCELLED")
        )
        #expect(ICalRestrictions.findings(in: cancel) == [], "\(ICalRestrictions.findings(in: cancel))")
    }

    /// A lost connection is tried again later; a refused address is not; a claimed entry is
    /// never sent by a second sender.
    @Test func failuresAndClaims() async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(.sqlite)
        defer { cleanup() }
        let out = Outgoing()
        _ = try await w.queueDueLadungen()  // this week's Ladung went out before anyone had a seat (LadungTests)
        for (name, email) in [("Ben Mail", "ben@kreis.example"), ("Cora Mail", "cora@kreis.example")] {
            let p = try await w.savePerson(name: name, office: "jc", level: .tl, email: email, by: Self.local)
            _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: p.id), by: Self.local)
        }
        await out.refusing(.connection("the mail server closed the connection"))
        var round = try await w.sendOutbox(Self.settings, sender: out, owner: "a")
        #expect(round.retried == 2 && round.sent == 0)
        // Not due before the retry time: nothing happens now.
        await out.refusing(nil)
        round = try await w.sendOutbox(Self.settings, sender: out, owner: "a")
        #expect(round.sent == 0)
        #expect(
            try await w.outbox(by: Self.local).allSatisfy {
                $0.attempts == 1 && $0.state == .pending && $0.lastError != nil
            })
        // A permanent refusal: failed, not tried again.
        let later = Workflows(
            store: w.store, clock: .fixed(LocalDateTime(localSeconds: WorkflowsTests.now.localSeconds + 120)),
            zones: TestDistrict.zones)
        await out.refusing(.refused(command: "RCPT TO <ben@kreis.example>", code: 550, text: "no such user"))
        round = try await later.sendOutbox(Self.settings, sender: out, owner: "a")
        #expect(round.failed == 2)
        #expect(try await w.outbox(by: Self.local).allSatisfy { $0.state == .failed })
    }
}

/// "Zusagen / Absagen" links in an invitation: they record an answer per session without a
/// mail server; using one again changes nothing; an Absage shows in the attendance sheet and
/// the minutes.
@Suite struct ReplyLinkTests {
    @Test(arguments: StoreKind.allCases)
    func linksRecordAnswersOnce(kind: StoreKind) async throws {
        let (w, cleanup) = try await WorkflowsTests.workflows(kind)
        defer { cleanup() }
        let anna = try await w.savePerson(
            name: "Anna Mail", office: "jc", level: .sgl, email: "anna.mail@kreis.example", by: InvitationTests.local)
        _ = try await w.assignSeat(.init(body: "runde", office: "jc", person: anna.id), by: InvitationTests.local)
        let entry = try #require(try await w.outbox(by: InvitationTests.local).first)
        let message = try #require(try await w.messages(for: entry, InvitationTests.settings).first)
        // The next sessions, each with its two links (Monday 5 October comes first).
        let line = try #require(message.text.split(separator: "\n").first { $0.contains("05.10.2026") })
        let urls = line.components(separatedBy: " ").filter { $0.hasPrefix("https://gremien.example/antwort/ga_r") }
        #expect(urls.count == 2 && line.contains("Zusagen: ") && line.contains("Absagen: "))
        let accept = String(urls[0].split(separator: "/").last ?? "")
        let decline = String(urls[1].split(separator: "/").last ?? "")
        let target = SessionTarget(body: "runde", date: CivilDate(year: 2026, month: 10, day: 5))

        let (link, found, name) = try await w.replyLink(accept)
        #expect(link.answer == .accepted && found.key.date == target.date && name == "Anna Mail")
        let before = try await w.verifyAudit().entries
        #expect(try await w.answer(accept).answer == .accepted)
        #expect(try await w.answer(accept).answer == .accepted)  // again: nothing changes
        #expect(try await w.verifyAudit().entries == before + 1)
        #expect(try await w.answer(decline).answer == .declined)
        let sheet = try await w.attendance(of: target)
        #expect(sheet.replies["Anna Mail"] == .declined)
        #expect(try await w.replies(of: found).map(\.answer) == [.declined])
        let minutes = try await w.minutesView(target)
        #expect(minutes.members.first { $0.office == "JC" }?.attendance == "nicht erfasst (Sitz: Anna Mail – Absage)")
        let chain = try await w.verifyAudit()
        #expect(chain.isIntact, "\(chain.problems)")

        await #expect(throws: WorkflowError.notFound("this answer link is not known (it may have been mistyped)")) {
            _ = try await w.answer("ga_rnichtda")
        }
        // Once the session has begun, its links no longer answer.
        let later = Workflows(
            store: w.store, clock: .fixed(LocalDateTime(year: 2026, month: 10, day: 5, hour: 9)),
            zones: TestDistrict.zones)
        await #expect(throws: WorkflowError.self) { _ = try await later.answer(accept) }
    }
}
