#if canImport(Glibc)
    import Glibc
#endif

/// A text as its bytes, for keys of a cache of written lines: Swift compares and hashes
/// `String`s by canonical equivalence, so "é" written as one scalar and as e with a combining
/// accent would be one key, though libical writes their bytes as given. Hashed and compared as
/// bytes, which is also faster.
public struct ExactText: Hashable, Sendable {
    public var text: String

    public init(_ text: String) { self.text = text }

    public static func == (a: ExactText, b: ExactText) -> Bool {
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

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
