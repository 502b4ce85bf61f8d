#if PostgreSQL
import MadoguchiCore
import MadoguchiPostgres
import Testing

/// Issue 16 item 3: the database's errors leave a command by the one error path, as the setup's (2),
/// in the Japanese they were written in.
@Suite("The database's errors are user-facing (issue 16 item 3)", .tags(.unit))
struct UserFacingPostgresErrorTests {
    @Test("PostgresLinkError, JournalStoreError and OfficeMigration.Refused: their Japanese text, exit 2")
    func databaseErrorsConform() {
        let samples: [any UserFacingError] = [
            PostgresLinkError("データベースとの接続が切れました", connectionLost: true),
            JournalStoreError("この事務所の行ではありません"),
            OfficeMigration.Refused("/d/journal.jsonl 3行目: 署名が合いません。何も書き込んでいません"),
        ]
        for e in samples {
            #expect(e.userMessage == (e as? any CustomStringConvertible)?.description, "\(type(of: e))")
            #expect(e.userMessage.unicodeScalars.contains { (0x3040...0x9FFF).contains($0.value) }, "\(e.userMessage)")
            #expect(e.exitCode == UserFacing.setup, "\(type(of: e))")
        }
    }
}
#endif
