/// Why an RRULE was rejected. Every case names the part, the value and what is allowed, so a
/// coordinator can fix the rule from the message alone.
public enum RecurrenceRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A part is not `NAME=VALUE`.
    case malformedPart(String)
    /// A part name RFC 5545 does not define.
    case unknownPart(String)
    case duplicatePart(String)
    case missingFrequency
    /// A value that is not of the part's kind (a word where a number belongs, an unknown weekday).
    case invalidValue(part: String, value: String, allowed: String)
    /// A number outside the part's range.
    case outOfRange(part: String, value: String, allowed: String)
    case countAndUntil
    /// A part RFC 5545 forbids with this FREQ (BYWEEKNO outside YEARLY, a numbered BYDAY with WEEKLY, ...).
    case notAllowedWithFrequency(part: String, value: String, frequency: String, allowed: String)
    case untilBeforeStart(until: String, start: String)

    static let partNames =
        "FREQ, UNTIL, COUNT, INTERVAL, BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS, WKST"

    public var description: String {
        switch self {
        case .malformedPart(let text):
            return "RRULE part '\(text)' is not NAME=VALUE; allowed names: \(Self.partNames)"
        case .unknownPart(let name):
            return "RRULE part \(name) is unknown; allowed: \(Self.partNames)"
        case .duplicatePart(let name):
            return "RRULE part \(name) is given more than once; allowed: once"
        case .missingFrequency:
            return "RRULE has no FREQ; allowed: FREQ=SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY"
        case .invalidValue(let part, let value, let allowed):
            return "RRULE \(part)=\(value) is not valid; allowed: \(allowed)"
        case .outOfRange(let part, let value, let allowed):
            return "RRULE \(part)=\(value) is out of range; allowed: \(allowed)"
        case .countAndUntil:
            return "RRULE has both COUNT and UNTIL; allowed: at most one of them"
        case .notAllowedWithFrequency(let part, let value, let frequency, let allowed):
            return "RRULE \(part)=\(value) is not allowed with FREQ=\(frequency); allowed: \(allowed)"
        case .untilBeforeStart(let until, let start):
            return "RRULE UNTIL=\(until) is before DTSTART \(start); allowed: UNTIL at or after DTSTART"
        }
    }
}
