import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A journal kept elsewhere written out as a journal file of its own (issue 15: `madoguchi migrate
/// --to jsonl`): the exact lines, and the anchor `<file>.anchor` at their end, so that `madoguchi
/// verify --journal <file>` checks the last line too, offline.
public enum JournalCopy {
    /// Why nothing was written (the file or its anchor is already there).
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Writes `bytes` — whole lines, verified, `ledger` at their end — as a NEW journal at `url`, never
    /// over an existing file: refuses when the file or its anchor exists; creates a missing folder
    /// 0700; writes a temporary file (0600) in the same folder, fsyncs it and links it into place
    /// (`link(2)` refuses a file that appeared meanwhile), then the anchor (after the lines, so it never
    /// names a line that is not on disk), then fsyncs the folder. On a failure the new file is removed.
    public static func writeNew(_ bytes: [UInt8], to url: URL, ledger: JournalLedger) throws {
        let path = url.path
        let anchor = JournalAnchor.url(for: url)
        for p in [path, anchor.path] {
            var st = stat()
            if lstat(p, &st) == 0 {
                throw Refused("\(p) は既にあります。上書きはしません（新しいファイル名を --out に指定してください）")
            }
            guard errno == ENOENT else { throw JournalFile(name: url.lastPathComponent).fail("\(p) の確認", errno) }
        }
        let f = JournalFile(name: url.lastPathComponent)
        let dir = url.deletingLastPathComponent().path
        let changed = try f.ensureDirectory(dir)
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let fd = try JournalFile.openNoFollow(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw f.fail("書き込み（一時ファイルの作成）") }   // the file named, not its temporary file
        do {
            defer { close(fd) }
            guard fchmod(fd, 0o600) == 0 else { throw f.fail("権限設定") }
            try f.writeAll(fd, bytes, at: 0)
            try f.sync(fd)
        } catch {
            unlink(tmp)
            throw error
        }
        guard link(tmp, path) == 0 else {
            let code = errno
            unlink(tmp)
            if code == EEXIST { throw Refused("\(path) は既にあります。上書きはしません（新しいファイル名を --out に指定してください）") }
            throw f.fail("\(path) の作成", code)
        }
        unlink(tmp)
        do {
            try JournalAnchor.write(JournalAnchor(seq: ledger.lastSeq, hash: ledger.lastHash), journal: url)
            try f.syncDirectory(dir)
            for d in changed { try f.syncDirectory(d) }
        } catch {
            unlink(path)
            unlink(anchor.path)
            throw error
        }
    }
}

extension JournalWitness {
    /// `madoguchi verify` of a journal kept elsewhere: `bytes` (every line as stored) checked as a file
    /// is — layout, chain, every signature, roles, approvals, office — and against this machine's note
    /// `<witness>.anchor` when there is one (`anchorChecked`). Nothing is written.
    public static func verify(bytes: [UInt8], witness: URL, unsignedEraRoles: [String: Operator.Role] = [:]) -> VerifyReport {
        Journal.verify(bytes: bytes, anchor: JournalAnchor.read(journal: witness), journalName: witness.lastPathComponent,
                       unsignedEraRoles: unsignedEraRoles)
    }
}
