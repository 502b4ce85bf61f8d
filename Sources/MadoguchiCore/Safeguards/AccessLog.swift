import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One read or one way out of the data (閲覧・書き出しの記録, R-SG-4): what an operator listed,
/// searched, opened, exported or printed. Case numbers only — never a name, never a 個人番号.
public struct AccessEvent: Equatable, Sendable {
    /// What was done with the data.
    public enum Kind: String, CaseIterable, Sendable, Codable {
        /// 一覧: a list of cases shown or written to stdout (the desk's case list at login, F8,
        /// `cases`, `pending`, `reminders`).
        case listed
        /// 検索: a search (the desk's `/`, `cases --search`).
        case searched
        /// 閲覧: one case opened (Enter on a list).
        case opened
        /// 書き出し: data written to a file or to stdout as machine-readable data (CSV, JSON, a notice,
        /// the file to the 中間サーバー).
        case exported
        /// 印刷: sent to the printer (a notice, the pending list).
        case printed
        /// 検証: the whole journal read by `verify`.
        case verified
        /// 記録の閲覧: this access log read by `access-log` (the auditor's read, R-SG-4).
        case audited

        /// The Japanese word a supervisor reads in `access-log`.
        public var label: String {
            switch self {
            case .listed: return "一覧"
            case .searched: return "検索"
            case .opened: return "閲覧"
            case .exported: return "書き出し"
            case .printed: return "印刷"
            case .verified: return "検証"
            case .audited: return "記録の閲覧"
            }
        }

        /// The line's type in the access log.
        public var eventType: EventType {
            switch self {
            case .listed: return .accessListed
            case .searched: return .accessSearched
            case .opened: return .accessOpened
            case .exported: return .accessExported
            case .printed: return .accessPrinted
            case .verified: return .accessVerified
            case .audited: return .accessAudited
            }
        }

        /// The kind an access-log line's type names, nil for any other type.
        init?(_ type: EventType?) {
            guard let kind = Kind.allCases.first(where: { $0.eventType == type }) else { return nil }
            self = kind
        }
    }

    /// At most this many case numbers are kept in one entry; `count` says how many there were.
    /// (A `cases --json` of 25,000 cases would otherwise make a 300 KB line.)
    public static let maximumCaseNumbers = 200
    /// A query longer than any name or number is cut (the desk's search line holds 64 characters).
    public static let maximumQueryLength = 64

    public var kind: Kind
    /// Where it happened: `desk` or the command (`cases --json`, `pending --csv`, …).
    public var via: String
    /// The cases concerned (case numbers, at most `maximumCaseNumbers`).
    public private(set) var cases: [String]
    /// How many cases the read showed or the file held (may be more than `cases`).
    public var count: Int
    /// The search as the clerk typed it, with anything like a 個人番号 masked.
    public private(set) var query: String?
    /// The filter or the order of a list, in words (`状態=registered 月=2026-11`).
    public var filter: String?
    /// The file written (or the printer queue / the journal read).
    public var file: String?
    /// Whether the whole office's list was read (no filter, no search): such an entry concerns every case.
    public var wholeList: Bool

    public init(_ kind: Kind, via: String, cases: [String] = [], count: Int? = nil, query: String? = nil,
                filter: String? = nil, file: String? = nil, wholeList: Bool = false) {
        self.kind = kind
        self.via = via
        self.cases = Array(cases.prefix(Self.maximumCaseNumbers))
        self.count = count ?? cases.count
        // Privacy (R-ID-4, R-SG-4): the query is kept as typed, because what the clerk looked for is
        // the point of the record (a name typed to find one person's case); it is the clerk's own
        // words, not a copy of the record. A 個人番号 typed into a search box is masked all the same,
        // and a pasted text is cut to what a search can use.
        self.query = query.map { String(TextNormalizer.maskingMyNumberLike($0).prefix(Self.maximumQueryLength)) }
        self.filter = filter
        self.file = file
        self.wholeList = wholeList
    }

    /// The journal line's data object (sorted keys: see `Journal`).
    var data: JSONValue {
        var o: [String: JSONValue] = ["via": .string(via), "count": .number(Double(count)),
                                      "cases": .array(cases.map(JSONValue.string))]
        if let query { o["query"] = .string(query) }
        if let filter { o["filter"] = .string(filter) }
        if let file { o["file"] = .string(file) }
        if wholeList { o["all"] = .bool(true) }
        return .object(o)
    }

    /// From a verified line, or nil when the line is not an access record.
    init?(type: EventType?, data: JSONValue) {
        guard let kind = Kind(type),
              case .object(let o) = data, case .string(let via)? = o["via"],
              case .number(let n)? = o["count"], case .array(let list)? = o["cases"] else { return nil }
        var numbers: [String] = []
        for v in list {
            guard case .string(let s) = v else { return nil }
            numbers.append(s)
        }
        func text(_ key: String) -> String? { if case .string(let s)? = o[key] { return s } else { return nil } }
        self.kind = kind
        self.via = via
        self.cases = numbers
        self.count = Int(n)
        self.query = text("query")
        self.filter = text("filter")
        self.file = text("file")
        if case .bool(true)? = o["all"] { wholeList = true } else { wholeList = false }
    }
}

/// One verified line of the access log.
public struct AccessEntry: Equatable, Sendable {
    public let seq: Int
    /// ISO 8601 in Japan time, as written.
    public let time: String
    public let operatorID: String
    public let event: AccessEvent
    /// 1-based line of `access.jsonl`.
    public let lineNumber: Int

    /// The day in Japan the access happened.
    public var day: LocalDate? { LocalDate(iso: String(time.prefix(10))) }

    /// Whether the entry concerns the case: named in it, or a read of the whole list.
    public func concerns(_ caseNumber: String) -> Bool { event.wholeList || event.cases.contains(caseNumber) }
}

/// What `access-log` filters by (all optional; every given one must match).
public struct AccessFilter: Sendable {
    public var operatorID: String?
    public var since: LocalDate?
    public var until: LocalDate?
    public var kinds: Set<AccessEvent.Kind> = []
    public var caseNumber: String?

    public init(operatorID: String? = nil, since: LocalDate? = nil, until: LocalDate? = nil,
                kinds: Set<AccessEvent.Kind> = [], caseNumber: String? = nil) {
        self.operatorID = operatorID
        self.since = since
        self.until = until
        self.kinds = kinds
        self.caseNumber = caseNumber
    }

    public func matches(_ e: AccessEntry) -> Bool {
        if let operatorID, e.operatorID != operatorID { return false }
        if !kinds.isEmpty, !kinds.contains(e.event.kind) { return false }
        if let caseNumber, !e.concerns(caseNumber) { return false }
        if since != nil || until != nil {
            guard let d = e.day else { return false }
            if let since, d < since { return false }
            if let until, d > until { return false }
        }
        return true
    }
}

/// The access log as read: the entries of the verified lines, and the first problem if the log is
/// broken (the entries are then those before the bad line).
public struct AccessLogRead: Sendable {
    public let entries: [AccessEntry]
    /// The first bad line (0: the file itself, e.g. missing while its anchor remembers lines) and why.
    public let problem: (line: Int, reason: String)?
    /// Whether the end was checked against the anchor (`access.jsonl.anchor`).
    public let anchorChecked: Bool
    public var ok: Bool { problem == nil }
}

/// 閲覧・書き出しの記録 (R-SG-4): a second journal, `<data>/access.jsonl`, beside the office's
/// `journal.jsonl`, in the same line format with the same hash chain, anchor, flock, fsync and
/// 0600/0700 modes (it IS a `Journal`). Every write of an access record goes through `record`, so
/// that signing (issue 12 item 1: the `Journal`'s signer) is added here in one place.
///
/// Line: `{"seq":…,"time":…,"operator":"yamada","case":"2026-0001" or "-","type":"access.opened",
/// "data":{"cases":[…],"count":1,"via":"desk",…},"prev":…,"hash":…}`.
///
/// Kept apart from the case journal because reads are many (one line per case opened) and are not
/// case events: replaying cases never reads them, and the case journal's start-up cost does not grow
/// with them. A training sandbox has its own, inside the sandbox folder (the config's data folder
/// is the sandbox there).
public final class AccessLog: @unchecked Sendable {
    public static let fileName = "access.jsonl"

    public let url: URL
    /// The journal that holds the lines (the lead's signer is set on it).
    public let journal: Journal

    public init(url: URL) {
        self.url = url
        journal = Journal(url: url)
    }

    /// The office's (or the sandbox's) access log: `<data>/access.jsonl`.
    public convenience init(dataDirectory: URL) {
        self.init(url: dataDirectory.appendingPathComponent(Self.fileName))
    }

    /// Signs every line from now on with the proven operator's key (R-SG-1, R-SG-4); lines are
    /// checked against the keys the office's journal enrolled (`keys`), on writing and on reading.
    public func sign(with key: OperatorSigningKey, keys: [EnrolledKey]) {
        if journal.inheritedKeys != keys { journal.inheritedKeys = keys }   // a change makes the log be read again
        journal.signer = key
    }

    /// Asked before each record: the key and the office journal's keys once that journal is signed
    /// (nil before: a training sandbox opens its journal with its first line, and the log's lines
    /// until then stay unsigned, checked by the chain).
    public var signing: (() -> (key: OperatorSigningKey, keys: [EnrolledKey])?)?

    /// Appends one entry and returns only once it is on disk (fsync, ~0.3 ms). Throws (a
    /// `JournalError` naming the file) when it cannot be written; the caller decides whether the
    /// read or export goes ahead (docs/engineering/security.md: exports and prints are refused, a screen warns).
    @discardableResult
    public func record(_ event: AccessEvent, operatorID: String, now: Date) throws -> AccessEntry {
        let caseField = event.cases.count == 1 && event.count == 1 ? event.cases[0] : "-"
        let draft = EventDraft(caseNumber: caseField, type: event.kind.eventType, data: event.data,
                               operatorID: operatorID, time: now)
        if let s = signing?() {
            sign(with: s.key, keys: s.keys)
            resumeOnce(FoldSnapshotKey(signingKey: s.key, journal: url))
        }
        guard let r = try journal.append([draft]).first else {
            throw JournalError.invalidDraft(file: Self.fileName, reason: "記録できませんでした")
        }
        if let key = prefixKey, r.lineNumber - savedLines >= Self.savePrefixAfter { savePrefix(key) }
        return AccessEntry(seq: r.seq, time: r.time, operatorID: r.operatorID, event: event, lineNumber: r.lineNumber)
    }

    // MARK: The verified prefix (issue 14)

    /// Lines verified since the saved prefix before a new one is saved.
    static let savePrefixAfter = 256
    private var prefixKey: FoldSnapshotKey?
    private var savedLines = 0
    /// Whether this process's first write resumed from the saved prefix.
    public private(set) var resumedFromPrefix = false

    /// The first signed write of a process: the log is every desk's and command's, read whole (every
    /// signature checked) at each process's first write — growing all year. This operator's saved
    /// prefix of it (authenticated as the fold snapshot is) is hashed again instead, and only the
    /// lines after it are verified.
    private func resumeOnce(_ key: FoldSnapshotKey) {
        guard prefixKey == nil else { return }
        prefixKey = key
        guard let saved = FoldSnapshot.read(key, journal: JournalSource(url: url)) else { return }
        var prefix = saved.prefix
        prefix.trust.inheritedKeys = journal.inheritedKeys   // the office's keys now (a key enrolled since signs later lines)
        if (try? journal.resume(from: prefix)) != nil {
            savedLines = prefix.lineCount
            resumedFromPrefix = true
        }
    }

    private func savePrefix(_ key: FoldSnapshotKey) {
        guard let prefix = try? journal.verifiedPrefix() else { return }
        try? FoldSnapshot.write(prefix: prefix, book: .empty, key)
        savedLines = prefix.lineCount
    }

    /// Reads and verifies the whole log (chain, layout, anchor) under a shared lock, without changing
    /// it. A missing file with no anchor is an empty log. Never throws: an unreadable or broken log is
    /// a `problem` naming the line, with the entries before it.
    /// `Journal.verify` for the access log: chain, anchor, and every signature against `keys`.
    public func verify(keys: [EnrolledKey]) -> VerifyReport {
        Journal.verify(url: url, inheritedKeys: keys)
    }

    public func read(keys: [EnrolledKey]? = nil) -> AccessLogRead {
        let name = url.lastPathComponent
        let f = JournalFile(name: name)
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        var bytes: [UInt8] = []
        if fd < 0 {
            guard errno == ENOENT else { return AccessLogRead(entries: [], problem: (0, f.fail("開くこと").description), anchorChecked: false) }
            // Never written: an empty log. Gone while its anchor remembers lines: the verify below says so.
            if JournalAnchor.read(journal: url) == .missing {
                return AccessLogRead(entries: [], problem: nil, anchorChecked: false)
            }
        } else {
            defer { close(fd) }
            do {
                try f.lock(fd, LOCK_SH)
                bytes = try f.read(fd, from: 0)
            } catch {
                return AccessLogRead(entries: [], problem: (0, UserFacing.detail(for: error)), anchorChecked: false)
            }
        }
        let report = Journal.verify(bytes: bytes, anchor: JournalAnchor.read(journal: url), journalName: name, inheritedKeys: keys)
        let scan = bytes.withUnsafeBytes { Journal.scanFromStart($0, collect: true) }
        var entries: [AccessEntry] = []
        entries.reserveCapacity(scan.records.count)
        for r in scan.records {
            guard let e = AccessEvent(type: r.eventType, data: r.data) else {
                // A type no version of the desk wrote says so; a known one is in the wrong file.
                let reason = r.eventType == nil ? EventType.unknownReason(r.type) : "閲覧・書き出しの記録ではない行です（type \(r.type)）"
                return AccessLogRead(entries: entries, problem: (r.lineNumber, reason),
                                     anchorChecked: report.anchorChecked)
            }
            entries.append(AccessEntry(seq: r.seq, time: r.time, operatorID: r.operatorID, event: e, lineNumber: r.lineNumber))
        }
        return AccessLogRead(entries: entries, problem: report.problem, anchorChecked: report.anchorChecked)
    }
}

extension PendingFilter {
    /// The filter in words for the access log (`状態=registered,exported 区分=assistance_only 予定日超過`);
    /// empty when nothing filters.
    public var accessSummary: String {
        var parts: [String] = []
        if let s = statuses { parts.append("状態=" + s.map(\.rawValue).sorted().joined(separator: ",")) }
        if let branch { parts.append("区分=\(branch.rawValue)") }
        if let clerk { parts.append("受付者=\(clerk)") }
        if overdueOnly { parts.append("予定日超過") }
        if heldOnly { parts.append("保留中") }
        if let month { parts.append("月=\(month.iso)") }
        if includeEnded { parts.append("終了分も含む") }
        return parts.joined(separator: " ")
    }
}

extension AccessEvent {
    /// The pending list read through `via` (listed on a screen or stdout, exported to a file or
    /// stdout, printed): its case numbers, its filter, and whether it is every open case.
    public static func pendingList(_ kind: Kind, via: String, _ list: PendingList, filter: PendingFilter,
                                   file: String? = nil) -> AccessEvent {
        let summary = filter.accessSummary
        return AccessEvent(kind, via: via, cases: list.rows.map(\.number), count: list.rows.count,
                           filter: "未完了の一覧" + (summary.isEmpty ? "" : " " + summary), file: file)
    }
}

extension CaseStore {
    /// What the access log signs with for `key`'s operator: the key, and this journal's keys once it
    /// is signed (see `AccessLog.signing`).
    public func accessSigning(_ key: OperatorSigningKey) -> () -> (key: OperatorSigningKey, keys: [EnrolledKey])? {
        { [journal] in
            guard let t = journal.trust, t.isSigning else { return nil }
            return (key, t.keys)
        }
    }
}
