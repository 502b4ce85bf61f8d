import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal: the source of truth. JSON Lines, append-only, one event per line.
///
/// ## Line format (exact)
///
/// ```
/// {"seq":1,"time":"2026-11-24T21:30:05+09:00","operator":"yamada","case":"2026-0001","type":"case.received","data":{...},"prev":"<64 hex>","hash":"<64 hex>"}⏎
/// ```
///
/// - Keys in exactly this order, no whitespace outside `data`, one `\n` (0x0A) after each line.
/// - `seq` starts at 1 and increases by exactly 1 (no sign, no leading zeros).
/// - `time` is ISO 8601 in Japan time (`JapanTime.iso8601`); `operator`, `case`, `type` are JSON strings.
/// - Strings escape only `"`, `\` and control characters (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`);
///   every other character, Japanese included, is written as raw UTF-8.
/// - `data` is the event's JSON value, encoded with sorted keys and without escaping slashes.
/// - `prev` is the previous line's `hash`; the first line's `prev` is 64 zeros (`0`).
/// - `hash` is the lowercase hex SHA-256 of the line's bytes before `,"hash":"` followed by `}`,
///   i.e. of the same line without its hash field. The last 75 bytes of a line (newline excluded) are
///   always `,"hash":"<64 hex>"}`.
///
/// Reading verifies every line: newline, suffix, hash, exact layout, strict JSON (valid UTF-8, no duplicate
/// keys), `seq` + 1 and the `prev` chain. Any changed, deleted or inserted byte or line is therefore found,
/// and the first bad line is named.
///
/// ## Durability and concurrency
///
/// `append` takes an exclusive `flock` on the journal file, reads what other processes appended since this
/// instance last looked, writes the new lines with one write loop, `fsync`s the file (`fdatasync` when the file
/// existed: the lines and the new size; `fsync` and the directory's when the file or a directory was created),
/// and returns only then — the screen may say 保存しました after it
/// returns. Files are created 0600, directories 0700. A write error truncates the file back, so no partial
/// line remains. A crash mid-write can still leave a torn last line: `load()` detects it, moves it to
/// `<file>.torn-<yyyyMMddHHmmss>` and truncates the journal to the last good line, never touching earlier lines.
public final class Journal: JournalStore, @unchecked Sendable {
    public let url: URL

    /// What this instance knows about the verified content of the file (guarded by `mutex`).
    struct Tail {
        var device: UInt64
        var inode: UInt64
        var size: Int
        var mtimeSec: Int
        var mtimeNsec: Int
        var chain: Chain
        /// Keys, roles and office replayed up to the same line (issue 12).
        var trust: JournalTrust
    }

    /// The chain position after the last verified line.
    struct Chain: Equatable {
        var count = 0
        var lastSeq = 0
        var lastHash = JournalLine.zeroHash
    }

    let mutex = NSLock()
    var tail: Tail?
    private var signingKey: OperatorSigningKey?
    fileprivate var roles: [String: Operator.Role] = [:]

    /// The journal's path, its folder and its anchor's path, worked out once (issue 14, P4: not at every
    /// append); the same strings `url.path`, `url.deletingLastPathComponent().path` and
    /// `JournalAnchor.url(for:)` give.
    /// `pathFolder`/`anchorFolder`: SafePath's folder of each (`deletingLastPathComponent`).
    private let path: String
    private let folder: String
    private let pathFolder: String
    private let anchorPath: String
    private let anchorFolder: String

    /// The file's name, for messages.
    public var name: String { file.name }
    public var localJournal: Journal? { self }

    /// `writes`: how appended lines reach the file (`PositionedWrites` unless a harness needs another).
    public init(url: URL, writes: any JournalWriteStrategy = PositionedWrites()) {
        self.url = url
        path = url.path
        folder = url.deletingLastPathComponent().path
        pathFolder = (path as NSString).deletingLastPathComponent
        anchorPath = JournalAnchor.url(for: url).path
        anchorFolder = (anchorPath as NSString).deletingLastPathComponent
        file = JournalFile(name: url.lastPathComponent, writes: writes)
    }

    /// The key of the operator this process proved to be (R-SG-1). Every line it appends is signed
    /// with it once the journal is signed, and a draft naming another operator is refused.
    public var signer: OperatorSigningKey? {
        get { mutex.lock(); defer { mutex.unlock() }; return signingKey }
        set { mutex.lock(); signingKey = newValue; mutex.unlock() }
    }

    /// Training only: every operator's sandbox key (one trainee plays every role, item 8).
    public var trainingKeyring: [String: OperatorSigningKey] {
        get { mutex.lock(); defer { mutex.unlock() }; return keyring }
        set { mutex.lock(); keyring = newValue; mutex.unlock() }
    }
    private var keyring: [String: OperatorSigningKey] = [:]

    /// Lines to write before the first lines of an append, given the trust as caught up under the
    /// lock and the time of the first draft (empty when none are needed): a training sandbox's
    /// `office.opened` and enrolments, written with its first real line.
    public var openingLines: ((JournalTrust, Date) throws -> [EventDraft])? {
        get { mutex.lock(); defer { mutex.unlock() }; return opening }
        set { mutex.lock(); opening = newValue; mutex.unlock() }
    }
    private var opening: ((JournalTrust, Date) throws -> [EventDraft])?

    /// The config's roles, for the unsigned lines of an older journal (the registry gives roles after).
    public var unsignedEraRoles: [String: Operator.Role] {
        get { mutex.lock(); defer { mutex.unlock() }; return roles }
        set { mutex.lock(); roles = newValue; tail = nil; mutex.unlock() }
    }

    /// For a log signed with the office journal's keys (the access log): those keys.
    public var inheritedKeys: [EnrolledKey]? {
        get { mutex.lock(); defer { mutex.unlock() }; return inherited }
        set { mutex.lock(); inherited = newValue; tail = nil; mutex.unlock() }
    }
    private var inherited: [EnrolledKey]?

    private var freshTrust: JournalTrust { JournalTrust(unsignedEraRoles: roles, inheritedKeys: inherited) }

    /// The keys, roles and office as of the last line read or written (nil before the first load).
    public var trust: JournalTrust? {
        mutex.lock(); defer { mutex.unlock() }
        return tail?.trust
    }

    let file: JournalFile

    // MARK: Load

    /// Reads all lines. If the LAST line is torn (no trailing newline, or not parseable / bad hash while all
    /// earlier lines are fine) it is moved to `<file>.torn-<yyyyMMddHHmmss>` (0600) and the journal truncated
    /// to the last good line (under the lock, fsynced). A bad line that is NOT the last is not repaired: throws
    /// `JournalError.badLine` naming the line. Creates nothing if the file does not exist (returns empty).
    public func load() throws -> JournalLoad {
        mutex.lock()
        defer { mutex.unlock() }
        tail = nil  // trust nothing cached until the whole file has been verified again
        let f = file
        let path = url.path
        let dir = url.deletingLastPathComponent().path
        var warnings: [String] = []
        var dst = stat()
        if stat(dir, &dst) == 0,
           let w = JournalFile.permissionWarning(path: dir, mode: dst.st_mode, isDirectory: true) {
            warnings.append(w)
        }

        let fd = try JournalFile.openNoFollow(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT {
                tail = nil
                // A journal gone while its anchor remembers lines is reported, not started afresh.
                try JournalAnchor.reconcile(journal: url, bytes: [], lineCount: 0, lastSeq: 0,
                                            lastHash: JournalLine.zeroHash, write: false)
                return JournalLoad(records: [], tornTail: nil, warnings: warnings)
            }
            throw f.fail("開くこと")
        }
        defer { close(fd) }
        try f.lock(fd, LOCK_EX)
        let st = try f.status(fd)
        if let w = JournalFile.permissionWarning(path: path, mode: st.st_mode, isDirectory: false) {
            warnings.append(w)
        }
        let bytes = try f.read(fd, from: 0)
        let scan = bytes.withUnsafeBytes { Journal.scanFromStart($0, collect: true) }   // two cores (issue 7)
        var torn: TornTail?
        if let problem = scan.problem {
            guard problem.isLast else {
                throw JournalError.badLine(file: f.name, line: problem.line, reason: problem.reason)
            }
            // A bad last line the anchor says was acknowledged is damage, not a torn write: never set aside.
            guard problem.line > JournalAnchor.coveredLines(journal: url) else {
                throw JournalError.badLine(file: f.name, line: problem.line, reason: problem.reason + JournalAnchor.acknowledgedNote)
            }
            let saved = try f.saveAside(Array(bytes[problem.start...]), basePath: path)
            try f.truncate(fd, to: problem.start)
            try f.sync(fd)
            torn = TornTail(lineNumber: problem.line, byteCount: bytes.count - problem.start,
                            savedTo: saved, reason: problem.reason)
        }
        // Signatures, roles and office: a forged line stops here, before anything acts on it (R-SG-1..3).
        let trust = try bytes.withUnsafeBytes {
            try replayTrust(UnsafeRawBufferPointer(rebasing: $0[0..<scan.goodLength]), records: scan.records[...],
                            from: freshTrust, checkSignatures: .afterLastCheckpoint)
        }
        // Lines deleted at the end or a replaced journal are found against the anchor; a missing or
        // lagging anchor is brought up to the verified end (after the fsyncs above).
        let anchorBefore = JournalAnchor.read(journal: url)
        if let w = try JournalAnchor.reconcile(journal: url, bytes: bytes[0..<scan.goodLength], lineCount: scan.chain.count,
                                               lastSeq: scan.chain.lastSeq, lastHash: scan.chain.lastHash, write: true) {
            warnings.append(w)
        }
        // A missing or blank anchor is recreated, loudly: deleting it is how a cut at the end would be
        // hidden (R-SG-3). The caller records an `anchor.recreated` event.
        var recreated = false
        if scan.chain.count > 0, anchorBefore == .missing || anchorBefore == .blank {
            recreated = true
            warnings.append(JournalAnchor.recreatedWarning(anchorName: JournalAnchor.url(for: url).lastPathComponent,
                                                           lines: scan.chain.count, blank: anchorBefore == .blank))
        }
        tail = try makeTail(fd, chain: scan.chain, expectedSize: scan.goodLength, trust: trust)
        return JournalLoad(records: scan.records, tornTail: torn, warnings: warnings, anchorRecreated: recreated, trust: trust)
    }

    // MARK: Append

    /// Appends atomically under an exclusive flock on the journal file: reads the records appended by others
    /// after the first `knownCount` records (verifying them and the chain), passes them to `body`, which
    /// returns the drafts to write (may be empty; may throw to abort, writing nothing; it runs while the lock
    /// is held, so keep it short); writes all lines with one write loop, fsyncs the file (fdatasync when it
    /// existed; fsync and the directory if the file or directory was just created: directories 0700, file
    /// 0600), unlocks, and only then returns.
    /// On a write error, truncates back to the previous size so no partial line remains, and throws.
    ///
    /// A torn last line left by a crashed writer is not repaired here: this throws `JournalError.tornTail`,
    /// and `load()` sets the line aside.
    public func append(knownCount: Int?, _ body: ([JournalRecord]) throws -> [EventDraft]) throws
        -> (fromOthers: [JournalRecord], appended: [JournalRecord]) {
        try appendCore(knownCount: knownCount, body)
    }

    /// Records appended (by anyone) after the first `knownCount`, without writing. Takes a shared lock.
    /// Returns an empty array when the file does not exist.
    public func records(after knownCount: Int) throws -> [JournalRecord] {
        mutex.lock()
        defer { mutex.unlock() }
        let fd = try JournalFile.openNoFollow(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT, knownCount == 0 { return [] }
            if errno == ENOENT { throw JournalError.knownCountTooLarge(file: file.name, known: knownCount, actual: 0) }
            throw file.fail("開くこと")
        }
        defer { close(fd) }
        try file.lock(fd, LOCK_SH)
        return try catchUp(fd, knownCount: knownCount).fromOthers
    }

    /// Every byte of the file as it is (under a shared lock); empty when there is no file. The caller
    /// verifies what it needs (`verify`, `migrate`).
    public func exactLines() throws -> [UInt8] {
        let fd = try JournalFile.openNoFollow(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return [] }
            throw file.fail("開くこと")
        }
        defer { close(fd) }
        try file.lock(fd, LOCK_SH)
        return try file.read(fd, from: 0)
    }

    private func appendCore(knownCount: Int?, _ body: ([JournalRecord]) throws -> [EventDraft]) throws
        -> (fromOthers: [JournalRecord], appended: [JournalRecord]) {
        mutex.lock()
        defer { mutex.unlock() }
        let f = file
        let dir = folder
        // No journal yet: ask first, so a refused or empty append (F3 with no case ready, …) creates
        // neither the file nor its folder (issue 6, found by the monkey test). There is nothing to
        // catch up with, so `body([])` sees what it would see under the lock; when it has lines to
        // write it runs again below, under the lock, with whatever another process wrote meanwhile.
        if knownCount ?? 0 == 0, access(path, F_OK) != 0, errno == ENOENT {
            if try body([]).isEmpty { return ([], []) }
        }
        var dirsToSync = try f.ensureDirectory(dir)
        // SafePath's checks on the file and its folder, the folder's path worked out once (init).
        let (fd, created) = try f.openOrCreate(path, folder: pathFolder)
        defer { close(fd) }  // closing releases the flock, after the fsyncs below
        if created { dirsToSync.append(dir) }
        try f.lock(fd, LOCK_EX)

        let (fromOthers, start) = try catchUp(fd, knownCount: knownCount)
        var drafts = try body(fromOthers)
        // A training sandbox opens its journal's signing with the first line it writes (item 8), so
        // that opening the desk and looking writes nothing.
        if !drafts.isEmpty, let preamble = opening {   // not `openingLines`: the lock is held
            drafts = try preamble(start.trust, drafts[0].time) + drafts
        }
        var appended: [JournalRecord] = []
        if !drafts.isEmpty {
            // Lines made and checked by the same rules as every store's (issue 15).
            var ledger = JournalLedger(name: f.name, chain: start.chain, trust: start.trust)
            let written = try ledger.write(drafts, signer: signingKey, keyring: keyring)
            let buffer = written.bytes
            appended = written.records
            let chain = ledger.chain
            let trust = ledger.trust
            do {
                try f.writeAll(fd, buffer, at: start.size)
                // An append to a file that existed: fdatasync covers the lines and the new size (the
                // metadata needed to read them back, fdatasync(2)); the mtime is only this process's
                // cache check (`catchUp`), never needed after a crash. A file just created gets fsync
                // and its directory's below.
                if created { try f.sync(fd) } else { try f.syncData(fd) }
            } catch {
                // No partial line may remain; the caller is told nothing was saved.
                tail = nil
                _ = ftruncate(fd, off_t(start.size))
                _ = fsync(fd)
                throw error
            }
            tail = try makeTail(fd, chain: chain, expectedSize: start.size + buffer.count, trust: trust)
            // Only after the journal's fsync. The lines are saved whatever happens to the anchor: a failure
            // here leaves it behind, which the next load() repairs, so the caller is not told otherwise.
            // In place and not fsynced (see JournalAnchor): the journal's fsync above is the one an append
            // waits for.
            let anchor = JournalAnchor(seq: chain.lastSeq, hash: chain.lastHash)
            if (try? JournalAnchor.overwrite(anchor, anchorPath: anchorPath, folder: anchorFolder)) != true {
                try? JournalAnchor.write(anchor, journal: url, durable: false)
            }
        }
        var seen = Set<String>()
        for d in dirsToSync where seen.insert(d).inserted {
            try f.syncDirectory(d.isEmpty ? "." : d)
        }
        return (fromOthers, appended)
    }

    /// Under a lock held by the caller: brings `tail` up to date with the file and returns the records after
    /// `knownCount` (none when `knownCount` is nil). Reads only the new part when the cached state still
    /// matches the file; otherwise rereads and verifies the whole file.
    private func catchUp(_ fd: Int32, knownCount: Int?) throws -> (fromOthers: [JournalRecord], start: Tail) {
        let f = file
        let st = try f.status(fd)
        let size = Int(st.st_size)
        if let t = tail, t.device == UInt64(st.st_dev), t.inode == UInt64(st.st_ino),
           knownCount == nil || knownCount == t.chain.count {
            if size == t.size, (t.mtimeSec, t.mtimeNsec) == JournalFile.mtime(st) {
                return ([], t)
            }
            if size > t.size {
                let bytes = try f.read(fd, from: t.size)
                let scan = bytes.withUnsafeBytes { Journal.scan($0, from: t.chain, collect: true) }
                if scan.problem == nil, scan.goodLength == bytes.count {
                    // Lines another terminal wrote: every signature is checked.
                    let trust = try bytes.withUnsafeBytes {
                        try replayTrust($0, records: scan.records[...], from: t.trust, checkSignatures: .all)
                    }
                    let updated = try makeTail(fd, chain: scan.chain, expectedSize: t.size + bytes.count, trust: trust)
                    tail = updated
                    return (knownCount != nil ? scan.records : [], updated)
                }
                // Fall through: reread everything so a problem is reported with its true line number.
            }
        }
        tail = nil
        let bytes = try f.read(fd, from: 0)
        let scan = bytes.withUnsafeBytes { Journal.scanFromStart($0, collect: true) }
        if let p = scan.problem {
            if p.isLast, p.line > JournalAnchor.coveredLines(journal: url) {
                throw JournalError.tornTail(file: f.name, line: p.line, reason: p.reason)
            }
            throw JournalError.badLine(file: f.name, line: p.line, reason: p.reason)
        }
        try JournalAnchor.reconcile(journal: url, bytes: bytes[...], lineCount: scan.chain.count,
                                    lastSeq: scan.chain.lastSeq, lastHash: scan.chain.lastHash, write: false)
        let trust = try bytes.withUnsafeBytes {
            try replayTrust($0, records: scan.records[...], from: freshTrust, checkSignatures: .afterLastCheckpoint)
        }
        let updated = try makeTail(fd, chain: scan.chain, expectedSize: bytes.count, trust: trust)
        tail = updated
        guard let k = knownCount else { return ([], updated) }
        guard k <= scan.records.count else {
            throw JournalError.knownCountTooLarge(file: f.name, known: k, actual: scan.records.count)
        }
        return (Array(scan.records[k...]), updated)
    }

    func makeTail(_ fd: Int32, chain: Chain, expectedSize: Int, trust: JournalTrust) throws -> Tail {
        let st = try file.status(fd)
        let (sec, nsec) = JournalFile.mtime(st)
        return Tail(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: expectedSize,
                    mtimeSec: sec, mtimeNsec: nsec, chain: chain, trust: trust)
    }

    // MARK: Trust

    public typealias SignatureChecks = JournalLedger.SignatureChecks

    /// Replays keys, roles and office over `records`, the lines of `buf` in order (issue 12). With
    /// `.afterLastCheckpoint`, signatures are checked from the last checkpoint line on (itself
    /// included): that line's signature covers, through `prev`, every line before it.
    func replayTrust(_ buf: UnsafeRawBufferPointer, records: ArraySlice<JournalRecord>, from start: JournalTrust,
                     checkSignatures: SignatureChecks) throws -> JournalTrust {
        try Journal.replayTrust(buf, records: records, from: start, checkSignatures: checkSignatures, name: file.name)
    }

    static func replayTrust(_ buf: UnsafeRawBufferPointer, records: ArraySlice<JournalRecord>, from start: JournalTrust,
                            checkSignatures: SignatureChecks, name: String) throws -> JournalTrust {
        var trust = start
        // Nothing to replay in an older journal with no signed line and no batch or key line: the
        // common case of the tests and of generated offices stays as fast as before.
        let checkFrom: Int
        switch checkSignatures {
        case .all: checkFrom = records.startIndex
        case .afterLastCheckpoint:
            checkFrom = records.lastIndex(where: { $0.eventType == .checkpointSigned }) ?? records.startIndex
        }
        var pos = 0
        guard let base = buf.baseAddress else { return trust }
        // Many signatures to check (`verify`, a long time since the last checkpoint): collected during
        // the replay and verified on every core afterwards; the first bad line is still the one named.
        let parallel = records.endIndex - checkFrom >= 512 && ProcessInfo.processInfo.activeProcessorCount > 1
        if parallel { trust.deferred = [] }
        var structural: (line: Int, reason: String)?
        for i in records.indices {
            guard let hit = memchr(base + pos, 0x0A, buf.count - pos) else { break }
            let nl = base.distance(to: UnsafeRawPointer(hit))
            let line = UnsafeRawBufferPointer(rebasing: buf[pos..<nl])
            pos = nl + 1
            let r = records[i]
            let signature = JournalLine.signature(line)
            do {
                try trust.advance(r, signature: signature, checkSignature: i >= checkFrom)
            } catch {
                structural = (r.lineNumber, error.reason)
                break
            }
        }
        // The first problem by line: a bad signature collected before a line that broke another rule.
        if let pending = trust.deferred {
            trust.deferred = nil
            if let bad = Journal.firstInvalid(pending), bad.line < structural?.line ?? Int.max {
                structural = (bad.line, bad.reason)
            }
        }
        if let structural { throw JournalError.untrusted(file: name, line: structural.line, reason: structural.reason) }
        return trust
    }

    /// The first signature that does not verify, checked on every core.
    static func firstInvalid(_ pending: [JournalTrust.PendingSignature]) -> JournalTrust.PendingSignature? {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let results = FirstBad(count: workers)
        let chunk = (pending.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let range = (w * chunk)..<min(pending.count, (w + 1) * chunk)
            for k in range where !pending[k].isValid {
                results.set(w, k)
                return
            }
        }
        return results.first.map { pending[$0] }
    }

    /// Each worker's first bad index, written by that worker only.
    final class FirstBad: @unchecked Sendable {
        // A raw buffer, not an array: workers write their own slot at once (an array's copy-on-write
        // check would be a data race).
        private let found: UnsafeMutableBufferPointer<Int>
        init(count: Int) {
            found = .allocate(capacity: count)
            found.initialize(repeating: -1)
        }
        deinit { found.deallocate() }
        func set(_ worker: Int, _ index: Int) { found[worker] = index }
        var first: Int? { found.filter { $0 >= 0 }.min() }
    }

    // MARK: Verify

    /// Checks every line: newline termination, suffix format, hash, prev chain, seq +1, JSON validity.
    /// Reports the FIRST bad line (1-based) with a Japanese reason. A missing file is a problem at line 0.
    /// `inheritedKeys`: for a log signed with the office journal's keys (the access log, R-SG-4).
    public static func verify(url: URL, unsignedEraRoles: [String: Operator.Role] = [:],
                              inheritedKeys: [EnrolledKey]? = nil) -> VerifyReport {
        let f = JournalFile(name: url.lastPathComponent)
        let fd: Int32
        do { fd = try JournalFile.openNoFollow(url.path, O_RDONLY | O_CLOEXEC) } catch { return VerifyReport(lineCount: 0, problem: (0, UserFacing.detail(for: error))) }
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "\(f.name) がありません（\(url.path)）" : f.fail("開くこと").description
            return VerifyReport(lineCount: 0, problem: (0, reason))
        }
        defer { close(fd) }
        do {
            try f.lock(fd, LOCK_SH)
            let bytes = try f.read(fd, from: 0)
            return verify(bytes: bytes, anchor: JournalAnchor.read(journal: url), journalName: f.name, unsignedEraRoles: unsignedEraRoles,
                          inheritedKeys: inheritedKeys)
        } catch {
            return VerifyReport(lineCount: 0, problem: (0, UserFacing.detail(for: error)))
        }
    }

    /// `verify` on the bytes of a journal (for tests and fuzzing), and against its anchor if given.
    static func verify(bytes: [UInt8], anchor: JournalAnchor.Stored = .missing,
                       journalName: String = "journal.jsonl", unsignedEraRoles: [String: Operator.Role] = [:],
                       inheritedKeys: [EnrolledKey]? = nil) -> VerifyReport {
        let report = bytes.withUnsafeBytes { buf in
            let scan = scan(buf, from: Chain(), collect: true)
            var lines = 0
            for b in buf where b == 0x0A { lines += 1 }
            if let last = buf.last, last != 0x0A { lines += 1 }
            var report = VerifyReport(lineCount: lines, problem: scan.problem.map { ($0.line, $0.reason) })
            // Every signature, role and approval, from the first line (R-SG-2, R-SG-3).
            let journal = Journal(url: URL(fileURLWithPath: journalName))
            journal.roles = unsignedEraRoles
            do {
                report.trust = try journal.replayTrust(UnsafeRawBufferPointer(rebasing: buf[0..<scan.goodLength]),
                                                       records: scan.records[...],
                                                       from: JournalTrust(unsignedEraRoles: unsignedEraRoles, inheritedKeys: inheritedKeys),
                                                       checkSignatures: .all)
            } catch let JournalError.untrusted(_, line, reason) {
                if report.problem == nil || line < report.problem!.line { report = VerifyReport(lineCount: lines, problem: (line, reason)) }
            } catch {}
            return (report, scan.chain)
        }
        return JournalAnchor.verify(report.0, chain: report.1, bytes: bytes, anchor: anchor, journalName: journalName)
    }

    // MARK: Scanning

    struct Problem {
        /// 1-based line number in the whole file.
        let line: Int
        let reason: String
        /// True when nothing follows the bad line (a torn write, if it is a crash).
        let isLast: Bool
        /// Byte offset (in the scanned buffer) where the bad line starts.
        let start: Int
    }

    struct Scan {
        var records: [JournalRecord] = []
        var chain: Chain
        /// Bytes of the buffer made of verified lines.
        var goodLength = 0
        var problem: Problem?
    }

    /// Verifies lines of `buf` continuing from `chain`, stopping at the first bad one.
    static func scan(_ buf: UnsafeRawBufferPointer, from chain: Chain, collect: Bool) -> Scan {
        var result = Scan(chain: chain)
        var pos = 0
        let n = buf.count
        while pos < n {
            let lineNo = result.chain.count + 1
            guard let base = buf.baseAddress,
                  let hit = memchr(base + pos, 0x0A, n - pos) else {
                result.problem = Problem(line: lineNo, reason: "行が改行で終わっていません（書き込みの途中で切れています）",
                                         isLast: true, start: pos)
                break
            }
            let nl = base.distance(to: UnsafeRawPointer(hit))
            let isLast = nl + 1 == n
            let record: JournalRecord
            do {
                record = try JournalLine.decode(UnsafeRawBufferPointer(rebasing: buf[pos..<nl]), lineNumber: lineNo)
            } catch {
                result.problem = Problem(line: lineNo, reason: error.reason, isLast: isLast, start: pos)
                break
            }
            if record.prev != result.chain.lastHash {
                result.problem = Problem(line: lineNo, reason: "前の行とのハッシュの連鎖が切れています（prev が前の行の hash と一致しません）",
                                         isLast: isLast, start: pos)
                break
            }
            if record.seq != result.chain.lastSeq + 1 {
                result.problem = Problem(line: lineNo, reason: "連番（seq）が \(result.chain.lastSeq + 1) であるべきところ \(record.seq) です",
                                         isLast: isLast, start: pos)
                break
            }
            result.chain = Chain(count: lineNo, lastSeq: record.seq, lastHash: record.hash)
            if collect { result.records.append(record) }
            pos = nl + 1
            result.goodLength = pos
        }
        return result
    }
}
