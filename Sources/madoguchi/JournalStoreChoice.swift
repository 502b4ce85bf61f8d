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
        return try OfficeDatabase.store(config, location: location, as: op)   // its errors are SetupErrors (exit 2)
        #else
        _ = location
        throw StartupError("この事務所の記録は PostgreSQL にあります（\(config.source.path) の [store]）が、" + rebuildWithPostgres)
        #endif
    }
}

/// What a binary built without the PostgreSQL trait says to anything that needs the database.
let rebuildWithPostgres = "このプログラムは PostgreSQL なしで作られています。swift build -c release --traits PostgreSQL で作り直してください（docs/postgresql.md）"

/// `--office CODE…` of the city's commands: 8 ASCII digits each (the 公費負担者番号), before any query.
func checkedOfficeCodes(_ codes: [String]) throws -> Set<String>? {
    if let bad = codes.first(where: { s in !(s.utf8.count == 8 && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }) }) {
        throw badOptionValue("--office", bad, "事務所は 8 桁の半角数字（公費負担者番号）で書いてください")
    }
    return codes.isEmpty ? nil : Set(codes)
}
