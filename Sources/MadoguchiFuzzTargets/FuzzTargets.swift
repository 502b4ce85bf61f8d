import Crypto
import Foundation
import MadoguchiCore

/// The fuzz targets of issue 6 (item 3): bytes → the real API a clerk's input or a file reaches.
/// Each must return normally for ANY bytes: a refusal is fine (that is the point of the messages),
/// a crash, a trap (force-unwrap, index out of range, overflow) or a hang is a bug.
///
/// The same functions run under libFuzzer (`Sources/MadoguchiFuzz`, built by `.ci/fuzz.sh` with
/// `-sanitize=fuzzer,address`) and in `swift test` (RobustnessTests: the checked-in corpus, every
/// crash found, and a bounded in-process mutation loop), so a crash found once stays a test.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The journal reader: verify arbitrary bytes; then the same bytes with every line's hash (and
    /// `prev`) recomputed, so the strict JSON parser and the case fold see them, and fold the records
    /// into cases, reminders and the pending list.
    case journal
    /// 初回登録解除情報登録結果ファイル (R-FL-1): decode + parse with the default layout, CP932 and UTF-8.
    case resultFile = "result_file"
    /// 初回登録・有効期限状況一覧ファイル (R-FL-2): decode + parse with the default layout, CP932 and UTF-8.
    case statusFile = "status_file"
    /// The office config (`config/…/office.toml`) through `OfficeConfig.load`.
    case config
    /// A screen definition (`screens/intake.toml` format) through `FormLoader`.
    case screens
    /// 和暦 / Western dates and months (R-ID-5), with every default era.
    case wareki
    /// Every named validator (R-ID-1..6: 受給者番号, 公費負担者番号, 保険者番号, 被保険者枝番, 郵便番号,
    /// フリガナ, 氏名, phone, e-mail…), check digits and the text normalisers.
    case identifiers
    /// The whole intake check (R-IN-1..5, R-BR-*, R-PT-1) over the shipped `screens/intake.toml`,
    /// the input split into field values and ticket rows.
    case intake

    /// Runs the target on one input. Returns normally whatever the bytes are.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .journal: FuzzBodies.journal(bytes)
        case .resultFile: FuzzBodies.resultFile(bytes)
        case .statusFile: FuzzBodies.statusFile(bytes)
        case .config: FuzzBodies.config(bytes)
        case .screens: FuzzBodies.screens(bytes)
        case .wareki: FuzzBodies.wareki(bytes)
        case .identifiers: FuzzBodies.identifiers(bytes)
        case .intake: FuzzBodies.intake(bytes)
        }
    }

    /// The target named by `MADOGUCHI_FUZZ_TARGET` (libFuzzer binaries take no arguments of ours).
    public static func fromEnvironment() -> FuzzTarget? {
        ProcessInfo.processInfo.environment["MADOGUCHI_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:))
    }
}

/// Where the repository is (for the shipped screen definition), from this file's path at build time.
public enum FuzzPaths {
    public static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

enum FuzzBodies {
    static let today = LocalDate(year: 2026, month: 11, day: 24)!

    // MARK: Journal

    static let hashKey = Array(#","hash":""#.utf8)
    static let prevKey = Array(#","prev":""#.utf8)
    static let hexDigits = Array("0123456789abcdef".utf8)

    static func journal(_ bytes: [UInt8]) {
        // 1. The bytes as they are: what `madoguchi verify` and start-up see on a damaged disk.
        _ = Journal.verify(journalBytes: bytes)
        _ = Journal.records(inBytes: bytes)

        // 2. The same lines made to chain: each line's `"prev":"…"` (when it ends with one) is set to
        // the previous line's hash and the hash suffix recomputed, so what follows the hash check
        // (layout, strict JSON, seq, the fold into cases) gets arbitrary content too.
        var chained: [UInt8] = []
        chained.reserveCapacity(bytes.count + 128)
        var prev = String(repeating: "0", count: 64)
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(64) {
            var body = Array(line)
            if let at = trailingHashStart(body) { body.removeSubrange(at...) }
            if body.count >= prevKey.count + 65, body.last == UInt8(ascii: "\""),
               Array(body[(body.count - 65 - prevKey.count)..<(body.count - 65)]) == prevKey {
                body.replaceSubrange((body.count - 65)..<(body.count - 1), with: Array(prev.utf8))
            }
            var h = SHA256()
            h.update(data: body)
            h.update(data: [UInt8(ascii: "}")])
            var hash: [UInt8] = []
            hash.reserveCapacity(64)
            for b in h.finalize() { hash.append(hexDigits[Int(b >> 4)]); hash.append(hexDigits[Int(b & 0x0F)]) }
            chained += body + hashKey + hash + Array("\"}\n".utf8)
            prev = String(decoding: hash, as: UTF8.self)
        }
        let (records, _) = Journal.records(inBytes: chained)
        var book = CaseBook()
        for r in records {
            do { try book.apply(r) } catch { break }   // start-up stops at the first inconsistent event
        }
        _ = book.all.map { CaseLifecycle.expectedCancellation($0) }
        _ = Reminders.due(in: book, today: today)
        _ = Pending.list(book, today: today)
        _ = book.signOffBatches
    }

    /// Where `,"hash":"<64>"}` starts when the line ends with one.
    static func trailingHashStart(_ body: [UInt8]) -> Int? {
        let n = body.count
        guard n >= 75 else { return nil }
        let s = n - 75
        return Array(body[s..<(s + hashKey.count)]) == hashKey && body[n - 1] == UInt8(ascii: "}") ? s : nil
    }

    // MARK: Server files

    static let cp932 = InterchangeConfig.default
    static let utf8: InterchangeConfig = {
        var c = InterchangeConfig()
        c.encoding = .utf8
        c.lineEnding = .lf
        return c
    }()

    /// The whole input is the file; its length picks the configured encoding (CP932 + CRLF, the
    /// default, or UTF-8 + LF), so both are fuzzed without parsing every input twice.
    static func config(for bytes: [UInt8]) -> InterchangeConfig { bytes.count % 2 == 0 ? cp932 : utf8 }

    static func resultFile(_ bytes: [UInt8]) {
        if let parsed = try? ResultFile.parse(Data(bytes), config: config(for: bytes)) {
            _ = parsed.problems.map(\.description)
        }
    }

    static func statusFile(_ bytes: [UInt8]) {
        if let parsed = try? StatusFile.parse(Data(bytes), config: config(for: bytes)) {
            _ = parsed.problems.map(\.description)
            _ = parsed.rows.compactMap(\.certificateExpiry).map(Wareki.format)
        }
    }

    // MARK: Config and screens

    static let configURL = URL(fileURLWithPath: "/nonexistent-fuzz/config/office.toml")
    static let configEnvironment = ["HOME": "/nonexistent-home", "XDG_DATA_HOME": "/nonexistent-xdg"]

    static func config(_ bytes: [UInt8]) {
        // The real loader, given the bytes instead of reading them (UTF-8 check, TOML, every key).
        if let c = try? OfficeConfig.load(from: configURL, contents: Data(bytes), environment: configEnvironment) {
            _ = c.exportDirectory
            _ = c.journalURL
        }
    }

    static func screens(_ bytes: [UInt8]) {
        guard let text = String(data: Data(bytes), encoding: .utf8) else { return }   // as FormLoader.load
        guard let form = try? FormLoader.parse(text, fileLabel: "fuzz.toml") else { return }
        // A form that loads must also open: initial values and a check of the empty form.
        let values = IntakeForm.initialValues(form, today: today)
        let context = ValidationContext(today: today, defaultEra: .reiwa)
        _ = IntakeForm.check(form, values: values, context: context)
        for f in form.fields { _ = IntakeForm.display(f, values: values, context: context) }
    }

    // MARK: Dates and identifiers

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The first byte picks the default era (none, 大正 … 令和); the rest is the text typed.
    static func wareki(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let s = text(Array(bytes.dropFirst()))
        let eras: [Era?] = [nil] + Era.allCases.map(Optional.some)
        do {
            let era = eras[Int(first) % eras.count]
            if case .success(let d) = Wareki.parseDate(s, defaultEra: era) {
                _ = Wareki.format(d)
                _ = Wareki.formatShort(d)
                _ = d.addingMonths(1)
            }
            if case .success(let m) = Wareki.parseMonth(s, defaultEra: era) { _ = Wareki.format(m) }
        }
        _ = LocalDate(iso: s)
        _ = YearMonth(iso: s)
    }

    /// The first byte picks the validator (and the other checks); the rest is the text typed.
    static func identifiers(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let s = text(Array(bytes.dropFirst()))
        let context = ValidationContext(today: today, defaultEra: .reiwa)
        let v = Validators.all[Int(first) % Validators.all.count]
        switch v.validate(s, context) {
        case .success(let normalized): _ = v.display(normalized)
        case .failure(let e): _ = e.message
        }
        guard first >= 0x80 else { return }
        _ = try? Validators.freeText(s, field: "note", label: "メモ", required: true)
        _ = Kana.normalizeFurigana(s)
        _ = Kana.fullWidthKatakana(s)
        _ = TextNormalizer.containsMyNumberLike(s)
        _ = TextNormalizer.halfWidthASCII(s)
        let digits = String(s.unicodeScalars.filter { $0.value >= 0x30 && $0.value <= 0x39 }.prefix(40))
        _ = CheckDigit.compute(digits)
        _ = CheckDigit.isValid(digits)
    }

    // MARK: Intake

    static let intakeForm: FormDefinition? = try? FormLoader.load(from: FuzzPaths.repoRoot.appendingPathComponent("screens/intake.toml"))

    /// Lines → values of the form's fields in order (choices and checks too: any text); lines after
    /// the fields are ticket rows `kind<TAB>institution<TAB>month`.
    static func intake(_ bytes: [UInt8]) {
        guard let form = intakeForm else { return }
        let lines = text(bytes).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var values = IntakeForm.initialValues(form, today: today)
        let fields = form.fields
        for (i, line) in lines.prefix(fields.count).enumerated() { values[fields[i].id] = line }
        if lines.count > fields.count {
            values.tickets = lines.dropFirst(fields.count).prefix(8).map { row in
                let c = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                return TicketDraft(kind: c.first ?? "", institution: c.count > 1 ? c[1] : "", month: c.count > 2 ? c[2] : "")
            }
        }
        let context = ValidationContext(today: today, defaultEra: .reiwa)
        let check = IntakeForm.check(form, values: values, context: context)
        _ = check.problems.map(\.description)
        // The review page: every field as it would be shown (only when the form could be saved, as
        // the desk shows the review page for any form, but it costs; the check above covers the rest).
        if check.application != nil || (bytes.first ?? 0) & 1 == 1 {
            for f in fields { _ = IntakeForm.display(f, values: values, context: context) }
        }
    }
}
