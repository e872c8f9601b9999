import Coordination

/// The content lines libical has written for one thread of a run, by the line as given.
///
/// libical's reading of a property from its line and writing it back depends on nothing but the
/// line, so a line given again gets the text libical wrote the first time; every different
/// line is still written by libical. A district's feeds give the same SUMMARY and LOCATION to
/// libical again for every override of a series, the same lines again for every office feed
/// that plans a body anew (from the office's first seat), and the same closing lines to every
/// cancelled session of a series. Lines are keyed by their bytes (`ExactText`), as libical reads
/// them. (A series' UID, DTSTAMP, LAST-MODIFIED and SEQUENCE are written once for all its
/// events, a feed's DESCRIPTION lines kept by `FeedBuilder.render` itself, by their parts.)
/// Not for sharing between threads: each worker keeps its own (`ParallelResults.run`); it only
/// grows, so make one per run.
public final class ContentLineMemo {
    private var texts: [ExactText: String] = [:]

    public init() { texts.reserveCapacity(4096) }

    /// The text written for `line`: remembered, or made by `write` and kept. A line `write`
    /// refuses is not kept: it throws again the next time.
    func text(of line: String, write: () throws(ICalendarError) -> String) throws(ICalendarError) -> String {
        if let known = texts[ExactText(line)] { return known }
        let text = try write()
        texts[ExactText(line)] = text
        return text
    }

    /// How many different lines libical has written through this memo.
    public var count: Int { texts.count }
}
