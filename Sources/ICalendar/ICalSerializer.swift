import CLibical
import Coordination

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `ICalComponent` trees as iCalendar text through libical: CRLF line ends and lines
/// folded at 75 octets (RFC 5545 3.1).
public enum ICalSerializer {
    /// The text of a component tree. Throws when libical cannot read one of its properties.
    public static func serialize(_ component: ICalComponent) throws(ICalendarError) -> String {
        let built = try build(component)
        // We own `built` (made by icalcomponent_new*) and the string `_r` returns.
        defer { icalcomponent_free(built) }
        guard let text = icalcomponent_as_ical_string_r(built) else {
            throw .cannotBuild(property: component.name, reason: "libical returned no text")
        }
        defer { free(text) }
        return String(cString: text)
    }

    /// The content lines of `properties` as libical writes them (escaped parameters, CRLF,
    /// folded at 75 octets), for assembling a component from parts that are reused.
    ///
    /// With `memo`, a line libical has already written for it is taken from there.
    public static func contentLines(_ properties: [ICalProperty], memo: ContentLineMemo? = nil)
        throws(ICalendarError) -> String
    {
        var lines = ""
        for property in properties {
            let line = property.contentLine
            if let memo {
                lines += try memo.text(of: line) { () throws(ICalendarError) in try written(property, line) }
            } else {
                lines += try written(property, line)
            }
        }
        return lines
    }

    /// `property` made by libical (`newProperty`) and written back.
    static func written(_ property: ICalProperty, _ line: String, parsing: Bool = false) throws(ICalendarError)
        -> String
    {
        // We own `p` and the string `_r` returns.
        let p = try newProperty(property, line, parsing: parsing)
        defer { icalproperty_free(p) }
        guard let text = icalproperty_as_ical_string_r(p) else {
            throw .cannotBuild(property: property.name, reason: "libical returned no text")
        }
        defer { free(text) }
        return String(cString: text)
    }

    /// A new libical tree for `component`; the caller owns it and frees it with icalcomponent_free.
    static func build(_ component: ICalComponent) throws(ICalendarError) -> OpaquePointer {
        let kind = icalcomponent_string_to_kind(component.name)
        let made: OpaquePointer?
        if kind == ICAL_NO_COMPONENT || kind == ICAL_X_COMPONENT {
            made = icalcomponent_new_x(component.name)
        } else {
            made = icalcomponent_new(kind)
        }
        guard let c = made else { throw .cannotBuild(property: component.name, reason: "unknown component") }
        for property in component.properties {
            // A new property owned by us until icalcomponent_add_property hands it to `c`.
            let p: OpaquePointer
            do { p = try newProperty(property, property.contentLine) } catch {
                icalcomponent_free(c)
                throw error
            }
            icalcomponent_add_property(c, p)
        }
        for child in component.components {
            let sub: OpaquePointer
            do { sub = try build(child) } catch {
                icalcomponent_free(c)
                throw error
            }
            icalcomponent_add_component(c, sub)  // `c` owns `sub` from here
        }
        return c
    }

    /// A new libical property (the caller owns it): built by `constructed`, else read from
    /// `line` by libical's parser; with `parsing`, always read by the parser (the tests compare
    /// the two ways).
    static func newProperty(_ property: ICalProperty, _ line: String, parsing: Bool = false) throws(ICalendarError)
        -> OpaquePointer
    {
        guard let p = (parsing ? nil : constructed(property)) ?? icalproperty_new_from_string(line) else {
            throw .cannotBuild(property: property.name, reason: "cannot read '\(line)'")
        }
        return p
    }

    /// A new property (the caller owns it) built with libical's own constructors from the
    /// parts of `property`, exactly as libical's parser builds it from the content line:
    /// `icalproperty_new` of the name's kind, `icalparameter_new_from_value_string` per
    /// parameter, `icalvalue_new_from_string` of the kind's value type (libical 3.0,
    /// `icalparser_add_line`). `icalproperty_new_from_string` runs the whole parser for one
    /// line (it wraps the line in a VCALENDAR of its own): half the time of a feed's lines.
    ///
    /// `nil` where the parser would read the line differently or report a problem, and then
    /// the caller gives the line to the parser: X- and unknown properties, structured ones
    /// (ATTACH, GEO, IMAGE), a VALUE parameter, an unknown parameter, values the parser trims,
    /// splits at commas (CATEGORIES, EXDATE, ...), unquotes or unescapes (a parameter with a
    /// backslash), control characters, a value libical refuses. `ConstructedPropertyTests`
    /// compares both ways on the golden feeds and on random properties.
    static func constructed(_ property: ICalProperty) -> OpaquePointer? {
        let kind = Self.kind(of: property.name)
        switch kind {
        case ICAL_NO_PROPERTY, ICAL_X_PROPERTY, ICAL_ANY_PROPERTY, ICAL_ATTACH_PROPERTY, ICAL_GEO_PROPERTY,
            ICAL_IMAGE_PROPERTY:
            return nil
        default: break
        }
        let splitsAtCommas = Self.multivalued.contains(kind.rawValue)
        // The TZID parameter that ends the parameters is read up to the line's last colon.
        let hasTZID = property.parameters.contains { sameName($0.name, "TZID") }
        let refused: StaticString = splitsAtCommas ? (hasTZID ? ",:" : ",") : (hasTZID ? ":" : "")
        guard Self.isPlain(property.value, refusing: refused) else { return nil }
        var parameters: [OpaquePointer] = []
        for parameter in property.parameters {
            let kind = icalparameter_string_to_kind(parameter.name)
            guard kind != ICAL_NO_PARAMETER, kind != ICAL_X_PARAMETER, kind != ICAL_IANA_PARAMETER,
                kind != ICAL_ANY_PARAMETER, kind != ICAL_VALUE_PARAMETER,
                Self.isPlain(parameter.value, refusing: "\";:,\\"),
                // We own it until icalproperty_add_parameter hands it to the property.
                let made = icalparameter_new_from_value_string(kind, parameter.value)
            else {
                parameters.forEach { icalparameter_free($0) }
                return nil
            }
            parameters.append(made)
        }
        guard let value = icalvalue_new_from_string(icalproperty_kind_to_value_kind(kind), property.value),
            let p = icalproperty_new(kind)
        else {
            parameters.forEach { icalparameter_free($0) }
            return nil
        }
        icalproperty_set_value(p, value)  // `p` owns `value` from here
        for parameter in parameters { icalproperty_add_parameter(p, parameter) }
        return p
    }

    /// Whether `constructed` builds `property` (else the parser reads it).
    static func constructs(_ property: ICalProperty) -> Bool {
        guard let p = constructed(property) else { return false }
        icalproperty_free(p)
        return true
    }

    /// libical's kind of a property name (`icalproperty_string_to_kind`), from a table of every
    /// name libical knows, made once: libical compares a name with each of its hundred names in
    /// turn, and did so for every content line it wrote. Names in another case and X- names are
    /// still looked up by libical.
    static func kind(of name: String) -> icalproperty_kind {
        knownKinds[name] ?? icalproperty_string_to_kind(name)
    }

    /// Each name of libical's property table with the kind libical's own lookup gives for it.
    private static let knownKinds: [String: icalproperty_kind] = Dictionary(
        kindNames.compactMap { $0 }.map { ($0, icalproperty_string_to_kind($0)) },
        uniquingKeysWith: { first, _ in first })

    /// libical's name of each property kind (`icalproperty_kind_to_string`), indexed by the
    /// kind's raw value up to `ICAL_NO_PROPERTY`; `nil` where libical has none. Made once: for
    /// the lookup by name here, and for naming the properties libical read (`TreeReader`).
    static let kindNames: [String?] = (0...ICAL_NO_PROPERTY.rawValue).map { raw in
        guard let name = icalproperty_kind_to_string(icalproperty_kind(rawValue: raw)), name.pointee != 0 else {
            return nil
        }
        return String(cString: name)
    }

    /// The properties libical 3.0 reads as comma lists (design-data/properties.csv: is_multivalued).
    private static let multivalued: Set<UInt32> = Set(
        [
            ICAL_CATEGORIES_PROPERTY, ICAL_RESOURCES_PROPERTY, ICAL_FREEBUSY_PROPERTY, ICAL_EXDATE_PROPERTY,
            ICAL_RDATE_PROPERTY, ICAL_ACCEPTRESPONSE_PROPERTY, ICAL_POLLPROPERTIES_PROPERTY,
        ].map(\.rawValue))

    /// Whether the parser takes `text` as it is: not empty, no space at either end (it trims),
    /// no control character, none of `refused` (ASCII).
    private static func isPlain(_ text: String, refusing refused: StaticString) -> Bool {
        // The refused bytes as two bit sets (0-63, 64-127), with the control characters: one
        // test per byte of a DESCRIPTION rather than a search of the list.
        var low: UInt64 = 0xFFFF_FFFF
        var high: UInt64 = 1 << (0x7F - 64)
        for i in 0..<refused.utf8CodeUnitCount {
            let b = refused.utf8Start[i]
            if b < 64 { low |= 1 << UInt64(b) } else if b < 128 { high |= 1 << UInt64(b - 64) }
        }
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return false }
            for b in bytes {
                if b < 64 {
                    if low & (1 << UInt64(b)) != 0 { return false }
                } else if b < 128, high & (1 << UInt64(b - 64)) != 0 {
                    return false
                }
            }
            return true
        }
    }
}
