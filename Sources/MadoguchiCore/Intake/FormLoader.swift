import Foundation
import TOMLKit

/// Reads a screen definition (`screens/intake.toml`) and checks it against what the domain knows:
/// every field id must be one the intake understands, every validator must exist, and the fields the
/// rules depend on must be there (R-BR-1 branch, R-IN-3 signature, …). A broken file stops start-up
/// with the file, the line and the reason.
public enum FormLoader {
    public static func load(from url: URL) throws -> FormDefinition {
        let fileLabel = url.path
        guard let data = try? Data(contentsOf: url) else {
            throw ConfigError(file: fileLabel, message: "画面定義ファイルが読めません")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: fileLabel, message: "UTF-8 として読めません")
        }
        return try parse(text, fileLabel: fileLabel)
    }

    public static func parse(_ text: String, fileLabel: String) throws -> FormDefinition {
        let table = try SafeTOML.parse(text, fileLabel: fileLabel)   // toml++ asserts on some input (issue 6)
        let title = table["title"]?.string ?? ""
        guard let pageArray = table["pages"]?.array, !pageArray.isEmpty else {
            throw ConfigError(file: fileLabel, message: "[[pages]]（ページ）がありません")
        }
        var pages: [FormPage] = []
        var seenFields = Set<String>()
        var fieldOccurrence = 0
        for (pi, pageValue) in pageArray.enumerated() {
            let pageLine = SourceLines.line(ofHeader: "[[pages]]", occurrence: pi, in: text)
            guard let p = pageValue.table else {
                throw ConfigError(file: fileLabel, line: pageLine, message: "pages の \(pi + 1) 番目が表ではありません")
            }
            guard let pid = p["id"]?.string, !pid.isEmpty else {
                throw ConfigError(file: fileLabel, line: pageLine, message: "pages の \(pi + 1) 番目に id がありません")
            }
            guard let ptitle = p["title"]?.string, !ptitle.isEmpty else {
                throw ConfigError(file: fileLabel, line: pageLine, message: "ページ \(pid) に title がありません")
            }
            let isReview = p["review"]?.bool ?? false
            var fields: [FormField] = []
            for fv in p["fields"]?.array ?? [] {
                let line = SourceLines.line(ofHeader: "[[pages.fields]]", occurrence: fieldOccurrence, in: text)
                fieldOccurrence += 1
                func fail(_ m: String) -> ConfigError { ConfigError(file: fileLabel, line: line, message: m) }
                guard let f = fv.table else { throw fail("項目が表ではありません") }
                guard let id = f["id"]?.string, !id.isEmpty else { throw fail("項目に id がありません") }
                guard IntakeFieldID.isKnown(id) else {
                    throw fail("項目 id \"\(id)\" は受付で使えません（使える id: \(IntakeFieldID.all.sorted().joined(separator: ", ")), info_…）")
                }
                guard !seenFields.contains(id) else { throw fail("項目 id \"\(id)\" が二度出てきます") }
                seenFields.insert(id)
                guard let label = f["label"]?.string, !label.isEmpty else { throw fail("項目 \(id) に label がありません") }
                let kindText = f["kind"]?.string ?? ""
                guard let kind = FormField.Kind(rawValue: kindText) else {
                    throw fail("項目 \(id) の kind \"\(kindText)\" は使えません（\(FormField.Kind.allCases.map(\.rawValue).joined(separator: ", "))）")
                }
                let validator = f["validator"]?.string
                if kind == .text {
                    guard let validator else { throw fail("文字の項目 \(id) に validator がありません") }
                    guard Validators.named(validator) != nil else {
                        throw fail("項目 \(id) の validator \"\(validator)\" はありません（\(Validators.all.map(\.name).joined(separator: ", "))）")
                    }
                }
                var when: Condition?
                if let w = f["when"]?.string {
                    guard let c = Condition(parsing: w) else { throw fail("項目 \(id) の when \"\(w)\" は「項目 == 値」の形で書いてください") }
                    guard seenFields.contains(c.field), c.field != id else {
                        throw fail("項目 \(id) の when が、それより前にない項目 \(c.field) を参照しています")
                    }
                    // A misspelt value would hide the field for good while the rules still ask for it.
                    if let parent = pages.flatMap(\.fields).first(where: { $0.id == c.field }) ?? fields.first(where: { $0.id == c.field }) {
                        let allowed: [String] = parent.kind == .choice ? parent.options.map(\.value) : parent.kind == .check ? ["1"] : []
                        if !allowed.isEmpty && !allowed.contains(c.value) {
                            throw fail("項目 \(id) の when の値 \"\(c.value)\" は項目 \(c.field) の選択肢にありません（\(allowed.joined(separator: ", "))）")
                        }
                    }
                    when = c
                }
                var options: [FormField.Option] = []
                for o in f["options"]?.array ?? [] {
                    guard let ot = o.table, let v = ot["value"]?.string, let l = ot["label"]?.string else {
                        throw fail("項目 \(id) の options は { value = \"…\", label = \"…\" } の形で書いてください")
                    }
                    options.append(.init(value: v, label: l))
                }
                if kind == .choice && options.count < 2 { throw fail("選択の項目 \(id) には options が2つ以上必要です") }
                if let expected = IntakeFieldID.requiredOptions[id] {
                    let have = Set(options.map(\.value))
                    let missing = expected.filter { !have.contains($0) }
                    if !missing.isEmpty { throw fail("項目 \(id) の options に \(missing.joined(separator: ", ")) がありません") }
                }
                let source = f["source"]?.string
                if let source, !IntakeForm.infoSources.contains(source) {
                    throw fail("項目 \(id) の source \"\(source)\" はありません（\(IntakeForm.infoSources.sorted().joined(separator: ", "))）")
                }
                if IntakeFieldID.isInfo(id) != (kind == .info) {
                    throw fail("項目 \(id): 表示だけの項目（kind = \"info\"）の id は info_ で始めてください")
                }
                if let expectedKind = IntakeFieldID.kinds[id], expectedKind != kind {
                    throw fail("項目 \(id) の kind は \(expectedKind.rawValue) にしてください")
                }
                fields.append(FormField(
                    id: id, label: label, kind: kind, validator: validator,
                    required: f["required"]?.bool ?? false, when: when, options: options,
                    help: f["help"]?.string ?? "", text: f["text"]?.string ?? "", source: source,
                    placeholder: f["placeholder"]?.string ?? "", defaultValue: f["default"]?.string))
            }
            if fields.isEmpty && !isReview {
                throw ConfigError(file: fileLabel, line: pageLine, message: "ページ \(pid) に項目がありません")
            }
            pages.append(FormPage(id: pid, title: ptitle, help: p["help"]?.string ?? "", fields: fields, isReview: isReview))
        }
        let missing = IntakeFieldID.mandatory.filter { !seenFields.contains($0.key) }
        if let first = missing.sorted(by: { $0.key < $1.key }).first {
            throw ConfigError(file: fileLabel, message: "必須の項目 \(first.key) がありません（\(first.value)）")
        }
        guard pages.last?.isReview == true else {
            throw ConfigError(file: fileLabel, message: "最後のページは確認ページ（review = true）にしてください")
        }
        return FormDefinition(title: title, pages: pages, source: fileLabel)
    }
}
