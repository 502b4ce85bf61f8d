import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi tickets CASE --kind medical|dispensing --institution NAME --month 2026-12|R8.12`:
/// records paper tickets (紙の医療券・調剤券) issued after intake, for any month and institution
/// (R-PT-2 amended 2026-11-30), also after a cancel #5 (R-PT-4, R-HC-3). The row is checked as the
/// intake's ticket rows are (no 個人番号 in the name, R-ID-4); bad input exits 1 with nothing written.
struct TicketsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "受付のあとに交付した紙の医療券・調剤券を記録します。毎月の要対応はこの医療機関・薬局にも出ます（R-PT-2、取消 #5 のあとも R-PT-4）。")

    @OptionGroup var batch: BatchOptions
    @Argument(help: ArgumentHelp("案件番号（例 2026-0001）。", valueName: "CASE")) var caseNumber: String
    @Option(name: .long, help: ArgumentHelp("種類：medical（医療券）か dispensing（調剤券）。", valueName: "KIND")) var kind: String
    @Option(name: .long, help: ArgumentHelp("医療機関・薬局の名前。", valueName: "NAME")) var institution: String
    @Option(name: .long, help: ArgumentHelp("何月分か（2026-12、R8.12、令和8年12月）。", valueName: "MONTH")) var month: String

    /// Result for `--json`.
    struct Result: Encodable {
        let caseNumber: String
        let kind: String
        let kindLabel: String
        let institution: String
        let month: String
        let monthLabel: String
        let status: String
    }

    func run() throws {
        let session = try batch.open()
        let (store, op) = (session.store, session.op)
        // Labels as the clerk knows them (医療券・調剤券) are taken too.
        let kindValue = PaperTicket.Kind.allCases.first { $0.rawValue == kind || $0.label == kind }?.rawValue ?? ""
        guard !kindValue.isEmpty else {
            // A refusal of the input (exit 1), like every other field of the ticket; never echoed (R-ID-4).
            throw FieldProblem(field: "kind", label: "--kind", message: "'\(TextNormalizer.maskingMyNumberLike(kind))' は使えません。medical（医療券）か dispensing（調剤券）です")
        }
        guard let c = store.book[caseNumber] else { throw StepRefused(CaseError.noSuchCase(caseNumber)) }
        let context = ValidationContext(today: try session.today(), defaultEra: .reiwa)
        let (ticket, problems) = LaterTickets.check(TicketDraft(kind: kindValue, institution: institution, month: month), on: c, context: context)
        guard let ticket, problems.isEmpty else {
            for p in problems { printError(p.description) }
            throw ExitCode(1)
        }
        do {
            let saved = try store.issueTickets(ticket, on: c.number, operatorID: op.id, now: try session.now())
            let r = Result(caseNumber: saved.number, kind: ticket.kind.rawValue, kindLabel: ticket.kind.label,
                           institution: ticket.institution, month: ticket.month.iso, monthLabel: Wareki.format(ticket.month),
                           status: saved.status.label)
            try batch.emit(r) {
                ["案件 \(saved.number)：\(r.monthLabel)分の紙の\(r.kindLabel)（\(r.institution)）の交付を記録しました。状態：\(r.status)"]
            }
        } catch let err as CaseError {
            // Refused against the case as it is on disk (another terminal got there first).
            throw StepRefused(err)
        }
    }
}
