import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
@testable import MadoguchiUI

/// Issue 12 item 5 (R-FL-5) on the desk: a result file's message that would clear the screen and
/// set the clipboard (ESC [2J, OSC 52 … BEL) is shown as text (`<U+001B>`), and text an older journal
/// holds raw (a line separator, a bidi override, a C1 control) is drawn as `?`: no cell of any frame
/// the desk draws holds a control character.
@Suite("Red team: the desk draws no control character from a file or an old journal (R-FL-5)", .tags(.unit))
struct RedTeamDeskTextTests {
    /// Control scalars a terminal would act on or that reorder/break the line: Cc, Cf, Zl, Zp.
    static func controls(in canvas: Canvas) -> [String] {
        var found: [String] = []
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                for u in canvas[x, y].text.unicodeScalars {
                    switch u.properties.generalCategory {
                    case .control, .lineSeparator, .paragraphSeparator: found.append("(\(x),\(y)) " + String(format: "U+%04X", u.value))
                    case .format where u.value != 0x200D: found.append("(\(x),\(y)) " + String(format: "U+%04X", u.value))
                    default: break
                    }
                }
            }
        }
        return found
    }

    @Test("R-FL-5 the case's screen shows the imported message with <U+001B> and draws no control character; an old journal's raw U+2028, U+202E, U+009B are drawn as ?")
    func deskShowsEscapesAsText() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let store = services.store
        let clerk = config.operators.first { $0.role == .clerk }!
        let supervisor = config.operators.first { $0.role == .supervisor }!
        let now = RuntimeFixture.morning
        let batch = try store.prepareBatch(office: config, by: clerk, now: now)
        try services.signIn(supervisor)   // the approval is signed with the supervisor's own key (R-SG-1)
        _ = try store.decideBatch(batch.id, approve: true, comment: "", by: supervisor, now: now)
        try services.signIn(clerk)
        let export = try store.exportRegistrations(office: config, directory: config.exportDirectory, operatorID: clerk.id, now: now)
        let exported = try Data(contentsOf: URL(fileURLWithPath: try #require(export.file)))
        let row = try #require(String(data: exported, encoding: .shiftJIS)?.split(separator: "\r\n").last.map(String.init))
        let header = (RegistrationFile.columnNames + ["処理結果区分", "処理結果メッセージ"]).joined(separator: ",")
        let message = "\u{1B}[2J\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}登録できません"
        let result = try #require((header + "\r\n" + row + ",2," + message + "\r\n").data(using: .shiftJIS))
        let url = config.dataDirectory.appendingPathComponent("result.csv")
        try result.write(to: url)
        let report = try store.importResults(url, office: config, registeredOn: LocalDate(now), allowBadRows: false,
                                             operatorID: clerk.id, now: now)
        #expect(report.changes.count == 1, "\(report.summaryLines)")

        // A second case, as an older journal may hold it: raw controls in its failure message.
        let old = try RuntimeFixture.receive(store, name: "青木　次郎", furigana: "アオキ ジロウ", recipientBody: "345678", at: now)
        try store.record(.exported(file: "old.csv"), on: old.number, operatorID: clerk.id, now: now)
        try store.record(.registrationFailed(message: "古い記録\u{2028}改行\u{202E}逆順\u{9B}2J", file: "old.csv"), on: old.number,
                         operatorID: clerk.id, now: now)

        // The case list, then each case's screen (Enter opens the selected case, Esc returns).
        let terminal = ScriptedTerminal([.idle, .key(.enter), .idle, .key(.escape), .key(.down), .key(.enter), .idle, .key(.escape), .idle])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        #expect(terminal.frames.contains { $0.text.contains("<U+001B>[2J") }, "the imported message is shown as text:\n\(terminal.frames.map(\.text).joined(separator: "\n---\n"))")
        #expect(terminal.frames.contains { $0.text.contains("古い記録?改行?逆順?2J") }, "the old journal's message:\n\(terminal.frames.map(\.text).joined(separator: "\n---\n"))")
        for (i, frame) in terminal.frames.enumerated() {
            #expect(Self.controls(in: frame).isEmpty, "frame \(i): \(Self.controls(in: frame))\n\(frame.text)")
        }
        _ = c
    }
}
