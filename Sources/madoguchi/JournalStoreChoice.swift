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

/// `--office CODE…` of the city's commands, each checked as a 公費負担者番号 before any query
/// (`Validators.publicPayerNumber`: 8 digits, 法別番号 12, a prefecture, the check digit; R-ID-1, R-ID-3).
/// The set holds the validated form (full-width digits, spaces and hyphens normalized by the validator).
func checkedOfficeCodes(_ codes: [String]) throws -> Set<String>? {
    let context = ValidationContext(today: LocalDate(Date()))
    var checked = Set<String>()
    for code in codes {
        switch Validators.publicPayerNumber.validate(code, context) {
        case .success(let d) where !d.isEmpty:
            checked.insert(d)
        case .success:
            throw badOptionValue("--office", code, "事務所は 8 桁の半角数字（公費負担者番号）で書いてください")
        case .failure(let e):
            throw badOptionValue("--office", code, "事務所は 8 桁の半角数字（公費負担者番号）で書いてください：\(e.message)（R-ID-1・R-ID-3）")
        }
    }
    return codes.isEmpty ? nil : checked
}
