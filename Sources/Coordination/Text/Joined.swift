extension [String] {
    /// The texts one after the other, made at their final size. `joined()` reserves only a
    /// guess and then grows by doubling, copying the text each time: for a feed of 1.5 MB that
    /// was several copies and fresh pages (`FeedBuilder`), and for an event's content lines a
    /// few reallocations each (`ICalSerializer.contentLines`).
    public func concatenated() -> String {
        var text = ""
        text.reserveCapacity(reduce(0) { $0 + $1.utf8.count })
        for part in self { text += part }
        return text
    }
}
