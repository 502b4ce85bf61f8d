import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A prefix of the journal that was read and verified before — chain, signatures, roles — named by
/// its length and a digest of its bytes (issue 14, P1). At the next start, hashing the prefix again
/// (a fraction of a second, on every core) proves it unchanged, so only the lines after it need
/// parsing and verifying. Whoever keeps a `VerifiedPrefix` must keep it where nobody else can change
/// it unnoticed: the fold snapshot authenticates it with a key only its operator holds.
public struct VerifiedPrefix: Codable, Sendable, Equatable {
    /// Bytes of whole lines.
    public let byteCount: Int
    public let lineCount: Int
    public let lastSeq: Int
    public let lastHash: String
    /// `PrefixDigest` of the first `byteCount` bytes.
    public let digest: [UInt8]
    /// Keys, roles and office replayed to the prefix's last line.
    public internal(set) var trust: JournalTrust

    public static func == (a: VerifiedPrefix, b: VerifiedPrefix) -> Bool {
        a.byteCount == b.byteCount && a.lineCount == b.lineCount && a.lastSeq == b.lastSeq && a.lastHash == b.lastHash
            && a.digest == b.digest
    }
}

/// The digest of a journal prefix: SHA-256 over the SHA-256 of each 8 MiB piece, in order (the
/// pieces are hashed on every core; a fixed piece size keeps it one function of the bytes).
enum PrefixDigest {
    static let piece = 8 << 20

    static func of(fd: Int32, length: Int, file: JournalFile) throws -> [UInt8] {
        let pieces = max(1, (length + piece - 1) / piece)
        let digests = DigestSlots(count: pieces)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, pieces))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var buffer = [UInt8](repeating: 0, count: piece)
            var k = w
            while k < pieces {
                let start = k * piece
                let count = min(piece, length - start)
                var done = 0
                var failed = false
                buffer.withUnsafeMutableBytes { raw in
                    while done < count {
                        let n = pread(fd, raw.baseAddress! + done, count - done, off_t(start + done))
                        if n < 0 && errno == EINTR { continue }
                        if n <= 0 { failed = true; return }
                        done += n
                    }
                }
                if failed { digests.fail(); return }
                digests.set(k, buffer.withUnsafeBytes { Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: $0[0..<count]))) })
                k += workers
            }
        }
        guard let all = digests.all else { throw file.fail("読み込み") }
        var outer = SHA256()
        outer.update(data: Array("madoguchi-prefix-v1:\(length):".utf8))
        for d in all { outer.update(data: d) }
        return Array(outer.finalize())
    }

    /// Each piece's digest, written by one worker only.
    final class DigestSlots: @unchecked Sendable {
        private var slots: [[UInt8]]
        private var failed = false
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: [], count: count) }
        func set(_ i: Int, _ d: [UInt8]) { lock.lock(); slots[i] = d; lock.unlock() }
        func fail() { lock.lock(); failed = true; lock.unlock() }
        var all: [[UInt8]]? { lock.lock(); defer { lock.unlock() }; return failed ? nil : slots }
    }
}

extension Journal {
    /// The verified content as of the last load, catch-up or append, with its digest — for a fold
    /// snapshot. Nil before the first load or when the file changed under this instance.
    public func verifiedPrefix() throws -> VerifiedPrefix? { try verifiedPrefixAndLines()?.prefix }

    /// The same, and where each of its lines starts (one more entry: the prefix's end).
    func verifiedPrefixAndLines() throws -> (prefix: VerifiedPrefix, lineStarts: [Int])? {
        mutex.lock()
        defer { mutex.unlock() }
        guard let t = tail, t.size > 0 else { return nil }
        let fd = try JournalFile.openNoFollow(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        try file.lock(fd, LOCK_SH)
        let st = try file.status(fd)
        guard UInt64(st.st_dev) == t.device, UInt64(st.st_ino) == t.inode, Int(st.st_size) >= t.size else { return nil }
        let digest = try PrefixDigest.of(fd: fd, length: t.size, file: file)
        let starts = try lineStarts(fd, length: t.size)
        guard starts.count == t.chain.count + 1 else { return nil }
        return (VerifiedPrefix(byteCount: t.size, lineCount: t.chain.count, lastSeq: t.chain.lastSeq, lastHash: t.chain.lastHash,
                               digest: digest, trust: t.trust), starts)
    }

    /// Offsets of the line starts in the first `length` bytes, and `length` itself.
    private func lineStarts(_ fd: Int32, length: Int) throws -> [Int] {
        var starts = [0]
        var buffer = [UInt8](repeating: 0, count: PrefixDigest.piece)
        var offset = 0
        while offset < length {
            let count = min(buffer.count, length - offset)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, count, off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw file.fail("読み込み") }
            buffer.withUnsafeBytes { raw in
                var p = 0
                while p < n, let hit = memchr(raw.baseAddress! + p, 0x0A, n - p) {
                    let at = raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
                    starts.append(offset + at + 1)
                    p = at + 1
                }
            }
            offset += n
        }
        return starts
    }

    /// Loads only what follows `prefix`, after proving the prefix unchanged: its bytes hashed again
    /// under the lock, then every later line verified as another terminal's would be (chain, every
    /// signature), and the anchor checked. Returns nil — and the caller loads the whole journal,
    /// which repairs or reports — whenever anything is not plainly as expected: the digest differs,
    /// a torn or bad line follows, the anchor is missing, blank or elsewhere. `records` of the result
    /// are the lines after the prefix only; `lineCount` counts them all.
    public func resume(from prefix: VerifiedPrefix) throws -> JournalLoad? {
        mutex.lock()
        defer { mutex.unlock() }
        tail = nil
        let f = file
        let fd = try JournalFile.openNoFollow(url.path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        try f.lock(fd, LOCK_EX)
        let st = try f.status(fd)
        guard prefix.byteCount > 0, Int(st.st_size) >= prefix.byteCount,
              try PrefixDigest.of(fd: fd, length: prefix.byteCount, file: f) == prefix.digest else { return nil }
        let start = Chain(count: prefix.lineCount, lastSeq: prefix.lastSeq, lastHash: prefix.lastHash)
        let bytes = try f.read(fd, from: prefix.byteCount)
        let scan = bytes.withUnsafeBytes { Journal.scan($0, from: start, collect: true) }
        guard scan.problem == nil, scan.goodLength == bytes.count else { return nil }
        // Lines since the prefix: every signature checked, as another terminal's lines are.
        let trust = try bytes.withUnsafeBytes {
            try replayTrust($0, records: scan.records[...], from: prefix.trust, checkSignatures: .all)
        }
        // The anchor, as `load()` checks it, when it names the prefix's end or a line after it.
        guard case .present(let anchor) = JournalAnchor.read(journal: url),
              anchor.seq >= prefix.lastSeq, anchor.seq <= scan.chain.lastSeq else { return nil }
        let anchorName = JournalAnchor.url(for: url).lastPathComponent
        if let p = anchor.problem(journalName: f.name, anchorName: anchorName, lineCount: scan.chain.count,
                                  hashOfLine: { seq in
                                      seq == prefix.lastSeq ? prefix.lastHash : scan.records[seq - prefix.lastSeq - 1].hash
                                  }) {
            throw JournalError.badLine(file: f.name, line: p.line, reason: p.reason)
        }
        var warnings: [String] = []
        if let w = JournalFile.permissionWarning(path: url.path, mode: st.st_mode, isDirectory: false) { warnings.append(w) }
        var dst = stat()
        let dir = url.deletingLastPathComponent().path
        if stat(dir, &dst) == 0, let w = JournalFile.permissionWarning(path: dir, mode: dst.st_mode, isDirectory: true) {
            warnings.insert(w, at: 0)
        }
        if anchor.seq < scan.chain.lastSeq,
           let w = JournalAnchor.writeOrWarn(JournalAnchor(seq: scan.chain.lastSeq, hash: scan.chain.lastHash), journal: url) {
            warnings.append(w)
        }
        tail = try makeTail(fd, chain: scan.chain, expectedSize: prefix.byteCount + bytes.count, trust: trust)
        var loaded = JournalLoad(records: scan.records, tornTail: nil, warnings: warnings, trust: trust)
        loaded.lineCount = scan.chain.count
        return loaded
    }
}
