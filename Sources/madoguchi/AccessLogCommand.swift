import ArgumentParser
import Foundation
import MadoguchiCore

extension AccessEvent.Kind: ExpressibleByArgument {}

/// R-SG-4: records a read or an export in the office's access log (`<data>/access.jsonl`) BEFORE the
/// data leaves (the output is printed, the file written, the printer called). A command's output can
/// go to a file or a pipe, so it is treated as an export: when the record cannot be written the
/// command is refused (exit 2) and nothing is shown — a read has no work of the clerk's to lose.
func recordAccess(_ event: AccessEvent, session: OfficeSession, now: Date) throws {
    let log = session.accessLog
    do {
        try log.record(event, operatorID: session.op.id, now: now)
    } catch {
        throw StartupError("閲覧・書き出しの記録（\(log.url.path)）に書けないため、中止しました（何も出力していません、R-SG-4）：\(UserFacing.detail(for: error))")
    }
}

/// After work that the case journal already holds (a notice issued, the file to the server
/// written): the work stays; a failure to add the access record is said, and the command ends with
/// exit 1 so a script notices. The journal line (notice.issued, registration.exported) still names
/// the operator, the time and the file.
func recordAccessAfterWork(_ event: AccessEvent, session: OfficeSession, now: Date) -> Bool {
    let log = session.accessLog
    do {
        try log.record(event, operatorID: session.op.id, now: now)
        return true
    } catch {
        printError("閲覧・書き出しの記録（\(log.url.path)）に書けませんでした。作業は記録（ジャーナル）に残っています：\(UserFacing.detail(for: error))")
        return false
    }
}

extension OfficeSession {
    /// The office's access log, its lines signed with the proven operator's key (R-SG-4).
    var accessLog: AccessLog {
        let log = AccessLog(dataDirectory: config.dataDirectory)
        log.signing = store.accessSigning(proven.key)
        return log
    }
}

/// `madoguchi access-log`: who listed, searched, opened, exported and printed what, and when
/// (閲覧・書き出しの記録, R-SG-4), for the supervisor; the log's chain is verified as it is read.
struct AccessLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-log",
        abstract: "閲覧・書き出しの記録（誰が、いつ、どの案件を一覧・検索・閲覧・書き出し・印刷したか）を示します。査察指導員だけが使えます（R-SG-4）。",
        discussion: """
        記録はデータの保存先の access.jsonl（研修では作業場所の中）にあり、読むたびにハッシュの連鎖とアンカーを
        確かめます。壊れていれば最初の行を示し、終了コード 1 を返します。この一覧を見たことも記録に残ります。
        例：madoguchi access-log --operator sato --by yamada --since R8.11.1 --kind exported
        """)

    @OptionGroup var batch: BatchOptions

    @Option(name: .long, help: ArgumentHelp("この職員の記録だけ（職員の id）。", valueName: "ID"))
    var by: String?

    @Option(name: .long, help: ArgumentHelp("この日から（和暦 R8.11.1 か 2026-11-01）。", valueName: "DATE"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("この日まで（和暦か YYYY-MM-DD）。", valueName: "DATE"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("種類で絞り込みます（複数可）：\(AccessEvent.Kind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "・"))", valueName: "KIND"))
    var kind: [AccessEvent.Kind] = []

    @Option(name: .customLong("case"), help: ArgumentHelp("この案件に触れた記録だけ（案件番号。全件の一覧も含みます）。", valueName: "CASE"))
    var caseNumber: String?

    /// `--json`: the entries and whether the log verified.
    struct Output: Encodable {
        struct Entry: Encodable {
            let line: Int
            let time: String
            let `operator`: String
            let operatorName: String
            let kind: String
            let kindLabel: String
            let via: String
            let count: Int
            let cases: [String]
            let all: Bool
            let query: String?
            let filter: String?
            let file: String?
        }
        let file: String
        let verified: Bool
        let anchorChecked: Bool
        let problem: String?
        let count: Int
        let entries: [Entry]
    }

    func run() throws {
        let session = try batch.open()
        let (config, op) = (session.config, session.op)
        guard op.role == .supervisor else {
            printError("閲覧・書き出しの記録を見られるのは査察指導員だけです（\(op.name)（\(op.id)）は担当者です）。")
            throw ExitCode(1)
        }
        let today = try session.today()
        var filter = AccessFilter(operatorID: by, kinds: Set(kind), caseNumber: caseNumber)
        filter.since = try since.map { _ in try parseDateOption(since, name: "since", default: today) }
        filter.until = try until.map { _ in try parseDateOption(until, name: "until", default: today) }
        if let s = filter.since, let u = filter.until, s > u {
            throw badOptionValue("--until", until ?? "", "--since（\(Wareki.format(s))）より前の日です")
        }
        if let by, config.operatorNamed(by) == nil {
            printError("職員 \(by) は設定にいません（記録には残っている場合があるので、そのまま探します）。")
        }
        let log = session.accessLog
        let read = log.read(keys: session.store.journal.trust?.keys ?? [])
        let shown = read.entries.filter(filter.matches)
        // The auditor's read is recorded too (R-SG-4), once the log is known to be whole; a broken
        // log cannot take a line (its chain is cut), and is shown all the same so the break is seen.
        if read.ok {
            try recordAccess(AccessEvent(.audited, via: "access-log", cases: caseNumber.map { [$0] } ?? [], count: shown.count,
                                         filter: Self.describe(filter)),
                             session: session, now: try session.now())
        }
        let problem = read.problem.map { "\(log.url.path)\($0.line > 0 ? " \($0.line)行目" : ""): \($0.reason)" }
        let out = Output(file: log.url.path, verified: read.ok, anchorChecked: read.anchorChecked, problem: problem,
                         count: shown.count, entries: shown.map { e in
                             Output.Entry(line: e.lineNumber, time: e.time, operator: e.operatorID,
                                          operatorName: config.displayName(ofOperator: e.operatorID),
                                          kind: e.event.kind.rawValue, kindLabel: e.event.kind.label, via: e.event.via,
                                          count: e.event.count, cases: e.event.cases, all: e.event.wholeList,
                                          query: e.event.query, filter: e.event.filter, file: e.event.file)
                         })
        try batch.emit(out) { Self.table(shown, read: read, total: read.entries.count, names: config.displayName(ofOperator:)) }
        if let problem {
            printError("閲覧・書き出しの記録が壊れています：\(problem)")
            throw ExitCode(1)
        }
    }

    static func describe(_ f: AccessFilter) -> String {
        var parts: [String] = []
        if let o = f.operatorID { parts.append("職員=\(o)") }
        if let s = f.since { parts.append("から=\(s.iso)") }
        if let u = f.until { parts.append("まで=\(u.iso)") }
        if !f.kinds.isEmpty { parts.append("種類=" + f.kinds.map(\.rawValue).sorted().joined(separator: ",")) }
        if let c = f.caseNumber { parts.append("案件=\(c)") }
        return parts.joined(separator: " ")
    }

    /// One row per entry: 日時 (和暦), 職員, 種類, 経路, 件数, 案件, and the search, filter or file.
    static func table(_ shown: [AccessEntry], read: AccessLogRead, total: Int, names: (String) -> String) -> [String] {
        let state = read.ok ? "ハッシュの連鎖に切れ目なし\(read.anchorChecked ? "、アンカーと一致" : "")" : "壊れています"
        var lines = ["閲覧・書き出しの記録 \(shown.count)件（全\(total)件、\(state)）"]
        guard !shown.isEmpty else { return lines + ["該当する記録はありません"] }
        lines.append(["日時", "職員", "種類", "経路", "件数", "案件", "内容"].joined(separator: "\t"))
        for e in shown {
            let when = e.day.map { Wareki.format($0) + " " + String(e.time.dropFirst(11).prefix(8)) } ?? e.time
            let ev = e.event
            let cases = ev.wholeList ? "全件" : (ev.cases.isEmpty ? "-" : ev.cases.joined(separator: ",") + (ev.count > ev.cases.count ? " ほか" : ""))
            let what = [ev.query.map { "検索「\($0)」" }, ev.filter.flatMap { $0.isEmpty ? nil : $0 }, ev.file].compactMap { $0 }.joined(separator: "　")
            // What was typed or named reaches the terminal with its control characters shown as U+…, never raw (R-FL-5).
            let row = [when, "\(names(e.operatorID))（\(e.operatorID)）", ev.kind.label, ev.via, "\(ev.count)件", cases, what.isEmpty ? "-" : what]
            lines.append(row.map(TextNormalizer.showingControlCharacters).joined(separator: "\t"))
        }
        return lines
    }
}
