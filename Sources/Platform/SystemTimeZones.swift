import Coordination
import Foundation

/// The IANA zones of the system's zoneinfo (Debian's `tzdata`), read once per zone and cached.
///
/// `TZDIR` overrides the folder (default `/usr/share/zoneinfo`), as for the C library.
public enum SystemTimeZones {
    private static let cache = ZoneCache()

    /// The rules of an IANA zone (`Europe/Berlin`) or `UTC`.
    public static func rules(for identifier: String) throws(TimeZoneError) -> ZoneRules {
        if ["UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT"].contains(identifier) { return .utc }
        if let known = cache.get(identifier) { return known }
        let allowed = identifier.allSatisfy { $0.isLetter || $0.isNumber || "/_+-".contains($0) }
        guard allowed, !identifier.isEmpty, !identifier.hasPrefix("/"), !identifier.contains("..") else {
            throw .unknownTimeZone(identifier)
        }
        let folder = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
        guard let data = FileManager.default.contents(atPath: folder + "/" + identifier) else {
            throw .unknownTimeZone(identifier)
        }
        let rules: ZoneRules
        do {
            rules = try ZoneRules(tzif: [UInt8](data), identifier: identifier)
        } catch {
            throw .unreadable(path: folder + "/" + identifier, reason: error.description)
        }
        cache.set(identifier, rules)
        return rules
    }

    /// A TZID as written by other software: libical's `/freeassociation.sourceforge.net/...`
    /// and similar prefixes are dropped before the IANA name is looked up.
    public static func rules(forTZID tzid: String) throws(TimeZoneError) -> ZoneRules {
        do {
            return try rules(for: tzid)
        } catch {
            let parts = tzid.split(separator: "/")
            for n in stride(from: min(parts.count, 3), through: 1, by: -1) where parts.count > n {
                if let found = try? rules(for: parts.suffix(n).joined(separator: "/")) { return found }
            }
            throw .unknownTimeZone(tzid)
        }
    }
}

/// A lock-protected dictionary; zones are read at most a few times per process.
private final class ZoneCache: @unchecked Sendable {
    private let lock = NSLock()
    private var zones: [String: ZoneRules] = [:]

    func get(_ key: String) -> ZoneRules? {
        lock.lock()
        defer { lock.unlock() }
        return zones[key]
    }

    func set(_ key: String, _ value: ZoneRules) {
        lock.lock()
        defer { lock.unlock() }
        zones[key] = value
    }
}

/// Why a time zone could not be had from the system.
public enum TimeZoneError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not an IANA zone of the system's zoneinfo.
    case unknownTimeZone(String)
    /// The zone's file exists but is not TZif the program can read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownTimeZone(let tzid):
            return "unknown time zone '\(tzid)': not an IANA zone of the system's zoneinfo, nor a VTIMEZONE of the file"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
}

extension SystemTimeZones {
    /// The lookup the domain takes as a parameter: rules for a name, `nil` when unknown.
    public static let lookup: @Sendable (String) -> ZoneRules? = { try? rules(for: $0) }

    /// Like `lookup`, for TZIDs written by other software (prefixes dropped).
    public static let lookupTZID: @Sendable (String) -> ZoneRules? = { try? rules(forTZID: $0) }
}
