import Foundation
import Testing
@testable import MadoguchiCore

/// A scenario's text keys written as another kind of TOML value (issue 16 item 2: no silent
/// defaults): refused naming the key and its line, never read as absent or as the default.
@Suite("Scenario files: text keys of another kind are refused", .tags(.unit))
struct ScenarioTextKeysTests {
    static let standard = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/training/scenarios/01-standard.toml")

    func loadChanged(_ from: String, _ to: String) throws -> ConfigError {
        let text = try String(contentsOf: Self.standard, encoding: .utf8)
        #expect(text.contains(from), "the bundled scenario changed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("01-standard.toml")
        try Data(text.replacingOccurrences(of: from, with: to).utf8).write(to: url)
        return try #require(throws: ConfigError.self) { try TrainingScenario.load(from: url) }
    }

    @Test("a date written as a TOML date, without quotes, is named as such, not as missing")
    func unquotedDate() throws {
        let e = try loadChanged("arrives = \"2026-11-02\"", "arrives = 2026-11-02")
        #expect(e.description.contains("arrives は文字列で書いてください（日付も \"2026-11-02\" のように引用符で囲みます）"), "\(e.description)")
        #expect(e.line == 3)
    }

    @Test("registration = 5 is refused, not taken as \"accepted\"")
    func numericRegistration() throws {
        let e = try loadChanged("registration = \"accepted\"", "registration = 5")
        #expect(e.description.contains("[server] の registration は文字列で書いてください"), "\(e.description)")
    }
}
