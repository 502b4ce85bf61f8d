import Foundation

/// The references in Python (issue 14, item 4), run as a child `python3 -c <script> MODE FILE…`
/// that prints the seconds of the work alone (the interpreter's start is not counted):
/// - `orjson`: the bare reference of P1 — orjson parsing the journal line by line;
/// - `samework`: the same work as the desk's start-up — orjson + SHA-256 of each line + the hash
///   chain + Ed25519 signatures after the last checkpoint (`cryptography`, when installed) + a fold
///   into a per-case state dict;
/// - `csv`: the bare reference of P3 — the csv module reading the cp932 status file.
public struct PythonReferences {
    public let executable: String
    /// Why a reference cannot run (said once, then skipped), nil when all can.
    public let unavailable: String?
    public let hasOrjson: Bool
    public let hasCryptography: Bool
    public let hasPython: Bool

    public init(enabled: Bool) {
        executable = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
        hasPython = enabled && Self.exec(executable, ["-c", "import sys"]) != nil
        guard enabled else { unavailable = nil; hasOrjson = false; hasCryptography = false; return }
        if !hasPython {
            unavailable = "python3 がないので参照は測りません（apt-get install python3）"
            hasOrjson = false
            hasCryptography = false
        } else {
            hasOrjson = Self.exec(executable, ["-c", "import orjson"]) != nil
            hasCryptography = Self.exec(executable, ["-c", "import cryptography.hazmat.primitives.asymmetric.ed25519"]) != nil
            unavailable = hasOrjson ? nil : "Python の orjson がないので P1 の参照は測りません。入れるには：pip install orjson"
        }
    }

    static func exec(_ python: String, _ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    func run(_ mode: String, _ args: [String]) -> Double? {
        Self.exec(executable, ["-c", Self.script, mode] + args).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    public func orjson(_ journal: URL) -> Double? { hasOrjson ? run("orjson", [journal.path]) : nil }

    /// `checkpointSeq`: signatures of the lines after it are verified (as the desk does).
    public func sameWork(_ journal: URL, checkpointSeq: Int) -> Double? {
        hasOrjson ? run("samework", [journal.path, String(checkpointSeq), hasCryptography ? "1" : "0"]) : nil
    }

    public func csv(_ file: URL) -> Double? { hasPython ? run("csv", [file.path]) : nil }

    static let script = #"""
import sys, time, hashlib

def bare_orjson(path):
    import orjson
    n = 0
    with open(path, 'rb') as f:
        for line in f:
            orjson.loads(line)
            n += 1
    return n

def same_work(path, checkpoint, verify):
    import orjson
    if verify:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    keys = {}
    cases = {}
    prev = '0' * 64
    label = b'madoguchi-journal-line-v1:'
    with open(path, 'rb') as f:
        for line in f:
            o = orjson.loads(line)
            cut = line.rindex(b',"hash":"')
            digest = hashlib.sha256(line[:cut] + b'}').hexdigest()
            if digest != o['hash'] or o['prev'] != prev:
                raise SystemExit('chain broken at %d' % o['seq'])
            prev = digest
            t = o['type']
            if t == 'office.opened' or t == 'key.enrolled':
                d = o['data']
                keys[d['operator']] = Ed25519PublicKey.from_public_bytes(bytes.fromhex(d['publicKey'])) if verify else d['publicKey']
            if verify and o['seq'] > checkpoint and 'sig' in o:
                keys[o['operator']].verify(bytes.fromhex(o['sig']), label + digest.encode())
            c = o['case']
            s = cases.get(c)
            if s is None:
                s = cases[c] = {'events': 0}
            s['events'] += 1
            s['last'] = t
            s['time'] = o['time']
            if t == 'case.received':
                s['application'] = o['data']
            elif t.startswith('case.'):
                s.update(o['data'])
    return len(cases)

def bare_csv(path):
    import csv
    with open(path, encoding='cp932', newline='') as f:
        return len(list(csv.reader(f)))

mode = sys.argv[1]
t0 = time.perf_counter()
if mode == 'orjson':
    bare_orjson(sys.argv[2])
elif mode == 'samework':
    same_work(sys.argv[2], int(sys.argv[3]), sys.argv[4] == '1')
elif mode == 'csv':
    bare_csv(sys.argv[2])
print(time.perf_counter() - t0)
"""#
}
