/// An optional value that JSON writes as `null` when absent, instead of leaving the key out, so
/// that every object of a kind has the same keys (reports, the API).
public struct Nullable<T: Encodable>: Encodable {
    public var value: T?

    public init(_ value: T?) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}

extension Nullable: Sendable where T: Sendable {}
