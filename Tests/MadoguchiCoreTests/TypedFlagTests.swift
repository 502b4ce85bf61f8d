import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 16 item 2: a yes/no key of a screen or scenario file is true, false or absent — a value of
/// another kind is refused naming the file and line, never read as false.
@Suite("Typed flags in screen and scenario files (issue 16)", .tags(.unit))
struct TypedFlagTests {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func replacingOnce(_ old: String, _ new: String, in text: String) throws -> String {
        let range = try #require(text.range(of: old), "\(old) is in the file")
        return text.replacingCharacters(in: range, with: new)
    }

    @Test("a screen file's required = \"yes\" and review = 1 are refused, naming the line")
    func screenFlags() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("screens/intake.toml"), encoding: .utf8)
        _ = try FormLoader.parse(text, fileLabel: "screens/test.toml")   // the real file loads
        let required = try Self.replacingOnce("required = true", "required = \"yes\"", in: text)
        let e = try #require(throws: ConfigError.self) { try FormLoader.parse(required, fileLabel: "screens/test.toml") }
        #expect(e.message.contains("required は true か false で書いてください"), "\(e.message)")
        #expect(e.file == "screens/test.toml" && e.line != nil)
        let review = try Self.replacingOnce("review = true", "review = 1", in: text)
        let r = try #require(throws: ConfigError.self) { try FormLoader.parse(review, fileLabel: "screens/test.toml") }
        #expect(r.message.contains("review は true か false で書いてください"), "\(r.message)")
        #expect(r.line != nil)
        // A field's when = 5 would otherwise show the field always.
        let when = try Self.replacingOnce("\nwhen = \"", "\nwhen = 5 # \"", in: text)
        let w = try #require(throws: ConfigError.self) { try FormLoader.parse(when, fileLabel: "screens/test.toml") }
        #expect(w.message.hasSuffix("の when は文字列で書いてください"), "\(w.message)")
        #expect(w.line != nil)
    }

    @Test("a scenario's holds_valid_tickets = \"yes\" is refused, naming the key's line")
    func scenarioFlag() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-typed-flags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOf: Self.root.appendingPathComponent("config/training/scenarios/01-standard.toml"), encoding: .utf8)
        let url = dir.appendingPathComponent("01-broken.toml")
        try Self.replacingOnce("holds_valid_tickets = true", "holds_valid_tickets = \"yes\"", in: text).write(to: url, atomically: true, encoding: .utf8)
        let e = try #require(throws: ConfigError.self) { try TrainingScenario.load(from: url) }
        #expect(e.message == "[person] の holds_valid_tickets は true か false で書いてください")
        #expect(e.file == url.path && e.line != nil)
        // Absent is false, as before.
        try Self.replacingOnce("holds_valid_tickets = true", "", in: text).write(to: url, atomically: true, encoding: .utf8)
        #expect(try TrainingScenario.load(from: url).person.holdsValidTickets == false)
    }

    @Test("a city operator's id that is not text is refused, not replaced by the account")
    func cityOperatorID() throws {
        var lines = CityConfigTests.lines
        let at = try #require(lines.firstIndex(of: "id = \"kimura\""))
        lines[at] = "id = 5"
        let e = try #require(CityConfigTests.error(lines))
        #expect(e.message.contains("id は半角英数字（- _ . も可）で書いてください"), "\(e.message)")
        lines.remove(at: at)
        #expect(try CityConfigTests.load(lines).operators.map(\.id) == ["kimura"], "absent: the account")
    }
}
