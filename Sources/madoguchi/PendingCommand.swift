import ArgumentParser
import Foundation
import MadoguchiCore

extension CaseStatus: ExpressibleByArgument {}
extension Branch: ExpressibleByArgument {}
extension PendingSort: ExpressibleByArgument {}

/// `madoguchi pending`: the supervisor's list of open cases, for scripts and spreadsheets.
struct PendingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "未完了の案件の一覧（査察指導員向け）。状態・区分・受付者・予定日超過・保留・月で絞り込み、CSV・PDF にも書き出し、印刷もできます。")

    @OptionGroup var batch: BatchOptions

    @Option(name: .long, help: ArgumentHelp("状態で絞り込みます（複数可）：\(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))", valueName: "STATUS"))
    var status: [CaseStatus] = []
    @Option(name: .long, help: ArgumentHelp("区分：assistance_only か insured", valueName: "BRANCH"))
    var branch: Branch?
    @Option(name: .long, help: ArgumentHelp("受け付けた職員の id", valueName: "ID"))
    var clerk: String?
    @Flag(name: .long, help: "解除予定日を過ぎても確認できない案件だけ（R-CF-1）")
    var overdue = false
    @Flag(name: .long, help: "保留中の案件だけ（R-HC-2）")
    var held = false
    @Option(name: .long, help: ArgumentHelp("申請の月（YYYY-MM）", valueName: "MONTH"))
    var month: String?
    @Flag(name: .long, help: "終わった案件（解除確認済み・取消・転出・取下げ）も含めます")
    var all = false
    @Option(name: .long, help: ArgumentHelp("並べ替え：\(PendingSort.allCases.map(\.rawValue).joined(separator: ", "))", valueName: "KEY"))
    var sort: PendingSort = .number
    @Flag(name: .long, help: "逆順に並べます")
    var desc = false
    @Option(name: .long, help: ArgumentHelp("一覧を CSV に書き出します（Excel 向け UTF-8 BOM 付き、--csv-encoding cp932 も可）。フォルダを指定すると、その中に書き出すたびに新しいファイル pending-年月日-時分秒.csv を作ります。", valueName: "FILE"))
    var csv: String?
    @Option(name: .long, help: ArgumentHelp("CSV の文字コード：utf-8（BOM 付き）か cp932（省略時は設定の [reports] csv_encoding）", valueName: "ENCODING"))
    var csvEncoding: String?
    @Option(name: .long, help: ArgumentHelp("絞り込んだ一覧を A4 の PDF（文字を検索・コピーできる PDF）に書きます", valueName: "FILE"))
    var pdf: String?
    @Flag(name: .long, help: "絞り込んだ一覧を PDF にして設定の [printing] queue のプリンターで印刷します（PDF はデータの保存先の reports/ に残ります）")
    var print = false
    @Flag(name: .long, help: "市の一覧：PostgreSQL のすべての事務所の未完了の案件を、事務所名を先頭に読むだけで示します（--config に市の設定 city.toml）")
    var city = false
    @Option(name: .long, help: ArgumentHelp("--city で示す事務所（8 桁の公費負担者番号、複数可。省略時はすべて）", valueName: "CODE"))
    var office: [String] = []

    func run() throws {
        var filter = PendingFilter()
        filter.statuses = status.isEmpty ? nil : Set(status)
        filter.branch = branch
        filter.clerk = clerk
        filter.overdueOnly = overdue
        filter.heldOnly = held
        filter.includeEnded = all
        if let month {
            guard let m = YearMonth(iso: month) else { throw badOptionValue("--month", month, "YYYY-MM の形で書いてください（例 2026-11）") }
            filter.month = m
        }
        if let csvEncoding, TextEncoding(configName: csvEncoding) == nil {
            throw badOptionValue("--csv-encoding", csvEncoding, "utf-8 か cp932 です")
        }
        if city {
            try runCity(filter: filter)
            return
        }
        if !office.isEmpty { throw ValidationError("--office は市の一覧（--city）でだけ使えます") }
        let session = try batch.open()
        let (config, store, op) = (session.config, session.store, session.op)
        let encoding = csvEncoding.flatMap(TextEncoding.init(configName:)) ?? config.reportEncoding
        let list = Pending.list(store.book, today: try session.today(), filter: filter, sort: sort, descending: desc)
        if let csv {
            try Self.writeCSV(to: csv, within: config.exportRoots, rows: list.rows.count, now: try session.now(),
                              data: { try Pending.csv(list, encoding: encoding, names: config.displayName(ofOperator:)) }) { url in
                try recordAccess(.pendingList(.exported, via: "pending --csv", list, filter: filter, file: url.path),
                                 session: session, now: try session.now())
            }
        }
        var printed: ListPrintResult?
        if pdf != nil || print {
            try recordAccess(.pendingList(print ? .printed : .exported, via: print ? "pending --print" : "pending --pdf", list, filter: filter,
                                          file: print ? "プリンター \(config.printQueue ?? "（未設定）")" + (pdf.map { "・\($0)" } ?? "") : pdf),
                             session: session, now: try session.now())
            do {
                printed = try store.printPendingList(filter: filter, sort: sort, descending: desc, today: try session.today(), office: config,
                                                     printer: print ? OfficePrinter(office: config) : nil, by: op, now: try session.now(),
                                                     to: pdf.map { URL(fileURLWithPath: $0) })
            } catch let p as NoticePDF.Problem {
                throw StartupError("一覧の PDF を作れません：\(p.description)")
            }
            if let printed {
                for line in printed.lines where line != printed.problem { printError(line) }
            }
        }
        try recordAccess(.pendingList(batch.json ? .exported : .listed, via: batch.json ? "pending --json" : "pending", list, filter: filter),
                         session: session, now: try session.now())
        try batch.emit(list) { Self.text(list, names: config.displayName(ofOperator:)) }
        if let problem = printed?.problem { throw StepRefused(problem) }
    }

    /// Writes the list's CSV (`data`) to `path`: a folder gets a new file of its own in it
    /// (pending-20261130-101500.csv, -2…), a file is replaced whole; only inside `roots` (R-SG-6).
    /// `record` is called with the file's name before a byte of it is written (R-SG-4).
    static func writeCSV(to path: String, within roots: [URL], rows: Int, now: Date, data makeData: () throws -> Data,
                         record: (URL) throws -> Void) throws {
        let data: Data
        do {
            data = try makeData()
        } catch let p as FileProblem {
            throw StartupError("CSV に書けません：\(p.description)")
        }
        var isDirectory: ObjCBool = false
        let url: URL
        let intoFolder = path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        if intoFolder {
            url = try ReportFiles.uniqueURL(in: URL(fileURLWithPath: path, isDirectory: true), within: roots,
                                            stem: "pending", ext: "csv", now: now)
        } else {
            url = try SafePath.confined(URL(fileURLWithPath: path), within: roots, what: "CSV の書き出し先")
        }
        do {
            try record(url)
            try PreparedFile.prepare(data, at: url).commitReplacing()
        } catch {
            if intoFolder { unlink(url.path) }
            throw error
        }
        printError("CSV を書き出しました：\(url.path)（\(rows)件）")
    }

    /// One row as a person reads it.
    static func rowText(_ r: PendingRow, names: (String) -> String) -> String {
        let flags = [r.overdue ? "予定日超過" : nil, r.persistentHold ? "保留継続" : nil].compactMap { $0 }.joined(separator: "・")
        return "\(r.number)\t\(r.name)\t\(r.branchLabel)\t\(r.statusLabel)\t担当 \(names(r.clerk))\t解除予定 \(r.expectedCancellationLabel)\(flags.isEmpty ? "" : "\t" + flags)"
    }

    /// The list as a person reads it: dates in 和暦, the clerk by name (`--json` keeps ISO and ids).
    static func text(_ list: PendingList, names: (String) -> String) -> [String] {
        let asOf = LocalDate(iso: list.asOf).map(Wareki.format) ?? list.asOf
        return ["未完了の案件 \(list.rows.count)件（\(asOf) 現在）"] + list.rows.map { rowText($0, names: names) }
            + summary(countsByStatus: list.countsByStatus, byMonth: list.byMonth)
    }

    /// The counts by status and the chart by month.
    static func summary(countsByStatus: [String: Int], byMonth: [PendingList.MonthCount]) -> [String] {
        var lines: [String] = []
        lines.append("状態ごと：" + CaseStatus.allCases.compactMap { s in countsByStatus[s.rawValue].map { "\(s.label) \($0)" } }.joined(separator: "／"))
        lines.append("申請の月ごと：")
        let maxCount = byMonth.map { $0.counts.values.reduce(0, +) }.max() ?? 1
        for m in byMonth {
            let n = m.counts.values.reduce(0, +)
            lines.append("  \(YearMonth(iso: m.month).map(Wareki.format) ?? m.month) \(String(repeating: "█", count: max(1, n * 40 / max(1, maxCount)))) \(n)")
        }
        return lines
    }
}
