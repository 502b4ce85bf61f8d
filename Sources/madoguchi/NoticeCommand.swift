import ArgumentParser
import Foundation
import MadoguchiCore

extension NoticeKind: ExpressibleByArgument {}

/// `madoguchi notice CASE --kind pending|hold|cancel [--pdf] [--print] [--out DIR] [--json]` and
/// `madoguchi notice --reprint ID [--print]` (R-NT-1..4; printing: issue 11).
struct NoticeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notice",
        abstract: "通知（受付控え・保留・取消）をひな形から作り、記録します（R-NT-1..4）。--reprint で作った通知を再印刷します。",
        discussion: """
        ひな形は config/notices/{pending,hold,cancel}.mustache です。控えはデータの保存先の notices/ に
        <案件>-<種類>-<n>.txt（UTF-8、0600）として書き、--pdf で同じ名前の A4 の PDF（文字を検索・コピーできる PDF）も
        作ります。作った通知は案件の記録（notice.issued）に残ります。PDF には pango1.0-tools・poppler-utils・
        fonts-ipafont-gothic が要ります。ない場合も控えの文書は書き、何を入れればよいかを示します（終了コード 0）。
        --print は PDF を設定の [printing] queue のプリンターで印刷し（lp）、ジョブ番号を示して記録（notice.printed）
        に残します。印刷できなかったときは理由を示して終了コード 1 です（通知の控えと PDF は書いてあります）。
        """)

    @OptionGroup var batch: BatchOptions

    @Argument(help: ArgumentHelp("案件番号（例 2026-0001）。", valueName: "CASE"))
    var caseNumber: String?

    @Option(name: .long, help: ArgumentHelp("通知の種類：pending（受付控え、申請者へ）・hold（保留、内部用）・cancel（取消、内部用）。", valueName: "KIND"))
    var kind: NoticeKind?

    @Flag(name: .long, help: "印刷用の A4 の PDF も作ります。")
    var pdf = false

    @Flag(name: .long, help: "PDF を作り、設定の [printing] queue のプリンターで印刷します。")
    var print = false

    @Option(name: .long, help: ArgumentHelp("控え（と PDF）の写しをこのフォルダにも書きます（印刷用のフォルダなど）。", valueName: "DIR"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("作った通知を再印刷します（控えが記録と一致するか確かめます）。", valueName: "ID"))
    var reprint: String?

    @Option(name: .long, help: ArgumentHelp("ひな形のフォルダ（省略時はプロジェクトの config/notices/）。", valueName: "DIR"))
    var templates: String?

    func validate() throws {
        if let reprint {
            guard !reprint.isEmpty else { throw ValidationError("--reprint に通知の番号（例 2026-0001-pending-1）を指定してください") }
            if caseNumber != nil || kind != nil { throw ValidationError("--reprint では案件番号と --kind は指定しません") }
        } else {
            guard caseNumber != nil else { throw ValidationError("案件番号を指定してください（例 madoguchi notice 2026-0001 --kind pending）") }
            guard kind != nil else { throw ValidationError("--kind に pending・hold・cancel のどれかを指定してください") }
        }
    }

    func run() throws {
        let session = try batch.open()
        let (config, store, op) = (session.config, session.store, session.op)
        var result: NoticeIssueResult
        do {
            if let reprint {
                result = try store.reprintNotice(id: reprint, office: config, pdf: pdf || print)
            } else {
                let dir: URL
                if let templates {
                    dir = URL(fileURLWithPath: templates)
                } else {
                    let (_, layout) = try batch.office.loadOffice()
                    dir = layout.root.appendingPathComponent("config/notices")
                }
                let renderer = NoticeRenderer(templates: try NoticeTemplates.load(directory: dir))
                result = try store.issueNotice(kind!, caseNumber: caseNumber!, office: config, clerk: op,
                                               renderer: renderer, pdf: pdf || print, now: try session.now())
            }
            if let out { result = try result.copying(to: URL(fileURLWithPath: out), within: config.exportRoots) }
        } catch let e as FileWriteError {
            throw StepRefused(e)   // the notice's copy not written: a refused step (1), not the setup's
        }
        // A missing PDF tool is not a failure: the text is written; say what to install.
        if let problem = result.pdfProblem { printError(problem) }
        // R-SG-4: the notice (the applicant's data) is now a file; the journal holds it as
        // notice.issued, so the work stays even if the access record cannot be added.
        let files = [result.file] + [result.pdfFile].compactMap { $0 } + result.copies
        var accessRecorded = recordAccessAfterWork(AccessEvent(.exported, via: reprint == nil ? "notice" : "notice --reprint",
                                                               cases: [result.caseNumber], filter: "通知 \(result.id)",
                                                               file: files.joined(separator: "・")),
                                                   session: session, now: try session.now())
        var printProblem: String?
        if print {
            if result.pdfFile == nil {
                printProblem = "通知 \(result.id) を印刷できません：PDF がありません"
            } else if !recordAccessAfterWork(AccessEvent(.printed, via: "notice --print", cases: [result.caseNumber], filter: "通知 \(result.id)",
                                                         file: "プリンター \(config.printQueue ?? "（未設定）")"),
                                             session: session, now: try session.now()) {
                // Nothing goes to the printer unless the print is recorded first (R-SG-4).
                accessRecorded = false
                printProblem = "通知 \(result.id) を印刷しませんでした：閲覧・書き出しの記録に書けません"
            } else {
                do {
                    result.printed = try store.printNotice(id: result.id, office: config, printer: OfficePrinter(office: config),
                                                           operatorID: op.id, now: try session.now()).receipt
                } catch let e as PrintProblem {
                    printProblem = e.description
                } catch let e as NoticeError {
                    printProblem = e.description
                }
            }
        }
        try batch.emit(result) { result.summaryLines(names: config.displayName(ofOperator:)).filter { $0 != result.pdfProblem } }
        if let printProblem { throw StepRefused(printProblem) }
        try exitForRefusal(!accessRecorded)
    }
}
