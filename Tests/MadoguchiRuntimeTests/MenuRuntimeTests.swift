import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// Issue 11 item 2 through the runtime (a scripted terminal, the real services): the menu digit and
/// the Enter its hint asks for, with every key read, drawn and its effect carried out in turn.
@Suite("Menus and forms through the runtime (issue 11)", .tags(.unit))
struct MenuRuntimeTests {
    @Test("F7 → 1 → Enter → a date typed: refused in 理由; the hold is journaled with the date typed into its date field, no 取消後の対応")
    func holdGetsTheTypedDate() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        _ = try services.store.record([(c.number, .exported(file: "f.csv")),
                                       (c.number, .registrationAccepted(registeredOn: LocalDate(year: 2026, month: 11, day: 24)!, file: nil))],
                                      operatorID: "yamada", now: RuntimeFixture.morning - 1800)
        // The office's today after the date typed: a notice dated after today is refused (issue 11).
        (services.clock as? ManualDeskClock)?.set(RuntimeFixture.morning + 11 * 86_400)
        #expect(try services.clock.today() == LocalDate(year: 2026, month: 12, day: 5))
        let terminal = ScriptedTerminal([.key(.function(7)), .key(.char("1")), .key(.enter)]
                                        + ScriptedTerminal.Step.keys("R8.12.1")
                                        + [.key(.enter), .key(.ctrl("u"))]
                                        + ScriptedTerminal.Step.keys("R8.12.1")
                                        + [.key(.enter), .key(.enter), .key(.char("y")), .idle])   // 月末処理の月 blank (R-HC-2); y: item 5's question
        try RuntimeFixture.runtime(terminal, services, config).run(operator: config.operators[0])
        #expect(terminal.frames.contains { $0.text.contains("は選ぶ欄です") })
        #expect(!terminal.frames.contains { $0.text.contains("取消後の対応") }, "a hold never shows 取消後の対応")
        let journal = try String(contentsOf: config.journalURL, encoding: .utf8)
        let held = try #require(journal.split(separator: "\n").last { $0.contains("\"server.held\"") })
        #expect(held.contains("2026-12-01"), "\(held)")
        #expect(!journal.contains("server.cancelled"))
    }

    @Test("F4 → 1 → Enter, a path, Enter ×3 and one Enter typed ahead: the import report stays until Esc")
    func reportStaysOnExtraEnter() throws {
        let config = try RuntimeFixture.office()
        let services = RuntimeFixture.services(config, clock: ManualDeskClock(RuntimeFixture.morning))
        let missing = config.dataDirectory.appendingPathComponent("no-such-result.csv").path
        let terminal = ScriptedTerminal([.key(.function(4)), .key(.char("1")), .key(.enter), .key(.text(missing)),
                                         .key(.enter), .key(.enter), .key(.enter), .key(.enter), .idle])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: config.operators[0])
        // The last frame before the scripted F10: the report, with how to close it.
        let beforeQuit = try #require(terminal.frames.last { !$0.text.contains("終了しますか") })
        #expect(beforeQuit.text.contains("登録結果ファイル（処理結果）の取り込み"), "\(beforeQuit.text)")
        #expect(beforeQuit.text.contains("Esc を押します"))
    }
}
