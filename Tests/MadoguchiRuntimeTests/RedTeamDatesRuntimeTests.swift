import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// Issue 12 item 7 through the desk's services: F4's registration date (R-RG-9) that cannot be true
/// is refused on the report naming 登録日 and the case, and nothing is journaled.
@Suite("Red team: the desk's F4 registration date (issue 12 item 7)", .tags(.unit))
struct RedTeamDatesRuntimeTests {
    @Test("F4 → 登録結果ファイル with a registration date in 2099 or before the export: できませんでした, 登録日 and the case named, journal untouched")
    func importWithImpossibleRegistrationDate() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.role == .clerk }!
        let result = try RuntimeFixture.exportedAndAccepted(config, services)
        let before = try Data(contentsOf: config.journalURL)
        for (day, said) in [(LocalDate(year: 2099, month: 1, day: 1)!, "今日（令和8年11月24日）より後"),
                            (LocalDate(year: 2020, month: 4, day: 1)!, "一括登録ファイルの出力日（令和8年11月24日）より前")] {
            let lines = services.perform(.importFile(.results, path: result.path, allowBadRows: false, registeredOn: day), by: clerk)
                .flatMap { m -> [String] in if case .operationDone(_, let lines, _, _) = m { return lines } else { return [] } }
            #expect(lines.contains { $0.hasPrefix("できませんでした：登録日") && $0.contains(c.number) && $0.contains(said) }, "\(lines)")
        }
        #expect(try Data(contentsOf: config.journalURL) == before)
        #expect(services.store.book[c.number]?.status == .exported)
    }
}
