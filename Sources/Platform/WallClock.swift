import Coordination
import Foundation

/// Where "now" comes from. The domain never reads the time itself; workflows take a clock so
/// that tests can fix the moment and the command line and server use the system's.
public struct WallClock: Sendable {
    private let read: @Sendable () -> LocalDateTime

    /// A clock that answers `read()` (UTC wall time).
    public init(_ read: @escaping @Sendable () -> LocalDateTime) {
        self.read = read
    }

    /// The current moment, UTC.
    public func now() -> LocalDateTime { read() }

    /// The system's clock, to the second.
    public static let system = WallClock { LocalDateTime(localSeconds: Int64(Date().timeIntervalSince1970)) }

    /// A clock that always answers `moment` (tests).
    public static func fixed(_ moment: LocalDateTime) -> WallClock { WallClock { moment } }
}
