import Coordination
import Foundation

/// Everything a minutes template may show, as plain text values: templates render this view
/// model only, never domain values directly, so a template cannot reach personal data that the
/// view does not put there.
///
/// Approving minutes freezes this view as canonical JSON (`MinutesVersion`): every document of an
/// approved version is made from the frozen view, so it reads the same whenever it is fetched.
/// Frozen versions are kept for good: a field added later must be optional (decoded when
/// present), or older versions could no longer be read.
public struct MinutesView: Sendable, Hashable, Codable {
    public struct Member: Sendable, Hashable, Codable {
        public var office: String
        public var officeName: String
        public var role: String
        public var levels: String
        /// `anwesend: Anna Beispiel (14:58–17:01)`, `vertreten durch Ben Vertreter`, `nicht erfasst`.
        public var attendance: String
        public var voting: Bool
    }

    public struct AgendaItem: Sendable, Hashable, Codable {
        public var number: Int
        public var text: String
        /// `MinutesRecord.Item.id`: what the forms and the API name the item by.
        public var id: Int = 0
        public var isPublic: Bool = true
        /// `öffentlich` / `nicht öffentlich`.
        public var publicText: String = "öffentlich"
        /// What was written under the item (`nil`: nothing; templates leave the line out).
        public var discussion: String?
        public var results: String?
        public var votes: [Vote] = []
        public var hasVotes: Bool = false
        /// The action items agreed under this item.
        public var actions: [Action] = []
        public var hasActions: Bool = false
    }

    public struct Vote: Sendable, Hashable, Codable {
        /// The agenda item's number.
        public var item: Int
        public var subject: String
        public var yes: Int
        public var no: Int
        public var abstentions: Int
        /// `angenommen` / `abgelehnt`.
        public var outcome: String
        /// `ja`, `nein`, or `–` for a body without a quorum rule.
        public var quorum: String
    }

    public struct Action: Sendable, Hashable, Codable {
        public var number: Int
        public var text: String
        public var office: String
        public var agreed: String
        public var due: String
        /// The agenda item's number it was agreed under (`–` when not named).
        public var item: String = "–"
    }

    public struct Quorum: Sendable, Hashable, Codable {
        public var statement: String
        public var reached: Bool
    }

    /// The district's name (the header of the ODT's pages).
    public var district: String = ""
    public var bodyName: String
    public var bodyKind: String
    /// `nil` when none is cited (so that templates can leave the line out).
    public var legalBasis: String?
    public var agreements: String?
    public var meetingKind: String
    public var title: String
    public var date: String
    public var weekday: String
    public var start: String
    public var end: String
    public var location: String
    public var chair: String
    public var status: String
    public var members: [Member]
    public var agenda: [AgendaItem]
    /// Action items of earlier sessions of the body that are still open.
    public var openActions: [Action]
    /// Stored, not computed: templates see stored properties only (Mirror).
    public var hasOpenActions: Bool
    public var quorum: Quorum?
    /// Which template variant: `default`, `fallbesprechung` or `beirat`.
    public var variant: String
    /// Actual begin and end (`HH:MM`), the minute-taker: `nil` while not recorded.
    public var began: String?
    public var ended: String?
    public var minuteTaker: String?
    /// Every vote of the session, by agenda item.
    public var votes: [Vote] = []
    public var hasVotes: Bool = false
    /// The action items agreed in this session.
    public var actions: [Action] = []
    public var hasActions: Bool = false
    /// Approved versions: `Fassung 2`; `nil` for a draft.
    public var version: String?
}

extension MinutesView {
    /// Text with a no-break space after every `§` and `§§`, so that "§ 78" and "§ 18d" never
    /// break at the end of a line.
    public static func keepTogether(_ text: String) -> String {
        text.replacingOccurrences(of: "§ ", with: "§\u{00A0}")
    }

    /// The view as frozen by an approval: canonical JSON (keys sorted).
    public var frozen: String { Self.canonical(self) }

    /// The frozen view read back; `nil` when the text is not a minutes view.
    public init?(frozen text: String) {
        guard let view = try? JSONDecoder().decode(MinutesView.self, from: Data(text.utf8)) else { return nil }
        self = view
    }

    static func canonical(_ view: MinutesView) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and booleans only: encoding cannot fail.
        return (try? encoder.encode(view)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The view of one session's minutes.
    public init(
        district: District, body: Body, series: Series, session: Session, key: SessionKey,
        attendance: [AttendanceEntry], state: MinutesState?, record: MinutesRecord? = nil,
        actions: [ActionItem] = [], chairPerson: String? = nil, seatHolders: [String: [String]] = [:]
    ) {
        let day = session.start.local.date
        self.district = district.name
        bodyName = Self.keepTogether(body.name)
        bodyKind = body.kind.rawValue
        legalBasis = body.legalBasis.isEmpty ? nil : Self.keepTogether(body.legalBasis.joined(separator: ", "))
        agreements = body.agreements.isEmpty ? nil : Self.keepTogether(body.agreements.joined(separator: ", "))
        meetingKind = session.kind.rawValue
        title = Self.keepTogether(session.title)
        date = day.german
        weekday = day.weekday.german
        start = session.start.local.clock
        end = session.end.local.clock
        location = session.location ?? "–"
        // The person who holds the chair office's seat that day, when seats are kept.
        let chairOffice = district.office(body.chair)?.name ?? body.chair
        chair = chairPerson.map { "\($0) (\(chairOffice))" } ?? chairOffice
        switch state?.status {
        case .approved?:
            status = "genehmigt am \(state?.time.date.german ?? "") von \(state?.actor ?? "")"
            version = state?.version.map { "Fassung \($0)" }
        default:
            status = "Entwurf" + (state?.reason.map { " (wieder geöffnet: \($0))" } ?? "")
        }
        members = body.expectedOffices(on: key.date).map { m in
            let entries = attendance.filter { $0.office == m.office }
            let holders = seatHolders[m.office] ?? []
            let text =
                entries.isEmpty
                ? "nicht erfasst" + (holders.isEmpty ? "" : " (Sitz: \(holders.joined(separator: ", ")))")
                : entries.map { e in
                    var t = e.status.german
                    if let deputy = e.deputy { t += " durch \(deputy)" }
                    if let person = e.person { t += ": \(person)" }
                    if let a = e.arrival {
                        t += " (\(a.clock)" + (e.departure.map { "–\($0.clock)" } ?? "") + ")"
                    }
                    return t
                }.joined(separator: "; ")
            return Member(
                office: district.office(m.office)?.shortName ?? m.office,
                officeName: district.office(m.office)?.name ?? m.office,
                role: m.role.german, levels: m.levels.map(\.rawValue).joined(separator: ", "), attendance: text,
                voting: m.role == .chair || m.role == .member)
        }
        let record = record ?? MinutesRecord(session: key, standing: series.agenda, added: [])
        began = record.began
        ended = record.ended
        minuteTaker = record.minuteTaker
        let numbers = Dictionary(record.items.enumerated().map { ($1.id, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        func action(_ a: ActionItem) -> Action {
            Action(
                number: a.id ?? 0, text: a.text, office: district.office(a.office)?.shortName ?? a.office,
                agreed: a.session.date.german, due: a.due?.german ?? "–",
                item: a.agendaItem.flatMap { numbers[$0] }.map(String.init) ?? "–")
        }
        let agreedHere = actions.filter { $0.session == key }
        let hasQuorumRule = body.quorum != nil
        agenda = record.items.enumerated().map { index, item in
            let votes = item.votes.map { v in
                Vote(
                    item: index + 1, subject: v.subject, yes: v.yes, no: v.no, abstentions: v.abstentions,
                    outcome: v.outcome,
                    quorum: hasQuorumRule ? v.quorumHeld.map { $0 ? "ja" : "nein" } ?? "nicht festgestellt" : "–")
            }
            let actions = agreedHere.filter { $0.agendaItem == item.id }.map(action)
            return AgendaItem(
                number: index + 1, text: Self.keepTogether(item.text), id: item.id, isPublic: item.isPublic,
                publicText: item.isPublic ? "öffentlich" : "nicht öffentlich",
                discussion: item.discussion.isEmpty ? nil : Self.keepTogether(item.discussion),
                results: item.results.isEmpty ? nil : Self.keepTogether(item.results), votes: votes,
                hasVotes: !votes.isEmpty, actions: actions, hasActions: !actions.isEmpty)
        }
        votes = agenda.flatMap(\.votes)
        hasVotes = !votes.isEmpty
        self.actions = agreedHere.map(action)
        hasActions = !self.actions.isEmpty
        openActions = actions.filter { $0.isOpen(before: key.date) }.map(action)
        hasOpenActions = !openActions.isEmpty
        if let q = body.quorum(on: key.date, attendance: attendance) {
            quorum = Quorum(
                statement:
                    "Von \(q.votingMembers) stimmberechtigten Mitgliedern sind \(q.present) anwesend oder vertreten; "
                    + "erforderlich sind \(q.required). Das Gremium ist \(q.reached ? "beschlussfähig" : "nicht beschlussfähig").",
                reached: q.reached)
        } else {
            quorum = nil
        }
        if session.kind == .fallbesprechung {
            variant = "fallbesprechung"
        } else if body.kind == .beirat || body.quorum != nil {
            variant = "beirat"
        } else {
            variant = "default"
        }
    }
}
