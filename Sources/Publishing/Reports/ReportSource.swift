import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes of a report to check (`audit verify --report`): in memory, or a file read a piece
/// at a time (`ReportFile`), so that a report of a hundred megabytes is not held while it is
/// made again and compared.
public protocol ReportSource: Sendable {
    /// How many bytes the report has.
    var byteCount: Int { get }
    /// Copies up to `buffer.count` bytes from `offset` on into `buffer` and says how many: fewer
    /// only at the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ReportSourceError) -> Int
}

/// A report could not be read (the file went away or its disk failed while it was read).
public struct ReportSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

extension ReportSource {
    /// All its bytes (to name the first line that differs).
    public func bytes() throws(ReportSourceError) -> Data {
        var data = Data(count: byteCount)
        let got = data.withUnsafeMutableBytes { buffer in
            Result { () throws(ReportSourceError) in try read(at: 0, into: buffer) }
        }
        data.count = try got.get()
        return data
    }

    /// Calls `body` with the bytes from the start, `size` at a time, each piece beginning
    /// `overlap` bytes before the previous one ended (so that what crosses a boundary is whole
    /// in one piece), with the offset of its first byte; stops early when `body` says `false`.
    func pieces(
        of size: Int, overlap: Int, _ body: (UnsafeRawBufferPointer, Int) -> Bool
    ) throws(ReportSourceError) {
        precondition(size > overlap)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < byteCount {
            let got = try read(at: offset, into: buffer)
            guard got > 0, body(UnsafeRawBufferPointer(rebasing: buffer[..<got]), offset) else { return }
            // A piece shorter than asked for is the last (a file cut short while it is read too).
            guard got == size, offset + got < byteCount else { return }
            offset += got - overlap
        }
    }
}

/// Where `pattern` (not empty) first begins in `bytes`, or `nil`.
func firstOffset(of pattern: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
    guard let start = bytes.baseAddress, let first = pattern.first, bytes.count >= pattern.count else { return nil }
    var at = 0
    let last = bytes.count - pattern.count
    while at <= last, let hit = memchr(start + at, Int32(first), last - at + 1) {
        at = UnsafeRawPointer(hit) - start
        let same = pattern.withUnsafeBytes { p in p.baseAddress.map { memcmp(hit, $0, pattern.count) == 0 } ?? false }
        if same { return at }
        at += 1
    }
    return nil
}

extension Data: ReportSource {
    public var byteCount: Int { count }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ReportSourceError) -> Int {
        let n = Swift.max(0, Swift.min(buffer.count, count - offset))
        guard n > 0 else { return 0 }
        copyBytes(to: buffer.bindMemory(to: UInt8.self), from: (startIndex + offset)..<(startIndex + offset + n))
        return n
    }
}

/// A report file, read where it is asked for (never whole unless `bytes()` is asked for).
public final class ReportFile: ReportSource, Sendable {
    private let fd: Int32
    public let byteCount: Int
    /// How messages name it.
    public let path: String

    /// Opens the report at `path`; the error names the path and the reason.
    public init(path: String) throws(ReportSourceError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ReportSourceError(description: "cannot read the report \(path): \(String(cString: strerror(errno)))")
        }
        // Its size, and one byte read: a folder opens, but cannot be read ("Is a directory").
        var probe: UInt8 = 0
        let size = lseek(fd, 0, SEEK_END)
        guard size >= 0, pread(fd, &probe, 1, 0) >= 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ReportSourceError(description: "cannot read the report \(path): \(reason)")
        }
        (self.fd, self.byteCount, self.path) = (fd, Int(size), path)
    }

    deinit { close(fd) }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ReportSourceError) -> Int {
        var done = 0
        while done < buffer.count, offset + done < byteCount, let base = buffer.baseAddress {
            let got = pread(fd, base + done, buffer.count - done, off_t(offset + done))
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else {
                throw ReportSourceError(
                    description: "cannot read the report \(path): \(String(cString: strerror(errno)))")
            }
            if got == 0 { break }  // shorter than when it was opened
            done += got
        }
        return done
    }
}
