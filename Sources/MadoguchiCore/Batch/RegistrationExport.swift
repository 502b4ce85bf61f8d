import Crypto
import Foundation

/// A case left out of a bulk file, and why (R-RG-3: validate every field first).
public struct ExportRefusal: Sendable, Hashable, Encodable {
    public let caseNumber: String
    public let name: String
    public let reasons: [String]
    /// The 被保険者枝番 is blank (R-RG-2): the fix is to enter it on the case, which the desk and the
    /// command line name each in their own words (`line(fix:)`).
    public var missingServerNumber = false

    /// 「除外 2026-0001 山田 花子：reasons」, with how to fix a missing 被保険者枝番 when `fix` says it.
    public func line(fix: (ExportRefusal) -> String? = { _ in nil }) -> String {
        "  除外 \(caseNumber) \(name)：\(reasons.joined(separator: "／"))" + (missingServerNumber ? fix(self).map { " → \($0)" } ?? "" : "")
    }
}

public struct RegistrationExportResult: Sendable, Encodable {
    /// Nil when nothing was written (no case ready, or a dry run).
    public let file: String?
    public let included: [String]
    public let refused: [ExportRefusal]
    public let dryRun: Bool
}

/// 初回登録解除情報一括登録ファイル (FI_HIM_0018) for the assistance-only cases awaiting
/// registration (R-RG-1..3, R-RG-7, R-BR-2). Insured cases are never included (R-BR-3).
public enum RegistrationExport {
    /// The value of one mapped column for a case (R-RG-2 welfare-office mapping, from config).
    public static func value(_ source: ExportSource, for c: CaseRecord, office: OfficeConfig) -> String {
        switch source {
        case .officeServerCode: return office.serverCode
        case .officePublicPayerNumber: return office.publicPayerNumber
        case .serverIndividualNumber: return c.application.serverIndividualNumber ?? ""
        case .recipientNumber: return c.application.recipientNumber
        case .empty: return ""
        case .literal(let s): return s
        }
    }

    /// The cases that go in the next file, with their rows, and the ones refused with reasons.
    public static func plan(_ book: CaseBook, office: OfficeConfig) -> (rows: [(caseNumber: String, fields: [String])], refused: [ExportRefusal]) {
        var rows: [(String, [String])] = []
        var refused: [ExportRefusal] = []
        var seenKeys: [MatchKey: String] = [:]
        // A person whose request is already with the server (an earlier file) is not sent again (R-PC-1 3).
        for c in book.all where [.exported, .registered, .held].contains(c.status) {
            if let k = MatchKey.of(c, office: office), seenKeys[k] == nil { seenKeys[k] = c.number }
        }
        for c in book.all where c.status == .awaitingRegistration && c.application.branch == .assistanceOnly {
            var reasons: [String] = []
            if c.application.serverIndividualNumber == nil {
                reasons.append("被保険者枝番（16桁）が未入力です（R-RG-2）")
            }
            let fields = office.interchange.exportColumns.map { value($0, for: c, office: office) }
            if reasons.isEmpty {
                reasons += RegistrationFile.validate(fields, encoding: office.interchange.encoding).map(\.description)
            }
            if let k = MatchKey.of(c, office: office), let other = seenKeys[k] {
                reasons.append("案件 \(other) と同じ人（\(k)）です。同じ人を二度登録することはできません（R-PC-1）")
            }
            if reasons.isEmpty {
                rows.append((c.number, fields))
                if let k = MatchKey.of(c, office: office) { seenKeys[k] = c.number }
            } else {
                refused.append(ExportRefusal(caseNumber: c.number, name: c.application.applicant.name, reasons: reasons,
                                             missingServerNumber: c.application.serverIndividualNumber == nil))
            }
        }
        return (rows, refused)
    }

    /// `FI_HIM_0018_<保険者コード>_<YYYYMMDD>.csv`, with `_2`, `_3`… for a second file the same day.
    public static func fileName(office: OfficeConfig, date: LocalDate, existing: (String) -> Bool) -> String {
        let base = "FI_HIM_0018_\(office.serverCode)_\(date.iso.replacingOccurrences(of: "-", with: ""))"
        var name = base + ".csv"
        var n = 2
        while existing(name) {
            name = "\(base)_\(n).csv"
            n += 1
        }
        return name
    }

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

extension CaseStore {
    /// Writes the bulk registration file and records, in one journal write, that each included
    /// case was exported in it. Chosen under the journal's lock, so two terminals never export the
    /// same case; a case goes in again only after it went back to 登録待ち (R-RG-3, R-RG-5).
    /// The file is renamed into place only once the journal has it.
    ///
    /// Only a batch a supervisor approved is written (maker-checker, issue 4): `batchID` names it, or
    /// nil takes the oldest approved batch; its cases that are no longer ready are left out with the
    /// reason. A dry run shows what the next batch would hold and needs no approval.
    public func exportRegistrations(office: OfficeConfig, directory: URL, operatorID: String, now: Date,
                                    batchID: String? = nil, dryRun: Bool = false) throws -> RegistrationExportResult {
        if dryRun {
            let (rows, refused) = RegistrationExport.plan(book, office: office)
            return RegistrationExportResult(file: nil, included: rows.map(\.caseNumber), refused: refused, dryRun: true)
        }
        var prepared: PreparedFile?
        let result: RegistrationExportResult
        do {
            result = try commit(operatorID: operatorID, now: now) { current -> ([(caseNumber: String, event: LifecycleEvent)], [EventDraft], RegistrationExportResult) in
                let batch: SignOffBatch
                if let batchID {
                    guard let b = current.signOffBatches.first(where: { $0.id == batchID }) else { throw SignOffError.noSuchBatch(batchID) }
                    guard b.state == .approved else { throw SignOffError.wrongState(batchID, b.state) }
                    batch = b
                } else {
                    guard let b = current.approvedBatch else { throw SignOffError.noApprovedBatch }
                    batch = b
                }
                let (allRows, allRefused) = RegistrationExport.plan(current, office: office)
                let signed = Set(batch.cases)
                let rows = allRows.filter { signed.contains($0.caseNumber) }
                // Every case not ready is named (in the batch or not), so the clerk sees what to fix.
                var refused = allRefused
                for number in batch.cases where !rows.contains(where: { $0.caseNumber == number }) && !refused.contains(where: { $0.caseNumber == number }) {
                    let c = current[number]
                    refused.append(ExportRefusal(caseNumber: number, name: c?.application.applicant.name ?? "",
                                                 reasons: ["承認のあとで「\(c?.status.label ?? "—")」になったので出力しません"]))
                }
                guard !rows.isEmpty else {
                    // Nothing left to send: the batch is closed all the same, with an empty record.
                    let closing = EventDraft(caseNumber: FileEvent.officeCase, type: EventType.fileRecorded,
                                             data: try JSONValue(encoding: FileEvent.Payload(kind: .registrationExport, fileName: "", sha256: "",
                                                                                              cases: [], rows: 0, batch: batch.id)),
                                             operatorID: operatorID, time: now)
                    return ([], [closing], RegistrationExportResult(file: nil, included: [], refused: refused, dryRun: false))
                }
                let data = try RegistrationFile.encode(rows.map(\.fields), config: office.interchange)
                let name = RegistrationExport.fileName(office: office, date: LocalDate(now)) {
                    FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
                }
                // R-SG-6: inside the office's folders, no symlink on the way.
                let destination = try office.confinedExport(directory.appendingPathComponent(name), what: "一括登録ファイルの書き出し先")
                prepared = try PreparedFile.prepare(data, at: destination)
                let moves = rows.map { (caseNumber: $0.caseNumber, event: LifecycleEvent.exported(file: name)) }
                let fileRecord = EventDraft(
                    caseNumber: FileEvent.officeCase, type: EventType.fileRecorded,
                    data: try JSONValue(encoding: FileEvent.Payload(kind: .registrationExport, fileName: name,
                                                                     sha256: RegistrationExport.sha256(data),
                                                                     cases: rows.map(\.caseNumber), rows: rows.count, batch: batch.id)),
                    operatorID: operatorID, time: now)
                return (moves, [fileRecord], RegistrationExportResult(file: directory.appendingPathComponent(name).path,
                                                                      included: rows.map(\.caseNumber), refused: refused, dryRun: false))
            }
        } catch {
            prepared?.discard()   // nothing was journaled: no file either
            throw error
        }
        guard let prepared else { return result }
        // The journal already says these cases are in the file: a failed rename keeps the bytes.
        prepared.keepTemporary()
        do {
            try prepared.commit()
        } catch {
            // The journal already says these cases are in the file: keep the bytes and say where.
            throw FileWriteError(path: prepared.temporary.path,
                                 operation: "名前の変更（記録は済んでいます。このファイルを \(prepared.destination.lastPathComponent) に改名してください）",
                                 code: (error as? FileWriteError)?.code ?? EIO)
        }
        return result
    }
}

extension RegistrationExportResult {
    /// What happened, in lines a clerk reads.
    public var summaryLines: [String] {
        var lines: [String] = []
        if let file { lines.append("一括登録ファイルを作りました：\(file)（\(included.count)件）。統合専用端末から登録してください（R-RG-1）。") }
        else if dryRun { lines.append("出力する案件：\(included.count)件（試行のみ、書き出していません）") }
        else { lines.append("出力する案件はありません。") }
        lines += included.map { "  出力 \($0)" }
        lines += refused.map { $0.line() }
        return lines
    }
}
