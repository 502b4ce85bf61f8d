import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole journal built in memory, line by line, exactly as `Journal.append` writes it (the same
/// encoder, hash chain and Ed25519 signatures), then written at once with its anchor: for a writer
/// that makes many lines of a new journal — today a large office generated for measuring — without a lock, an fsync and a catch-up per line as a `CaseStore`
/// does. A journal written this way verifies and loads like one the desk wrote; nothing here skips a
/// rule — `Journal.load` checks every line it makes.
public struct ComposedJournal: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var lineCount = 0
    public private(set) var lastHash = JournalLine.zeroHash
    /// The office named by `office.opened`, once appended (a checkpoint names it).
    private var office: JournalOffice?
    /// Signatures still to make (`signLater`): where each line's 128 hex digits go, its hash, its key.
    private var unsigned: [(at: Int, hash: String, key: OperatorSigningKey)] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Appends one line; signed with `signer` when given (every line from `office.opened` on is).
    /// `signLater`: the signature's place is kept and filled by `signPending()` (on every core) —
    /// a signature covers the line's hash only, so the chain does not wait for it.
    public mutating func append(time: String, operatorID: String, caseNumber: String, type: String, data: JSONValue,
                                signer: OperatorSigningKey?, signLater: Bool = false) throws {
        let placeholder = [UInt8](repeating: 0, count: 64)
        let line = try JournalLine.encode(seq: lineCount + 1, time: time, operatorID: operatorID, caseNumber: caseNumber,
                                          type: type, data: data, prev: lastHash,
                                          sign: signer.map { key in { hash in signLater ? placeholder : try key.signLine(hash: hash) } })
        if signLater, let signer {
            // The line ends `"sig":"<128 hex>"}⏎`.
            unsigned.append((bytes.count + line.bytes.count - 3 - 128, line.hash, signer))
        }
        bytes += line.bytes
        lineCount += 1
        lastHash = line.hash
        if EventType(line: type) == .officeOpened, let e = try? data.decode(as: KeyEnrolment.self) { office = e.office }
    }

    /// Appends a supervisor's `checkpoint.signed` over every line so far, as `CaseStore.appendCheckpoint`
    /// writes it, and returns the checkpoint.
    @discardableResult
    public mutating func appendCheckpoint(key: OperatorSigningKey, time: String) throws -> Checkpoint {
        guard let office else { throw KeyError("記録の署名が始まっていないのでチェックポイントは作れません") }
        var checkpoint = Checkpoint(publicPayerNumber: office.publicPayerNumber, officeName: office.name, seq: lineCount,
                                    hash: lastHash, time: time, operatorID: key.operatorID, publicKey: key.publicKey, signature: [])
        checkpoint.signature = try key.sign(checkpoint.message)
        let payload = CheckpointPayload(verifiedThrough: lineCount, hash: lastHash, signature: JournalLine.hex(checkpoint.signature))
        try append(time: time, operatorID: key.operatorID, caseNumber: "", type: EventType.checkpointSigned,
                   data: try JSONValue(encoding: payload), signer: key, signLater: true)
        return checkpoint
    }

    /// Makes the signatures of the lines appended with `signLater`, on every core.
    public mutating func signPending() throws {
        let pending = unsigned
        unsigned = []
        guard !pending.isEmpty else { return }
        let chunks = max(1, min(pending.count / 512, ProcessInfo.processInfo.activeProcessorCount * 4))
        let results = SignatureSlots(count: pending.count)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in stride(from: c, to: pending.count, by: chunks) {
                results.set(i, (try? pending[i].key.signLine(hash: pending[i].hash)).map { Array(JournalLine.hex($0).utf8) })
            }
        }
        for (i, p) in pending.enumerated() {
            guard let hex = results.get(i) else { throw KeyError("\(p.key.operatorID) の鍵で署名できません") }
            bytes.replaceSubrange(p.at..<(p.at + 128), with: hex)
        }
    }

    /// Writes the journal (0600, created; refused if it exists) and its anchor naming the last line.
    public func write(to url: URL) throws {
        precondition(unsigned.isEmpty, "signPending() before write")
        let f = JournalFile(name: url.lastPathComponent)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError.io(file: url.lastPathComponent, operation: "作成", errno: errno) }
        defer { close(fd) }
        try f.writeAll(fd, bytes, at: 0)
        guard fsync(fd) == 0 else { throw JournalError.io(file: url.lastPathComponent, operation: "fsync", errno: errno) }
        if lineCount > 0 { try JournalAnchor.write(JournalAnchor(seq: lineCount, hash: lastHash), journal: url) }
    }
}

/// One slot per signature, each written by one thread.
private final class SignatureSlots: @unchecked Sendable {
    private var slots: [[UInt8]?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: [UInt8]?) { lock.lock(); slots[i] = v; lock.unlock() }
    func get(_ i: Int) -> [UInt8]? { slots[i] }
}
