import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a file through a temporary name and a rename, so a reader never sees half a feed.
///
/// Unlike `Data.write(options: .atomic)` it does not fsync each file: feeds are rebuilt from the
/// definitions at any time, and hundreds of fsyncs would dominate a district's run.
func writeReplacing(_ text: String, to path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw CommandError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
    var failure: String?
    var text = text
    text.withUTF8 { buffer in
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            offset += n
        }
    }
    if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
        unlink(temporary)
        throw CommandError("cannot write \(path): \(failure)")
    }
}
