import Foundation
@testable import MadoguchiCore
import Testing

/// Problems the robustness tests of issue 6 found, each pinned by a test.
@Suite("Issue 6 regressions", .tags(.unit))
struct Issue6RegressionTests {
    static func tempJournal() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-regress-\(UUID().uuidString)")
            .appendingPathComponent("data").appendingPathComponent("journal.jsonl")
    }

    @Test("Monkey: F3 on an office without cases (a refused append) creates neither the journal nor its folder")
    func refusedAppendCreatesNothing() throws {
        let url = Self.tempJournal()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent().deletingLastPathComponent()) }
        let store = CaseStore(journalURL: url)
        try store.load()
        let office = OfficeConfig(officeName: "デモ", publicPayerNumber: "12130019", serverCode: "D1300019", mode: .training,
                                  dataDirectory: url.deletingLastPathComponent(),
                                  operators: [Operator(id: "yamada", name: "山田", role: .clerk)], source: url)
        #expect(throws: (any Error).self) { try store.prepareBatch(office: office, by: office.operators[0], now: Date()) }
        #expect(!FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path))

        // An empty append creates nothing either; a real one creates the file (0600) as before.
        let journal = Journal(url: url)
        _ = try journal.append(knownCount: 0) { _ in [] }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        let written = try journal.append(knownCount: 0) { _ in
            [EventDraft(caseNumber: "-", type: "test.event", data: .object([:]), operatorID: "yamada", time: Date())]
        }
        #expect(written.appended.count == 1)
        #expect(Journal.verify(url: url).ok)
    }

    @Test("Fuzzing: TOML that made toml++ assert is refused with the line; valid TOML with [ inside strings and arrays still loads")
    func tomlHeaderGuard() throws {
        for bad in ["[\n", "[[\n", "[ \t\n", "[、x]\n", "a = 1\n[=]\n", "[[ゆ]]\n", "a = [}]\n", "a = [1, }]\n", "a = [\n  [ }\n]\n", "a = [[[[{}[}]\n"] {
            #expect(SafeTOML.problem(bad) != nil, "\(bad.debugDescription) must be refused")
            #expect(throws: ConfigError.self) { try SafeTOML.parse(bad, fileLabel: "x.toml") }
        }
        let good = """
        # [注意] comment
        title = "[見出し]"
        help = \"\"\"
        [注意] 複数行の文字列の中の [ は見出しではありません
        [
        \"\"\"
        lit = '''
        [、
        '''
        nested = [
          [1, 2],
          [
            3,
          ],
        ]
        inline = { a = [ "[" ] }
        [ "quoted key" ]
        x = 1
        [[pages]]
        id = "p"
        [ pages.sub ]
        """
        #expect(SafeTOML.problem(good) == nil)
        _ = try SafeTOML.parse(good, fileLabel: "good.toml")
        // The shipped files still load.
        _ = try FormLoader.load(from: RobustEnv.repoRoot.appendingPathComponent("screens/intake.toml"))
        _ = try OfficeConfig.load(from: RobustEnv.repoRoot.appendingPathComponent("config/demo/office.toml"), environment: ["HOME": "/h"])
    }
}

@Suite("Issue 6 regressions: server files", .tags(.unit))
struct Issue6ServerFileTests {
    static let header = "保険者コード,被保険者枝番,保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,処理結果区分,処理結果メッセージ"

    static func cp932(_ lines: [String]) -> Data { (lines.joined(separator: "\r\n") + "\r\n").data(using: .shiftJIS)! }

    @Test("R-FL-4: a data row wider than the header is a bad row (an unquoted comma cut the message); trailing empty fields are fine")
    func widerThanHeader() throws {
        let wide = try ResultFile.parse(Self.cp932([Self.header, "D1300019,1000000000000001,12130019,,1000016,,2,番号が違います,再送してください"]),
                                        config: .default)
        #expect(wide.rows.isEmpty)
        #expect(wide.problems.map(\.description) == ["2行目: 列が多すぎます（9列あります。見出しは8列なので8列のはずです）。カンマを含む値は引用符（\"）で囲んでください"])
        let trailing = try ResultFile.parse(Self.cp932([Self.header, "D1300019,1000000000000001,12130019,,1000016,,1,正常終了,,"]), config: .default)
        #expect(trailing.problems.isEmpty)
        #expect(trailing.rows.count == 1)
        let quoted = try ResultFile.parse(Self.cp932([Self.header, "D1300019,1000000000000001,12130019,,1000016,,2,\"番号が違います,再送してください\""]),
                                          config: .default)
        #expect(quoted.problems.isEmpty)
        #expect(quoted.rows.first?.message == "番号が違います,再送してください")
    }
}
