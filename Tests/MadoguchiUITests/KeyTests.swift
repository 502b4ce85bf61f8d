import Testing
@testable import MadoguchiUI
import MadoguchiCore

@Suite("Keys: every F-key has a Ctrl twin", .tags(.unit))
struct KeyTests {
    @Test("Each entry of Command.functionKeys maps its F-key and its Ctrl twin to the same command",
          arguments: Command.functionKeys.map { ($0.fkey, $0.ctrl) })
    func twins(fkey: Int, ctrl: Character) {
        let entry = Command.functionKeys.first { $0.fkey == fkey }!
        #expect(Command.from(.function(fkey)) == entry.command)
        #expect(Command.from(.ctrl(ctrl)) == entry.command)
        #expect(entry.command != .none)
    }

    @Test("The table is F1/^G help, F2/^S, F3/^B, F4/^F, F5/^R, F6/^O, F7/^T, F8/^V, F9/^Y, F10/^X, F11/^W")
    func table() {
        let pairs = Command.functionKeys.map { "F\($0.fkey)/^\($0.ctrl)" }
        #expect(pairs == ["F1/^g", "F2/^s", "F3/^b", "F4/^f", "F5/^r", "F6/^o", "F7/^t", "F8/^v", "F9/^y", "F10/^x", "F11/^w"])
        #expect(Command.from(.function(9)) == .reminderList && Command.from(.ctrl("y")) == .reminderList)
        #expect(Command.from(.function(8)) == .pendingList && Command.from(.ctrl("v")) == .pendingList)
        #expect(Command.from(.function(3)) == .export && Command.from(.ctrl("b")) == .export)
        #expect(Command.from(.function(4)) == .importFile && Command.from(.ctrl("f")) == .importFile)
        #expect(Command.from(.function(7)) == .record && Command.from(.ctrl("t")) == .record)
        #expect(Command.from(.function(1)) == .help && Command.from(.ctrl("g")) == .help)
        #expect(Command.from(.function(2)) == .primary && Command.from(.ctrl("s")) == .primary)
        #expect(Command.from(.function(5)) == .reload && Command.from(.ctrl("r")) == .reload)
        #expect(Command.from(.function(6)) == .sort && Command.from(.ctrl("o")) == .sort)
        #expect(Command.from(.function(10)) == .quit && Command.from(.ctrl("x")) == .quit)
        #expect(Command.from(.function(11)) == .training && Command.from(.ctrl("w")) == .training)
    }

    @Test("Ctrl-C and Ctrl-Q quit; an F-key with no meaning does nothing")
    func ctrlC() {
        #expect(Command.from(.ctrl("c")) == .quit)
        #expect(Command.from(.ctrl("q")) == .quit)
        #expect(Command.from(.function(12)) == Command.none)
        var desk = UIFixture.desk()
        #expect(desk.press(.ctrl("c")) == [.quit])
    }

    @Test("Editing keys: Space toggles, text inserts, Enter activates, Esc goes back")
    func editingKeys() {
        #expect(Command.from(.char(" ")) == .toggle)
        #expect(Command.from(.char("山")) == .insert("山"))
        #expect(Command.from(.text("山田　太郎")) == .insert("山田　太郎"))
        #expect(Command.from(.enter) == .activate)
        #expect(Command.from(.escape) == .back)
        #expect(Command.from(.ctrl("u")) == .clearLine)
        #expect(Command.from(.ctrl("k")) == .killToEnd)
        #expect(Command.from(.ctrl("a")) == .home)
        #expect(Command.from(.ctrl("e")) == .end)
    }

    @Test("The Ctrl twins work on the desk: ^G opens help, ^S opens intake, ^X quits")
    func twinsOnTheDesk() {
        var desk = UIFixture.desk()
        desk.press(.ctrl("g"))
        #expect(desk.screen == .help)
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        desk.press(.ctrl("s"))
        #expect(desk.screen == .intake)
        #expect(desk.press(.ctrl("x")) == [.quit])   // nothing typed yet
    }
}
