/// What syncing `calendars/` into the store would change, entity by entity and field by field.
///
/// Pure: made from the definitions in the files and those in the store (`SyncPlan.between`);
/// a store applies it in one transaction. Nothing is ever deleted: a body, office or series that
/// left the files is archived, and comes back (restored) when it returns.
public struct SyncPlan: Sendable, Hashable {
    public var changes: [SyncChange]

    public init(changes: [SyncChange]) {
        self.changes = changes
    }

    public var isEmpty: Bool { changes.isEmpty }
}

/// One entity that the sync adds, changes, archives or restores.
public struct SyncChange: Sendable, Hashable {
    public enum Subject: Sendable, Hashable, CustomStringConvertible {
        case district
        case office(String)
        case body(String)
        case series(body: String, series: String)

        public var description: String {
            switch self {
            case .district: return "district"
            case .office(let id): return "office \(id)"
            case .body(let id): return "body \(id)"
            case .series(let body, let series): return "series \(body)/\(series)"
            }
        }
    }

    public enum Action: String, Sendable, Hashable {
        case added, changed, archived, restored
    }

    /// The new value of the entity (for `archived`, the value as last stored).
    public enum Value: Sendable, Hashable {
        case district(DistrictSettings)
        case office(Office)
        /// A body's own fields and memberships; its series are changes of their own.
        case body(Body)
        /// A series with its place in the body's list (feeds list a body's series in that order).
        case series(body: String, Series, position: Int)
    }

    public var subject: Subject
    public var action: Action
    public var value: Value
    /// The fields that differ (for `added`: every field, old value empty).
    public var fields: [FieldChange]

    public init(subject: Subject, action: Action, value: Value, fields: [FieldChange]) {
        self.subject = subject
        self.action = action
        self.value = value
        self.fields = fields
    }
}

/// A field's value before and after, as text a coordinator reads.
public struct FieldChange: Sendable, Hashable {
    public var field: String
    public var old: String
    public var new: String

    public init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// The definitions a store holds: active offices and bodies (with their active series) and the
/// ids of what is archived.
public struct StoredDefinitions: Sendable, Hashable {
    /// `nil` until the first sync.
    public var settings: DistrictSettings?
    public var offices: [Office]
    public var bodies: [Body]
    public var archivedOffices: [Office]
    /// Archived bodies, with the series they had.
    public var archivedBodies: [Body]
    /// Archived series of active bodies, by body id.
    public var archivedSeries: [String: [Series]]
    /// The day each archived body or series was archived, by `body ID` or `series BODY/SERIES`:
    /// its sessions end there.
    public var archivedOn: [String: CivilDate]
    /// Memberships a sync removed from a body, by body id, each ending the day before that sync:
    /// reports count them for the sessions they covered.
    public var pastMemberships: [String: [Membership]]

    public init(
        settings: DistrictSettings? = nil, offices: [Office] = [], bodies: [Body] = [], archivedOffices: [Office] = [],
        archivedBodies: [Body] = [], archivedSeries: [String: [Series]] = [:], archivedOn: [String: CivilDate] = [:],
        pastMemberships: [String: [Membership]] = [:]
    ) {
        self.archivedOn = archivedOn
        self.pastMemberships = pastMemberships
        self.settings = settings
        self.offices = offices
        self.bodies = bodies
        self.archivedOffices = archivedOffices
        self.archivedBodies = archivedBodies
        self.archivedSeries = archivedSeries
    }
}

extension StoredDefinitions {
    /// The district as the store holds it (active offices and bodies), or `nil` before the first sync.
    public var district: District? {
        settings.map { District(settings: $0, offices: offices, bodies: bodies) }
    }
}
