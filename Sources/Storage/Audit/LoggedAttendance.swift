import Coordination

/// The attendance of the replayed event log: per row key, what the last entry for it set and
/// that entry's number. `audit verify` holds all of it at once, a row for each of the hundreds
/// of thousands recorded over the years, so it is kept small: the names in a row (body, series,
/// office, person, deputy) once each in a table and referred to by number, dates and times
/// packed into 32-bit words. A row held as `AttendanceEntry.RowKey` and `Logged` took some 200
/// bytes in the table and its names more beside it; packed it takes 52.
///
/// A row whose date or time does not pack (a year after 65534, a month or day beyond 255, a
/// second of the day outside 32 bits: only a changed log could hold one) is kept as it is, so
/// that every entry is compared exactly as it was written.
public struct LoggedAttendance: Sendable {
    private var names = NameTable()
    private var packed: [PackedKey: PackedEntry] = [:]
    private var unpacked: [AttendanceEntry.RowKey: AttendanceEntry.Logged] = [:]

    public init() {}

    /// How many rows it holds.
    public var count: Int { packed.count + unpacked.count }

    /// Room for `rows` rows, so that the table is not copied as it grows.
    public mutating func reserveCapacity(_ rows: Int) { packed.reserveCapacity(rows) }

    /// The row of `key`: what the last entry for it set; `nil` when none did or it was removed.
    public subscript(key: AttendanceEntry.RowKey) -> AttendanceEntry.Logged? {
        get {
            if let k = names.existingKey(key), let entry = packed[k] { return entry.logged(names) }
            return unpacked.isEmpty ? nil : unpacked[key]
        }
        set {
            guard let logged = newValue else {
                if let k = names.existingKey(key) { packed[k] = nil }
                if !unpacked.isEmpty { unpacked[key] = nil }
                return
            }
            if let k = names.key(key), let entry = PackedEntry(logged, &names) {
                packed[k] = entry
                if !unpacked.isEmpty { unpacked[key] = nil }
            } else {
                if let k = names.existingKey(key) { packed[k] = nil }
                unpacked[key] = logged
            }
        }
    }

    /// The rows of the sessions of `bodies` from `from` through `through`, in the order of the
    /// entries that set them: made only for those (a report counts a few bodies at a time).
    public func entries(of bodies: Set<String>, from: CivilDate, through: CivilDate) -> [AttendanceEntry] {
        // The rows found are put in order still packed, and only then made: a run of a ten-year
        // report has tens of thousands of rows, and every copy of them made whole was memory
        // the allocator kept afterwards. The few rows kept unpacked are made at once.
        enum Found {
            case packed(PackedKey, PackedEntry)
            case unpacked(index: Int)
        }
        var found: [(seq: Int, row: Found)] = []
        var made: [AttendanceEntry] = []
        let numbers = Set(bodies.compactMap { names.existing($0) })
        // Packed dates compare as their dates do; a bound that does not pack is compared as a date.
        let (lo, hi) = (PackedDate(from), PackedDate(through))
        for (k, entry) in packed where numbers.contains(k.body) {
            let inside =
                if let lo, let hi { k.date.bits >= lo.bits && k.date.bits <= hi.bits } else {
                    k.date.civil >= from && k.date.civil <= through
                }
            if inside { found.append((entry.seq, .packed(k, entry))) }
        }
        for (key, logged) in unpacked
        where bodies.contains(key.session.body) && key.session.date >= from && key.session.date <= through {
            found.append((logged.seq, .unpacked(index: made.count)))
            made.append(logged.entry(key))
        }
        found.sort { $0.seq < $1.seq }
        return found.map {
            switch $0.row {
            case .packed(let k, let entry): entry.logged(names).entry(k.rowKey(names))
            case .unpacked(let i): made[i]
            }
        }
    }

    /// Each row's entry number with the row itself, made when asked for (its names looked up).
    public func forEach(_ body: (_ seq: Int, _ entry: () -> AttendanceEntry) -> Void) {
        for (k, entry) in packed {
            body(entry.seq) { entry.logged(names).entry(k.rowKey(names)) }
        }
        for (key, logged) in unpacked {
            body(logged.seq) { logged.entry(key) }
        }
    }
}

/// Names kept once, by number; `UInt32.max` stands for none.
private struct NameTable: Sendable {
    private var numbers: [String: UInt32] = [:]
    private var texts: [String] = []

    static let none = UInt32.max

    /// The number of `name`, given one when new; `nil` when the table is full.
    mutating func number(_ name: String) -> UInt32? {
        if let n = numbers[name] { return n }
        guard texts.count < Int(Self.none) else { return nil }
        let n = UInt32(texts.count)
        numbers[name] = n
        texts.append(name)
        return n
    }

    mutating func number(_ name: String?) -> UInt32? {
        guard let name else { return Self.none }
        return number(name)
    }

    /// The number of `name` when it has one (`none` for no name).
    func existing(_ name: String?) -> UInt32? {
        guard let name else { return Self.none }
        return numbers[name]
    }

    func name(_ n: UInt32) -> String { texts[Int(n)] }
    func optionalName(_ n: UInt32) -> String? { n == Self.none ? nil : texts[Int(n)] }

    /// The packed form of `key`, its names numbered (new ones added); `nil` when it does not pack.
    mutating func key(_ key: AttendanceEntry.RowKey) -> PackedKey? {
        guard let date = PackedDate(key.session.date), let body = number(key.session.body),
            let series = number(key.session.series), let office = number(key.office), let person = number(key.person)
        else { return nil }
        return PackedKey(body: body, series: series, office: office, person: person, date: date)
    }

    /// The packed form of `key` when all its names are known; `nil` otherwise (then no packed
    /// row has this key).
    func existingKey(_ key: AttendanceEntry.RowKey) -> PackedKey? {
        guard let date = PackedDate(key.session.date), let body = existing(key.session.body),
            let series = existing(key.session.series), let office = existing(key.office),
            let person = existing(key.person)
        else { return nil }
        return PackedKey(body: body, series: series, office: office, person: person, date: date)
    }
}

/// A civil date in 32 bits: year (0…65534), month and day (0…255). `UInt32.max` is no date.
private struct PackedDate: Hashable, Sendable {
    var bits: UInt32

    static let none = PackedDate(bits: .max)

    private init(bits: UInt32) { self.bits = bits }

    init?(_ date: CivilDate) {
        guard (0...65534).contains(date.year), (0...255).contains(date.month), (0...255).contains(date.day) else {
            return nil
        }
        bits = UInt32(date.year) << 16 | UInt32(date.month) << 8 | UInt32(date.day)
    }

    /// The date; `nil` for `none`.
    var date: CivilDate? { bits == .max ? nil : civil }

    /// The date of a packed one (not `none`).
    var civil: CivilDate { CivilDate(year: Int(bits >> 16), month: Int(bits >> 8 & 0xFF), day: Int(bits & 0xFF)) }
}

private struct PackedKey: Hashable, Sendable {
    var body, series, office, person: UInt32
    var date: PackedDate

    func rowKey(_ names: NameTable) -> AttendanceEntry.RowKey {
        AttendanceEntry.RowKey(
            session: SessionKey(body: names.name(body), series: names.name(series), date: date.civil),
            office: names.name(office), person: names.optionalName(person))
    }
}

private struct PackedEntry: Sendable {
    var seq: Int
    var deputy: UInt32
    var arrival, departure: PackedDate
    var arrivalSecond, departureSecond: UInt32
    var status: UInt8

    static let statuses = AttendanceEntry.Status.allCases

    /// `nil` when a date or time of `logged` does not pack.
    init?(_ logged: AttendanceEntry.Logged, _ names: inout NameTable) {
        guard let deputy = names.number(logged.deputy), let status = Self.statuses.firstIndex(of: logged.status)
        else { return nil }
        func packed(_ time: LocalDateTime?) -> (PackedDate, UInt32)? {
            guard let time else { return (.none, 0) }
            guard let date = PackedDate(time.date), let second = UInt32(exactly: time.secondOfDay) else { return nil }
            return (date, second)
        }
        guard let arrival = packed(logged.arrival), let departure = packed(logged.departure) else { return nil }
        (seq, self.deputy, self.status) = (logged.seq, deputy, UInt8(status))
        (self.arrival, arrivalSecond) = arrival
        (self.departure, departureSecond) = departure
    }

    func logged(_ names: NameTable) -> AttendanceEntry.Logged {
        func time(_ date: PackedDate, _ second: UInt32) -> LocalDateTime? {
            date.date.map { LocalDateTime(date: $0, secondOfDay: Int(second)) }
        }
        return AttendanceEntry.Logged(
            status: Self.statuses[Int(status)], deputy: names.optionalName(deputy),
            arrival: time(arrival, arrivalSecond),
            departure: time(departure, departureSecond), seq: seq)
    }
}
