import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why a file could not be written.
public struct FileWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}

/// Files replaced through a temporary name and a rename, so that a reader never sees half of one.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically (temporary file, then rename), readable by the
    /// `permissions` (0o600 for a private key).
    ///
    /// Unlike `Data.write(options: .atomic)` it does not fsync each file: feeds are rebuilt from the
    /// definitions at any time, and hundreds of fsyncs would dominate a district's run.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, permissions: mode_t = 0o644)
        throws(FileWriteError)
    {
        let temporary = temporaryName(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, permissions)
        guard fd >= 0 else { throw FileWriteError(path: temporary, reason: String(cString: strerror(errno))) }
        var failure: String?
        let written: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            failure = writeAll(fd, buffer)
        }
        if written == nil { failure = Array(bytes).withUnsafeBufferPointer { writeAll(fd, $0) } }
        if let failure = finish(fd, temporary, as: path, failure: failure) {
            throw FileWriteError(path: path, reason: failure)
        }
    }

    /// The name a file is written under before it is renamed to `path`.
    private static func temporaryName(for path: String) -> String { path + ".tmp-\(getpid())" }

    /// Closes the temporary file and renames it to `path`, or removes it when writing it
    /// failed (`failure`) or closing or renaming it fails; the system's message on failure.
    private static func finish(_ fd: Int32, _ temporary: String, as path: String, failure: String?) -> String? {
        var failure = failure
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if failure != nil { unlink(temporary) }
        return failure
    }

    /// Writes UTF-8 text to `path` atomically.
    public static func write(_ text: String, to path: String, permissions: mode_t = 0o644) throws(FileWriteError) {
        try write(Array(text.utf8), to: path, permissions: permissions)
    }

    /// A file written piece by piece as its content is made, on a thread of its own (so the
    /// making goes on meanwhile), and put in place only by `commit()`: until then it has a
    /// temporary name, and `abandon()` (or a failed write) removes it. A report of some 40 MB is
    /// written this way while it is made, instead of being held whole and written afterwards.
    public final class Stream: @unchecked Sendable {
        public let path: String
        private let temporary: String
        private let fd: Int32
        private let queue = DispatchQueue(label: "gremien.atomic-file")
        /// Bounds the pieces handed over and not yet written (a slow disk must not let them pile up).
        private let room = DispatchSemaphore(value: 32)
        /// The first failure of a write; read and written only on `queue`.
        private var failure: String?
        private var ended = false

        /// Opens the temporary file beside `path`.
        public init(to path: String, permissions: mode_t = 0o644) throws(FileWriteError) {
            self.path = path
            temporary = AtomicFile.temporaryName(for: path)
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, permissions)
            guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        }

        /// Pending pieces hold the stream, so this runs after the last of them was written.
        deinit { discard() }

        /// Hands `bytes` over to be written after those before (waits while 32 pieces are pending).
        public func append(_ bytes: [UInt8]) {
            room.wait()
            queue.async { [self] in
                defer { room.signal() }
                guard failure == nil else { return }
                failure = bytes.withUnsafeBufferPointer { AtomicFile.writeAll(fd, $0) }
            }
        }

        /// Waits for every piece, then closes the file and renames it to `path`; on a failure the
        /// temporary file is removed and the error names `path`.
        public func commit() throws(FileWriteError) {
            let failed: String? = queue.sync {
                ended = true
                return AtomicFile.finish(fd, temporary, as: path, failure: failure)
            }
            if let failed { throw FileWriteError(path: path, reason: failed) }
        }

        /// Waits for the pieces handed over, then removes the temporary file: `path` stays as it was.
        public func abandon() {
            queue.sync { discard() }
        }

        /// Closes and removes the temporary file unless the stream has ended.
        private func discard() {
            guard !ended else { return }
            close(fd)
            unlink(temporary)
            ended = true
        }
    }

    /// Writes the whole buffer, retrying on EINTR; the system's message on failure.
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>) -> String? {
        guard let base = buffer.baseAddress else { return nil }
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += n
        }
        return nil
    }
}
