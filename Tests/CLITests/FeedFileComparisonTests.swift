import Foundation
import Publishing
import Testing

@testable import gremien

/// `gremien generate` leaves a feed's file alone when it holds the feed's bytes: compared with
/// the feed's parts as they are, through a buffer of 64 KB.
@Suite struct FeedFileComparisonTests {
    /// Parts of 1 to 70,000 bytes, so that parts and buffer fills end at different places.
    static let parts = [
        "BEGIN:VCALENDAR\r\n", String(repeating: "a", count: 70_000), "", "ä", String(repeating: "b", count: 65_535),
        String(repeating: "c", count: 30_000), "END:VCALENDAR\r\n",
    ]

    static func compare(_ file: [UInt8], _ parts: [String]) throws -> Bool {
        let name = "gremien-holds-\(UUID().uuidString).ics"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(file).write(to: URL(fileURLWithPath: path))
        return Generate.file(path, holds: Feed(path: "all.ics", parts: parts, eventCount: 0))
    }

    @Test func theSameBytesAreFoundTheSame() throws {
        let bytes = Array(Self.parts.joined().utf8)
        #expect(try Self.compare(bytes, Self.parts))
        #expect(try Self.compare(bytes, [Self.parts.joined()]))
        #expect(try Self.compare([], [""]))
        // Exactly two buffers: the end is seen by a read of its own.
        let even = [String(repeating: "x", count: 65_536), String(repeating: "y", count: 65_536)]
        #expect(try Self.compare(Array(even.joined().utf8), even))
        #expect(try !Self.compare(Array(even.joined().utf8.dropLast()) + [0x78], even))
    }

    /// One byte changed at the start, at the end and at each border of a part or of 64 KB.
    @Test func anyChangedByteIsFound() throws {
        let bytes = Array(Self.parts.joined().utf8)
        var borders = [0, bytes.count - 1, 65_535, 65_536, 131_071, 131_072]
        var end = 0
        for part in Self.parts {
            end += part.utf8.count
            borders += [end - 1, end].filter { $0 >= 0 && $0 < bytes.count }
        }
        for i in Set(borders) {
            var changed = bytes
            changed[i] ^= 0x01
            #expect(try !Self.compare(changed, Self.parts), "byte \(i)")
        }
    }

    @Test func aFileLongerOrShorterIsNotTheSame() throws {
        let bytes = Array(Self.parts.joined().utf8)
        #expect(try !Self.compare(bytes + [0x0A], Self.parts))
        #expect(try !Self.compare(Array(bytes.dropLast()), Self.parts))
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("gremien-none-\(getpid()).ics")
        #expect(!Generate.file(missing.path, holds: Feed(path: "all.ics", parts: Self.parts, eventCount: 0)))
    }
}
