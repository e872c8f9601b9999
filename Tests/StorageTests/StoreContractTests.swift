import Coordination
import Foundation
import GremienTestSupport
import Storage
import StorageSQLite
import Testing

/// One contract, every store (`GremienTestSupport.StoreContract`): each method and each kind of
/// refusal, on the memory store, SQLite and PostgreSQL (when the tests have a server), and all
/// answer the same.
@Suite struct StoreContractTests {
    @Test(arguments: StoreKind.allCases) func syncStoresTheDefinitions(kind: StoreKind) async throws {
        try await StoreContract.syncStoresTheDefinitions(kind)
    }

    @Test(arguments: StoreKind.allCases) func removedBodiesAreArchivedAndRestored(kind: StoreKind) async throws {
        try await StoreContract.removedBodiesAreArchivedAndRestored(kind)
    }

    @Test(arguments: StoreKind.allCases) func subjectTimesAndFilteredEntries(kind: StoreKind) async throws {
        try await StoreContract.subjectTimesAndFilteredEntries(kind)
    }

    @Test(arguments: StoreKind.allCases) func removedSeriesIsArchivedWithItsBody(kind: StoreKind) async throws {
        try await StoreContract.removedSeriesIsArchivedWithItsBody(kind)
    }

    @Test(arguments: StoreKind.allCases) func sessionChanges(kind: StoreKind) async throws {
        try await StoreContract.sessionChanges(kind)
    }

    @Test(arguments: StoreKind.allCases) func peopleAndAttendance(kind: StoreKind) async throws {
        try await StoreContract.peopleAndAttendance(kind)
    }

    @Test(arguments: StoreKind.allCases) func minutesAgendaAndActionItems(kind: StoreKind) async throws {
        try await StoreContract.minutesAgendaAndActionItems(kind)
    }

    @Test(arguments: StoreKind.allCases) func expectationsAreCheckedInTheWrite(kind: StoreKind) async throws {
        try await StoreContract.expectationsAreCheckedInTheWrite(kind)
    }

    @Test(arguments: StoreKind.allCases) func seats(kind: StoreKind) async throws {
        try await StoreContract.seats(kind)
    }

    @Test(arguments: StoreKind.allCases) func tokens(kind: StoreKind) async throws {
        try await StoreContract.tokens(kind)
    }

    @Test(arguments: StoreKind.allCases) func eventLog(kind: StoreKind) async throws {
        try await StoreContract.eventLog(kind)
    }

    /// Every step of the contract, refusals included, answered word for word alike by every store.
    @Test func bothStoresAnswerAlike() async throws {
        var transcripts: [StoreKind: [String]] = [:]
        for kind in StoreKind.allCases {
            let t = StoreContract.Transcript()
            try await StoreContract.syncStoresTheDefinitions(kind, t)
            try await StoreContract.sessionChanges(kind, t)
            try await StoreContract.peopleAndAttendance(kind, t)
            try await StoreContract.minutesAgendaAndActionItems(kind, t)
            try await StoreContract.expectationsAreCheckedInTheWrite(kind, t)
            try await StoreContract.tokens(kind, t)
            try await StoreContract.eventLog(kind, t)
            transcripts[kind] = t.lines
        }
        #expect(transcripts[.memory]?.count == 30)
        for kind in StoreKind.allCases { #expect(transcripts[kind] == transcripts[.memory], "\(kind)") }
    }

    @Test func sqliteKeepsItsDataAcrossOpeningsAndNamesABadPath() async throws {
        let path = TemporaryFile.path("reopen", "sqlite")
        defer { TemporaryFile.removeSQLite(path) }
        let district = try TestDistrict.district()
        do {
            let store = try SQLiteStore(path: path)
            try await store.apply(
                SyncPlan.between(stored: StoredDefinitions(), files: district, at: TestDistrict.time),
                at: TestDistrict.time, actor: "a"
            )
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.definitions().bodies == district.bodies)
        #expect {
            _ = try SQLiteStore(path: "/nonexistent-folder/x.sqlite")
        } throws: { error in
            guard case .unavailable(let message) = error as? StorageError else { return false }
            return message.hasPrefix("cannot open the store /nonexistent-folder/x.sqlite: ")
        }
    }
}
