import Foundation
import Testing
@testable import MadoguchiCore
import MadoguchiBench

/// Issue 14: the benchmark's synthetic office is a production office as the desk leaves one — signed
/// from `office.opened`, keys enrolled, the last supervisor checkpoint before the last lines — and the
/// same seed gives the same bytes.
@Suite("Synthetic production office (issue 14)", .tags(.unit))
struct SyntheticProductionOfficeTests {
    static let size = SyntheticOffice.Size(cases: 40, events: 400, statusRows: 60)

    func temp(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-synthetic-\(label)-\(UUID().uuidString)")
    }

    @Test("Signed, enrolled, checkpointed; it loads and verifies; the same seed gives the same journal")
    func productionOffice() throws {
        let a = temp("a"), b = temp("b")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let office = try SyntheticOffice.generateProduction(into: a, size: Self.size, seed: 11, account: "clerk1")
        let again = try SyntheticOffice.generateProduction(into: b, size: Self.size, seed: 11, account: "clerk1")
        #expect(try Data(contentsOf: office.output.journal) == Data(contentsOf: again.output.journal))

        let report = Journal.verify(url: office.output.journal)
        #expect(report.ok, "\(String(describing: report.problem))")
        #expect(report.lineCount == office.output.lines)

        let store = CaseStore(journalURL: office.output.journal)
        let loaded = try store.load()
        #expect(loaded.records.first?.eventType == .officeOpened)
        #expect(loaded.records.filter { $0.eventType == .keyEnrolled }.count == 2)
        let trust = try #require(store.journal.trust)
        #expect(trust.office?.mode == "production")
        let checkpoint = try #require(office.output.checkpoint)
        #expect(trust.lastCheckpoint?.seq == checkpoint.seq)
        // About 1% of the lines follow the checkpoint; only those had their signatures checked.
        #expect(office.linesAfterCheckpoint >= 1 && office.linesAfterCheckpoint <= office.output.lines / 50)
        #expect(trust.signaturesChecked == office.linesAfterCheckpoint + 1)   // and the checkpoint line itself
        #expect(store.book.count == Self.size.cases)

        // The config binds every operator to the account; the keys are the enrolled ones.
        let config = try OfficeConfig.load(from: office.config)
        #expect(!config.isTraining && config.operators.allSatisfy { $0.account == "clerk1" })
        let keys = OperatorKeyStore(directory: office.keys)
        for op in config.operators {
            let key = try keys.load(operatorID: op.id, office: config.publicPayerNumber) { nil }
            #expect(trust.activeKey(of: op.id)?.publicKey == key.publicKey)
        }
    }
}
