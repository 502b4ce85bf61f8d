import Foundation
import Testing
@testable import MadoguchiCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16 item 3: every error of the domain library that can reach a clerk says itself in Japanese
/// with an exit code; anything else (Foundation, POSIX) is said in Japanese too, naming the file the
/// clerk knows, never a temporary one.
@Suite("One error path: UserFacingError (issue 16 item 3)", .tags(.unit))
struct UserFacingErrorTests {

    /// One of each error type, as the library makes it, with the exit code the command line gives it.
    static let samples: [(name: String, error: any UserFacingError, exit: Int32)] = [
        ("JournalError", JournalError.io(file: "journal.jsonl", operation: "開くこと", errno: EACCES), 2),
        ("JournalError.badLine", JournalError.badLine(file: "journal.jsonl", line: 3, reason: "hash が合いません"), 2),
        ("CaseError", CaseError.noSuchCase("2026-0001"), 2),
        ("KeyError", KeyError("鍵ファイル /k/yamada.key がありません。本人のOSアカウントで madoguchi keys generate を実行して作ってください"), 2),
        ("ConfigError", ConfigError(file: "/etc/madoguchi/office.toml", line: 30, message: "[reports] csv_encoding は \"utf-8\" か \"cp932\" です"), 2),
        ("JournalStoreUnavailable", JournalStoreUnavailable("データベースに接続できません"), 2),
        ("JournalCopy.Refused", JournalCopy.Refused("/d/journal.jsonl は既にあります。上書きはしません"), 2),
        ("FileWriteError", FileWriteError(path: "/d/reports/pending.csv", operation: "作成", code: EACCES), 2),
        ("BinaryCoding.Mismatch", BinaryCoding.Mismatch(what: "版"), 2),
        ("NoticePDF.Problem", NoticePDF.Problem.missing(packages: ["groff"]), 2),
        ("PrintProblem", PrintProblem.missingTool("lp"), 2),
        ("FieldProblem", FieldProblem(field: "birth_date", label: "生年月日", message: "存在しない日付です"), 1),
        ("ValueError", ValueError("7桁で入力してください"), 1),
        ("FileProblem", FileProblem(row: 3, column: 2, columnName: "被保険者枝番", message: "16桁の半角数字ではありません"), 1),
        ("SignOffError", SignOffError.noApprovedBatch, 1),
        ("TrainingError", TrainingError("研修の日付は戻せません"), 1),
        ("CorrectionError", CorrectionError.nothingChanged, 1),
        ("NoticeError", NoticeError.noSuchNotice("2026-0001-pending-9"), 1),
        ("ReminderError", ReminderError.unknown("r:1"), 1),
        ("SafePath.Refused", SafePath.Refused(path: "/d/reports/x.csv", why: SafePath.symlinkWhy), 1),
    ]

    /// Runs of three or more ASCII words (an English sentence: "No such file or directory"), leaving
    /// out a command the message tells the clerk to type.
    static func englishSentences(_ s: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "(?<![/A-Za-z0-9._-])[A-Za-z]+(?: [A-Za-z]+){2,}")
        return regex.matches(in: s, range: NSRange(s.startIndex..., in: s))
            .map { String(s[Range($0.range, in: s)!]) }
            .filter { !$0.hasPrefix("madoguchi ") }
    }

    static func isJapanese(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
    }

    @Test("Every error type conforms, with a Japanese message, no English sentence, and its exit code")
    func everyTypeSaysItself() {
        for (name, error, exit) in Self.samples {
            #expect(!error.userMessage.isEmpty, "\(name)")
            #expect(Self.isJapanese(error.userMessage), "\(name): \(error.userMessage)")
            #expect(Self.englishSentences(error.userMessage).isEmpty, "\(name): \(Self.englishSentences(error.userMessage))")
            #expect(error.exitCode == exit, "\(name): \(error.exitCode)")
            #expect(UserFacing.message(for: error) == error.userMessage, "\(name)")
            #expect(UserFacing.exitCode(for: error) == exit, "\(name)")
        }
    }

    @Test("The message is the type's own description, byte for byte; the journal's adds the heading the command line always printed")
    func descriptionsKept() {
        for (name, error, _) in Self.samples {
            guard let described = error as? any CustomStringConvertible, !(error is ValueError) else { continue }
            if error is JournalError {
                #expect(error.userMessage == "記録（ジャーナル）の誤り：" + described.description, "\(name)")
            } else {
                #expect(error.userMessage == described.description, "\(name)")
            }
            // Inside a sentence that already says what failed: the reason alone.
            #expect(UserFacing.detail(for: error) == described.description, "\(name)")
        }
        #expect(ValueError("7桁で入力してください").userMessage == "7桁で入力してください")
    }

    @Test("A Foundation file error: the file and the reason in Japanese, exit 2")
    func foundationFileError() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-nosuch-\(UUID().uuidString).csv")
        do {
            _ = try Data(contentsOf: missing)
            Issue.record("read a file that is not there")
        } catch {
            let said = UserFacing.message(for: error)
            #expect(said.contains(missing.path) && said.contains("ファイルかフォルダがありません"), "\(said)")
            #expect(Self.englishSentences(said).isEmpty, "\(said)")
            #expect(!said.contains(error.localizedDescription), "\(said)")
            #expect(UserFacing.exitCode(for: error) == 2)
        }
    }

    @Test("An error of no kind we know: Japanese, named by its type for the administrator, exit 2")
    func unknownError() {
        struct Gremlin: Error {}
        let said = UserFacing.message(for: Gremlin())
        #expect(Self.isJapanese(said) && said.contains("Gremlin"), "\(said)")
        #expect(Self.englishSentences(said).isEmpty, "\(said)")
        #expect(UserFacing.exitCode(for: Gremlin()) == 2)
    }

    @Test("A temporary file's name is never said: the file the clerk knows is")
    func temporaryNamesNeverSaid() {
        #expect(UserFacing.knownPath("/d/reports/.pending-20261130-101500.csv.tmp-2038-4000000000") == "/d/reports/pending-20261130-101500.csv")
        #expect(UserFacing.knownPath("/d/.journal.jsonl.tmp-20389") == "/d/journal.jsonl")
        #expect(UserFacing.knownPath("/d/journal.jsonl.anchor.tmp") == "/d/journal.jsonl.anchor")
        #expect(UserFacing.knownPath("/d/.madoguchi-fold/journal.jsonl.0123.fold.tmp-20389") == "/d/.madoguchi-fold/journal.jsonl.0123.fold")
        #expect(UserFacing.knownPath("/d/journal.jsonl") == "/d/journal.jsonl")
        #expect(UserFacing.knownPath("/d/.madoguchi-office.json") == "/d/.madoguchi-office.json")
        let posix = NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES),
                            userInfo: [NSFilePathErrorKey: "/d/reports/.pending.csv.tmp-2038-17"])
        let said = UserFacing.message(for: posix)
        #expect(said == "/d/reports/pending.csv：権限がありません、errno 13", "\(said)")
    }

    @Test("A report whose temporary file cannot be made: the destination is named, not the temporary file")
    func preparedFileNamesDestination() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-uf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        // A name that fits (240 bytes) whose temporary name (".<name>.tmp-<pid>-<n>") does not: fails even as root.
        let destination = dir.appendingPathComponent(String(repeating: "あ", count: 78) + ".csv")
        do {
            _ = try PreparedFile.prepare(Data("x".utf8), at: destination)
            Issue.record("the temporary file was made")
        } catch {
            let said = UserFacing.message(for: error)
            #expect(error is FileWriteError, "\(type(of: error))")
            #expect(said.contains(destination.path) && !said.contains(".tmp"), "\(said)")
            #expect(UserFacing.exitCode(for: error) == 2)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("The journal's anchor that cannot be written: its warning names the anchor, not its temporary file")
    func anchorWarningNamesAnchor() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-uf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        // A journal whose anchor's name fits but whose temporary name does not (ENAMETOOLONG stands
        // for any failure to create it, and happens even as root).
        let long = dir.appendingPathComponent(String(repeating: "い", count: 80) + ".jsonl")
        do {
            try JournalAnchor.write(JournalAnchor(seq: 1, hash: String(repeating: "0", count: 64)), journal: long)
            Issue.record("the anchor was written")
        } catch {
            let said = UserFacing.message(for: error)
            #expect(!said.contains(".tmp"), "\(said)")
            #expect(said.contains(JournalAnchor.url(for: long).lastPathComponent), "\(said)")
        }
    }
}
