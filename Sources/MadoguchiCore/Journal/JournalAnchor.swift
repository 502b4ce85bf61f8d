import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal's anchor: `<journal>.anchor` beside the journal (0600), one line padded with spaces to
/// a fixed 100 bytes, so that an append can rewrite it in place without changing the file's size
///
/// ```
/// {"seq":12,"hash":"<64 hex>"}<spaces>⏎
/// ```
///
/// (an unpadded line, as first written, is read too and replaced by the padded form at the next append).
///
/// naming the last line whose append was acknowledged. A hash chain alone cannot tell a journal whose
/// last lines were deleted from a shorter, valid one; the anchor can: `load()` and `verify` refuse a
/// journal shorter than its anchor ("N 行が失われています") or whose line `seq` does not carry the
/// anchor's hash (the journal was replaced).
///
/// Ordering (crash safety): the anchor is written under the journal's exclusive flock (readers take it
/// too), only AFTER the journal's fsync. So the anchor never names a line that is not on disk. An append
/// rewrites the 100 bytes in place with one `pwrite` and no fsync (one fsync per append, issue 7 P4): a
/// process crash cannot tear a write that small, and a power cut leaves the old or the new record (one
/// sector, the size unchanged) — or, on some file systems, a blank file — which is behind, never ahead.
/// `load()` writes a new or repaired anchor to a temporary file, fsynced and renamed over the old one.
/// A blank anchor (empty or zero-filled) is taken as lost — recreated from the verified journal, with a
/// warning — which opens no hole that deleting the anchor does not (see below). A crash between the two leaves the anchor behind the journal, which is fine and
/// repaired by the next `load()`. A torn (unacknowledged) last line is therefore always above the
/// anchor; a bad last line at or below the anchor was acknowledged, so it is damage, not a torn write,
/// and is not set aside.
///
/// A missing anchor (a journal written before anchors existed, or a copy) is created by `load()` from
/// the verified journal; `verify` then only checks the chain and says so. A corrupt anchor stops
/// start-up naming the file: it is never rewritten silently, since that would hide a truncation.
/// (Deleting the anchor and cutting the journal together is not detectable by the office's files alone.)
struct JournalAnchor: Equatable {
    var seq: Int
    var hash: String

    static func url(for journal: URL) -> URL {
        URL(fileURLWithPath: journal.path + ".anchor")
    }

    enum Stored: Equatable {
        case missing
        case present(JournalAnchor)
        /// The file exists but is not an anchor: why, in Japanese.
        case corrupt(String)
        /// Empty or only NUL bytes: what a power cut leaves of an anchor whose data had not reached
        /// the disk yet. Treated as missing, with a warning.
        case blank
    }

    // MARK: Format

    /// The fixed size of the record on disk (the longest record, 15 digits of seq, is 98 bytes).
    static let recordSize = 100

    var bytes: [UInt8] {
        let line = Array(#"{"seq":\#(seq),"hash":"\#(hash)"}"#.utf8)
        return line + Array(repeating: 0x20, count: max(0, Self.recordSize - 1 - line.count)) + [0x0A]
    }

    static func decode(_ padded: [UInt8]) -> JournalAnchor? {
        // The padding: spaces between the record and its newline.
        var b = padded
        if b.last == 0x0A {
            var end = b.count - 1
            while end > 0 && b[end - 1] == 0x20 { end -= 1 }
            if end < b.count - 1 { b = Array(b[..<end]) + [0x0A] }
        }
        let prefix = Array(#"{"seq":"#.utf8), middle = Array(#","hash":""#.utf8), end = Array("\"}\n".utf8)
        guard b.count > prefix.count + middle.count + 64 + end.count, b.starts(with: prefix),
              Array(b.suffix(end.count)) == end else { return nil }
        var i = prefix.count
        var seq = 0
        let digitsStart = i
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - digitsStart < 15 {
            seq = seq * 10 + Int(b[i] - 0x30)
            i += 1
        }
        guard i > digitsStart, !(b[digitsStart] == 0x30 && i - digitsStart > 1),
              b.count == i + middle.count + 64 + end.count,
              Array(b[i..<(i + middle.count)]) == middle else { return nil }
        let hex = b[(i + middle.count)..<(i + middle.count + 64)]
        guard hex.allSatisfy(JournalLine.isLowerHex) else { return nil }
        let hash = String(decoding: hex, as: UTF8.self)
        // seq 0 only for an empty journal, with the zero hash.
        guard seq > 0 || hash == JournalLine.zeroHash else { return nil }
        return JournalAnchor(seq: seq, hash: hash)
    }

    // MARK: Reading and writing

    static func read(journal: URL) -> Stored {
        let url = url(for: journal)
        let fd: Int32
        do { fd = try JournalFile.openNoFollow(url.path, O_RDONLY | O_CLOEXEC) } catch { return .corrupt("開けません（\(UserFacing.detail(for: error))）") }
        if fd < 0 {
            if errno == ENOENT { return .missing }
            return .corrupt("読めません（\(SystemErrorText.japanese(errno))）")
        }
        defer { close(fd) }
        let f = JournalFile(name: url.lastPathComponent)
        guard let out = try? f.read(fd, from: 0) else {
            return .corrupt("読めません（\(SystemErrorText.japanese(errno))）")
        }
        if out.allSatisfy({ $0 == 0 }) { return .blank }   // also empty
        guard let a = decode(out) else { return .corrupt("形式が正しくありません") }
        return .present(a)
    }

    /// Replaces the anchor atomically: `<anchor>.tmp` (0600) written and fsynced, then renamed. Call only
    /// with the journal's exclusive lock held and after the journal's fsync. The directory is not fsynced:
    /// if the rename is lost in a power cut the old anchor remains, which is behind, never ahead.
    static func write(_ anchor: JournalAnchor, journal: URL, durable: Bool = true) throws {
        let url = url(for: journal)
        let f = JournalFile(name: url.lastPathComponent)
        let tmp = url.path + ".tmp"
        let fd = try JournalFile.openNoFollow(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw f.fail("書き込み（一時ファイルの作成）") }   // the anchor named, not its temporary file
        // No temporary file outlives a failed write (issue 11, item 8).
        do {
            defer { close(fd) }
            guard fchmod(fd, 0o600) == 0 else { throw f.fail("権限設定") }
            try f.writeAll(fd, anchor.bytes, at: 0)
            if durable { try f.sync(fd) }
        } catch {
            unlink(tmp)
            throw error
        }
        guard rename(tmp, url.path) == 0 else {
            let failure = f.fail("名前の変更")
            unlink(tmp)
            throw failure
        }
    }

    /// After an append: rewrites the record in place (one `pwrite`, no fsync, the size unchanged).
    /// Returns false when that is not possible — no anchor yet, or one of the older unpadded size —
    /// and the caller writes it whole instead.
    static func overwrite(_ anchor: JournalAnchor, journal: URL) throws -> Bool {
        try overwrite(anchor, anchorPath: url(for: journal).path, folder: nil)
    }

    /// `overwrite` with the anchor's path and folder already worked out (the journal's, at every append).
    static func overwrite(_ anchor: JournalAnchor, anchorPath: String, folder: String?) throws -> Bool {
        let fd = try JournalFile.openNoFollow(anchorPath, O_WRONLY | O_CLOEXEC, folder: folder)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        let record = anchor.bytes
        guard fstat(fd, &st) == 0, Int(st.st_size) == recordSize, record.count == recordSize else { return false }
        // One pwrite of 100 bytes, never split (not even by the crash tests' write splitting): a
        // process killed around it leaves the old or the new record. A short write is not trusted;
        // the caller then replaces the file whole.
        var n: Int
        repeat {
            n = record.withUnsafeBytes { pwrite(fd, $0.baseAddress!, record.count, 0) }
        } while n < 0 && errno == EINTR
        return n == record.count
    }

    // MARK: Checking a journal against its anchor

    /// The problem with a journal of `lineCount` verified lines (hash of line k via `hashOfLine`) whose
    /// anchor says `self`: nil if the journal holds the anchored line unchanged (it may be longer).
    func problem(journalName: String, anchorName: String, lineCount: Int,
                 hashOfLine: (Int) -> String?) -> (line: Int, reason: String)? {
        if seq > lineCount {
            let missing = seq - lineCount
            return (lineCount + 1,
                    "記録が短くなっています：\(anchorName) では \(seq) 行あるはずが \(lineCount) 行しかありません（最後の \(missing) 行が失われています。削除または古い写しで置き換えられたおそれがあります）")
        }
        if seq > 0, hashOfLine(seq) != hash {
            return (seq, "\(seq)行目の hash が \(anchorName) に記録された値と一致しません（記録が差し替えられたおそれがあります）")
        }
        return nil
    }

    static func corruptReason(_ why: String, anchorName: String, journalName: String) -> String {
        "アンカー \(anchorName) が\(why)。\(journalName) の最後の行を確かめる手がかりがないため止めました。記録が正しいことを確かめてから \(anchorName) を削除すると、次の起動で作り直されます"
    }

    /// Under the journal's lock, after `bytes` (the journal's verified lines, `chain` their end) was read:
    /// throws `badLine` if the journal is shorter than the anchor, replaced, or the anchor is corrupt;
    /// writes the anchor if it is missing or behind (`write: false` only checks). A write that fails does
    /// not stop the office (the journal itself is fine): it is returned as a warning for the operator.
    @discardableResult
    static func reconcile(journal: URL, bytes: ArraySlice<UInt8>, lineCount: Int, lastSeq: Int, lastHash: String,
                          write: Bool) throws -> String? {
        let journalName = journal.lastPathComponent
        let anchorName = url(for: journal).lastPathComponent
        switch read(journal: journal) {
        case .corrupt(let why):
            throw JournalError.badLine(file: anchorName, line: 1, reason: corruptReason(why, anchorName: anchorName, journalName: journalName))
        case .present(let a):
            if let p = a.problem(journalName: journalName, anchorName: anchorName, lineCount: lineCount,
                                 hashOfLine: { $0 == lineCount ? lastHash : hashOfLine($0, in: bytes) }) {
                throw JournalError.badLine(file: journalName, line: p.line, reason: p.reason)
            }
            if write, a.seq < lastSeq { return writeOrWarn(JournalAnchor(seq: lastSeq, hash: lastHash), journal: journal) }
        case .missing:
            if write { return writeOrWarn(JournalAnchor(seq: lastSeq, hash: lastHash), journal: journal) }
        case .blank:
            guard write else { return nil }
            return writeOrWarn(JournalAnchor(seq: lastSeq, hash: lastHash), journal: journal)
        }
        return nil
    }

    static func writeOrWarn(_ anchor: JournalAnchor, journal: URL) -> String? {
        do {
            try write(anchor, journal: journal)
            return nil
        } catch {
            return "アンカー \(url(for: journal).lastPathComponent) を書けませんでした（\(UserFacing.detail(for: error))）。記録は正常ですが、最後の行が削除されても気づけません"
        }
    }

    /// How many lines the anchor covers (0 when missing or corrupt): a bad last line at or below it
    /// was acknowledged and is not a torn write.
    static func coveredLines(journal: URL) -> Int {
        if case .present(let a) = read(journal: journal) { return a.seq }
        return 0
    }

    /// The stored hash of line `k` (1-based) of verified journal bytes: the 64 hex digits before the
    /// line's closing `"}`.
    static func hashOfLine(_ k: Int, in bytes: ArraySlice<UInt8>) -> String? {
        guard k >= 1 else { return nil }
        return bytes.withUnsafeBytes { buf -> String? in
            guard let base = buf.baseAddress else { return nil }
            var pos = 0
            var line = 1
            while pos < buf.count {
                guard let hit = memchr(base + pos, 0x0A, buf.count - pos) else { return nil }
                let nl = base.distance(to: UnsafeRawPointer(hit))
                if line == k {
                    guard nl - pos >= JournalLine.suffixLength else { return nil }
                    let one = UnsafeRawBufferPointer(rebasing: buf[pos..<nl])
                    let r = JournalLine.hashHexRange(one)
                    return String(decoding: UnsafeRawBufferPointer(rebasing: one[r]), as: UTF8.self)
                }
                line += 1
                pos = nl + 1
            }
            return nil
        }
    }

    static func recreatedWarning(anchorName: String, lines: Int, blank: Bool) -> String {
        "【注意】アンカー \(anchorName) が\(blank ? "空でした" : "ありませんでした")。記録（\(lines) 行）から作り直しましたが、最後の行が削除されていても事務所のファイルだけでは分かりません。査察指導員は手元の最新のチェックポイントで madoguchi verify --checkpoint を実行して確かめてください"
    }

    static let acknowledgedNote = "（最後の行ですが、アンカーでは書き込みが確認済みの行なので、途中で切れた書き込みではなく破損または改ざんです）"

    /// Completes a chain-only verify report with the anchor: the first bad line stays the answer; a
    /// valid chain is then checked against the anchor (truncation, replacement); a corrupt anchor is a
    /// problem naming the anchor file (line 0: no line of the journal is at fault).
    static func verify(_ report: VerifyReport, chain: Journal.Chain, bytes: [UInt8], anchor: Stored,
                       journalName: String) -> VerifyReport {
        let anchorName = journalName + ".anchor"
        var out = report
        switch anchor {
        case .missing, .blank:
            return out
        case .corrupt(let why):
            out.anchorChecked = true
            if out.problem == nil { out = VerifyReport(lineCount: report.lineCount, problem: (0, corruptReason(why, anchorName: anchorName, journalName: journalName))); out.anchorChecked = true; out.trust = report.trust }
            return out
        case .present(let a):
            out.anchorChecked = true
            guard report.problem == nil else { return out }
            if let p = a.problem(journalName: journalName, anchorName: anchorName, lineCount: chain.count,
                                 hashOfLine: { $0 == chain.count ? chain.lastHash : hashOfLine($0, in: bytes[...]) }) {
                out = VerifyReport(lineCount: report.lineCount, problem: p)
                out.anchorChecked = true
                out.trust = report.trust
            }
            return out
        }
    }
}
