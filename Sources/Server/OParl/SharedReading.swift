/// The last value read for a key, and the reading under way: requests that arrive together
/// after a change share one reading instead of each starting its own.
///
/// The OParl endpoint reads what it shows again after every change of the store (an attendance
/// entry too). For a district with years of attendance that reading takes most of a second
/// and some 110 MB; without sharing, fifty clients polling right after a change made the
/// server read fifty times at once. A reading that fails is not kept: the next request reads
/// again. A `nil` key (the store's state unknown) is never shared or kept.
actor SharedReading<Key: Equatable & Sendable, Value: Sendable> {
    private var latest: (key: Key, reading: Task<Value, any Error>)?
    /// How many readings were started (for tests).
    private(set) var started = 0

    /// The value for `key`: the one read or being read for it, else read now by `read`.
    func value(for key: Key?, _ read: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let key, let latest, latest.key == key { return try await latest.reading.value }
        let reading = Task { try await read() }
        started += 1
        if let key { latest = (key, reading) }
        do {
            return try await reading.value
        } catch {
            if let key, let current = latest, current.key == key, current.reading == reading { latest = nil }
            throw error
        }
    }
}
