import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 畳み込みの控え — the fold snapshot (issue 14, P1): the book as folded from a verified prefix of the
/// journal, kept so that a start need not parse and fold the whole history again.
///
/// It is a cache, never a source of truth: derived, rebuildable, written to a temporary file and
/// renamed into place, and thrown away (the journal folded whole instead) whenever anything about it
/// is not exactly right. What it may be trusted for is bounded by how it is kept:
///
/// - **Per operator, authenticated.** Each proven operator has their own snapshot, authenticated with
///   HMAC-SHA256 under a key derived (HKDF) from that operator's signing key and the journal's path.
///   Another clerk with a shell can delete it (the next start is slower) but cannot forge or alter it:
///   a changed byte fails the MAC and the journal is folded whole.
/// - **Keyed to the bytes it was folded from.** It names the verified prefix by length and digest
///   (`VerifiedPrefix`); `Journal.resume` hashes those bytes again at every start and verifies every
///   line after them (chain, every signature, the anchor) — so the journal's integrity is still
///   checked at every start, and a journal changed under the snapshot is folded whole and reported as
///   `load()` reports it.
/// - Files 0600 in a 0700 folder `.madoguchi-fold/` beside the journal; a file not owned by this user
///   or readable by others is ignored.
public struct FoldSnapshotKey {
    let mac: SymmetricKey
    public let file: URL
    /// Where an older version kept this snapshot, named with the key's hex: removed when the new one
    /// is written, so the case book is not left behind in a name a 個人番号 scan reports (R-ID-4).
    let formerFile: URL

    /// The snapshot of `journal` for the operator holding `signingKey`.
    public init(signingKey: OperatorSigningKey, journal: URL) {
        let path = journal.standardizedFileURL.path
        mac = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: signingKey.raw), salt: Array("madoguchi-fold-v1".utf8),
                                     info: Array(path.utf8), outputByteCount: 32)
        let dir = journal.deletingLastPathComponent().appendingPathComponent(FoldSnapshot.folderName, isDirectory: true)
        file = dir.appendingPathComponent("\(journal.lastPathComponent).\(Self.fingerprint(signingKey.publicKey.raw)).fold")
        formerFile = dir.appendingPathComponent("\(journal.lastPathComponent).\(signingKey.publicKey.hex.prefix(16)).fold")
    }

    /// The key's first 8 bytes as 16 letters a–p (one per half-byte): a file name with no run of
    /// digits, which a 個人番号 scan of the data folder (R-ID-4) would report — hex did, now and then.
    static func fingerprint(_ publicKey: [UInt8]) -> String {
        let letters = Array("abcdefghijklmnop")
        return String(publicKey.prefix(8).flatMap { [letters[Int($0 >> 4)], letters[Int($0 & 0x0F)]] })
    }
}

enum FoldSnapshot {
    static let folderName = ".madoguchi-fold"
    static let magic = Array("madoguchi-fold-v2\n".utf8)
    /// A start that folded this many lines after the snapshot writes a new one.
    static let refreshAfter = 1_000

    /// A snapshot read and authenticated: its prefix decoded, its book still bytes, so the journal's
    /// prefix can be hashed on other cores while the book is decoded (`CaseStore.load`).
    struct Opened {
        let prefix: VerifiedPrefix
        let bytes: [UInt8]
        let book: Range<Int>
        let journal: JournalSource

        func decodeBook() throws -> CaseBook.Stored {
            try bytes.withUnsafeBytes {
                try BinaryCoding.decode(CaseBook.Stored.self, from: UnsafeRawBufferPointer(rebasing: $0[book]),
                                        userInfo: [JournalSource.userInfoKey: journal])
            }
        }
    }

    /// The snapshot, or nil when there is none or it cannot be trusted as it is. Its records' data
    /// stays in `journal` (read back when asked). Layout: magic, HMAC-SHA256 of the rest, then the
    /// prefix's length (varint), the prefix and the book, each in `BinaryCoding`.
    static func read(_ key: FoldSnapshotKey, journal: JournalSource) -> Opened? {
        let fd = open(key.file.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_uid == geteuid(), st.st_mode & 0o077 == 0,
              let bytes = try? JournalFile(name: key.file.lastPathComponent).read(fd, from: 0),
              bytes.count > magic.count + 32, bytes.starts(with: magic) else { return nil }
        let macStart = magic.count, bodyStart = magic.count + 32
        return bytes.withUnsafeBytes { raw -> Opened? in
            let body = UnsafeRawBufferPointer(rebasing: raw[bodyStart...])
            guard HMAC<SHA256>.isValidAuthenticationCode(UnsafeRawBufferPointer(rebasing: raw[macStart..<bodyStart]),
                                                         authenticating: body, using: key.mac) else { return nil }
            let source = BinaryCoding.Source(body)
            guard let length = try? Int(source.varint()), length <= body.count - source.pos,
                  let prefix = try? BinaryCoding.decode(VerifiedPrefix.self,
                                                        from: UnsafeRawBufferPointer(rebasing: body[source.pos..<(source.pos + length)])) else {
                return nil
            }
            return Opened(prefix: prefix, bytes: bytes, book: (bodyStart + source.pos + length)..<bytes.count, journal: journal)
        }
    }

    /// Writes the snapshot: a temporary file (0600, this process's own name), then renamed over the
    /// old one. No fsync: a snapshot lost or torn in a crash fails its MAC and is rebuilt.
    static func write(prefix: VerifiedPrefix, book: CaseBook.Stored, _ key: FoldSnapshotKey) throws {
        let dir = key.file.deletingLastPathComponent().path
        if mkdir(dir, 0o700) != 0 && errno != EEXIST { throw JournalFile(name: FoldSnapshot.folderName).fail("フォルダの作成") }
        var dst = stat()
        guard lstat(dir, &dst) == 0, (dst.st_mode & S_IFMT) == S_IFDIR, dst.st_uid == geteuid() else { return }
        let prefixBytes = try BinaryCoding.encode(prefix)
        let length = BinaryCoding.Sink()
        length.varint(UInt64(prefixBytes.count))
        let body = length.bytes + prefixBytes + (try BinaryCoding.encode(book))
        let mac = Array(HMAC<SHA256>.authenticationCode(for: body, using: key.mac))
        let tmp = key.file.path + ".tmp-\(getpid())"
        let f = JournalFile(name: key.file.lastPathComponent)
        unlink(tmp)   // left by a process of the same pid that died mid-write (the folder is this user's)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw f.fail("一時ファイルの作成") }
        do {
            defer { close(fd) }
            try f.writeAll(fd, magic + mac, at: 0)
            try f.writeAll(fd, body, at: magic.count + mac.count)
        } catch {
            unlink(tmp)
            throw error
        }
        guard rename(tmp, key.file.path) == 0 else {
            let failure = f.fail("名前の変更")
            unlink(tmp)
            throw failure
        }
        unlink(key.formerFile.path)   // the hex-named one of an older version, if any (R-ID-4)
    }
}

extension CaseStore {
    /// Writes this operator's fold snapshot of the book as it is now (issue 14). Does nothing without
    /// a snapshot key, or when the journal moved on since the book was folded.
    public func saveSnapshot() throws {
        guard let key = foldKey, let journal = journalFile,
              let (prefix, starts) = try journal.verifiedPrefixAndLines(), prefix.lineCount == knownCount else { return }
        // Every record's data left in the journal, where it was verified: the snapshot and the book
        // then hold only where each line is (issue 14, P5).
        let source = JournalSource(url: journal.url)
        let stored = book.stored.mapRecords { r in
            r.located(in: source, offset: starts[r.lineNumber - 1], length: starts[r.lineNumber] - starts[r.lineNumber - 1] - 1)
        }
        try FoldSnapshot.write(prefix: prefix, book: stored, key)
        book = CaseBook(stored)
    }
}
