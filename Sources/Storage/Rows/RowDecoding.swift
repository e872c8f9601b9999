import Coordination
import Foundation

// Plain Codable rows, one per table (`…Row`), apart from the domain types (GRDB's
// RecordRecommendedPractices): each maps to and from a domain value and knows nothing of a
// database; a backend adds its record conformance (StorageSQLite: `Rows+GRDB.swift`) and runs SQL.
// Here: reading stored text back into domain values; an unreadable value is `StorageError.corrupt`.

/// A stored word read back as its enum case; an unknown word means the file was changed or is newer.
func value<E: RawRepresentable>(_ raw: String, _ field: String, of what: String) throws(StorageError) -> E
where E.RawValue == String {
    guard let v = E(rawValue: raw) else { throw .unreadable(what: what, reason: "\(field) '\(raw)'") }
    return v
}

func date(_ text: String?, _ what: String) throws(StorageError) -> CivilDate? {
    guard let text else { return nil }
    guard let d = CivilDate(iso: text) else { throw .unreadable(what: what, reason: "date '\(text)'") }
    return d
}

/// A stored time, or `corrupt` naming the record and field.
func time(_ text: String, _ field: String, of what: String) throws(StorageError) -> LocalDateTime {
    guard let t = LocalDateTime(iso: text) else { throw .unreadable(what: what, reason: "\(field) '\(text)'") }
    return t
}
