extension ZoneRules {
    /// Why a TZif file could not be read.
    public enum TZifError: Error, Sendable, Hashable, CustomStringConvertible {
        case notTZif
        case truncated
        case badFooter(String)

        public var description: String {
            switch self {
            case .notTZif: return "not a TZif file (RFC 8536): the magic 'TZif' is missing"
            case .truncated: return "the TZif data ends early"
            case .badFooter(let text): return "the TZif footer '\(text)' is not a POSIX TZ rule this reader understands"
            }
        }
    }

    /// Reads the rules of a zone from the bytes of a TZif file (RFC 8536, versions 1 to 4).
    ///
    /// Pure: the caller reads the file (for example `/usr/share/zoneinfo/Europe/Berlin`).
    public init(tzif bytes: [UInt8], identifier: String) throws(TZifError) {
        var reader = TZifReader(bytes: bytes)
        let header1 = try reader.header()
        var header = header1
        var timeSize = 4
        if header1.version >= 2 {
            try reader.skip(header1.dataLength(timeSize: 4))
            header = try reader.header()
            timeSize = 8
        }
        var times: [Int64] = []
        times.reserveCapacity(header.timecnt)
        for _ in 0..<header.timecnt { times.append(try reader.signed(timeSize)) }
        var indices: [Int] = []
        for _ in 0..<header.timecnt { indices.append(Int(try reader.byte())) }
        var types: [(offset: Int, isDST: Bool, abbrIndex: Int)] = []
        for _ in 0..<header.typecnt {
            let offset = Int(try reader.signed(4))
            let dst = try reader.byte() != 0
            let abbr = Int(try reader.byte())
            types.append((offset, dst, abbr))
        }
        let chars = try reader.bytes(header.charcnt)
        try reader.skip(header.leapcnt * (timeSize + 4) + header.isstdcnt + header.isutcnt)
        guard !types.isEmpty else { throw .truncated }

        func abbreviation(_ index: Int) -> String {
            guard index < chars.count else { return "" }
            let end = chars[index...].firstIndex(of: 0) ?? chars.count
            return String(decoding: chars[index..<end], as: UTF8.self)
        }
        var transitions: [Transition] = []
        var previous = types[0].offset
        for (time, typeIndex) in zip(times, indices) {
            guard typeIndex < types.count else { throw .truncated }
            let type = types[typeIndex]
            if type.offset != previous {
                transitions.append(
                    Transition(
                        utc: time, before: previous, after: type.offset,
                        abbreviation: abbreviation(type.abbrIndex), isDaylight: type.isDST))
            }
            previous = type.offset
        }
        var tail: PosixZoneRule?
        if header.version >= 2, let footer = reader.footer(), !footer.isEmpty {
            guard let rule = PosixZoneRule(footer) else { throw .badFooter(footer) }
            tail = rule
        }
        self.init(
            identifier: identifier, initialOffset: types[0].offset,
            initialAbbreviation: abbreviation(types[0].abbrIndex), transitions: transitions, tail: tail)
    }
}

private struct TZifHeader {
    var version: Int
    var isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0

    func dataLength(timeSize: Int) -> Int {
        timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
    }
}

private struct TZifReader {
    let bytes: [UInt8]
    var index = 0

    mutating func header() throws(ZoneRules.TZifError) -> TZifHeader {
        guard bytes.count >= index + 44 else { throw .truncated }
        guard bytes[index..<index + 4].elementsEqual("TZif".utf8) else { throw .notTZif }
        let v = bytes[index + 4]
        var h = TZifHeader(version: v == 0 ? 1 : Int(v) - 48)
        index += 20
        h.isutcnt = Int(try signed(4))
        h.isstdcnt = Int(try signed(4))
        h.leapcnt = Int(try signed(4))
        h.timecnt = Int(try signed(4))
        h.typecnt = Int(try signed(4))
        h.charcnt = Int(try signed(4))
        return h
    }

    mutating func skip(_ n: Int) throws(ZoneRules.TZifError) {
        guard n >= 0, index + n <= bytes.count else { throw .truncated }
        index += n
    }

    mutating func byte() throws(ZoneRules.TZifError) -> UInt8 {
        guard index < bytes.count else { throw .truncated }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func bytes(_ n: Int) throws(ZoneRules.TZifError) -> [UInt8] {
        guard n >= 0, index + n <= bytes.count else { throw .truncated }
        defer { index += n }
        return Array(bytes[index..<index + n])
    }

    /// A big-endian two's-complement integer of `size` bytes.
    mutating func signed(_ size: Int) throws(ZoneRules.TZifError) -> Int64 {
        guard index + size <= bytes.count else { throw .truncated }
        var value: UInt64 = 0
        for i in 0..<size { value = value << 8 | UInt64(bytes[index + i]) }
        index += size
        let shift = UInt64(64 - size * 8)
        return Int64(bitPattern: value << shift) >> Int64(shift)
    }

    /// The POSIX TZ string between two newlines after the v2+ data block.
    func footer() -> String? {
        guard index < bytes.count, bytes[index] == 10 else { return nil }
        let rest = bytes[(index + 1)...]
        guard let end = rest.firstIndex(of: 10) else { return nil }
        return String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
    }
}
