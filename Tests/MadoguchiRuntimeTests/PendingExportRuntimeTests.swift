import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// Issue 11 item 8 through the runtime's services: the pending list's `e`, twice in one second of
/// the office's clock, writes two files; the 受付者 column names the clerk, not the id.
@Suite("Pending CSV export in the runtime (issue 11 item 8)", .tags(.unit))
struct PendingExportRuntimeTests {
    @Test("two exports in the same clock second: pending-20261124-100000.csv and -2, names not ids, no temporary file")
    func twoExportsInOneSecond() throws {
        let (config, services, _) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.id == "yamada" }!
        var said: [String] = []
        for _ in 0..<2 {
            for message in services.perform(.exportPendingCSV(PendingFilter(), .number, descending: false), by: clerk) {
                if case .operationDone(_, let lines, _, _) = message { said += lines }
            }
        }
        let reports = config.dataDirectory.appendingPathComponent("reports")
        let names = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
        #expect(names == ["pending-20261124-100000-2.csv", "pending-20261124-100000.csv"], "\(names) \(said)")
        #expect(said.count == 2 && said.allSatisfy { $0.contains("CSV に書き出しました") }, "\(said)")
        let csv = try String(decoding: Data(contentsOf: reports.appendingPathComponent("pending-20261124-100000.csv")), as: UTF8.self)
        #expect(csv.contains(clerk.name) && !csv.contains(",yamada,"), "\(csv)")
    }
}
