#if PostgreSQL
import MadoguchiCore

// The database's errors as a clerk reads them (issue 16 item 3): all of them the setup's (2) — the
// database, its accounts or the office's rows must be seen to.
extension PostgresLinkError: SetupError {}
extension JournalStoreError: SetupError {}
extension OfficeMigration.Refused: SetupError {}
#endif
