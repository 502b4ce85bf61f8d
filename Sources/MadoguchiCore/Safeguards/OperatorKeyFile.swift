import _CryptoExtras
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where this account keeps its operators' private keys (鍵ファイル), one 0600 file each, in a 0700
/// folder: `MADOGUCHI_KEY_DIR`, else `$XDG_CONFIG_HOME/madoguchi/keys`, else `~/.config/madoguchi/keys`.
/// A training sandbox keeps its trainees' keys in its own `keys/` folder (issue 12, item 8).
///
/// A key file is trusted only if it is a regular file (not a symlink), owned by the running account
/// and readable by nobody else: another account's key cannot be used even where its file is readable.
public struct OperatorKeyStore: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public static func forAccount(environment env: [String: String] = ProcessInfo.processInfo.environment) -> OperatorKeyStore {
        if let d = env["MADOGUCHI_KEY_DIR"], !d.isEmpty { return OperatorKeyStore(directory: URL(fileURLWithPath: d)) }
        let base: URL
        if let x = env["XDG_CONFIG_HOME"], x.hasPrefix("/") {
            base = URL(fileURLWithPath: x)
        } else {
            base = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        }
        return OperatorKeyStore(directory: base.appendingPathComponent("madoguchi/keys"))
    }

    /// The file of `operatorID`'s key for the office `payer` (公費負担者番号).
    public func url(operatorID: String, office payer: String) -> URL {
        directory.appendingPathComponent("\(payer)_\(operatorID).key")
    }

    public func exists(operatorID: String, office payer: String) -> Bool {
        var st = stat()
        return lstat(url(operatorID: operatorID, office: payer).path, &st) == 0
    }

    /// Writes a new key file (refused if one exists: a key is replaced by revoking and enrolling).
    /// With a passphrase the key is sealed with AES-GCM under a key derived by scrypt.
    /// `durable: false` (a training sandbox's keys): no fsync — a key lost in a power cut is made and
    /// enrolled again with the sandbox's next line, and fsyncs under a busy disk cost seconds at login.
    public func create(_ key: OperatorSigningKey, office payer: String, passphrase: String?, durable: Bool = true) throws -> URL {
        let url = url(operatorID: key.operatorID, office: payer)
        var file = KeyFileContents(operatorID: key.operatorID, office: payer, publicKey: key.publicKey.hex)
        if let passphrase {
            try file.seal(key.raw, passphrase: passphrase)
        } else {
            file.protection = "none"
            file.privateKey = JournalLine.hex(key.raw)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(file)
        data.append(0x0A)
        try makeDirectory()
        try SafeKeyFile.writeNew(data, to: url, durable: durable)
        return url
    }

    /// Reads `operatorID`'s key. `passphrase` is asked only when the file is sealed with one.
    public func load(operatorID: String, office payer: String, passphrase: () throws -> String?) throws -> OperatorSigningKey {
        let url = url(operatorID: operatorID, office: payer)
        let data = try SafeKeyFile.read(url)
        guard let file = try? JSONDecoder().decode(KeyFileContents.self, from: data), file.format == KeyFileContents.formatName,
              file.operatorID == operatorID, file.office == payer, let publicKey = OperatorPublicKey(hex: file.publicKey) else {
            throw KeyError("鍵ファイル \(url.path) の形式が正しくありません（職員 \(operatorID)、事務所 \(payer) の鍵ではありません）")
        }
        let raw: [UInt8]
        if file.protection == "none", let hex = file.privateKey, let k = OperatorPublicKey(hex: hex) {
            raw = k.raw   // 32 bytes written as hex, like a public key
        } else if file.protection == "passphrase" {
            guard let pass = try passphrase() else {
                throw KeyError("職員 \(operatorID) の鍵はパスフレーズで守られています。パスフレーズを入力してください")
            }
            raw = try file.open(passphrase: pass)
        } else {
            throw KeyError("鍵ファイル \(url.path) の形式が正しくありません")
        }
        let key = try OperatorSigningKey(operatorID: operatorID, rawPrivateKey: raw)
        guard key.publicKey == publicKey else {
            throw KeyError("鍵ファイル \(url.path) の秘密鍵と公開鍵が対応していません（改ざんのおそれ）")
        }
        return key
    }

    public func isSealed(operatorID: String, office payer: String) -> Bool {
        guard let data = try? SafeKeyFile.read(url(operatorID: operatorID, office: payer)),
              let file = try? JSONDecoder().decode(KeyFileContents.self, from: data) else { return false }
        return file.protection == "passphrase"
    }

    func makeDirectory() throws {
        let path = directory.path
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw KeyError("鍵のフォルダ \(path) がフォルダではありません（シンボリックリンクは使えません）") }
            return
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}

/// A key file's contents. AAD of the sealed key: format, operator, office, public key, KDF and salt,
/// so no part can be swapped for another file's.
struct KeyFileContents: Codable {
    static let formatName = "madoguchi-operator-key-v1"
    var format = KeyFileContents.formatName
    var operatorID: String
    var office: String
    var publicKey: String
    var protection = "passphrase"
    var privateKey: String?
    var kdf: String?
    var rounds: Int?
    var blockSize: Int?
    var parallelism: Int?
    var salt: String?
    var sealed: String?

    enum CodingKeys: String, CodingKey {
        case format, operatorID = "operator", office, publicKey, protection, privateKey, kdf, rounds, blockSize, parallelism, salt, sealed
    }

    init(operatorID: String, office: String, publicKey: String) {
        self.operatorID = operatorID
        self.office = office
        self.publicKey = publicKey
    }

    var aad: [UInt8] {
        Array([format, operatorID, office, publicKey, kdf ?? "", "\(rounds ?? 0)", "\(blockSize ?? 0)",
               "\(parallelism ?? 0)", salt ?? ""].joined(separator: "\n").utf8)
    }

    /// The passphrase policy is ours: scrypt takes an empty one without complaint (ARCHITECTURE.md).
    static func checkPassphrase(_ p: String) throws {
        guard p.count >= 8 else { throw KeyError("パスフレーズは8文字以上にしてください") }
    }

    mutating func seal(_ raw: [UInt8], passphrase: String) throws {
        try Self.checkPassphrase(passphrase)
        var saltBytes = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in saltBytes.indices { saltBytes[i] = UInt8.random(in: 0...255, using: &rng) }
        kdf = "scrypt"
        rounds = 1 << 15
        blockSize = 8
        parallelism = 1
        salt = JournalLine.hex(saltBytes)
        let kek = try deriveKey(passphrase: passphrase, salt: saltBytes)
        let box = try AES.GCM.seal(raw, using: kek, authenticating: aad)
        guard let combined = box.combined else { throw KeyError("鍵を暗号化できませんでした") }
        sealed = combined.base64EncodedString()
    }

    func open(passphrase: String) throws -> [UInt8] {
        guard kdf == "scrypt", let rounds, let blockSize, let parallelism, rounds >= 1 << 14, rounds <= 1 << 20,
              blockSize == 8, parallelism == 1, let salt, let s = OperatorPublicKey.bytes(hex: salt), s.count == 16,
              let sealed, let combined = Data(base64Encoded: sealed) else {
            throw KeyError("鍵ファイルの暗号化の形式が正しくありません")
        }
        do {
            let kek = try deriveKey(passphrase: passphrase, salt: s)
            // Any error here is "wrong passphrase or tampered": on Linux it is not `.authenticationFailure`.
            return Array(try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: kek, authenticating: aad))
        } catch {
            throw KeyError("パスフレーズが違います（または鍵ファイルが書き換えられています）")
        }
    }

    private func deriveKey(passphrase: String, salt: [UInt8]) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: salt, outputByteCount: 32,
                                 rounds: rounds ?? (1 << 15), blockSize: blockSize ?? 8, parallelism: parallelism ?? 1)
    }
}

extension OperatorPublicKey {
    /// Bytes from lowercase hex of any even length.
    static func bytes(hex: String) -> [UInt8]? {
        let b = Array(hex.utf8)
        guard b.count % 2 == 0, b.allSatisfy(JournalLine.isLowerHex) else { return nil }
        return (0..<(b.count / 2)).map { JournalLine.hexValue(b[2 * $0]) << 4 | JournalLine.hexValue(b[2 * $0 + 1]) }
    }
}

/// A refused key operation, in Japanese.
public struct KeyError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Key files read and written without following links, and only when they are this account's alone.
enum SafeKeyFile {
    static func read(_ url: URL) throws -> Data {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw KeyError("鍵ファイル \(url.path) がありません。本人のOSアカウントで madoguchi keys generate を実行して作り、表示された公開鍵を査察指導員に登録してもらってください")
            case ELOOP: throw KeyError("鍵ファイル \(url.path) がシンボリックリンクです。使えません")
            default: throw KeyError("鍵ファイル \(url.path) を開けません（\(SystemErrorText.japanese(errno))）")
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw KeyError("鍵ファイル \(url.path) が普通のファイルではありません")
        }
        guard st.st_uid == geteuid() else {
            throw KeyError("鍵ファイル \(url.path) はこのOSアカウントのものではありません。他の人の鍵は使えません")
        }
        guard st.st_mode & 0o077 == 0 else {
            throw KeyError("鍵ファイル \(url.path) を他の人も読めます（権限 \(String(st.st_mode & 0o777, radix: 8))）。chmod 600 \(url.path) として、鍵を作り直すか査察指導員に相談してください")
        }
        guard st.st_size < 16_384 else { throw KeyError("鍵ファイル \(url.path) が大きすぎます") }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n == out.count else { throw KeyError("鍵ファイル \(url.path) を読めません") }
        return Data(out)
    }

    /// O_EXCL: never replaces a key; fsync of the file and of its folder before returning.
    static func writeNew(_ data: Data, to url: URL, durable: Bool = true) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw KeyError("鍵ファイル \(url.path) はもうあります。鍵を替えるときは査察指導員が古い鍵を失効させてから、ファイルを移して作り直します") }
            throw KeyError("鍵ファイル \(url.path) を作れません（\(SystemErrorText.japanese(errno))）")
        }
        var ok = fchmod(fd, 0o600) == 0
        ok = ok && data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == data.count
        ok = ok && (!durable || fsync(fd) == 0)
        close(fd)
        guard ok else {
            unlink(url.path)
            throw KeyError("鍵ファイル \(url.path) を書けません（\(SystemErrorText.japanese(errno))）")
        }
        guard durable else { return }
        let dfd = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
