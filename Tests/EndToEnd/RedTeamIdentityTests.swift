import Foundation
import Testing

/// Issue 12 "Done when", R-SG-1/R-SG-2 through the command line: a clerk cannot act as the
/// supervisor — not by naming them, not with a key of their own making — and a journal rewritten
/// by an insider stops every command. Against the built binary, in a production office set up as
/// docs/engineering/security.md and docs/admin.md say (`SignedOffice`).
@Suite("Red team: identity through the command line (R-SG-1, R-SG-2)", .tags(.e2e))
struct RedTeamIdentityTests {
    @Test("approve-batch --operator sato by an account that is not sato's is refused, and nothing is written")
    func clerkNamingTheSupervisorIsRefused() throws {
        let root = try E2E.makeTempDir("redteam-identity")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 1)
        // sato logs in as "sato-account"; the tests run as another account (the clerks').
        let office = try SignedOffice(root, data: data, accounts: ["sato": "sato-account"])
        // Without a key of their own, a clerk can do nothing in production.
        let early = try office.run(["reminders"], as: "yamada")
        #expect(early.status == 2 && early.stderr.contains("keys generate"), "\(early.stderr)")
        // The clerk cannot even make sato's key, nor open the office as sato.
        let gen = try office.run(["keys", "generate"], as: "sato")
        #expect(gen.status != 0 && gen.stderr.contains("OSアカウント"), "\(gen.stderr)")
        let open = try office.run(["keys", "open-office"], as: "sato")
        #expect(open.status == 2 && open.stderr.contains("OSアカウント"), "\(open.stderr)")
        // Given a journal sato opened elsewhere (the same config with sato bound to this account),
        // the clerk's batch and sato's name on the command line:
        let sameMachine = try SignedOffice(root, data: data, name: "office-sato.toml")
        try sameMachine.setUp()
        let prepared = try office.run(["prepare-batch"], as: "yamada")
        #expect(prepared.status == 0, "\(prepared.stderr)")
        let batch = try #require(prepared.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("B") && $0.count > 3 }
        }.first, "\(prepared.stdout)")
        let journal = data.appendingPathComponent("journal.jsonl")
        let before = try Data(contentsOf: journal)
        let approve = try office.run(["approve-batch", String(batch)], as: "sato")
        #expect(approve.status == 2, "\(approve.stdout)\(approve.stderr)")
        #expect(approve.stderr.contains("OSアカウント") && approve.stderr.contains("sato"), "\(approve.stderr)")
        #expect(try Data(contentsOf: journal) == before, "nothing written")
        // yamada approving as themselves: not a supervisor.
        let own = try office.run(["approve-batch", String(batch)], as: "yamada")
        let afterOwn = try Data(contentsOf: journal)
        #expect(own.status != 0 && afterOwn == before, "\(own.stderr)")
    }

    @Test("a shared account: sato's key is sealed with sato's passphrase; without it, or with a wrong one, nothing is done as sato")
    func passphraseOnSharedAccount() throws {
        let root = try E2E.makeTempDir("redteam-passphrase")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let office = try SignedOffice(root, data: data, passphrase: ["sato"])
        let pass = "ひみつの合言葉 2026"
        let gen = try office.run(["keys", "generate"], as: "sato", passphrase: pass)
        #expect(gen.status == 0, "\(gen.stderr)")
        let file = try String(contentsOf: office.keys.appendingPathComponent("12130019_sato.key"), encoding: .utf8)
        #expect(file.contains("\"protection\":\"passphrase\"") && !file.contains("privateKey"), "sealed, no private key in clear")
        let open = try office.run(["keys", "open-office"], as: "sato", passphrase: pass)
        #expect(open.status == 0, "\(open.stderr)")
        let wrong = try office.run(["checkpoint"], as: "sato", passphrase: "ちがう合言葉です")
        #expect(wrong.status == 2 && wrong.stderr.contains("パスフレーズが違います"), "\(wrong.stderr)")
        let none = try office.run(["checkpoint"], as: "sato")
        #expect(none.status == 2, "\(none.stderr)")
        let right = try office.run(["checkpoint"], as: "sato", passphrase: pass)
        #expect(right.status == 0 && right.stdout.contains("窓口 チェックポイント v1"), "\(right.stderr)")
    }

    @Test("a journal line rewritten with every hash recomputed stops every command with the line named; verify names it")
    func rehashedForgeryStopsCommands() throws {
        let root = try E2E.makeTempDir("redteam-forgery")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let office = try SignedOffice(root, data: data)
        try office.setUp()
        let intake = try office.run(["reminders"], as: "yamada")
        #expect(intake.status == 0, "\(intake.stderr)")
        let journal = data.appendingPathComponent("journal.jsonl")
        var lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        // The insider renames the enrolled clerk on line 3 and recomputes every hash and the anchor.
        let target = try #require(lines.firstIndex { $0.contains("\"key.enrolled\"") })
        lines[target] = lines[target].replacingOccurrences(of: "山田 花子", with: "山田 次郎")
        try Rehash.write(lines, to: journal)
        let verify = try office.run(["verify"], as: nil)
        #expect(verify.status == 1 && verify.stderr.contains("\(target + 1)行目") && verify.stderr.contains("署名"), "\(verify.stderr)")
        let any = try office.run(["reminders"], as: "yamada")
        #expect(any.status == 2 && any.stderr.contains("改ざん"), "\(any.stderr)")
    }
}

/// The insider's 15-line script: recompute every hash and the anchor (signatures kept as they were).
enum Rehash {
    static func write(_ lines: [String], to journal: URL) throws {
        var prev = String(repeating: "0", count: 64)
        var out = ""
        for var l in lines {
            let sig = l.range(of: #","sig":""#).map { String(l[$0.lowerBound...].dropLast()) } ?? ""
            l = String(l[..<l.range(of: #","hash":""#)!.lowerBound])
            l = String(l[..<l.range(of: #","prev":""#)!.upperBound]) + prev + "\""
            let h = sha256Hex(l + "}")
            out += l + #","hash":""# + h + "\"" + sig + "}\n"
            prev = h
        }
        try Data(out.utf8).write(to: journal)
        let anchor = #"{"seq":\#(lines.count),"hash":"\#(prev)"}"#
        try Data((anchor.padding(toLength: 99, withPad: " ", startingAt: 0) + "\n").utf8).write(to: URL(fileURLWithPath: journal.path + ".anchor"))
    }

    static func sha256Hex(_ s: String) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let inPipe = Pipe(), outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        try? p.run()
        inPipe.fileHandleForWriting.write(Data(s.utf8))
        try? inPipe.fileHandleForWriting.close()
        p.waitUntilExit()
        return String(String(decoding: outPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
    }
}
