import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi correct CASE --field KEY=VALUE … --reason TEXT`: 訂正 (R-AM-1), with the same domain
/// code as the desk's F7 → 訂正.
struct Correct: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "保存した申請を訂正します（R-AM-1）。訂正前と訂正後の値、理由、職員を記録に残し、元の記録は変えません。",
        discussion: """
        --field は「項目=値」で、何度でも指定できます。値は受付と同じように検査し、直して記録します
        （例 birth_date=S45.1.2、postal_code=123-4567）。訂正後の申請が受付の決まりに合わなければ、
        項目と理由を示して何も記録しません。
        選択肢は値か表示名で（branch=insured または branch=医療保険・医療扶助併用）、印は 1 か 0 で
        （explained_g=1）、受付時の紙の券は tickets=種類,医療機関・薬局名,月;… で書きます
        （例 tickets=医療券,山田医院,R8.12;調剤券,さくら薬局,R8.12、空にすると券なし）。

        項目（説明 a〜g は R-IN-4 の説明の印）：
        \(ApplicationFields.keys.map { "  \($0)　\(ApplicationFields.label($0, form: nil))" }.joined(separator: "\n"))

        中間サーバーに送った項目（受給者番号・被保険者枝番）を一括登録ファイルの出力後に訂正すると、
        登録されたデータは訂正できない（R-RG-3）と注意します。登録結果を待っているか登録済みの案件では、
        --yes（--ack でも同じ）をつけたときだけ記録します（事務所の記録だけが直ります）。
        """)

    @OptionGroup var batch: BatchOptions

    @Argument(help: ArgumentHelp("案件番号（例 2026-0001）。", valueName: "CASE"))
    var caseNumber: String

    @Option(name: .long, help: ArgumentHelp("訂正する項目と値（項目=値）。項目は上の一覧のとおり。", valueName: "KEY=VALUE"))
    var field: [String] = []

    @Option(name: .long, help: ArgumentHelp("訂正の理由（必須）。", valueName: "TEXT"))
    var reason: String?

    /// `--yes` as the record commands say it (issue 11); `--ack`, the first name, still works.
    @Flag(name: [.customLong("yes"), .customLong("ack")],
          help: "中間サーバーに送ったあとの訂正で、注意（R-RG-3）を読んだうえで記録します（--ack でも同じ）。")
    var ack = false

    /// What `--json` prints.
    struct Output: Encodable {
        typealias Change = CaseJSON.CorrectionJSON.Change
        let caseNumber: String
        let status: String
        let statusLabel: String
        let reason: String
        let changes: [Change]
        let tickets: TicketCorrection?
        let warnings: [String]
    }

    func run() throws {
        guard !field.isEmpty else { throw refusal("--field で訂正する項目を指定してください。使える項目：\(Correction.keyList(form: nil))") }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw refusal("--reason に訂正の理由を書いてください（R-AM-1）")
        }
        let session = try batch.open()
        let (store, op) = (session.store, session.op)
        let form: FormDefinition
        do {
            let layout = session.opened.layout
            form = try FormLoader.load(from: batch.office.screensDirectory(layout).appendingPathComponent("intake.toml"))
        } catch {
            throw StartupError("画面定義を読めません：\(UserFacing.detail(for: error))")
        }
        guard let c = store.book[caseNumber] else { throw refusal(CaseError.noSuchCase(caseNumber).description) }
        var request = CorrectionRequest.start(c, form: form)
        request.reason = reason
        request.acknowledged = ack
        var seenKeys = Set<String>()
        for item in field {
            guard let eq = item.firstIndex(of: "=") else {
                throw refusal("--field は「項目=値」の形で書いてください（\(TextNormalizer.maskingMyNumberLike(item))）")   // R-ID-4: never echoed
            }
            let key = String(item[..<eq]).trimmingCharacters(in: .whitespaces)
            guard seenKeys.insert(key).inserted else { throw refusal("--field \(key) が二度あります") }
            try Correction.set(key, String(item[item.index(after: eq)...]), in: &request.values, form: form)
        }
        let plan: CorrectionPlan
        do {
            plan = try store.correct(request, form: form, context: ValidationContext(today: try session.today(), defaultEra: .reiwa),
                                     operatorID: op.id, now: try session.now())
        } catch let e as CorrectionError {
            if case .acknowledgementNeeded = e {
                throw refusal(e.description + "\n記録するには --yes（または --ack）をつけて実行し直してください（事務所の記録だけが直ります）。")
            }
            throw refusal(e.description)
        }
        let out = Output(
            caseNumber: c.number, status: plan.corrected.status.rawValue, statusLabel: plan.corrected.status.label,
            reason: plan.payload.reason,
            changes: plan.payload.changes.map { .init($0, form: form) },
            tickets: plan.payload.tickets, warnings: plan.warnings)
        try batch.emit(out) {
            var lines = ["案件 \(c.number) を訂正しました（理由：\(plan.payload.reason)、\(op.name)）。"]
            lines += Correction.described(plan.payload, form: form).map { "  \($0.label)：\($0.change)" }
            lines.append("  状態：\(plan.corrected.status.label)")
            return lines + plan.warnings.map { "  ！ \($0)" }
        }
    }

    /// A refusal: nothing was written. Said in Japanese (not swift-argument-parser's `Error:`), exit 1.
    private func refusal(_ message: String) -> FieldProblem {
        FieldProblem(field: "correct", label: "訂正", message: message)
    }
}

