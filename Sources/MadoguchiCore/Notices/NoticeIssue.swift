import Foundation

/// What `issueNotice` and `reprintNotice` did, for the clerk (and `--json`).
public struct NoticeIssueResult: Sendable, Encodable {
    public let id: String
    public let caseNumber: String
    public let kind: NoticeKind
    /// The text (UTF-8), absolute path.
    public let file: String
    public let sha256: String
    /// The PDF, absolute path, when there is one.
    public let pdfFile: String?
    /// Why no PDF was made although one was asked for (says what to install).
    public let pdfProblem: String?
    /// Copies written to `--out`.
    public let copies: [String]
    public let reprint: Bool
    /// When and by whom the notice was issued (the journal line).
    public let issuedAt: String
    public let issuedBy: String
    /// The print on the office's printer, when one was asked for and made (issue 11).
    public var printed: PrintReceipt? = nil

    /// What happened, in lines a clerk reads (the issuer by id; `summaryLines(names:)` by name).
    public var summaryLines: [String] { summaryLines(names: { $0 }) }

    /// What happened, in lines a clerk reads: the time in 和暦, the issuer by the name `names` gives.
    public func summaryLines(names: (String) -> String) -> [String] {
        var lines: [String] = []
        lines.append(reprint
            ? "通知 \(id)（\(kind.label)、案件 \(caseNumber)、\(Wareki.formatTime(issuedAt)) \(names(issuedBy)) 作成）の控えは記録と一致しました：\(file)"
            : "通知 \(id)（\(kind.label)、案件 \(caseNumber)）を作りました：\(file)")
        if let pdfFile { lines.append("PDF：\(pdfFile)") }
        if let pdfProblem { lines.append(pdfProblem) }
        lines += copies.map { "写し：\($0)" }
        if let printed { lines.append(printed.message) }
        return lines
    }
}

extension CaseStore {
    /// Renders a notice for a case, writes `<data dir>/notices/<case>-<kind>-<n>.txt` (0600) and, when
    /// asked, a PDF next to it, and records `notice.issued` on the case (R-NT-4: which, when, by whom).
    /// The number is chosen under the journal's lock; the files are renamed into place only once the
    /// journal has the line. If the PDF tools are missing the text is still written and recorded
    /// (`pdf: false`) and the result says what to install.
    public func issueNotice(_ kind: NoticeKind, caseNumber: String, office: OfficeConfig, clerk: Operator,
                            renderer: NoticeRenderer, pdf wantPDF: Bool, now: Date,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NoticeIssueResult {
        let dataDir = office.dataDirectory
        var prepared: [PreparedFile] = []
        let result: NoticeIssueResult
        do {
            result = try commit(operatorID: clerk.id, now: now) { current -> ([(caseNumber: String, event: LifecycleEvent)], [EventDraft], NoticeIssueResult) in
                guard let c = current[caseNumber] else { throw CaseError.noSuchCase(caseNumber) }
                let text = try renderer.render(kind, for: c, office: office, clerk: clerk, today: LocalDate(now))
                let data = Data(text.utf8)
                var n = NoticeLedger.nextSequence(of: c, kind: kind)
                // A file left there by hand (no journal line) is never overwritten.
                while FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("notices/\(c.number)-\(kind.rawValue)-\(n).txt").path) { n += 1 }
                let id = "\(c.number)-\(kind.rawValue)-\(n)"
                let rel = "notices/\(id).txt"
                let textURL = try office.confinedExport(dataDir.appendingPathComponent(rel), what: "通知の保存先")   // R-SG-6
                prepared.append(try PreparedFile.prepare(data, at: textURL))
                var pdfURL: URL?
                var pdfProblem: String?
                if wantPDF {
                    do {
                        let pdfData = try NoticePDF.make(text: text, environment: environment)
                        let url = try office.confinedExport(dataDir.appendingPathComponent("notices/\(id).pdf"), what: "通知の PDF の保存先")
                        prepared.append(try PreparedFile.prepare(pdfData, at: url))
                        pdfURL = url
                    } catch let p as NoticePDF.Problem {
                        pdfProblem = p.description
                    }
                }
                let sha = RegistrationExport.sha256(data)
                let draft = EventDraft(caseNumber: c.number, type: EventType.noticeIssued,
                                       data: try JSONValue(encoding: NoticeIssuedPayload(id: id, kind: kind, file: rel, sha256: sha, pdf: pdfURL != nil)),
                                       operatorID: clerk.id, time: now)
                return ([], [draft], NoticeIssueResult(id: id, caseNumber: c.number, kind: kind, file: textURL.path, sha256: sha,
                                                       pdfFile: pdfURL?.path, pdfProblem: pdfProblem, copies: [], reprint: false,
                                                       issuedAt: JapanTime.iso8601(now), issuedBy: clerk.id))
            }
        } catch {
            prepared.forEach { $0.discard() }   // nothing was journaled: no file either
            throw error
        }
        for (i, p) in prepared.enumerated() {
            p.keepTemporary()   // journaled: a failed rename keeps the bytes (the message says where)
            do {
                try p.commit()
            } catch {
                prepared[(i + 1)...].forEach { $0.discard() }
                // The journal already has the notice: keep the bytes and say where.
                throw FileWriteError(path: p.temporary.path,
                                     operation: "名前の変更（記録は済んでいます。このファイルを \(p.destination.lastPathComponent) に改名してください）",
                                     code: (error as? FileWriteError)?.code ?? EIO)
            }
        }
        return result
    }

    /// Finds a notice in the journal and checks its text is the one recorded (SHA-256). With `pdf`,
    /// makes the PDF from that text if there is none. Writes nothing to the journal.
    public func reprintNotice(id: String, office: OfficeConfig, pdf wantPDF: Bool,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NoticeIssueResult {
        _ = try refresh()
        guard let n = NoticeLedger.find(id: id, in: book) else { throw NoticeError.noSuchNotice(id) }
        // R-SG-6: the recorded file, not what a symlink put in its place (`n.file` is relative to the data folder).
        let textURL = try office.confinedExport(office.dataDirectory.appendingPathComponent(n.file), what: "通知の控え")
        let fd = try SafePath.open(textURL.path, O_RDONLY)   // a symlink in its place is refused, naming it
        guard fd >= 0, let data = try? FileHandle(fileDescriptor: fd, closeOnDealloc: true).readToEnd() ?? Data() else {
            throw NoticeError.fileMissing(id: id, path: textURL.path)
        }
        guard RegistrationExport.sha256(data) == n.sha256 else { throw NoticeError.fileChanged(id: id, path: textURL.path) }
        let pdfURL = textURL.deletingPathExtension().appendingPathExtension("pdf")
        var pdfPath: String? = FileManager.default.fileExists(atPath: pdfURL.path) ? pdfURL.path : nil
        var pdfProblem: String?
        if wantPDF && pdfPath == nil {
            do {
                let pdfData = try NoticePDF.make(text: String(decoding: data, as: UTF8.self), environment: environment)
                let p = try PreparedFile.prepare(pdfData, at: pdfURL)
                do { try p.commit() } catch { p.discard(); throw error }
                pdfPath = pdfURL.path
            } catch let p as NoticePDF.Problem {
                pdfProblem = p.description
            }
        }
        return NoticeIssueResult(id: n.id, caseNumber: n.caseNumber, kind: n.kind, file: textURL.path, sha256: n.sha256,
                                 pdfFile: pdfPath, pdfProblem: pdfProblem, copies: [], reprint: true,
                                 issuedAt: n.time, issuedBy: n.operatorID)
    }
}

extension NoticeIssueResult {
    /// Copies the text (and the PDF) into a folder, e.g. one a printer reads (0600; a copy of the
    /// same name is replaced).
    /// R-SG-6: `directory` must lie inside `roots` (the office's `exportRoots`), with no symlink on the way.
    public func copying(to directory: URL, within roots: [URL]) throws -> NoticeIssueResult {
        try SafePath.confined(directory, within: roots, what: "通知の写しの保存先")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var written: [String] = []
        for path in [file] + (pdfFile.map { [$0] } ?? []) {
            let src = URL(fileURLWithPath: path)
            let dst = try SafePath.confined(directory.appendingPathComponent(src.lastPathComponent), within: roots, what: "通知の写しの保存先")
            guard let data = FileManager.default.contents(atPath: src.path) else {
                throw FileWriteError(path: src.path, operation: "読み込み", code: ENOENT)
            }
            if FileManager.default.fileExists(atPath: dst.path) { unlink(dst.path) }
            let p = try PreparedFile.prepare(data, at: dst)
            do { try p.commit() } catch { p.discard(); throw error }
            written.append(dst.path)
        }
        return NoticeIssueResult(id: id, caseNumber: caseNumber, kind: kind, file: file, sha256: sha256, pdfFile: pdfFile,
                                 pdfProblem: pdfProblem, copies: copies + written, reprint: reprint,
                                 issuedAt: issuedAt, issuedBy: issuedBy)
    }
}
