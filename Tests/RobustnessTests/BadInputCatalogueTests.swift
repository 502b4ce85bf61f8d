import Foundation
@testable import MadoguchiCore
import Testing

/// Issue 6, item 5 — the bad-input catalogue: every row is an input a clerk (or a server file, or an
/// office's config) can give, the message the clerk then reads, and a check that the journal is
/// byte-identical afterwards. The messages are part of the product: each must name the field (or
/// file, row and column) and what is wrong. The table is written to `BadInputCatalogue.md` next to
/// this file (`MADOGUCHI_RECORD_CATALOGUE=1` rewrites it; otherwise the test fails when it is stale,
/// like the UI snapshots).
///
/// The rows run through the APIs the desk and the CLI call: `IntakeForm.check` over the shipped
/// `screens/intake.toml` (what F2 on the review page runs before `CaseStore.receive`), the
/// `madoguchi` binary for options, `CaseStore.importResults` / `importStatus` for server files,
/// `OfficeConfig.load` and `FormLoader` for the office's files.
@Suite("Bad-input catalogue (issue 6)", .tags(.unit))
struct BadInputCatalogueTests {
    struct Row: Sendable {
        let area: String
        let input: String
        /// Fragments the message must contain, in any order: the place (field, file, row, column) and the reason.
        let expect: [String]
        let run: @Sendable (Context) throws -> String
    }

    /// One office with two cases in its journal (one exported, waiting for its result file), so the
    /// imports have something they could change.
    final class Context: @unchecked Sendable {
        let env: RobustEnv
        let form: FormDefinition

        init() throws {
            env = try RobustEnv(root: FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-catalogue-\(UUID().uuidString)"))
            let a = try env.receive(RobustEnv.application(server: "1000000000000001", recipient: "100001"), tickets: true)
            try env.receive(RobustEnv.application(server: "2000000000000002", recipient: "100002", branch: .insured), tickets: false)
            try env.store.record(.exported(file: "FI_HIM_0018_D1300019_20261124.csv"), on: a.number, operatorID: "yamada", now: env.now)
            form = try FormLoader.load(from: RobustEnv.repoRoot.appendingPathComponent("screens/intake.toml"))
            // The first command in a training office opens its journal's signing and enrols the
            // sandbox's keys (issue 12): done once here, so each row's "journal unchanged" is about the row.
            let bin = try CLI.binary()
            let ready = try CLI.run(bin, ["reminders"], environment: cliEnvironment)
            guard ready.status == 0 else { throw CatalogueError("reminders: exit \(ready.status): \(ready.stderr)") }
        }

        var cliEnvironment: [String: String] {
            ["MADOGUCHI_DATA_DIR": env.root.appendingPathComponent("data").path, "MADOGUCHI_OPERATOR": "yamada", "LANG": "C.UTF-8"]
        }

        var today: LocalDate { LocalDate(year: 2026, month: 11, day: 24)! }

        /// The problems of one field after F2 on the review page, as the desk lists them
        /// (`label：message`); fails the row if the form could be saved.
        func intake(_ field: String, _ value: String, with extra: [String: String] = [:], tickets: [TicketDraft] = []) throws -> String {
            var values = IntakeForm.initialValues(form, today: today)
            for (k, v) in RobustEnv.goodIntake.merging(extra, uniquingKeysWith: { $1 }) { values[k] = v }
            values[field] = value
            if !tickets.isEmpty { values.tickets = tickets }
            let check = IntakeForm.check(form, values: values, context: ValidationContext(today: today, defaultEra: .reiwa))
            guard check.application == nil else { throw CatalogueError("the form was accepted: \(field) = \(value)") }
            let mine = check.problems.filter { $0.field == field }
            guard !mine.isEmpty else { throw CatalogueError("no problem on \(field); problems: \(check.problems)") }
            return mine.map(\.description).joined(separator: " / ")
        }

        func file(_ name: String, _ bytes: [UInt8]) throws -> URL { try env.file(name, Data(bytes)) }

        /// A correction of the first case (exported, waiting for its result) as F7 → 訂正 sends it; its refusal.
        func correct(_ edits: [String: String], reason: String = "申請書の写し間違い") throws -> String {
            let number = env.store.book.order[0]
            var request = CorrectionRequest.start(env.store.book[number]!, form: form)
            for (k, v) in edits { try Correction.set(k, v, in: &request.values, form: form) }
            request.reason = reason
            do {
                try env.store.correct(request, form: form, context: ValidationContext(today: today, defaultEra: .reiwa),
                                      operatorID: "yamada", now: env.now)
            } catch let e as CorrectionError {
                return e.description
            } catch let p as FieldProblem {
                return p.description
            }
            throw CatalogueError("the correction was recorded: \(edits)")
        }

        func results(_ bytes: [UInt8], name: String = "result.csv") throws -> String {
            let report = try env.store.importResults(try file(name, bytes), office: env.office, registeredOn: today,
                                                     allowBadRows: false, operatorID: "yamada", now: env.now)
            guard report.outcome == .refused else { throw CatalogueError("not refused: \(report.summaryLines)") }
            return report.summaryLines.joined(separator: "\n")
        }

        /// A good result file imported with the registration date `on`; the refusal.
        func resultsOn(_ on: LocalDate) throws -> String {
            let url = try file("result.csv", BadInputCatalogueTests.cp932([BadInputCatalogueTests.resultHeader, BadInputCatalogueTests.resultRow]))
            do {
                let report = try env.store.importResults(url, office: env.office, registeredOn: on, allowBadRows: false,
                                                         operatorID: "yamada", now: env.now)
                throw CatalogueError("not refused: \(report.summaryLines)")
            } catch let p as FieldProblem {
                return p.description
            }
        }

        func status(_ bytes: [UInt8], name: String = "status.csv") throws -> String {
            let report = try env.store.importStatus(try file(name, bytes), office: env.office, allowBadRows: false,
                                                    operatorID: "yamada", now: env.now)
            guard report.outcome == .refused else { throw CatalogueError("not refused: \(report.summaryLines)") }
            return report.summaryLines.joined(separator: "\n")
        }

        func config(_ text: String) throws -> String {
            do {
                _ = try OfficeConfig.load(from: URL(fileURLWithPath: "/office/office.toml"), contents: Data(text.utf8),
                                          environment: ["HOME": "/home/clerk"])
            } catch let e as ConfigError { return e.description }
            throw CatalogueError("config accepted")
        }

        func configBytes(_ bytes: [UInt8]) throws -> String {
            do {
                _ = try OfficeConfig.load(from: URL(fileURLWithPath: "/office/office.toml"), contents: Data(bytes), environment: [:])
            } catch let e as ConfigError { return e.description }
            throw CatalogueError("config accepted")
        }

        func screens(_ text: String) throws -> String {
            do { _ = try FormLoader.parse(text, fileLabel: "screens/intake.toml") } catch let e as ConfigError { return e.description }
            throw CatalogueError("screen file accepted")
        }

        /// The shipped screen file with one replacement (which must apply).
        func screensEdited(_ old: String, _ new: String) throws -> String {
            let text = try String(contentsOf: RobustEnv.repoRoot.appendingPathComponent("screens/intake.toml"), encoding: .utf8)
            guard text.contains(old) else { throw CatalogueError("screens/intake.toml has no \(old)") }
            return try screens(text.replacingOccurrences(of: old, with: new))
        }

        /// The real binary, on a copy of this office's journal; `exit N: stderr`.
        func cli(_ args: [String]) throws -> String {
            let bin = try CLI.binary()
            let out = try CLI.run(bin, args, environment: cliEnvironment)
            guard out.status != 0 else { throw CatalogueError("exit 0: \(out.stdout)") }
            return "exit \(out.status): " + (out.stderr + out.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    // MARK: Files

    static let resultHeader = "保険者コード,被保険者枝番,保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,処理結果区分,処理結果メッセージ"
    static let resultRow = "D1300019,1000000000000001,12130019,,1000016,,1,正常終了"
    static let statusHeader = "保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,被保険者枝番,初回登録状態,初回登録日,初回登録解除日,初回登録解除区分,電子証明書有効期限"
    // 初回登録日 and 初回登録解除日 before the catalogue's today (令和8年11月24日): dates after it are refused
    // (issue 12 item 7), and each row below must show only the problem it names.
    static let statusRow = "12130019,,1000016,,1000000000000001,0,20250601,20261031,1,20300101"

    /// CP932 + CRLF, the default layout.
    static func cp932(_ lines: [String], ending: String = "\r\n") -> [UInt8] {
        [UInt8]((lines.joined(separator: ending) + ending).data(using: .shiftJIS)!)
    }
    static func utf8(_ lines: [String], ending: String = "\r\n") -> [UInt8] { Array((lines.joined(separator: ending) + ending).utf8) }

    /// The other fields of an insured application, so a row refuses only the one it names.
    static let insuredFields = ["branch": "insured", "insurer_name": "協会けんぽ", "applied_to_insurer": "applied",
                                "insurance_verified_by": "eligibility_certificate", "explained_g": "1"]
    /// The other fields of an application made by a proxy (R-IN-2).
    static let proxyFields = ["has_proxy": "proxy", "proxy_name": "鈴木 一郎", "proxy_phone": "090-1111-2222", "proxy_relationship": "長女"]

    static let configHead = """
    [office]
    name = "デモ市福祉事務所"
    public_payer_number = "12130019"
    server_code = "D1300019"
    mode = "training"

    [data]
    directory = "data"

    [[operators]]
    id = "yamada"
    name = "山田 花子"
    role = "clerk"

    """

    // MARK: The catalogue

    static let rows: [Row] = intakeRows + cliRows + resultRows + statusRows + configRows + screenRows + correctionRows

    /// 訂正 (R-AM-1): the corrected application is checked as at intake, the reason as free text, and a
    /// field already sent to the server needs an explicit yes (R-RG-3); refused corrections write nothing.
    static let correctionRows: [Row] = [
        Row(area: "訂正", input: "生年月日を 平成31年5月1日 に", expect: ["訂正できません", "生年月日", "平成31年5月1日"]) {
            try $0.correct(["birth_date": "平成31年5月1日"])
        },
        Row(area: "訂正", input: "区分を併用に（保険者の欄なし）", expect: ["訂正できません", "保険者名", "R-BR-3"]) {
            try $0.correct(["branch": "insured"])
        },
        Row(area: "訂正", input: "訂正の理由が空", expect: ["訂正の理由", "入力してください"]) {
            try $0.correct(["name": "山田 次郎"], reason: "")
        },
        Row(area: "訂正", input: "訂正の理由に 12 桁の数字", expect: ["訂正の理由", "R-ID-4"]) {
            try $0.correct(["name": "山田 次郎"], reason: "番号 1234-5678-9012 を直した")
        },
        Row(area: "訂正", input: "出力後の受給者番号（確認なし）", expect: ["受給者番号", "R-RG-3", "登録結果を待ち"]) {
            try $0.correct(["recipient_number": "1000033"])
        },
        Row(area: "訂正", input: "`madoguchi correct … --field nickname=…`（ない項目）", expect: ["exit 1", "訂正できる項目ではありません", "name（氏名）"]) {
            try $0.cli(["correct", $0.env.store.book.order[0], "--field", "nickname=たろう", "--reason", "r"])
        },
    ]

    static let intakeRows: [Row] = [
        // Dates (R-ID-5)
        Row(area: "受付", input: "生年月日 `平成31年5月1日`（平成の後）", expect: ["生年月日", "平成31年5月1日は存在しません", "平成は"]) { try $0.intake("birth_date", "平成31年5月1日") },
        Row(area: "受付", input: "生年月日 `昭和64年1月8日`（平成元年）", expect: ["生年月日", "昭和64年1月8日は存在しません"]) { try $0.intake("birth_date", "昭和64年1月8日") },
        Row(area: "受付", input: "生年月日 `大正元年7月29日`（明治の最後の日）", expect: ["生年月日", "大正", "存在しません"]) { try $0.intake("birth_date", "大正元年7月29日") },
        Row(area: "受付", input: "生年月日 `令和元年4月30日`", expect: ["生年月日", "令和元年4月30日は存在しません"]) { try $0.intake("birth_date", "令和元年4月30日") },
        Row(area: "受付", input: "生年月日 `平成0年1月8日`", expect: ["生年月日", "0年"]) { try $0.intake("birth_date", "平成0年1月8日") },
        Row(area: "受付", input: "生年月日 `S45.2.30`（2月30日）", expect: ["生年月日", "2月30日はありません", "2月は28日まで"]) { try $0.intake("birth_date", "S45.2.30") },
        Row(area: "受付", input: "生年月日 `S45.13.1`（13月）", expect: ["生年月日", "13月はありません"]) { try $0.intake("birth_date", "S45.13.1") },
        Row(area: "受付", input: "生年月日 `令和9年1月1日`（未来）", expect: ["生年月日", "未来の日付です"]) { try $0.intake("birth_date", "令和9年1月1日") },
        Row(area: "受付", input: "生年月日 `1899-12-31`", expect: ["生年月日", "1900年より前"]) { try $0.intake("birth_date", "1899-12-31") },
        Row(area: "受付", input: "生年月日 `45.1.2`（元号なし）", expect: ["生年月日", "元号"]) { try $0.intake("birth_date", "45.1.2") },
        Row(area: "受付", input: "生年月日 `明治45年1月1日`（扱わない元号）", expect: ["生年月日", "明治"]) { try $0.intake("birth_date", "明治45年1月1日") },
        Row(area: "受付", input: "生年月日 `きのう`（日付でない）", expect: ["生年月日", "日付"]) { try $0.intake("birth_date", "きのう") },
        Row(area: "受付", input: "申請日 `令和8年12月1日`（今日より後）", expect: ["申請日", "今日（令和8年11月24日）より後"]) { try $0.intake("application_date", "令和8年12月1日") },
        Row(area: "受付", input: "生年月日が申請日より後（申請日 R8.1.5、生年月日 R8.2.1）", expect: ["生年月日", "申請日より後"]) {
            try $0.intake("birth_date", "R8.2.1", with: ["application_date": "R8.1.5"])
        },
        // Numbers (R-ID-1..4)
        Row(area: "受付", input: "受給者番号 `1234567`（検証番号違い）", expect: ["受給者番号", "検証番号（7桁目）が合いません", "検証番号は6"]) { try $0.intake("recipient_number", "1234567") },
        Row(area: "受付", input: "受給者番号 `123456`（6桁）", expect: ["受給者番号", "7桁の数字", "入力は6桁"]) { try $0.intake("recipient_number", "123456") },
        Row(area: "受付", input: "受給者番号 `12345678`（8桁）", expect: ["受給者番号", "入力は8桁"]) { try $0.intake("recipient_number", "12345678") },
        Row(area: "受付", input: "受給者番号 `１２３４5６Ｘ`（全角・半角・英字の混在）", expect: ["受給者番号", "「X」は使えません"]) { try $0.intake("recipient_number", "１２３４5６Ｘ") },
        Row(area: "受付", input: "受給者番号 `123456789012`（12桁: 個人番号に見える）", expect: ["受給者番号", "個人番号", "R-ID-4"]) { try $0.intake("recipient_number", "123456789012") },
        Row(area: "受付", input: "被保険者枝番 15桁", expect: ["被保険者枝番", "16桁", "入力は15桁"]) { try $0.intake("server_individual_number", "123456789012345") },
        Row(area: "受付", input: "被保険者枝番 `12345678901234AB`", expect: ["被保険者枝番", "「A」は使えません"]) { try $0.intake("server_individual_number", "12345678901234AB") },
        Row(area: "受付", input: "保険者番号 `06130013`（検証番号違い、併用）", expect: ["保険者番号", "検証番号"]) {
            try $0.intake("insurer_number", "06130013", with: insuredFields)
        },
        // R-ID-7: 8 digits, or 6 for a 国民健康保険組合 (`133033` is accepted, see ValidationValidatorsTests).
        Row(area: "受付", input: "保険者番号 `13303`（5桁、併用）", expect: ["保険者番号", "8桁または6桁", "入力は5桁"]) {
            try $0.intake("insurer_number", "13303", with: insuredFields)
        },
        Row(area: "受付", input: "保険者番号 `503033`（6桁、都道府県番号50）", expect: ["保険者番号", "都道府県番号（1・2桁目）は01〜47", "入力は50"]) {
            try $0.intake("insurer_number", "503033", with: insuredFields)
        },
        Row(area: "受付", input: "保険者番号 `12130019`（公費負担者番号を入力）", expect: ["保険者番号", "公費負担者番号"]) {
            try $0.intake("insurer_number", "12130019", with: insuredFields)
        },
        Row(area: "受付", input: "代理人メール `ichiro.example.jp`（@なし）", expect: ["代理人メール", "「@」がありません"]) {
            try $0.intake("proxy_email", "ichiro.example.jp", with: proxyFields)
        },
        Row(area: "受付", input: "郵便番号 `123-456`（6桁）", expect: ["郵便番号", "7桁", "入力は6桁"]) { try $0.intake("postal_code", "123-456") },
        Row(area: "受付", input: "郵便番号 `１２３－４５６Ａ`", expect: ["郵便番号", "「A」は使えません"]) { try $0.intake("postal_code", "１２３－４５６Ａ") },
        Row(area: "受付", input: "電話番号 `3-1234-5678`（0で始まらない）", expect: ["電話番号", "0から始まる"]) { try $0.intake("phone", "3-1234-5678") },
        Row(area: "受付", input: "電話番号 `03-1234-567`（9桁）", expect: ["電話番号", "10桁か11桁", "入力は9桁"]) { try $0.intake("phone", "03-1234-567") },
        Row(area: "受付", input: "メール `taro.example.jp`（@なし）", expect: ["メール", "「@」がありません"]) { try $0.intake("email", "taro.example.jp") },
        Row(area: "受付", input: "都道府県 `東京県`", expect: ["都道府県", "「東京県」は都道府県名ではありません"]) { try $0.intake("prefecture", "東京県") },
        // Kana and names (R-ID-6)
        Row(area: "受付", input: "フリガナ `山田 太郎`（漢字）", expect: ["フリガナ", "カタカナ"]) { try $0.intake("furigana", "山田 太郎") },
        Row(area: "受付", input: "フリガナ `ヤマダ1`（数字）", expect: ["フリガナ", "1"]) { try $0.intake("furigana", "ヤマダ1") },
        Row(area: "受付", input: "フリガナ `ヤマダ😀`（絵文字）", expect: ["フリガナ", "😀"]) { try $0.intake("furigana", "ヤマダ😀") },
        Row(area: "受付", input: "氏名 `山田1郎`（数字）", expect: ["氏名", "数字は使えません"]) { try $0.intake("name", "山田1郎") },
        Row(area: "受付", input: "氏名 `山田😀`（絵文字）", expect: ["氏名", "😀", "氏名に使えません"]) { try $0.intake("name", "山田😀") },
        // Widths
        Row(area: "受付", input: "氏名 51文字", expect: ["氏名", "50文字以内", "入力は51文字"]) { try $0.intake("name", String(repeating: "山", count: 51)) },
        Row(area: "受付", input: "町名・番地等 101文字", expect: ["町名・番地等", "100文字以内", "入力は101文字"]) { try $0.intake("address", String(repeating: "丁", count: 101)) },
        Row(area: "受付", input: "解除を希望する理由 201文字", expect: ["解除を希望する理由", "200文字以内", "入力は201文字"]) { try $0.intake("reason", String(repeating: "あ", count: 201)) },
        Row(area: "受付", input: "氏名 10 KB の貼り付け", expect: ["氏名", "50文字以内", "入力は10240文字"]) { try $0.intake("name", String(repeating: "山", count: 10_240)) },
        // Control characters
        Row(area: "受付", input: "氏名 `山田<TAB>太郎`", expect: ["氏名", "制御文字（U+0009）"]) { try $0.intake("name", "山田\t太郎") },
        Row(area: "受付", input: "町名・番地等 に NUL", expect: ["町名・番地等", "制御文字（U+0000）"]) { try $0.intake("address", "霞が関\u{0}1-2") },
        Row(area: "受付", input: "解除を希望する理由 に ESC（端末の制御列）", expect: ["解除を希望する理由", "制御文字（U+001B）"]) { try $0.intake("reason", "理由\u{1B}[2J") },
        Row(area: "受付", input: "解除を希望する理由 に改行", expect: ["解除を希望する理由", "制御文字（U+000A）"]) { try $0.intake("reason", "一行目\n二行目") },
        // 個人番号 anywhere (R-ID-4)
        Row(area: "受付", input: "解除を希望する理由 `番号は123456789012です`", expect: ["解除を希望する理由", "個人番号", "R-ID-4"]) { try $0.intake("reason", "番号は123456789012です") },
        Row(area: "受付", input: "町名・番地等 `１２３４ ５６７８ ９０１２`（全角・空白区切りの12桁）", expect: ["町名・番地等", "個人番号"]) { try $0.intake("address", "１２３４ ５６７８ ９０１２") },
        Row(area: "受付", input: "電話番号 `1234-5678-9012`", expect: ["電話番号", "個人番号"]) { try $0.intake("phone", "1234-5678-9012") },
        Row(area: "受付", input: "解除を希望する理由 `1234.5678.9012`（点区切りの12桁）", expect: ["解除を希望する理由", "個人番号", "R-ID-4"]) { try $0.intake("reason", "1234.5678.9012") },
        Row(area: "受付", input: "解除を希望する理由 `一二三四五六七八九〇一二`（漢数字の12桁）", expect: ["解除を希望する理由", "個人番号", "R-ID-4"]) { try $0.intake("reason", "一二三四五六七八九〇一二") },
        // Paper tickets (R-PT-1)
        Row(area: "受付", input: "医療券の月 `令和81年1月`（2099年、来月より先）", expect: ["いま交付する紙の券 1行目の月", "来月（令和8年12月）より先の月"]) {
            try $0.intake("tickets", "", with: ["holds_valid_tickets": "yes"], tickets: [TicketDraft(kind: "medical", institution: "デモ内科", month: "令和81年1月")])
        },
        Row(area: "受付", input: "医療券の月 `令和8年13月`", expect: ["いま交付する紙の券 1行目の月", "13月はありません"]) {
            try $0.intake("tickets", "", with: ["holds_valid_tickets": "yes"], tickets: [TicketDraft(kind: "medical", institution: "デモ内科", month: "令和8年13月")])
        },
        Row(area: "受付", input: "医療券の医療機関が空", expect: ["いま交付する紙の券 1行目", "医療機関・薬局名を入力してください"]) {
            try $0.intake("tickets", "", with: ["holds_valid_tickets": "yes"], tickets: [TicketDraft(kind: "medical", institution: "", month: "R8.12")])
        },
        // Rules across fields
        Row(area: "受付", input: "署名のある申請書に印がない（R-IN-3）", expect: ["署名のある申請書を受け取った", "自筆の署名がない申請は受け付けられません", "R-IN-3"]) { try $0.intake("signed_form", "") },
        Row(area: "受付", input: "区分を選んでいない（R-BR-1）", expect: ["区分", "R-BR-1"]) { try $0.intake("branch", "") },
        Row(area: "受付", input: "区分 `both`（選択肢にない値）", expect: ["区分", "医療扶助単独か医療保険・医療扶助併用かを確認して選んでください（R-BR-1）"]) { try $0.intake("branch", "both") },
        Row(area: "受付", input: "代理人の申請で代理人氏名が空（R-IN-2）", expect: ["代理人氏名", "代理人の申請では入力してください"]) {
            try $0.intake("proxy_name", "", with: ["has_proxy": "proxy", "proxy_phone": "090-1111-2222", "proxy_relationship": "長女"])
        },
    ]

    static let cliRows: [Row] = [
        Row(area: "CLI", input: "`import-results F --registered-on 令和8年2月30日`", expect: ["exit 64", "オプション --registered-on の値 '令和8年2月30日' が正しくありません", "2月30日はありません", "使い方：madoguchi import-results"]) {
            try $0.cli(["import-results", "/nonexistent.csv", "--registered-on", "令和8年2月30日"])
        },
        Row(area: "CLI", input: "`record-notice 2026-0001 --reason 9`", expect: ["exit 64", "オプション --reason の値 '9' が正しくありません", "1〜5"]) { try $0.cli(["record-notice", "2026-0001", "--reason", "9"]) },
        Row(area: "CLI", input: "`record-notice 2026-0001 --reason abc`（数でない）", expect: ["exit 64", "オプション --reason の値 'abc' が正しくありません"]) {
            try $0.cli(["record-notice", "2026-0001", "--reason", "abc"])
        },
        // R-HC-2 (amended): the month-end run a hold notice reports.
        Row(area: "CLI", input: "`record-notice 2026-0001 --reason 1 --run 2026-13`", expect: ["exit 64", "オプション --run の値 '2026-13' が正しくありません"]) {
            try $0.cli(["record-notice", "2026-0001", "--reason", "1", "--run", "2026-13"])
        },
        Row(area: "CLI", input: "`record-notice 2026-0001 --reason 5 --run 2026-12`（取消に月末処理の月）", expect: ["exit 64", "--run は保留", "R-HC-2"]) {
            try $0.cli(["record-notice", "2026-0001", "--reason", "5", "--action", "本人に連絡", "--run", "2026-12"])
        },
        Row(area: "CLI", input: "`record-notice`（案件番号なし）", expect: ["exit 64", "必要な引数 CASE がありません", "使い方：madoguchi record-notice"]) { try $0.cli(["record-notice"]) },
        Row(area: "CLI", input: "`cases --foo`（知らないオプション）", expect: ["exit 64", "知らないオプションです：--foo"]) { try $0.cli(["cases", "--foo"]) },
        Row(area: "CLI", input: "`pending --sort bogus`", expect: ["exit 64", "オプション --sort の値 'bogus' が正しくありません", "number、application_date"]) {
            try $0.cli(["pending", "--sort", "bogus"])
        },
        Row(area: "CLI", input: "`set-server-number 2026-0001 12345`", expect: ["exit 64", "被保険者枝番 12345", "16桁"]) { try $0.cli(["set-server-number", "2026-0001", "12345"]) },
        Row(area: "CLI", input: "`pending --month 2026-13`", expect: ["exit 64", "オプション --month の値 '2026-13' が正しくありません", "YYYY-MM"]) { try $0.cli(["pending", "--month", "2026-13"]) },
        Row(area: "CLI", input: "`withdraw 2026-0001 --reason 123456789012`（個人番号に見える）", expect: ["exit", "個人番号"]) {
            try $0.cli(["withdraw", "2026-0001", "--reason", "123456789012"])
        },
        Row(area: "CLI", input: "`withdraw 2026-0001 --date 1999-01-01`（申請日より前）", expect: ["exit 1", "取下げ日", "申請日（令和8年11月24日）より前"]) {
            try $0.cli(["withdraw", "2026-0001", "--reason", "本人の申し出", "--date", "1999-01-01", "--yes"])
        },
        Row(area: "CLI", input: "`import-status /nonexistent/status.csv`", expect: ["exit 1", "/nonexistent/status.csv", "ありません"]) { try $0.cli(["import-status", "/nonexistent/status.csv"]) },
        Row(area: "CLI", input: "`cases --config /nonexistent/office.toml`", expect: ["exit 2", "/nonexistent/office.toml", "ファイルがありません"]) { try $0.cli(["cases", "--config", "/nonexistent/office.toml"]) },
        Row(area: "CLI", input: "`transfer-out 2026-0001 --to \"\"`", expect: ["exit 64", "--to"]) { try $0.cli(["transfer-out", "2026-0001", "--to", ""]) },
    ]

    static let resultRows: [Row] = [
        // Issue 12 item 7, R-RG-9: the registration date typed with a result file.
        Row(area: "結果ファイル", input: "登録日 `2025-01-01`（出力より前）", expect: ["登録日", "2行目の案件 2026-0001", "一括登録ファイルの出力日（令和8年11月24日）より前"]) {
            try $0.resultsOn(LocalDate(year: 2025, month: 1, day: 1)!)
        },
        Row(area: "結果ファイル", input: "登録日 `2099-01-01`（今日より後）", expect: ["登録日", "2行目の案件 2026-0001", "今日（令和8年11月24日）より後"]) {
            try $0.resultsOn(LocalDate(year: 2099, month: 1, day: 1)!)
        },
        Row(area: "結果ファイル", input: "空のファイル（0バイト）", expect: ["result.csv", "ファイルが空です"]) { try $0.results([]) },
        Row(area: "結果ファイル", input: "BOM だけ", expect: ["ファイルが空です"]) { try $0.results([0xEF, 0xBB, 0xBF]) },
        Row(area: "結果ファイル", input: "見出しの行だけ", expect: ["result.csv", "データの行がありません（見出しの行だけです）"]) { try $0.results(cp932([resultHeader])) },
        Row(area: "結果ファイル", input: "列が足りない行（5列）", expect: ["2行目", "列が足りません（5列あります。8列必要です）"]) {
            try $0.results(cp932([resultHeader, "D1300019,1000000000000001,12130019,,1000016"]))
        },
        Row(area: "結果ファイル", input: "同じ人の行が二つ", expect: ["3行目", "2行目にもあります（重複）"]) { try $0.results(cp932([resultHeader, resultRow, resultRow])) },
        Row(area: "結果ファイル", input: "処理結果区分 `3`", expect: ["2行目", "7列（処理結果区分）", "1（正常終了）か 2（異常終了）", "「3」"]) {
            try $0.results(cp932([resultHeader, resultRow.replacingOccurrences(of: ",1,正常終了", with: ",3,正常終了")]))
        },
        Row(area: "結果ファイル", input: "処理結果区分 `１`（全角）", expect: ["7列（処理結果区分）", "全角の「１」"]) {
            try $0.results(cp932([resultHeader, resultRow.replacingOccurrences(of: ",1,正常終了", with: ",１,正常終了")]))
        },
        Row(area: "結果ファイル", input: "処理結果区分 `ESC[2J`（端末の制御列）", expect: ["7列（処理結果区分）", "「<U+001B>[2J」"]) {
            try $0.results(cp932([resultHeader, resultRow.replacingOccurrences(of: ",1,正常終了", with: ",\u{1B}[2J,正常終了")]))
        },
        Row(area: "結果ファイル", input: "処理結果区分が空", expect: ["7列（処理結果区分）", "空です"]) {
            try $0.results(cp932([resultHeader, resultRow.replacingOccurrences(of: ",1,正常終了", with: ",,正常終了")]))
        },
        Row(area: "結果ファイル", input: "被保険者枝番 15桁（Excel が先頭の0を消した）", expect: ["2列（被保険者枝番）", "15桁", "先頭の 0 が消えます"]) {
            try $0.results(cp932([resultHeader, resultRow.replacingOccurrences(of: "1000000000000001", with: "100000000000001")]))
        },
        Row(area: "結果ファイル", input: "被保険者枝番に 10,000 文字", expect: ["2列（被保険者枝番）"]) {
            try $0.results(cp932([resultHeader, resultRow.replacingOccurrences(of: "1000000000000001", with: String(repeating: "9", count: 10_000))]))
        },
        Row(area: "結果ファイル", input: "UTF-8 のファイル（設定は CP932）", expect: ["UTF-8 のようですが、設定は CP932"]) { try $0.results(utf8([resultHeader, resultRow])) },
        Row(area: "結果ファイル", input: "BOM 付き UTF-8（設定は CP932）", expect: ["UTF-8（BOM付き）ですが、設定は CP932"]) { try $0.results([0xEF, 0xBB, 0xBF] + utf8([resultHeader, resultRow])) },
        Row(area: "結果ファイル", input: "UTF-16 のファイル", expect: ["UTF-16 です"]) { try $0.results([0xFF, 0xFE] + Array("a,b".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }) },
        Row(area: "結果ファイル", input: "NUL バイトを含む", expect: ["2行目", "NUL（0x00）"]) { try $0.results(cp932([resultHeader]) + [0x00] + cp932([resultRow])) },
        Row(area: "結果ファイル", input: "CP932 として読めないバイト（0xFF）", expect: ["2行目", "CP932（Shift_JIS）として読めないバイト"]) { try $0.results(cp932([resultHeader]) + [0x82, 0xFF] + cp932([resultRow])) },
        Row(area: "結果ファイル", input: "改行が LF（設定は CRLF）、かつ区分の誤り", expect: ["改行が LF です（設定は CRLF）", "7列（処理結果区分）"]) {
            try $0.results(cp932([resultHeader, resultRow.replacingOccurrences(of: ",1,正常終了", with: ",9,正常終了")], ending: "\n"))
        },
        Row(area: "結果ファイル", input: "引用符の閉じ忘れ", expect: ["引用符（\"）の閉じ忘れ"]) {
            try $0.results(cp932([resultHeader, "D1300019,\"1000000000000001,12130019,,1000016,,1,正常終了", resultRow]))
        },
        Row(area: "結果ファイル", input: "余分な列（9列目）がある", expect: ["2行目", "列が多すぎます（9列あります。見出しは8列なので8列のはずです）", "引用符"]) {
            try $0.results(cp932([resultHeader, resultRow + ",余分"]))
        },
        Row(area: "結果ファイル", input: "256 MB を超えるファイル", expect: ["result.csv", "大きすぎます"]) { ctx in
            let url = try ctx.file("result.csv", [])
            let fd = open(url.path, O_WRONLY)
            defer { close(fd) }
            guard ftruncate(fd, 300 * 1024 * 1024) == 0 else { throw CatalogueError("ftruncate") }   // sparse: no disk used
            let report = try ctx.env.store.importResults(url, office: ctx.env.office, registeredOn: ctx.today, allowBadRows: false,
                                                         operatorID: "yamada", now: ctx.env.now)
            return report.summaryLines.joined(separator: "\n")
        },
    ]

    static let statusRows: [Row] = [
        Row(area: "状況ファイル", input: "空のファイル", expect: ["status.csv", "ファイルが空です"]) { try $0.status([]) },
        Row(area: "状況ファイル", input: "初回登録解除日 `20261332`", expect: ["2行目", "8列（初回登録解除日）", "「20261332」は存在しない日"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: "20261031", with: "20261332")]))
        },
        Row(area: "状況ファイル", input: "初回登録解除日 `2026-02-30`（ない日）", expect: ["8列（初回登録解除日）", "存在しない日"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: "20261031", with: "2026-02-30")]))
        },
        Row(area: "状況ファイル", input: "電子証明書有効期限 `令和12年1月1日`（和暦）", expect: ["10列（電子証明書有効期限）", "YYYYMMDD"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: "20300101", with: "令和12年1月1日")]))
        },
        Row(area: "状況ファイル", input: "初回登録日 `２０２５０６０１`（全角）", expect: ["7列（初回登録日）", "全角の数字"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: "20250601", with: "２０２５０６０１")]))
        },
        Row(area: "状況ファイル", input: "初回登録状態 `2`", expect: ["6列（初回登録状態）", "0（利用登録なし）か 1（登録あり）"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: ",0,20250601", with: ",2,20250601")]))
        },
        Row(area: "状況ファイル", input: "初回登録解除区分 `A`", expect: ["9列（初回登録解除区分）", "半角数字"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: ",1,20300101", with: ",A,20300101")]))
        },
        // Issue 12 item 7: dates that cannot be true.
        Row(area: "状況ファイル", input: "初回登録解除日 `20990101`（今日より後）", expect: ["2行目", "8列（初回登録解除日）", "今日（令和8年11月24日）より後"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: "20261031", with: "20990101")]))
        },
        Row(area: "状況ファイル", input: "初回登録解除日 `20250101`（初回登録日より前）", expect: ["2行目", "8列（初回登録解除日）", "初回登録日（令和7年6月1日）より前"]) {
            try $0.status(cp932([statusHeader, statusRow.replacingOccurrences(of: "20261031", with: "20250101")]))
        },
        Row(area: "状況ファイル", input: "保険者番号 7桁", expect: ["1列（保険者番号）", "7桁です"]) {
            try $0.status(cp932([statusHeader, String(statusRow.dropFirst())]))
        },
        Row(area: "状況ファイル", input: "CP932 のファイル（設定は UTF-8）", expect: ["CP932（Shift_JIS）のようですが、設定は UTF-8"]) { ctx in
            var c = InterchangeConfig()
            c.encoding = .utf8
            let env = try RobustEnv(root: ctx.env.root.appendingPathComponent("utf8-office"), interchange: c)
            let report = try env.store.importStatus(try env.file("status.csv", Data(cp932([statusHeader, statusRow]))), office: env.office,
                                                    allowBadRows: false, operatorID: "yamada", now: env.now)
            return report.summaryLines.joined(separator: "\n")
        },
        Row(area: "状況ファイル", input: "見出しの名前が違う（設定は見出し名で列を指定）", expect: ["1行目", "見出しに「被保険者枝番」"]) { ctx in
            var c = InterchangeConfig()
            c.status.columns["server_individual_number"] = .header("被保険者枝番")
            let env = try RobustEnv(root: ctx.env.root.appendingPathComponent("named-office"), interchange: c)
            let report = try env.store.importStatus(try env.file("status.csv", Data(cp932([statusHeader.replacingOccurrences(of: "被保険者枝番", with: "個人枝番"), statusRow]))),
                                                    office: env.office, allowBadRows: false, operatorID: "yamada", now: env.now)
            return report.summaryLines.joined(separator: "\n")
        },
    ]

    static let configRows: [Row] = [
        Row(area: "設定", input: "TOML の書式の誤り（引用符の閉じ忘れ）", expect: ["/office/office.toml 2行目", "書式の誤り", "文字列", "引用符の閉じ忘れ"]) { try $0.config("[office]\nname = \"デモ\n") },
        Row(area: "設定", input: "`[` だけの行（toml++ が異常終了していた入力）", expect: ["/office/office.toml 1行目", "書式の誤り", "表の見出し"]) { try $0.config("[\n[data]\n") },
        Row(area: "設定", input: "`[、office]`（見出しが記号で始まる）", expect: ["1行目", "表の見出し"]) { try $0.config("[、office]\nname = \"x\"\n") },
        Row(area: "設定", input: "`a = [1, }]`（配列の中の `}`: toml++ が異常終了していた入力）", expect: ["/office/office.toml 14行目", "書式の誤り", "配列 [ ] の中に }"]) {
            try $0.config(configHead + "a = [1, }]\n")
        },
        Row(area: "設定", input: "[office] に name がない", expect: ["[office] に name（福祉事務所名）がありません"]) {
            try $0.config(configHead.replacingOccurrences(of: "name = \"デモ市福祉事務所\"\n", with: ""))
        },
        Row(area: "設定", input: "公費負担者番号 `12130018`（検証番号違い）", expect: ["3行目", "公費負担者番号 12130018", "検証番号", "R-ID-1"]) {
            try $0.config(configHead.replacingOccurrences(of: "12130019", with: "12130018"))
        },
        Row(area: "設定", input: "公費負担者番号 `13130018`（法別番号が12でない）", expect: ["3行目", "法別番号"]) {
            try $0.config(configHead.replacingOccurrences(of: "12130019", with: "13130018"))
        },
        Row(area: "設定", input: "server_code 7文字", expect: ["4行目", "半角英数字8桁"]) { try $0.config(configHead.replacingOccurrences(of: "D1300019", with: "D130001")) },
        Row(area: "設定", input: "mode = \"test\"", expect: ["5行目", "\"test\" は使えません"]) { try $0.config(configHead.replacingOccurrences(of: "\"training\"", with: "\"test\"")) },
        Row(area: "設定", input: "operators の role = \"boss\"", expect: ["10行目", "role", "\"boss\" は使えません"]) { try $0.config(configHead.replacingOccurrences(of: "\"clerk\"", with: "\"boss\"")) },
        Row(area: "設定", input: "職員 id が二度", expect: ["id yamada が二度"]) { try $0.config(configHead + "\n[[operators]]\nid = \"yamada\"\nname = \"別人\"\nrole = \"clerk\"\n") },
        Row(area: "設定", input: "[[operators]] がない", expect: ["[[operators]]（職員）が一人もいません"]) {
            try $0.config(String(configHead[..<configHead.range(of: "[[operators]]")!.lowerBound]))
        },
        Row(area: "設定", input: "[files] encoding = \"latin1\"", expect: ["encoding", "latin1"]) { try $0.config(configHead + "[files]\nencoding = \"latin1\"\n") },
        Row(area: "設定", input: "[files.result] result = 0（列番号）", expect: ["result"]) { try $0.config(configHead + "[files.result]\nresult = 0\n") },
        Row(area: "設定", input: "[reminders] results_after_days = 0", expect: ["results_after_days は 1〜365"]) { try $0.config(configHead + "[reminders]\nresults_after_days = 0\n") },
        Row(area: "設定", input: "[reminders] insured_followup_months = 0", expect: ["insured_followup_months は 1〜24", "15行目"]) {
            try $0.config(configHead + "[reminders]\ninsured_followup_months = 0\n")
        },
        Row(area: "設定", input: "[printing] queue = \"事務所 2階\"（空白を含むプリンター名）", expect: ["15行目", "[printing] queue", "空白は使えません"]) {
            try $0.config(configHead + "[printing]\nqueue = \"事務所 2階\"\n")
        },
        Row(area: "設定", input: "[printing] queue = \"-d\"（オプションに見えるプリンター名）", expect: ["15行目", "[printing] queue", "「-」で始められません"]) {
            try $0.config(configHead + "[printing]\nqueue = \"-d\"\n")
        },
        Row(area: "設定", input: "[printing] queue = \"a/b\"", expect: ["15行目", "[printing] queue", "「/」は使えません"]) {
            try $0.config(configHead + "[printing]\nqueue = \"a/b\"\n")
        },
        Row(area: "設定", input: "[printing] queue = 3（文字列でない）", expect: ["15行目", "[printing] queue", "文字列で書いてください"]) {
            try $0.config(configHead + "[printing]\nqueue = 3\n")
        },
        Row(area: "設定", input: "UTF-8 でないファイル（CP932 で保存）", expect: ["/office/office.toml", "UTF-8 として読めません"]) {
            try $0.configBytes([UInt8](configHead.data(using: .shiftJIS)!))
        },
    ]

    static let screenRows: [Row] = [
        Row(area: "画面定義", input: "validator = \"kana\"（ない名前）", expect: ["screens/intake.toml", "行目", "validator \"kana\" はありません", "furigana"]) {
            try $0.screensEdited("validator = \"furigana\"\nrequired = true\nplaceholder = \"例 ヤマダ タロウ\"", "validator = \"kana\"\nrequired = true\nplaceholder = \"例 ヤマダ タロウ\"")
        },
        Row(area: "画面定義", input: "項目 id \"birthday\"（ない id）", expect: ["行目", "項目 id \"birthday\" は受付で使えません"]) {
            try $0.screensEdited("id = \"birth_date\"", "id = \"birthday\"")
        },
        Row(area: "画面定義", input: "signed_form の項目がない（R-IN-3）", expect: ["必須の項目 signed_form がありません", "R-IN-3"]) {
            try $0.screensEdited("id = \"signed_form\"\nlabel = \"署名のある申請書を受け取った\"\nkind = \"check\"\nrequired = true",
                                 "id = \"info_signed\"\nlabel = \"署名\"\nkind = \"info\"")
        },
        Row(area: "画面定義", input: "when = \"branch == insurd\"（綴り違い）", expect: ["行目", "when の値 \"insurd\"", "選択肢にありません"]) {
            try $0.screensEdited("when = \"branch == insured\"", "when = \"branch == insurd\"")
        },
        Row(area: "画面定義", input: "TOML の書式の誤り", expect: ["screens/intake.toml 1行目", "書式の誤り", "= の右に値がありません"]) { try $0.screens("title = \n") },
        Row(area: "画面定義", input: "最後のページが確認ページでない", expect: ["最後のページは確認ページ（review = true）"]) {
            try $0.screensEdited("review = true", "review = true\n\n[[pages]]\nid = \"extra\"\ntitle = \"追加\"\n\n[[pages.fields]]\nid = \"info_extra\"\nlabel = \"追加\"\nkind = \"info\"\ntext = \"x\"\n")
        },
    ]

    // MARK: The test

    @Test("At least 60 bad inputs; each message names the place and the reason; the journal is byte-identical after each")
    func catalogue() throws {
        let ctx = try Context()
        defer { try? FileManager.default.removeItem(at: ctx.env.root) }
        #expect(Self.rows.count >= 60, "the catalogue has \(Self.rows.count) rows")
        var table: [(Row, String)] = []
        #expect(!ctx.env.journalBytes.isEmpty)
        for row in Self.rows {
            let before = ctx.env.journalBytes
            let message: String
            do {
                message = try row.run(ctx)
            } catch {
                Issue.record("\(row.area) \(row.input): \(error)")
                continue
            }
            for fragment in row.expect {
                #expect(message.contains(fragment), "\(row.area) \(row.input): 「\(fragment)」 is not in the message:\n\(message)")
            }
            // Issue 11, item 8: none of the argument parser's English reaches the clerk.
            for english in ["Error:", "Error while", "Usage:", "Help:", "See '", "for more information", "Missing", "Unknown option", "is invalid"] {
                #expect(!message.contains(english), "\(row.area) \(row.input): 「\(english)」 in the message:\n\(message)")
            }
            // Nothing is written for a bad input (R-FL-4: refused whole; an intake form that fails is not saved).
            #expect(ctx.env.journalBytes == before, "\(row.area) \(row.input): the journal changed")
            // The temporary folder is not part of the message a clerk reads.
            table.append((row, message.replacingOccurrences(of: ctx.env.root.path + "/", with: "")))
        }
        #expect(Journal.verify(url: ctx.env.office.journalURL).ok)

        let markdown = Self.markdown(table)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInputCatalogue.md")
        if ProcessInfo.processInfo.environment["MADOGUCHI_RECORD_CATALOGUE"] == "1" {
            try Data(markdown.utf8).write(to: url)
        } else {
            let stored = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
            #expect(stored == markdown, "BadInputCatalogue.md is stale: rerun with MADOGUCHI_RECORD_CATALOGUE=1 and read the diff")
        }
    }

    static func markdown(_ rows: [(Row, String)]) -> String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>")
        }
        var out = """
        # Bad-input catalogue

        Generated by `Tests/RobustnessTests/BadInputCatalogueTests.swift` (`MADOGUCHI_RECORD_CATALOGUE=1 swift test
        --filter BadInputCatalogue`); the test fails when this file and the messages differ. Each row is refused
        with this message and the journal is byte-identical afterwards (\(rows.count) rows). Dates are checked
        against 令和8年11月24日; the CLI rows show the exit code. Long inputs are shortened in the messages.

        | # | where | bad input | the message the clerk gets |
        | --- | --- | --- | --- |

        """
        for (i, (row, message)) in rows.enumerated() {
            let shown = message.count > 400 ? String(message.prefix(400)) + "…" : message
            out += "| \(i + 1) | \(row.area) | \(cell(row.input)) | \(cell(shown)) |\n"
        }
        return out
    }
}

struct CatalogueError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// The built `madoguchi` next to the test bundle, run with the demo config from the repository root.
enum CLI {
    static func binary() throws -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = dir.appendingPathComponent("madoguchi")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw CatalogueError("the built madoguchi binary was not found next to \(CommandLine.arguments[0]); run swift build")
    }

    static func run(_ bin: URL, _ args: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("MADOGUCHI_") }
        for (k, v) in environment { env[k] = v }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let o = tmp.appendingPathComponent("o"), e = tmp.appendingPathComponent("e")
        FileManager.default.createFile(atPath: o.path, contents: nil)
        FileManager.default.createFile(atPath: e.path, contents: nil)
        let p = Process()
        p.executableURL = bin
        p.arguments = args
        p.environment = env
        p.currentDirectoryURL = RobustEnv.repoRoot
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: o)
        p.standardError = try FileHandle(forWritingTo: e)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: try Data(contentsOf: o), as: UTF8.self), String(decoding: try Data(contentsOf: e), as: UTF8.self))
    }
}
