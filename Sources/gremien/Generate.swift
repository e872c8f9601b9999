import ArgumentParser
import Coordination
import Foundation
import Publishing
import Workflows

/// `gremien generate`: write the district's iCalendar feeds.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the iCalendar feeds: all.ics, bodies/<id>.ics and offices/<id>.ics.",
        discussion: """
            One feed for all sessions, one per body and one per office (every body the office \
            belongs to, with its role in the description). Staff subscribe to a feed's URL in \
            Outlook, Thunderbird, Google or Apple Calendar. The same calendars/ always gives \
            byte-identical files; feeds of bodies or offices that no longer exist are removed. \
            Reads the store gremien.sqlite when it has been synced (with the recorded session \
            changes), else calendars/; --store or --calendars choose.
              gremien generate --calendars calendars --out out/feeds
            """
    )

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("Output folder (created when missing).", valueName: "DIR"))
    var out = "out/feeds"

    @Option(
        help: ArgumentHelp(
            "The address of gremien serve (e.g. https://gremien.kreis-dueren.de): each event's description then links to the session's page.",
            valueName: "URL"))
    var publicURL: String?

    func run() async throws {
        let (planning, agendas) = try await source.planningWithAgendas()
        let feeds = try FeedBuilder(planner: planning.planner, publicURL: publicURL, agendas: agendas).feeds()
        let fm = FileManager.default
        for folder in ["", "bodies", "offices"] {
            let path = folder.isEmpty ? out : out + "/" + folder
            do {
                try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw CommandError("--out: cannot create \(path): \(error.localizedDescription)")
            }
        }
        // An unchanged feed keeps its file and modification time (web servers derive
        // Last-Modified from it); only changed feeds are replaced. The files are compared on
        // every core and written one after the other (creating files in one folder from several
        // threads contends in the file system: 600 bodies into an empty folder took 264 ms
        // instead of 163).
        let same = ParallelResults<Bool, Never>.map(feeds.count) { i in
            Self.file(out + "/" + feeds[i].path, holds: feeds[i])
        }
        for (feed, same) in zip(feeds, same) where !same {
            try writeReplacing(feed.text, to: out + "/" + feed.path)
        }
        let unchanged = same.filter { $0 }.count
        let written = Set(feeds.map(\.path))
        var removed = 0
        for folder in ["bodies", "offices"] {
            for name in (try? fm.contentsOfDirectory(atPath: out + "/" + folder)) ?? []
            where name.hasSuffix(".ics") && !written.contains(folder + "/" + name) {
                try? fm.removeItem(atPath: out + "/" + folder + "/" + name)
                removed += 1
            }
        }
        let bodies = feeds.filter { $0.path.hasPrefix("bodies/") }.count
        let offices = feeds.filter { $0.path.hasPrefix("offices/") }.count
        let events = feeds.first?.eventCount ?? 0
        printOut(
            "\(out): all.ics (\(events) events), \(bodies) body feeds, \(offices) office feeds"
                + "; \(feeds.count - unchanged) written, \(unchanged) unchanged"
                + (removed > 0 ? "; removed \(removed) stale feed(s)" : "") + "\n")
    }

    /// Whether the file at `path` holds exactly the text of `feed`: compared as bytes, piece
    /// by piece through one small buffer, with the feed's parts as they are (the 621 feeds of a
    /// large district are 8 MB; reading each file whole, or joining each feed's parts, made
    /// and faulted in that much fresh memory on every run).
    static func file(_ path: String, holds feed: Feed) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        let total = feed.byteCount
        guard fstat(fd, &info) == 0, Int(info.st_size) == total else { return false }
        let size = 64 * 1024
        // One byte more than the feed's rest is asked for: a read that gives less has reached
        // the end (a regular file), so no read of its own is needed to see that nothing follows.
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        // Bytes read so far, those in `buffer`, how many of them are compared; whether a read
        // gave less than asked.
        var consumed = 0
        var filled = 0
        var used = 0
        var ended = false
        for var part in feed.parts {
            let same = part.withUTF8 { bytes -> Bool in
                var offset = 0
                while offset < bytes.count, let start = bytes.baseAddress {
                    if used == filled {
                        let asked = min(size, total - consumed + 1)
                        let got = read(fd, buffer, asked)
                        if got < 0 && errno == EINTR { continue }
                        guard got > 0 else { return false }
                        (filled, used) = (got, 0)
                        consumed += got
                        ended = got < asked
                    }
                    let n = min(filled - used, bytes.count - offset)
                    guard memcmp(buffer + used, start + offset, n) == 0 else { return false }
                    used += n
                    offset += n
                }
                return true
            }
            guard same else { return false }
        }
        // Nothing may follow (the file grew since fstat).
        return used == filled && (ended || read(fd, buffer, 1) == 0)
    }
}
