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
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, permissions)
        guard fd >= 0 else { throw FileWriteError(path: temporary, reason: String(cString: strerror(errno))) }
        var failure: String?
        let written: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            failure = writeAll(fd, buffer)
        }
        if written == nil { failure = Array(bytes).withUnsafeBufferPointer { writeAll(fd, $0) } }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: path, reason: failure)
        }
    }

    /// Writes UTF-8 text to `path` atomically.
    public static func write(_ text: String, to path: String, permissions: mode_t = 0o644) throws(FileWriteError) {
        try write(Array(text.utf8), to: path, permissions: permissions)
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
