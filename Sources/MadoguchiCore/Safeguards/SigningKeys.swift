import Crypto
import Foundation

/// An operator's Ed25519 signing key (署名鍵), held by the process that proved who it is (R-SG-1).
/// The key is not `Sendable` in swift-crypto 3.12.3: it is rebuilt from its raw bytes where needed.
public final class OperatorSigningKey: @unchecked Sendable {
    public let operatorID: String
    let raw: [UInt8]
    private let key: Curve25519.Signing.PrivateKey
    public let publicKey: OperatorPublicKey

    public init(operatorID: String, rawPrivateKey: [UInt8]) throws {
        self.operatorID = operatorID
        self.raw = rawPrivateKey
        self.key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawPrivateKey)
        self.publicKey = OperatorPublicKey(raw: Array(key.publicKey.rawRepresentation))
    }

    /// A new random key.
    public static func generate(operatorID: String) throws -> OperatorSigningKey {
        try OperatorSigningKey(operatorID: operatorID, rawPrivateKey: Array(Curve25519.Signing.PrivateKey().rawRepresentation))
    }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        Array(try key.signature(for: message))
    }

    /// The signature of a journal line: over its hash (JournalSignature.message).
    public func signLine(hash: String) throws -> [UInt8] {
        try sign(JournalSignature.message(lineHash: hash))
    }
}

/// An enrolled public key (公開鍵), written as 64 lowercase hex digits.
public struct OperatorPublicKey: Sendable, Hashable, CustomStringConvertible, Codable {
    public let raw: [UInt8]

    public init(raw: [UInt8]) { self.raw = raw }

    /// From 64 hex digits; nil when the text is not a well-formed key.
    public init?(hex: String) {
        guard let bytes = OperatorPublicKey.bytes(hex: hex.lowercased()), bytes.count == 32 else { return nil }
        raw = bytes
    }

    public var hex: String { JournalLine.hex(raw) }
    public var description: String { hex }

    /// What a person compares on paper: the first 16 hex digits of the key's SHA-256 in groups of 4.
    public var fingerprint: String {
        let h = JournalLine.hex(SHA256.hash(data: raw))
        let head = Array(h.prefix(16))
        return stride(from: 0, to: 16, by: 4).map { String(head[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64, let k = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return k.isValidSignature(signature, for: message)
    }

    /// Why this key cannot be enrolled, nil when it can. `PublicKey(rawRepresentation:)` checks only
    /// the length: a small-order point is accepted and one fixed forged signature then verifies for
    /// every message (ARCHITECTURE.md, "Signing"). Such keys are refused by their encodings — the
    /// eight points of order 1, 2, 4 and 8, with either sign bit, and the non-canonical y ≥ p forms
    /// of the low ones — the same list libsodium checks (`has_small_order`).
    public var enrolmentProblem: String? {
        guard raw.count == 32 else { return "公開鍵は32バイト（16進数64桁）です" }
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else { return "公開鍵として読めません" }
        var y = raw
        y[31] &= 0x7F   // the sign of x does not change the order
        if OperatorPublicKey.smallOrderY.contains(y) { return "位数の小さい点（弱い鍵）です。この鍵では偽の署名が通るため登録できません" }
        return nil
    }

    static let smallOrderY: Set<[UInt8]> = {
        func hex(_ s: String) -> [UInt8] { OperatorPublicKey(hex: s)!.raw }
        let p = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
        return [
            hex(String(repeating: "0", count: 64)),                                   // y = 0 (order 4)
            hex("01" + String(repeating: "0", count: 62)),                            // y = 1: the identity
            hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),  // order 8
            hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),  // order 8
            hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // y = p − 1 = −1 (order 2)
            hex(p),                                                                   // y = p ≡ 0
            hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // y = p + 1 ≡ 1
        ]
    }()
}

/// What exactly is signed (R-SG-1, R-SG-3). Each message starts with its own label, so a signature
/// made for one purpose is never accepted for another.
public enum JournalSignature {
    /// A journal line: its hash, which covers seq, time, operator, case, type, data and prev.
    public static func message(lineHash: String) -> [UInt8] {
        Array("madoguchi-journal-line-v1:".utf8) + Array(lineHash.utf8)
    }
}
