import Foundation

/// The three notices the desk produces (R-NT-1..3).
public enum NoticeKind: String, Codable, Sendable, CaseIterable {
    /// 受付控え: to the applicant at intake (R-NT-1).
    case pending
    /// 保留の通知: internal, one per held request (R-NT-2).
    case hold
    /// 取消の通知: internal, one per cancelled request (R-NT-3).
    case cancel
    /// 転出先への連絡: to the office the person moved to; says whether the request was registered (R-IN-7).
    case transfer

    public var label: String {
        switch self {
        case .pending: return "受付控え"
        case .hold: return "保留の通知（内部用）"
        case .cancel: return "取消の通知（内部用）"
        case .transfer: return "転出先への連絡"
        }
    }

    /// The template file `config/notices/<kind>.mustache`.
    public var templateName: String { rawValue }
}

/// The `data` of a `notice.issued` line (R-NT-4: which notice; when and who are the line's `time`
/// and `operator`).
public struct NoticeIssuedPayload: Codable, Sendable, Hashable {
    /// `<case>-<kind>-<n>`, unique in the office.
    public var id: String
    public var kind: NoticeKind
    /// The text, relative to the office's data directory (`notices/2026-0001-pending-1.txt`).
    public var file: String
    /// SHA-256 of the text file's bytes (a reprint checks it).
    public var sha256: String
    /// Whether a PDF was written next to the text (same name, `.pdf`).
    public var pdf: Bool

    public init(id: String, kind: NoticeKind, file: String, sha256: String, pdf: Bool) {
        self.id = id
        self.kind = kind
        self.file = file
        self.sha256 = sha256
        self.pdf = pdf
    }
}

/// A notice as the journal knows it.
public struct NoticeRecord: Sendable, Hashable, Codable {
    public let id: String
    public let kind: NoticeKind
    public let caseNumber: String
    public let file: String
    public let sha256: String
    public let pdf: Bool
    /// When and by whom (the journal line's time and operator).
    public let time: String
    public let operatorID: String

    public init(record: JournalRecord, payload p: NoticeIssuedPayload) {
        id = p.id
        kind = p.kind
        caseNumber = record.caseNumber
        file = p.file
        sha256 = p.sha256
        pdf = p.pdf
        time = record.time
        operatorID = record.operatorID
    }

    /// The PDF's path relative to the data directory, when one was written.
    public var pdfFile: String? {
        pdf ? String(file.dropLast((file as NSString).pathExtension.count + 1)) + ".pdf" : nil
    }
}

/// Notices read back from a case's history. Works whether or not `CaseBook` knows the event type
/// (an unknown type is still kept in the case's history).
public enum NoticeLedger {
    public static func notices(of c: CaseRecord) -> [NoticeRecord] {
        c.notices   // folded from the journal by CaseBook.apply
    }

    public static func find(id: String, in book: CaseBook) -> NoticeRecord? {
        // The id starts with the case number: look there first, then everywhere.
        for c in book.all where id.hasPrefix(c.number + "-") {
            if let n = notices(of: c).first(where: { $0.id == id }) { return n }
        }
        for c in book.all {
            if let n = notices(of: c).first(where: { $0.id == id }) { return n }
        }
        return nil
    }

    /// The next `n` for a case and kind: one more than the notices of that kind already issued.
    public static func nextSequence(of c: CaseRecord, kind: NoticeKind) -> Int {
        let prefix = "\(c.number)-\(kind.rawValue)-"
        let used = notices(of: c).compactMap { $0.id.hasPrefix(prefix) ? Int($0.id.dropFirst(prefix.count)) : nil }
        return (used.max() ?? 0) + 1
    }
}
