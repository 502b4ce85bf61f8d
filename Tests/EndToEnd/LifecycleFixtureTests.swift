import Foundation
import MadoguchiCore
import Testing

// Shared by the lifecycle end-to-end tests (issue 3): two applications typed once into the real desk,
// the dates of R-DT-1 / R-HC-2 computed independently of the program, and the server's files.

/// One assistance-only and one insured application, typed once per test run in tmux (like
/// `SavedApplication`); each lifecycle test copies the data directory.
struct LifecycleCases: Sendable {
    let dataDir: URL

    /// 医療扶助単独, 被保険者枝番 1234567890123456, 受給者番号 1234566.
    static let assistanceServerNumber = "1234567890123456"
    static let assistanceRecipient = "1234566"
    /// 医療保険・医療扶助併用 (全国健康保険協会 01130012), 被保険者枝番 2345678901234567.
    static let insuredServerNumber = "2345678901234567"
    static let insuredRecipient = "2345676"        // check digit of 234567 is 6 (R-ID-3)
    static let insurerNumber = "01130012"
    /// The demo office (config/demo/office.toml).
    static let serverCode = "D1300019"
    static let publicPayerNumber = "12130019"

    static var assistanceCase: String { String(format: "%04d-0001", JapanDate.today().year) }
    static var insuredCase: String { String(format: "%04d-0002", JapanDate.today().year) }

    static let typed = Task<LifecycleCases, any Error> { try await typeBoth() }

    /// A private copy of the typed data directory under a fresh temp folder.
    static func copy(_ label: String) async throws -> (root: URL, data: URL) {
        let fixture = try await typed.value
        let root = try E2E.makeTempDir(label)
        let data = root.appendingPathComponent("data")
        try FileManager.default.copyItem(at: fixture.dataDir, to: data)
        return (root, data)
    }

    static func typeBoth() async throws -> LifecycleCases {
        let root = try SavedApplication.fixtureRoot().appendingPathComponent("lifecycle")
        let data = root.appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.waitForDesk()

        // 1. Assistance-only (the key sequence of IntakeEndToEndTests), with its 被保険者枝番.
        try await typeAssistanceOnlyApplication(t, recipient: assistanceRecipient, serverNumber: assistanceServerNumber)

        try await t.waitForAll([Page.review, "保存できます。", "ヤマダ　タロウ"])
        try t.keys("F2")
        try await t.waitFor("保存しました（案件番号 \(assistanceCase)）")
        try t.keys("Escape")
        try await t.waitFor("並び：")

        // 2. Insured, 本人, 全国健康保険協会 01130012, with a 被保険者枝番 so the monthly file can match it.
        try t.keys("F2")
        try await t.waitFor(Page.applicant)
        try await t.waitForGone("ﾔﾏﾀﾞ")                                // a fresh application
        try typeApplicantPage(t, furigana: "すずき はなこ", name: "鈴木　花子", birth: "平成1年1月8日", prefecture: "東京都",
                              recipient: insuredRecipient, serverNumber: insuredServerNumber)

        try await t.waitFor(Page.form)
        try t.keys("Space", "Tab", "Space", "Tab", "Space", "Tab")
        try t.type("保険証として使いたくないため"); try t.keys("Tab", "Tab", "Enter")

        try await t.waitFor(Page.branch)
        try t.keys("2", "Tab")                                   // 医療保険・医療扶助併用
        try t.type("全国健康保険協会"); try t.keys("Tab")
        try t.type(insurerNumber); try t.keys("Tab")
        try t.keys("1", "Tab")                                   // 申請済み
        try t.keys("1")                                          // 情報提供NWSで照会
        try await t.waitFor("< 情報提供NWSで照会 > 1/5")
        try t.keys("Enter")

        try await t.waitFor(Page.tickets)
        try t.keys("1", "Enter")

        try await t.waitFor(Page.explain)
        try await t.waitFor("g 保険者にも解除の申請が必要")
        for _ in 0..<6 { try t.keys("Space", "Tab") }
        try t.keys("Space", "Enter")

        try await t.waitForAll([Page.review, "保存できます。", "スズキ　ハナコ"])
        try t.keys("F2")
        try await t.waitForAll(["保存しました（案件番号 \(insuredCase)）", "保険者の登録待ち"])
        try t.keys("F10")
        try await t.waitFor("EXITED:0")
        return LifecycleCases(dataDir: data)
    }
}

/// A calendar date, with the forms the desk and the files use; computed here, not by the program.
struct Day: Equatable, CustomStringConvertible {
    let year: Int, month: Int, day: Int

    static var today: Day { let t = JapanDate.today(); return Day(year: t.year, month: t.month, day: t.day) }

    /// The last day of the month `months` after this date's month (R-DT-1: months = 1).
    func lastDayOfMonth(plus months: Int) -> Day {
        let index = year * 12 + (month - 1) + months
        let y = index / 12, m = index % 12 + 1
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return Day(year: y, month: m, day: days)
    }

    /// R8.12.31 (the list), 令和8年12月31日 (details, reports), 20261231 (server files).
    var short: String { "R\(JapanDate.reiwa(year)).\(month).\(day)" }
    var long: String { "令和\(JapanDate.reiwa(year))年\(month)月\(day)日" }
    var compact: String { String(format: "%04d%02d%02d", year, month, day) }
    var description: String { short }
}

/// The files the 中間サーバー sends back, in the default layouts of docs/engineering/interchange.md (CP932, CRLF, header row).
enum ServerFile {
    static let resultHeader = "保険者コード,被保険者枝番,保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,処理結果区分,処理結果メッセージ"
    static let statusHeader = "保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,被保険者枝番,初回登録状態,初回登録日,初回登録解除日,初回登録解除区分,電子証明書有効期限"

    /// CP932 with CRLF after every line.
    static func cp932(_ lines: [String]) throws -> Data {
        guard let d = lines.map { $0 + "\r\n" }.joined().data(using: .shiftJIS) else {
            throw E2EError("not encodable in CP932: \(lines)")
        }
        return d
    }

    /// The exported row (six columns, as written) with 処理結果区分 and an empty message.
    static func result(exportedRows: [String], code: String = "1") throws -> Data {
        try cp932([resultHeader] + exportedRows.map { "\($0),\(code)," })
    }

    /// One row of the monthly file: 状態 0, 解除日 filled, 区分 1 (R-CF-1). A person is listed under the
    /// 保険者番号 the office registered them with: its 公費負担者番号 (the export's third column).
    static func statusRow(server: String, recipient: String, registeredOn: String = "", cancelledOn: String,
                          insurer: String = LifecycleCases.publicPayerNumber) -> String {
        "\(insurer),,\(recipient),,\(server),0,\(registeredOn),\(cancelledOn),1,"
    }

    /// A monthly status file with one row: the fixture's assistance-only case, registered on
    /// 2021-04-01 and its cancellation on `cancelledOn` (YYYYMMDD), written to `url` (CP932, CRLF).
    static func writeAssistanceStatus(cancelledOn: String, to url: URL) throws {
        try write(try cp932([statusHeader, statusRow(server: LifecycleCases.assistanceServerNumber,
                                                    recipient: LifecycleCases.assistanceRecipient,
                                                    registeredOn: "20210401", cancelledOn: cancelledOn)]), to: url)
    }

    static func write(_ data: Data, to url: URL) throws {
        try data.write(to: url)
    }
}

extension E2E {
    /// The files in `<data>/exports/`, sorted.
    static func exports(_ data: URL) -> [URL] {
        let dir = data.appendingPathComponent("exports")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// The status of every case from `madoguchi cases --json`.
    static func statuses(_ data: URL) throws -> [String: String] {
        let out = try madoguchi(["cases", "--json"], dataDir: data)
        guard out.status == 0 else { throw E2EError("cases --json exited \(out.status): \(out.stderr)") }
        guard let all = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]] else {
            throw E2EError("cases --json did not print a JSON array:\n\(out.stdout)")
        }
        var r: [String: String] = [:]
        for c in all { if let n = c["number"] as? String { r[n] = c["status"] as? String ?? "?" } }
        return r
    }

    /// A report screen with its wrapped lines joined back (the desk wraps at the screen's width and
    /// indents the rest), so a long path or a count split over two lines is found whole.
    static func unwrapped(_ screen: String) -> String {
        screen.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.joined()
    }

    /// The screen line that shows `text` (a case number in the list), or "".
    static func line(containing text: String, in screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }
}
