import Foundation
import Logging
import PostgresNIO
import Storage

/// A value bound to a statement: the types the store's rows are made of.
enum SQLValue: Sendable, Equatable {
    case text(String)
    /// A `text[]` (for `= ANY($n)`).
    case texts([String])
    case int(Int)
    case bool(Bool)
    case null
}

/// One connection of the pool, inside a transaction or a read, with the few operations the
/// store needs: statements with bound values, rows decoded into the `Storage` rows (their
/// `Codable` fields are the columns), inserts and upserts made from those rows.
///
/// Column names are the rows' field names in lower case: PostgreSQL folds the unquoted
/// camel-case names of the schema (`bodyId`) to `bodyid`.
struct SQLConnection {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and reads every row it returns.
    @discardableResult
    func rows(_ sql: String, _ values: [SQLValue] = []) async throws -> [PostgresRow] {
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings(values)), logger: logger).collect()
    }

    private func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for v in values {
            switch v {
            case .text(let s): binds.append(s)
            case .texts(let list): binds.append(list)
            case .int(let i): binds.append(i)
            case .bool(let b): binds.append(b)
            case .null: binds.appendNull()
            }
        }
        return binds
    }

    /// Runs a statement; its rows, if any, are read and dropped.
    func execute(_ sql: String, _ values: [SQLValue] = []) async throws {
        try await rows(sql, values)
    }

    /// The rows of a query as `Storage` rows.
    func fetch<T: Decodable>(_ type: T.Type, _ sql: String, _ values: [SQLValue] = []) async throws -> [T] {
        try await rows(sql, values).map { try T(from: ColumnDecoder(row: $0.makeRandomAccess())) }
    }

    /// The rows of a query as `Storage` rows, one at a time as the server sends them (none is
    /// kept).
    func each<T: Decodable>(
        _ type: T.Type, _ sql: String, _ values: [SQLValue] = [], _ body: (T) throws -> Void
    ) async throws {
        for try await row in try await connection.query(
            PostgresQuery(unsafeSQL: sql, binds: bindings(values)), logger: logger)
        {
            try body(try T(from: ColumnDecoder(row: row.makeRandomAccess())))
        }
    }

    /// The first row of a query as a `Storage` row.
    func fetchOne<T: Decodable>(_ type: T.Type, _ sql: String, _ values: [SQLValue] = []) async throws -> T? {
        guard let row = try await rows(sql, values).first else { return nil }
        return try T(from: ColumnDecoder(row: row.makeRandomAccess()))
    }

    /// Whether a query returns a row.
    func exists(_ sql: String, _ values: [SQLValue] = []) async throws -> Bool {
        try await !rows(sql, values).isEmpty
    }

    /// The first column of a query's rows as text.
    func strings(_ sql: String, _ values: [SQLValue] = []) async throws -> [String] {
        try await rows(sql, values).map { try $0.makeRandomAccess()[0].decode(String.self) }
    }

    /// The integer a query returns in its first row and column (0 when it returns none).
    func integer(_ sql: String, _ values: [SQLValue] = []) async throws -> Int {
        guard let row = try await rows(sql, values).first else { return 0 }
        return try row.makeRandomAccess()[0].decode(Int?.self) ?? 0
    }

    /// Inserts a row; columns whose value is NULL are left to their default (an identity
    /// column numbers the row). Returns `returning`'s value when named.
    @discardableResult
    func insert<T: Encodable>(_ row: T, into table: String, returning: String? = nil) async throws -> Int? {
        let columns = try RowColumns.of(row).filter { $0.value != .null }
        let names = columns.map(\.name).joined(separator: ", ")
        let marks = columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let tail = returning.map { " RETURNING \($0)" } ?? ""
        let result = try await rows(
            "INSERT INTO \(table) (\(names)) VALUES (\(marks))\(tail)", columns.map(\.value))
        guard returning != nil, let first = result.first else { return nil }
        return try first.makeRandomAccess()[0].decode(Int.self)
    }

    /// Inserts a row or, when one with the same `key` columns is there, replaces every other
    /// column of it (what SQLite's `INSERT OR REPLACE` and GRDB's `save` do).
    func upsert<T: Encodable>(_ row: T, into table: String, key: [String]) async throws {
        let columns = try RowColumns.of(row)
        let names = columns.map(\.name)
        let marks = columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let updates = names.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let action = updates.isEmpty ? "NOTHING" : "UPDATE SET \(updates)"
        try await execute(
            "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(marks)) "
                + "ON CONFLICT (\(key.joined(separator: ", "))) DO \(action)", columns.map(\.value))
    }

    /// Writes every column of a row whose `key` columns match.
    func update<T: Encodable>(_ row: T, in table: String, key: [String]) async throws {
        let columns = try RowColumns.of(row)
        var values: [SQLValue] = []
        var sets: [String] = []
        var wheres: [String] = []
        for c in columns where !key.contains(c.name) {
            values.append(c.value)
            sets.append("\(c.name) = $\(values.count)")
        }
        for c in columns where key.contains(c.name) {
            values.append(c.value)
            wheres.append("\(c.name) = $\(values.count)")
        }
        try await execute(
            "UPDATE \(table) SET \(sets.joined(separator: ", ")) WHERE \(wheres.joined(separator: " AND "))", values)
    }

    /// Inserts `Storage` rows as they are (NULLs and numbers included), in few statements.
    func insertRows<T: Encodable>(_ rows: [T], into table: String) async throws {
        guard let first = rows.first else { return }
        let columns = try RowColumns.of(first).map(\.name)
        var values: [[SQLValue]] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            let encoded = try RowColumns.of(row)
            guard encoded.map(\.name) == columns else {
                throw StorageError.unavailable("the rows for \(table) do not all have the same columns")
            }
            values.append(encoded.map(\.value))
        }
        try await insertMany(table, columns: columns, rows: values)
    }

    /// Inserts many rows of the same columns with few statements (at most 1,000 rows each).
    /// `conflict` is appended to each statement (`ON CONFLICT ...`).
    func insertMany(_ table: String, columns: [String], rows values: [[SQLValue]], conflict: String = "")
        async throws
    {
        let width = columns.count
        var start = values.startIndex
        while start < values.endIndex {
            let end = min(start + 1_000, values.endIndex)
            var flat: [SQLValue] = []
            flat.reserveCapacity((end - start) * width)
            var tuples: [String] = []
            for row in values[start..<end] {
                let first = flat.count
                flat.append(contentsOf: row)
                tuples.append("(" + (1...width).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            }
            try await execute(
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", ")) "
                    + conflict, flat)
            start = end
        }
    }
}

// MARK: - Rows as columns

/// The columns of a `Storage` row: its encoded fields by name (lower case). A field that is an
/// array or a structure is kept as JSON text, as GRDB keeps it in SQLite.
enum RowColumns {
    static func of<T: Encodable>(_ row: T) throws -> [(name: String, value: SQLValue)] {
        let sink = ColumnSink()
        try row.encode(to: ColumnEncoder(sink: sink))
        return sink.columns
    }
}

private final class ColumnSink {
    var columns: [(name: String, value: SQLValue)] = []
    func put(_ key: some CodingKey, _ value: SQLValue) { columns.append((key.stringValue.lowercased(), value)) }
}

private struct ColumnEncoder: Encoder {
    let sink: ColumnSink
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(ColumnWriter<Key>(sink: sink))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("a store row is a keyed record")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("a store row is a keyed record")
    }
}

private struct ColumnWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: ColumnSink
    var codingPath: [any CodingKey] = []

    mutating func encodeNil(forKey key: Key) throws { sink.put(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { sink.put(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { sink.put(key, .text(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { sink.put(key, .int(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { sink.put(key, .int(Int(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { sink.put(key, .int(Int(value))) }
    mutating func encode(_ value: Double, forKey key: Key) throws { sink.put(key, .text(String(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        sink.put(key, .text(String(decoding: try encoder.encode(value), as: UTF8.self)))
    }
    // A missing optional is a NULL column (an upsert must clear it), not a column left out.
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        preconditionFailure("a store row has no nested records")
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("a store row has no nested lists")
    }
    mutating func superEncoder() -> any Encoder { preconditionFailure("a store row has no superclass") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { preconditionFailure("a store row has no superclass") }
}

// MARK: - Rows from columns

struct ColumnDecoder: Decoder {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(ColumnReader<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: codingPath, debugDescription: "a store row is a keyed record"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "a store row is a keyed record"))
    }
}

private struct ColumnReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: PostgresRandomAccessRow
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] { row.compactMap { Key(stringValue: $0.columnName) } }

    private func cell(_ key: Key) -> PostgresCell { row[key.stringValue.lowercased()] }

    func contains(_ key: Key) -> Bool { row.contains(key.stringValue.lowercased()) }
    func decodeNil(forKey key: Key) throws -> Bool { cell(key).bytes == nil }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try cell(key).decode(Bool.self) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try cell(key).decode(String.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try cell(key).decode(Int.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try cell(key).decode(Int64.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { Int32(try cell(key).decode(Int.self)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        Double(try cell(key).decode(String.self)) ?? 0
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try cell(key).decode(String.self).utf8))
    }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        throw DecodingError.typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "a store row has no nested records"))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: codingPath, debugDescription: "a store row has no nested lists"))
    }
    func superDecoder() throws -> any Decoder { ColumnDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ColumnDecoder(row: row) }
}
