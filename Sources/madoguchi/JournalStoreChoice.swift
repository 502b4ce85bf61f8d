import Foundation
import MadoguchiCore
#if PostgreSQL
import MadoguchiPostgres
#endif

/// The office's journal store for `op` (issue 15): its local file, or — `[store] kind = "postgres"` —
/// the city's database, connected as `op`'s own role (peer or SCRAM proves it).
func openJournalStore(_ config: OfficeConfig, as op: Operator) throws -> any JournalStore {
    switch config.store {
    case .jsonl:
        return Journal(url: config.journalURL)
    case .postgres(let location):
        #if PostgreSQL
        do {
            return try OfficeDatabase.store(config, location: location, as: op)
        } catch let e as PostgresLinkError {
            throw StartupError(e.description)
        } catch let e as JournalStoreError {
            throw StartupError(e.description)
        }
        #else
        _ = location
        throw StartupError(withoutPostgres(config))
        #endif
    }
}

/// What a binary built without the PostgreSQL trait says to a PostgreSQL office.
func withoutPostgres(_ config: OfficeConfig) -> String {
    "この事務所の記録は PostgreSQL にあります（\(config.source.path) の [store]）が、このプログラムは PostgreSQL なしで作られています。"
        + "swift build -c release --traits PostgreSQL で作り直してください"
}
