import CLibical

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
        var out = ""
        for property in properties {
            let line = property.contentLine
            if let memo {
                out += try memo.text(of: line) { () throws(ICalendarError) in try written(property, line) }
            } else {
                out += try written(property, line)
            }
        }
        return out
    }

    /// `line` read by libical into a property and written back.
    private static func written(_ property: ICalProperty, _ line: String) throws(ICalendarError) -> String {
        // We own `p` (icalproperty_new_from_string) and the string `_r` returns.
        guard let p = icalproperty_new_from_string(line) else {
            throw .cannotBuild(property: property.name, reason: "cannot read '\(line)'")
        }
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
            let line = property.contentLine
            // A new property owned by us until icalcomponent_add_property hands it to `c`.
            guard let p = icalproperty_new_from_string(line) else {
                icalcomponent_free(c)
                throw .cannotBuild(property: property.name, reason: "cannot read '\(line)'")
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
}
