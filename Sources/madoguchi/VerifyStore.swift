import ArgumentParser
import Foundation
import MadoguchiCore
#if PostgreSQL
import MadoguchiPostgres
#endif

extension Verify {
    /// `madoguchi verify` of a PostgreSQL office (issue 15): every row the operator's own role may read
    /// (`exactLines()`), verified as a file is — layout, chain, every signature, roles, approvals,
    /// office — and against this machine's witness (`<data>/journal.postgres-<office>.anchor`), which
    /// finds lines cut from the end by someone who bypassed the triggers. Nothing is written but the
    /// access record. The database proves who reads (peer or SCRAM), so no key is asked for.
    func verifyStore(_ opened: OpenedOffice) throws {
        let config = opened.config
        #if PostgreSQL
        if checkpoint != nil {
            throw StartupError("--checkpoint はデータベースの事務所ではまだ使えません。madoguchi migrate --to jsonl --out FILE で書き出し、madoguchi verify --journal FILE --checkpoint … で確かめてください")
        }
        let op = try resolveOperator(config, explicit: self.operator)
        let store = try openJournalStore(config, as: op)
        let bytes: [UInt8]
        do { bytes = try store.exactLines() } catch let e as JournalStoreError {
            throw StartupError("\(store.name): \(e.description)")
        } catch let e as JournalStoreUnavailable {
            throw StartupError("\(store.name): \(e.description)")
        } catch JournalError.badLine(_, let line, let reason) {
            // A row missing in the middle (the seq column itself): as a bad line, exit 1.
            writeStandardError("\(store.name) \(line)行目（seq \(line)）: \(reason)\n")
            throw ExitCode(1)
        }
        guard !bytes.isEmpty else {
            writeStandardError("\(store.name): 記録が 1 行も読めません（職員 \(op.id) のロールがこの事務所の職員として登録されていないか、記録がまだありません。madoguchi db status で確かめてください）\n")
            throw ExitCode(1)
        }
        let witness = config.databaseWitness
        let report = JournalWitness.verify(bytes: bytes, witness: witness, unsignedEraRoles: config.rolesByID)
        if let problem = report.problem {
            let at = problem.line > 0 ? " \(problem.line)行目（seq \(problem.line)）" : ""
            writeStandardError("\(store.name)\(at): \(problem.reason)\n")
            throw ExitCode(1)
        }
        recordVerified(opened, lines: report.lineCount, place: store.name)
        print(Self.summary(report, anchorName: witness.path + ".anchor", place: store.name))
        #else
        throw StartupError("この事務所の記録は PostgreSQL にあります（\(config.source.path) の [store]）が、" + rebuildWithPostgres)
        #endif
    }
}
