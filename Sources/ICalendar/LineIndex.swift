/// The content lines of an iCalendar text with the physical line each starts on, so that a
/// problem libical reports can be pointed at a line (libical itself keeps no line numbers).
struct LineIndex {
    struct Entry {
        var line: Int
        var name: String
        var text: String
    }

    private let text: String
    private var built = false
    private var entriesStorage: [Entry] = []
    private var claimed: Set<Int> = []

    /// Cheap: the text is only split when a line is first asked for.
    init(text: String) {
        self.text = text
    }

    private var entries: [Entry] {
        mutating get {
            if !built {
                entriesStorage = Self.split(text)
                built = true
            }
            return entriesStorage
        }
    }

    private static func split(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        var physical = 0
        var current: Entry?
        for raw in text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        {
            physical += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if let first = line.first, first == " " || first == "\t", current != nil {
                current?.text += line.dropFirst()
                continue
            }
            if let done = current { entries.append(done) }
            if line.isEmpty {
                current = nil
                continue
            }
            let nameEnd = line.firstIndex(where: { $0 == ";" || $0 == ":" }) ?? line.endIndex
            current = Entry(line: physical, name: line[..<nameEnd].uppercased(), text: String(line))
        }
        if let done = current { entries.append(done) }
        return entries
    }

    /// The first unclaimed line of that property whose text contains `fragment` (any line of
    /// that property when `fragment` is empty); claims it so that repeats map to later lines.
    mutating func locate(property: String, containing fragment: String) -> Int {
        let name = property.uppercased()
        for (i, e) in entries.enumerated() where !claimed.contains(i) {
            if (name.isEmpty || e.name == name) && (fragment.isEmpty || e.text.contains(fragment)) {
                claimed.insert(i)
                return e.line
            }
        }
        return 0
    }

    /// The line of a property with exactly this value (any value of it when none matches),
    /// within the VEVENT whose UID is `uid` when given (not claiming it).
    mutating func line(property: String, value: String, inEventWithUID uid: String? = nil) -> Int {
        let name = property.uppercased()
        var first = 0
        if let uid, let uidLine = entries.first(where: { $0.name == "UID" && $0.text.hasSuffix(":" + uid) })?.line {
            first = entries.last { $0.line < uidLine && $0.text.uppercased() == "BEGIN:VEVENT" }?.line ?? 0
        }
        let candidates = entries.drop { $0.line <= first }
        return candidates.first { $0.name == name && $0.text.hasSuffix(":" + value) }?.line
            ?? candidates.first { $0.name == name }?.line ?? 0
    }
}
