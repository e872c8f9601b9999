import GRDB
import GRDBSQLite

/// An INSERT run for every row of a large write inside one transaction, its values bound
/// straight through SQLite's C API.
///
/// GRDB's `execute(arguments:)` boxes each value as `any DatabaseValueConvertible`, copies
/// them into `StatementArguments` and binds them from there: for an import of 300,000
/// attendance rows (three statements a row) that cost about as much as SQLite's own work on
/// the thread that writes, which is the one the import waits for. Values are bound as GRDB
/// binds them (text, 64-bit integer, NULL); a failed step throws GRDB's `DatabaseError` with
/// SQLite's message and the SQL, as `execute` does. Only for statements that change no
/// transaction state and that no GRDB observer watches (the store has none).
final class BulkStatement {
    private let connection: OpaquePointer
    private let handle: OpaquePointer
    private let parameters: Int32
    let sql: String

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database is closed", sql: sql)
        }
        var made: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &made, nil)
        guard code == SQLITE_OK, let made else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.connection = connection
        self.handle = made
        self.parameters = sqlite3_bind_parameter_count(made)
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds the values `bind` gives, in order, and runs the statement once.
    func execute(_ bind: (inout Values) -> Void) throws {
        var values = Values(handle: handle)
        bind(&values)
        precondition(values.count == parameters, "\(values.count) values for \(parameters) parameters: \(sql)")
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(handle)
    }

    /// The values of one run, bound one after the other (`?1`, `?2`, …).
    struct Values {
        fileprivate let handle: OpaquePointer
        fileprivate(set) var count: Int32 = 0

        mutating func text(_ value: String?) {
            count += 1
            guard var value else {
                sqlite3_bind_null(handle, count)
                return
            }
            let index = count
            value.withUTF8 { bytes in
                // An empty buffer may have no address; SQLite would bind NULL for that, not ''.
                let start = UnsafeRawPointer(bytes.baseAddress ?? empty.utf8Start)
                _ = sqlite3_bind_text(
                    handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
            }
        }

        mutating func integer(_ value: Int) {
            count += 1
            sqlite3_bind_int64(handle, count, Int64(value))
        }
    }
}

/// SQLite copies the bytes before `sqlite3_bind_text` returns.
nonisolated(unsafe) private let transient = unsafeBitCast(
    OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
/// The address bound for an empty text.
private let empty: StaticString = ""

/// One INSERT of many rows at a time (`VALUES (…), (…), …`): SQLite then runs its statement
/// once for every `rows` rows, instead of once per row. An import writes three tables' rows
/// for each of 300,000 lines; per row, running the statement cost about as much as storing it.
/// The rows are stored in the order given, as one INSERT each would store them (a later row
/// replaces an earlier one with the same key under `INSERT OR REPLACE`, ids rise in order).
final class BulkInsert<Row> {
    private let db: Database
    private let one: BulkStatement
    /// Made when a group of `rows` is first inserted (most writes insert a row or two).
    private var many: BulkStatement?
    private let manySQL: String
    private let rows: Int
    private let bind: (inout BulkStatement.Values, Row) -> Void

    /// - Parameter insert: the statement up to `VALUES`, e.g. `INSERT INTO t (a, b)`.
    /// - Parameter bind: binds one row's `columns` values, in order.
    init(
        _ db: Database, _ insert: String, columns: Int, rows: Int = 64,
        bind: @escaping (inout BulkStatement.Values, Row) -> Void
    ) throws {
        precondition(columns > 0 && rows > 0, "an INSERT of nothing")
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        self.db = db
        one = try BulkStatement(db, sql: "\(insert) VALUES \(row)")
        manySQL = "\(insert) VALUES " + Array(repeating: row, count: rows).joined(separator: ", ")
        self.rows = rows
        self.bind = bind
    }

    /// Inserts `values` in order: whole groups of `rows` at once, the rest one by one.
    func insert(_ values: some Collection<Row>) throws {
        var rest = values[...]
        while rest.count >= rows {
            let many = try self.many ?? BulkStatement(db, sql: manySQL)
            self.many = many
            let group = rest.prefix(rows)
            do { try many.execute { v in for row in group { bind(&v, row) } } } catch let error as DatabaseError {
                // Named by the one-row statement: the grouped one repeats its values 64 times.
                throw DatabaseError(
                    resultCode: error.resultCode, message: error.message, sql: "\(one.sql) (\(rows) rows at once)")
            }
            rest = rest.dropFirst(rows)
        }
        for row in rest { try one.execute { v in bind(&v, row) } }
    }
}
