import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers (prefixed `formLoader` to keep clear of other test files)

private func formLoaderRepoRoot() -> URL {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

private func formLoaderScreenURL() -> URL {
    formLoaderRepoRoot().appendingPathComponent("screens/intake.toml")
}

private func formLoaderRealText() throws -> String {
    try String(contentsOf: formLoaderScreenURL(), encoding: .utf8)
}

private let formLoaderLabel = "screens/test.toml"

/// The real screen text with `old` replaced (exactly once) by `new`.
private func formLoaderEdit(_ old: String, _ new: String, in text: String? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let base = try text ?? formLoaderRealText()
    let parts = base.components(separatedBy: old)
    try #require(parts.count == 2, "「\(old)」 must occur exactly once in the screen file", sourceLocation: sourceLocation)
    return parts.joined(separator: new)
}

/// The 1-based lines of the `[[pages.fields]]` block that contains the first line containing `marker`.
private func formLoaderBlock(containing marker: String, in text: String) -> ClosedRange<Int>? {
    let lines = text.components(separatedBy: "\n")
    let isHeader = { (l: String) in l.hasPrefix("[") }
    for at in lines.indices where lines[at].contains(marker) {
        // Only lines inside a field block (page ids such as `id = "branch"` are skipped).
        guard let start = lines[...at].lastIndex(where: isHeader), lines[start].hasPrefix("[[pages.fields]]") else { continue }
        let end = lines[(at + 1)...].firstIndex(where: isHeader) ?? lines.count
        return (start + 1)...end
    }
    return nil
}

/// Parses `text`; returns the ConfigError it must raise.
private func formLoaderError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ConfigError? {
    do {
        _ = try FormLoader.parse(text, fileLabel: formLoaderLabel)
        Issue.record("the screen file loaded, but it should have been refused", sourceLocation: sourceLocation)
        return nil
    } catch let e as ConfigError {
        #expect(e.file == formLoaderLabel, sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Removes the whole `[[pages.fields]]` block whose id is `id`.
private func formLoaderDropField(_ id: String, from text: String) throws -> String {
    var lines = text.components(separatedBy: "\n")
    let block = try #require(formLoaderBlock(containing: "id = \"\(id)\"", in: text))
    lines.removeSubrange((block.lowerBound - 1)..<block.upperBound)
    return lines.joined(separator: "\n")
}

@Suite("FormLoader (screens/*.toml)", .tags(.unit))
struct FormLoaderTests {

    // MARK: The real screen file

    @Test("R-IN-1 the real screens/intake.toml loads: 6 pages, the last is review")
    func realScreen() throws {
        let form = try FormLoader.load(from: formLoaderScreenURL())
        #expect(form.title == "利用登録解除申請の受付")
        #expect(form.source == formLoaderScreenURL().path)
        #expect(form.pages.map(\.id) == ["applicant", "form", "branch", "tickets", "explain", "review"])
        #expect(form.pages.last?.isReview == true)
        #expect(form.pages.dropLast().allSatisfy { !$0.isReview && !$0.fields.isEmpty })
        #expect(form.pages.allSatisfy { !$0.title.isEmpty })
    }

    @Test("R-IN-1..4 R-BR-1 R-PT-1 every mandatory field id is in the real screen file, of the kind the domain reads")
    func realScreenMandatory() throws {
        let form = try FormLoader.load(from: formLoaderScreenURL())
        for id in IntakeFieldID.mandatory.keys.sorted() {
            #expect(form.field(id) != nil, "missing \(id)")
        }
        for (id, kind) in IntakeFieldID.kinds {
            #expect(form.field(id)?.kind == kind, "\(id)")
        }
        // Every text field names a validator that exists; every info field has text or a known source.
        for f in form.fields where f.kind == .text {
            #expect(f.validator.flatMap(Validators.named) != nil, "\(f.id)")
        }
        for f in form.fields where f.kind == .info {
            #expect(f.source.map(IntakeForm.infoSources.contains) ?? !f.text.isEmpty, "\(f.id)")
        }
        // Ids are unique.
        #expect(Set(form.fields.map(\.id)).count == form.fields.count)
    }

    @Test("R-IN-2 R-BR-1 R-IN-4 g: conditions and options of the real screen file")
    func realScreenDetails() throws {
        let form = try FormLoader.load(from: formLoaderScreenURL())
        #expect(form.field("proxy_name")?.when == Condition(field: "has_proxy", equals: true, value: "proxy"))
        #expect(form.field("insurer_number")?.when == Condition(field: "branch", equals: true, value: "insured"))
        #expect(form.field("explained_g")?.when == Condition(field: "branch", equals: true, value: "insured"))
        #expect(form.field("explained_a")?.when == nil)
        #expect(form.field("tickets")?.when == Condition(field: "holds_valid_tickets", equals: true, value: "yes"))
        #expect(form.field("branch")?.options.map(\.value) == ["assistance_only", "insured"])
        #expect(form.field("branch")?.optionLabel("insured") == "医療保険・医療扶助併用")
        #expect(form.field("application_date")?.defaultValue == "today")
        #expect(form.field("info_timing")?.source == "expected_timing")
        #expect(form.pageIndex(ofField: "branch") == 2)
        #expect(form.pageIndex(ofField: "signed_form") == 1)
    }

    @Test("Condition parses == and != and refuses malformed text")
    func conditionParsing() {
        #expect(Condition(parsing: "branch == insured") == Condition(field: "branch", equals: true, value: "insured"))
        #expect(Condition(parsing: "branch!=insured") == Condition(field: "branch", equals: false, value: "insured"))
        #expect(Condition(parsing: "branch insured") == nil)
        #expect(Condition(parsing: "== insured") == nil)
        #expect(Condition(parsing: "a == b == c") == nil)
        let c = Condition(field: "branch", equals: false, value: "insured")
        #expect(c.holds(in: ["branch": "assistance_only"]))
        #expect(!c.holds(in: ["branch": "insured"]))
        #expect(c.holds(in: [:]))
    }

    // MARK: Broken screen files: file, line, reason

    @Test("a TOML syntax error gives the parser's line")
    func syntaxError() throws {
        let text = try formLoaderEdit("label = \"郵便番号\"", "label = \"郵便番号")
        let line = text.components(separatedBy: "\n").firstIndex { $0 == "label = \"郵便番号" }! + 1
        let e = try #require(formLoaderError(text))
        #expect(e.line == line)
        #expect(e.message.contains("書式の誤り"))
    }

    @Test("an unknown field id is refused at its field")
    func unknownID() throws {
        let text = try formLoaderEdit("id = \"email\"", "id = \"mail\"")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "id = \"mail\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("\"mail\""))
        #expect(e.message.contains("使えません"))
    }

    @Test("an unknown validator is refused at its field")
    func unknownValidator() throws {
        let text = try formLoaderEdit("validator = \"postal_code\"", "validator = \"zip\"")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "validator = \"zip\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("\"zip\""))
        #expect(e.message.contains("postal_code"))
    }

    @Test("a text field without validator is refused at its field")
    func textWithoutValidator() throws {
        let text = try formLoaderEdit("id = \"municipality\"\nlabel = \"市区町村\"\nkind = \"text\"\nvalidator = \"municipality\"\n",
                                      "id = \"municipality\"\nlabel = \"市区町村\"\nkind = \"text\"\n")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "id = \"municipality\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("municipality"))
        #expect(e.message.contains("validator がありません"))
    }

    @Test("R-IN-2 a choice with fewer than 2 options is refused at its field")
    func choiceOneOption() throws {
        let text = try formLoaderEdit("options = [{ value = \"none\", label = \"本人\" }, { value = \"proxy\", label = \"代理人\" }]",
                                      "options = [{ value = \"none\", label = \"本人\" }]")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "id = \"has_proxy\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("has_proxy"))
        #expect(e.message.contains("2つ以上"))
    }

    @Test("R-BR-1 the branch choice must offer insured and assistance_only")
    func branchMissingOption() throws {
        let text = try formLoaderEdit("{ value = \"insured\", label = \"医療保険・医療扶助併用\" }",
                                      "{ value = \"both\", label = \"医療保険・医療扶助併用\" }")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "id = \"branch\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("branch"))
        #expect(e.message.contains("insured"))
    }

    @Test("R-IN-2 `when` referring to a later field is refused at its field")
    func whenLaterField() throws {
        let text = try formLoaderEdit("required = true\nwhen = \"has_proxy == proxy\"\nhelp = \"代理人の氏名です（R-IN-2）。\"",
                                      "required = true\nwhen = \"branch == insured\"\nhelp = \"代理人の氏名です（R-IN-2）。\"")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "id = \"proxy_name\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("proxy_name"))
        #expect(e.message.contains("branch"))
    }

    @Test("`when` referring to an unknown field or malformed is refused at its field")
    func whenUnknownField() throws {
        let unknown = try formLoaderEdit("when = \"holds_valid_tickets == yes\"", "when = \"nosuch == yes\"")
        let e = try #require(formLoaderError(unknown))
        let block = try #require(formLoaderBlock(containing: "id = \"tickets\"", in: unknown))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("nosuch"))

        let malformed = try formLoaderEdit("when = \"holds_valid_tickets == yes\"", "when = \"holds_valid_tickets yes\"")
        let m = try #require(formLoaderError(malformed))
        #expect(m.line.map(block.contains) == true)
        #expect(m.message.contains("項目 == 値"))
    }

    @Test("a duplicate field id is refused at the second occurrence")
    func duplicateID() throws {
        let text = try formLoaderEdit("id = \"email\"", "id = \"phone\"")
        let e = try #require(formLoaderError(text))
        // The second `id = "phone"` is where `email` used to be.
        let lines = text.components(separatedBy: "\n")
        let second = lines.indices.filter { lines[$0] == "id = \"phone\"" }[1] + 1
        let block = try #require(formLoaderBlock(containing: "label = \"メール\"", in: text))
        #expect(block.contains(second))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("phone"))
        #expect(e.message.contains("二度"))
    }

    @Test("an info kind with an id not starting info_ is refused at its field")
    func infoKindWrongID() throws {
        let text = try formLoaderEdit("id = \"reason\"\nlabel = \"解除を希望する理由\"\nkind = \"text\"",
                                      "id = \"reason\"\nlabel = \"解除を希望する理由\"\nkind = \"info\"")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "id = \"reason\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
        #expect(e.message.contains("reason"))
        #expect(e.message.contains("info_"))
    }

    @Test("R-IN-3 a check field of the wrong kind is refused (signed_form must be a check)")
    func wrongKindForMandatory() throws {
        let text = try formLoaderEdit("id = \"signed_form\"\nlabel = \"署名のある申請書を受け取った\"\nkind = \"check\"",
                                      "id = \"signed_form\"\nlabel = \"署名のある申請書を受け取った\"\nkind = \"text\"\nvalidator = \"text\"")
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "id = \"signed_form\"", in: text))
        #expect(e.line.map(block.contains) == true)
        #expect(e.message.contains("signed_form"))
        #expect(e.message.contains("check"))
    }

    @Test("R-IN-3 a screen file without signed_form is refused citing R-IN-3")
    func missingSignedForm() throws {
        let text = try formLoaderDropField("signed_form", from: formLoaderRealText())
        #expect(!text.contains("id = \"signed_form\""))
        let e = try #require(formLoaderError(text))
        #expect(e.message.contains("signed_form"))
        #expect(e.message.contains("R-IN-3"))
    }

    @Test("R-BR-1 R-IN-4 a screen file without a mandatory field is refused citing its rule",
          arguments: [("branch", "R-BR-1"), ("explained_c", "R-IN-4 c"), ("holds_valid_tickets", "R-PT-1"),
                      ("recipient_number", "R-IN-1")])
    func missingMandatory(id: String, rule: String) throws {
        let text = try formLoaderDropField(id, from: formLoaderRealText())
        // Fields whose `when` refers to the dropped one would be refused first; drop their conditions.
        let cleaned = text.components(separatedBy: "\n").filter { !$0.hasPrefix("when = \"\(id) ") }.joined(separator: "\n")
        let e = try #require(formLoaderError(cleaned))
        #expect(e.message.contains(id))
        #expect(e.message.contains(rule))
    }

    @Test("a screen file whose last page is not review is refused")
    func lastPageNotReview() throws {
        let real = try formLoaderRealText()
        let start = try #require(real.range(of: "[[pages]]\nid = \"review\""))
        let text = String(real[..<start.lowerBound])
        let e = try #require(formLoaderError(text))
        #expect(e.message.contains("review"))
        #expect(e.message.contains("最後のページ"))
    }

    @Test("a page without fields (not review) is refused at its [[pages]] line")
    func emptyPage() throws {
        let text = try formLoaderEdit("[[pages]]\nid = \"review\"\ntitle = \"確認\"\nreview = true",
                                      "[[pages]]\nid = \"empty\"\ntitle = \"空\"\n\n[[pages]]\nid = \"review\"\ntitle = \"確認\"\nreview = true")
        let line = text.components(separatedBy: "\n").firstIndex(of: "id = \"empty\"")!  // header is the line before
        let e = try #require(formLoaderError(text))
        #expect(e.line == line)
        #expect(e.message.contains("empty"))
    }

    @Test("no pages at all is refused")
    func noPages() throws {
        let e = try #require(formLoaderError("title = \"空\"\n"))
        #expect(e.message.contains("[[pages]]"))
    }

    @Test("a [[pages.fields]] header with a trailing comment still gives the right line")
    func headerWithComment() throws {
        let commented = try formLoaderEdit("[[pages.fields]]\nid = \"name\"", "[[pages.fields]] # 氏名\nid = \"name\"")
        let text = try formLoaderEdit("validator = \"postal_code\"", "validator = \"zip\"", in: commented)
        let e = try #require(formLoaderError(text))
        let block = try #require(formLoaderBlock(containing: "validator = \"zip\"", in: text))
        #expect(e.line.map(block.contains) == true, "line \(String(describing: e.line)) not in \(block)")
    }

    @Test("FormLoader.load names the file when it cannot be read")
    func unreadable() {
        let url = URL(fileURLWithPath: "/nonexistent/screens/intake.toml")
        do {
            _ = try FormLoader.load(from: url)
            Issue.record("loaded a missing file")
        } catch let e as ConfigError {
            #expect(e.file == url.path)
            #expect(e.message.contains("読めません"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a when value that is not an option of the referenced choice is refused (it would hide the field for good)")
    func whenValueNotAnOption() throws {
        let text = try formLoaderEdit("when = \"branch == insured\"\nhelp = \"加入している", "when = \"branch == insure\"\nhelp = \"加入している")
        let e = formLoaderError(text)
        #expect(e?.message.contains("insure") == true)
        #expect(e?.message.contains("assistance_only, insured") == true)
        #expect(e?.line != nil)
    }
}
