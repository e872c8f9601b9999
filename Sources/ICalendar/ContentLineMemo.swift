#if canImport(Glibc)
    import Glibc
#endif

/// The content lines libical has written for one thread of a run, by the line as given.
///
/// libical's reading of a property from its line and writing it back depends on nothing but the
/// line, so a line given again gets the text libical wrote the first time; every different
/// line is still written by libical. A district's feeds give the same UID, DTSTAMP, SEQUENCE,
/// SUMMARY and LOCATION to libical again for every override of a series and every feed that
/// shows it, and the same closing lines and DESCRIPTION to every cancelled session of a series
/// (600-body benchmark district: 21,486 lines through libical before, 11,240 different).
/// Not for sharing between threads: each worker keeps its own (`ParallelResults.run`); it only
/// grows, so make one per run.
public final class ContentLineMemo {
    private var texts: [Line: String] = [:]

    public init() { texts.reserveCapacity(4096) }

    /// The text written for `line`: remembered, or made by `write` and kept. A line `write`
    /// refuses is not kept: it throws again the next time.
    func text(of line: String, write: () throws(ICalendarError) -> String) throws(ICalendarError) -> String {
        if let known = texts[Line(text: line)] { return known }
        let text = try write()
        texts[Line(text: line)] = text
        return text
    }

    /// How many different lines libical has written through this memo.
    public var count: Int { texts.count }
}

/// A line as its bytes: Swift compares and hashes `String`s by canonical equivalence, so "é"
/// written as one scalar and as e with a combining accent would be one key, though libical
/// writes their bytes as given. Hashed and compared as bytes, which is also faster.
private struct Line: Hashable {
    var text: String

    static func == (a: Line, b: Line) -> Bool {
        var a = a.text
        var b = b.text
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count, let p = x.baseAddress, let q = y.baseAddress else {
                    return x.count == y.count
                }
                return memcmp(p, q, x.count) == 0
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
