import Coordination

/// Everything a minutes template may show, as plain text values: templates render this view
/// model only, never domain values directly, so a template cannot reach personal data that the
/// view does not put there.
public struct MinutesView: Sendable {
    public struct Member: Sendable {
        public var office: String
        public var officeName: String
        public var role: String
        public var levels: String
        /// `anwesend: Anna Beispiel (14:58–17:01)`, `vertreten durch Ben Vertreter`, `nicht erfasst`.
        public var attendance: String
        public var voting: Bool
    }

    public struct AgendaItem: Sendable {
        public var number: Int
        public var text: String
    }

    public struct Action: Sendable {
        public var number: Int
        public var text: String
        public var office: String
        public var agreed: String
        public var due: String
    }

    public struct Quorum: Sendable {
        public var statement: String
        public var reached: Bool
    }

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
}

extension MinutesView {
    static let weekdays = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]

    /// The view of one session's minutes.
    public init(
        district: District, body: Body, series: Series, session: Session, key: SessionKey,
        attendance: [AttendanceEntry], state: MinutesState?, addedAgenda: [Coordination.AgendaItem] = [],
        actions: [ActionItem] = [], chairPerson: String? = nil, seatHolders: [String: [String]] = [:]
    ) {
        let day = session.start.local.date
        bodyName = body.name
        bodyKind = body.kind.rawValue
        legalBasis = body.legalBasis.isEmpty ? nil : body.legalBasis.joined(separator: ", ")
        agreements = body.agreements.isEmpty ? nil : body.agreements.joined(separator: ", ")
        meetingKind = session.kind.rawValue
        title = session.title
        date = day.german
        weekday = Self.weekdays[day.weekday.rawValue]
        start = session.start.local.clock
        end = session.end.local.clock
        location = session.location ?? "–"
        // The person who holds the chair office's seat that day, when seats are kept.
        let chairOffice = district.office(body.chair)?.name ?? body.chair
        chair = chairPerson.map { "\($0) (\(chairOffice))" } ?? chairOffice
        switch state?.status {
        case .approved?: status = "genehmigt am \(state?.time.date.german ?? "") von \(state?.actor ?? "")"
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
        agenda = (series.agenda + addedAgenda.map(\.text)).enumerated().map {
            AgendaItem(number: $0.offset + 1, text: $0.element)
        }
        openActions = actions.filter { $0.isOpen(before: key.date) }.map { a in
            Action(
                number: a.id ?? 0, text: a.text, office: district.office(a.office)?.shortName ?? a.office,
                agreed: a.session.date.german, due: a.due?.german ?? "–")
        }
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
