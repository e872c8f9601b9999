import CLibical

#if canImport(Glibc)
    import Glibc
#endif

/// What libical says about a calendar text besides reading it: the `X-LIC-ERROR` properties its
/// parser adds for what it cannot read, and those `icalrestriction_check` adds for what RFC 5546
/// forbids or requires under the calendar's METHOD (an ORGANIZER for METHOD:PUBLISH, say).
public enum ICalRestrictions {
    /// Every finding, as libical words it (`Failed iTIP restrictions for ORGANIZER property. …`);
    /// empty when libical has nothing to say.
    public static func findings(in text: String) -> [String] {
        // We own the tree icalparser_parse_string returns.
        guard let calendar = icalparser_parse_string(text) else { return ["libical could not read the text"] }
        defer { icalcomponent_free(calendar) }
        _ = icalrestriction_check(calendar)
        var found: [String] = []
        collect(calendar, into: &found)
        return found
    }

    private static func collect(_ component: OpaquePointer, into found: inout [String]) {
        var property = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY)
        while let p = property {
            let kind = String(cString: icalcomponent_kind_to_string(icalcomponent_isa(component)))
            found.append("\(kind): " + (icalproperty_get_xlicerror(p).map { String(cString: $0) } ?? ""))
            property = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)
        }
        var child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
        while let c = child {
            collect(c, into: &found)
            child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
        }
    }
}

extension ICalSerializer {
    /// One content line written here rather than by libical, folded at 75 octets (never inside
    /// a character) with CRLF: libical reads the TEXT of an X- property unescaped and writes it
    /// raw, so `X-WR-CALDESC:… Gremien, in denen …` broke RFC 5545 3.3.11. `value` comes escaped.
    public static func foldedLine(_ name: String, _ value: String) -> String {
        var line = name + ":" + value
        return line.withUTF8 { source in
            // A fold (CRLF and a space) at most every 74 octets, and the closing CRLF.
            String(unsafeUninitializedCapacity: source.count + 3 * (source.count / 74 + 1) + 2) { out in
                var n = 0
                var octets = 0
                var i = 0
                while i < source.count {
                    // The octets of the character that starts here (UTF-8's lead byte says how many).
                    let lead = source[i]
                    var size = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                    size = min(size, source.count - i)
                    if octets + size > 75 {
                        out[n] = 0x0D
                        out[n + 1] = 0x0A
                        out[n + 2] = 0x20
                        n += 3
                        octets = 1
                    }
                    for k in 0..<size { out[n + k] = source[i + k] }
                    n += size
                    i += size
                    octets += size
                }
                out[n] = 0x0D
                out[n + 1] = 0x0A
                return n + 2
            }
        }
    }
}
