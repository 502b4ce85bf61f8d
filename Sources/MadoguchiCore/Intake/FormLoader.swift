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
        var reader = FormReader(text: text, fileLabel: fileLabel)
        for (pi, pageValue) in pageArray.enumerated() {
            let pageLine = SourceLines.line(ofHeader: "[[pages]]", occurrence: pi, in: text)
            guard let p = pageValue.table else {
                throw ConfigError(file: fileLabel, line: pageLine, message: "pages の \(pi + 1) 番目が表ではありません")
            }
            try reader.page(p, index: pi, line: pageLine)
        }
        return try reader.form(title: title)
    }

    /// A screen file being read, page by page and field by field; problems name the file and the
    /// line of the page or field.
    private struct FormReader {
        let text: String
        let fileLabel: String
        var pages: [FormPage] = []
        var seenFields = Set<String>()
        var fieldOccurrence = 0

        init(text: String, fileLabel: String) {
            self.text = text
            self.fileLabel = fileLabel
        }

        /// A text key, nil when absent; a value of another kind is refused, never taken as absent.
        static func optionalText(_ t: TOMLTable, _ key: String, _ fail: (String) -> ConfigError, _ owner: String) throws -> String? {
            guard let v = t[key] else { return nil }
            guard let s = v.string else { throw fail("\(owner) の \(key) は文字列で書いてください") }
            return s
        }

        /// A text key, "" when absent (help and placeholder texts).
        static func text(_ t: TOMLTable, _ key: String, _ fail: (String) -> ConfigError, _ owner: String) throws -> String {
            try optionalText(t, key, fail, owner) ?? ""
        }

        /// A `true`/`false` key, false when absent; any other value is refused, never taken as false.
        static func flag(_ t: TOMLTable, _ key: String, _ fail: (String) -> ConfigError, _ owner: String) throws -> Bool {
            guard let v = t[key] else { return false }
            guard let b = v.bool else { throw fail("\(owner) の \(key) は true か false で書いてください") }
            return b
        }

        mutating func page(_ p: TOMLTable, index pi: Int, line pageLine: Int?) throws {
            func fail(_ m: String) -> ConfigError { ConfigError(file: fileLabel, line: pageLine, message: m) }
            guard let pid = p["id"]?.string, !pid.isEmpty else {
                throw fail("pages の \(pi + 1) 番目に id がありません")
            }
            guard let ptitle = p["title"]?.string, !ptitle.isEmpty else {
                throw fail("ページ \(pid) に title がありません")
            }
            let isReview = try Self.flag(p, "review", fail, "ページ \(pid)")
            var fields: [FormField] = []
            for fv in p["fields"]?.array ?? [] {
                let line = SourceLines.line(ofHeader: "[[pages.fields]]", occurrence: fieldOccurrence, in: text)
                fieldOccurrence += 1
                guard let f = fv.table else { throw ConfigError(file: fileLabel, line: line, message: "項目が表ではありません") }
                fields.append(try field(f, line: line, earlier: fields))
            }
            if fields.isEmpty && !isReview {
                throw fail("ページ \(pid) に項目がありません")
            }
            pages.append(FormPage(id: pid, title: ptitle, help: try Self.text(p, "help", fail, "ページ \(pid)"), fields: fields, isReview: isReview))
        }

        /// One `[[pages.fields]]`; `earlier` holds the fields before it on the same page.
        mutating func field(_ f: TOMLTable, line: Int?, earlier fields: [FormField]) throws -> FormField {
            func fail(_ m: String) -> ConfigError { ConfigError(file: fileLabel, line: line, message: m) }
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
            let when = try condition(f, of: id, earlier: fields, fail)
            let options = try self.options(f, of: id, kind: kind, fail)
            let source = try Self.optionalText(f, "source", fail, "項目 \(id)")
            if let source, !IntakeForm.infoSources.contains(source) {
                throw fail("項目 \(id) の source \"\(source)\" はありません（\(IntakeForm.infoSources.sorted().joined(separator: ", "))）")
            }
            if IntakeFieldID.isInfo(id) != (kind == .info) {
                throw fail("項目 \(id): 表示だけの項目（kind = \"info\"）の id は info_ で始めてください")
            }
            if let expectedKind = IntakeFieldID.kinds[id], expectedKind != kind {
                throw fail("項目 \(id) の kind は \(expectedKind.rawValue) にしてください")
            }
            return FormField(
                id: id, label: label, kind: kind, validator: validator,
                required: try Self.flag(f, "required", fail, "項目 \(id)"), when: when, options: options,
                help: try Self.text(f, "help", fail, "項目 \(id)"), text: try Self.text(f, "text", fail, "項目 \(id)"), source: source,
                placeholder: try Self.text(f, "placeholder", fail, "項目 \(id)"), defaultValue: try Self.optionalText(f, "default", fail, "項目 \(id)"))
        }

        /// `when = "項目 == 値"`: shown only when an earlier field holds one of its own values.
        func condition(_ f: TOMLTable, of id: String, earlier fields: [FormField], _ fail: (String) -> ConfigError) throws -> Condition? {
            guard let w = try Self.optionalText(f, "when", fail, "項目 \(id)") else { return nil }
            guard let c = Condition(parsing: w) else { throw fail("項目 \(id) の when \"\(w)\" は「項目 == 値」の形で書いてください") }
            guard seenFields.contains(c.field), c.field != id else {
                throw fail("項目 \(id) の when が、それより前にない項目 \(c.field) を参照しています")
            }
            // A misspelt value would hide the field for good while the rules still ask for it.
            if let parent = pages.flatMap(\.fields).first(where: { $0.id == c.field }) ?? fields.first(where: { $0.id == c.field }) {
                let allowed: [String] = parent.kind == .choice ? parent.options.map(\.value) : parent.kind == .check ? [FormField.checkValue(true)] : []
                if !allowed.isEmpty && !allowed.contains(c.value) {
                    throw fail("項目 \(id) の when の値 \"\(c.value)\" は項目 \(c.field) の選択肢にありません（\(allowed.joined(separator: ", "))）")
                }
            }
            return c
        }

        /// A choice's options, with every value the domain reads (`IntakeFieldID.requiredOptions`).
        func options(_ f: TOMLTable, of id: String, kind: FormField.Kind, _ fail: (String) -> ConfigError) throws -> [FormField.Option] {
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
            return options
        }

        /// The whole form, once every mandatory field is there and the last page is the review.
        func form(title: String) throws -> FormDefinition {
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
}
