import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A production office as an office sets one up (issue 12): the demo config made real, each
/// operator bound to an OS account (by default the account running the tests, so every operator
/// can be proven here), keys made with `keys generate` in a keys folder of the test's own, the
/// journal's signing started by the supervisor with `keys open-office`, the clerks enrolled with
/// `keys enroll`. Every command runs the built binary.
struct SignedOffice {
    let root: URL
    let data: URL
    let config: URL
    let keys: URL

    /// The OS account running the tests.
    static var me: String { String(cString: getpwuid(getuid())!.pointee.pw_name) }

    /// `accounts`: operator id → OS account (those not named are bound to `me`); `passphrase`: operators
    /// who prove themselves with a passphrase instead (a shared account).
    init(_ root: URL, data: URL, accounts: [String: String] = [:], passphrase: Set<String> = [], name: String = "office.toml") throws {
        self.root = root
        self.data = data
        keys = root.appendingPathComponent("keys")
        var text = try String(contentsOf: E2E.demoConfig, encoding: .utf8)
            .replacingOccurrences(of: "mode = \"training\"", with: "mode = \"production\"")
            .replacingOccurrences(of: "[training]\n", with: "[unused]\n")
        for id in ["yamada", "suzuki", "sato"] {
            let proof = passphrase.contains(id) ? "auth = \"passphrase\"" : "account = \"\(accounts[id] ?? Self.me)\""
            text = text.replacingOccurrences(of: "id = \"\(id)\"\n", with: "id = \"\(id)\"\n\(proof)\n")
        }
        config = root.appendingPathComponent(name)
        try text.write(to: config, atomically: true, encoding: .utf8)
    }

    var environment: [String: String] { E2E.environment(dataDir: data, extra: ["MADOGUCHI_KEY_DIR": keys.path]) }

    /// `madoguchi ARGS --config … --operator OP`.
    func run(_ args: [String], as op: String?, passphrase: String? = nil) throws -> E2E.Output {
        try E2E.run(try E2E.requireBinary(),
                    args + ["--config", config.path] + (op.map { ["--operator", $0] } ?? []) + (passphrase == nil ? [] : ["--passphrase-stdin"]),
                    // Generous: keys are fsynced, and the crash-injection suite keeps the disk busy meanwhile.
                    environment: environment, timeout: 60, input: passphrase.map { $0 + "\n" })
    }

    /// Keys for everyone, the journal opened by sato, yamada and suzuki enrolled.
    func setUp() throws {
        let generated = try run(["keys", "generate"], as: "sato")
        #expect(generated.status == 0, "\(generated.stderr)")
        let opened = try run(["keys", "open-office"], as: "sato")
        #expect(opened.status == 0, "\(opened.stderr)")
        for clerk in ["yamada", "suzuki"] {
            let g = try run(["keys", "generate"], as: clerk)
            #expect(g.status == 0, "\(g.stderr)")
            let key = try #require(g.stdout.split(separator: "\n").first { $0.hasPrefix("公開鍵: ") }).dropFirst("公開鍵: ".count)
            let e = try run(["keys", "enroll", "--for", clerk, "--public-key", String(key)], as: "sato")
            #expect(e.status == 0, "\(e.stderr)")
        }
    }
}
