import Foundation
import Testing
@testable import MadoguchiCore

private let signOffClerk = Operator(id: "yamada", name: "山田 花子", role: .clerk)
private let signOffOtherClerk = Operator(id: "suzuki", name: "鈴木 健", role: .clerk)
private let signOffSupervisor = Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)
private let signOffOtherSupervisor = Operator(id: "kato", name: "加藤 二郎", role: .supervisor)

@Suite("Sign-off of the bulk registration file (issue 4, maker-checker)", .tags(.unit))
struct SignOffTests {
    @Test("R-RG-2 R-RG-3 a case waiting with a blank 被保険者枝番 is named with its reason, whether or not a batch is made (issue 11)")
    func leftOutNamed() throws {
        let env = try batchEnv()
        let blank = try batchReceive(env, batchApplication(server: nil))
        do {
            _ = try env.store.prepareBatch(office: env.office, by: signOffClerk, now: batchJST(2026, 11, 25))
            Issue.record("a batch was prepared with no case ready")
        } catch SignOffError.nothingToSend(let leftOut) {
            #expect(leftOut.map(\.caseNumber) == [blank.number])
            #expect(leftOut.first?.missingServerNumber == true)
            let said = SignOffError.nothingToSend(leftOut: leftOut).description
            #expect(said.contains(blank.number) && said.contains("被保険者枝番（16桁）が未入力です（R-RG-2）"), "\(said)")
            #expect(!said.contains("登録待ちの医療扶助単独の案件がないか"), "the old message hid the cause: \(said)")
            let lines = ExportRefusal.batchLines(leftOut, nothingIn: true) { "set-server-number \($0.caseNumber)" }
            #expect(lines.count == 2)
            #expect(lines[1].hasSuffix("→ set-server-number \(blank.number)"), "\(lines)")
        }
        #expect(env.store.book.signOffBatches.isEmpty)
        // With one case ready, the batch is made and the blank one is still named.
        let ready = try batchReceive(env, batchApplication(recipient: batchRecipient("234567"), server: "2345678901234567"))
        let b = try env.store.prepareBatch(office: env.office, by: signOffClerk, now: batchJST(2026, 11, 25))
        #expect(b.cases == [ready.number])
        let leftOut = RegistrationExport.plan(env.store.book, office: env.office).refused
        let lines = ExportRefusal.batchLines(leftOut, nothingIn: false)
        #expect(lines.first?.contains("1件") == true && lines.first?.hasPrefix("一括登録に入れられる案件がありません") == false, "\(lines)")
        #expect(lines.contains { $0.contains(blank.number) && $0.contains("R-RG-2") })
        // Nothing waiting at all: the plain message, no list.
        let empty = try batchEnv("empty")
        #expect(throws: SignOffError.nothingToSend(leftOut: [])) {
            try empty.store.prepareBatch(office: empty.office, by: signOffClerk, now: batchJST(2026, 11, 25))
        }
        #expect(ExportRefusal.batchLines([], nothingIn: true).isEmpty)
    }

    @Test("the file is written only after a supervisor approves the batch a clerk prepared")
    func makerChecker() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        #expect(throws: SignOffError.noApprovedBatch) {
            try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada", now: batchJST(2026, 11, 25))
        }
        #expect(env.exportListing().isEmpty)
        let b = try env.store.prepareBatch(office: env.office, by: signOffClerk, now: batchJST(2026, 11, 25))
        #expect(b.cases == [a.number])
        #expect(b.id == "B20261125-1")
        #expect(throws: SignOffError.noApprovedBatch) {
            try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada", now: batchJST(2026, 11, 25))
        }
        try env.store.decideBatch(b.id, approve: true, comment: "", by: signOffSupervisor, now: batchJST(2026, 11, 25, 11))
        let r = try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada", now: batchJST(2026, 11, 25, 12))
        #expect(r.included == [a.number])
        #expect(env.store.book.signOffBatches.first?.state == .exported)
        #expect(env.store.book.fileEvents.last?.payload.batch == b.id)
        // The batch is spent: nothing more to write until the next one is approved.
        #expect(throws: SignOffError.noApprovedBatch) {
            try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada", now: batchJST(2026, 11, 25, 13))
        }
    }

    @Test("a supervisor cannot approve a batch they prepared; a clerk cannot approve at all; the journal is untouched")
    func noSelfApproval() throws {
        let env = try batchEnv()
        _ = try batchReceive(env, batchApplication())
        let own = try env.store.prepareBatch(office: env.office, by: signOffSupervisor, now: batchJST(2026, 11, 25))
        let size = env.journalBytes().count
        #expect(throws: SignOffError.ownBatch(own.id)) {
            try env.store.decideBatch(own.id, approve: true, comment: "", by: signOffSupervisor, now: batchJST(2026, 11, 25))
        }
        #expect(throws: SignOffError.notSupervisor(signOffOtherClerk.name)) {
            try env.store.decideBatch(own.id, approve: true, comment: "", by: signOffOtherClerk, now: batchJST(2026, 11, 25))
        }
        #expect(env.journalBytes().count == size)
        try env.store.decideBatch(own.id, approve: true, comment: "", by: signOffOtherSupervisor, now: batchJST(2026, 11, 25))
        #expect(env.store.book.approvedBatch?.decidedBy == "kato")
    }

    @Test("a batch returned with a comment is not written; the comment is kept; a new batch can then be prepared")
    func returned() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let b = try env.store.prepareBatch(office: env.office, by: signOffClerk, now: batchJST(2026, 11, 25))
        #expect(throws: SignOffError.alreadyWaiting(b.id)) {
            try env.store.prepareBatch(office: env.office, by: signOffClerk, now: batchJST(2026, 11, 25))
        }
        #expect(throws: SignOffError.commentRequired) {
            try env.store.decideBatch(b.id, approve: false, comment: " ", by: signOffSupervisor, now: batchJST(2026, 11, 25))
        }
        let back = try env.store.decideBatch(b.id, approve: false, comment: "住所を確かめてから", by: signOffSupervisor, now: batchJST(2026, 11, 25))
        #expect(back.state == .returned)
        #expect(env.store.book.signOffBatches.first?.comment == "住所を確かめてから")
        #expect(throws: SignOffError.wrongState(b.id, .returned)) {
            try env.store.decideBatch(b.id, approve: true, comment: "", by: signOffSupervisor, now: batchJST(2026, 11, 25))
        }
        #expect(env.store.book[a.number]?.status == .awaitingRegistration)
        let again = try env.store.prepareBatch(office: env.office, by: signOffClerk, now: batchJST(2026, 11, 25))
        #expect(again.id == "B20261125-2")
    }

    @Test("R-RG-3 only the approved cases are written: a case received after approval waits for the next batch")
    func onlyApprovedCases() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let b = try env.store.prepareBatch(office: env.office, by: signOffClerk, now: batchJST(2026, 11, 25))
        try env.store.decideBatch(b.id, approve: true, comment: "", by: signOffSupervisor, now: batchJST(2026, 11, 25))
        let late = try batchReceive(env, batchApplication(name: "遅\u{3000}次郎", recipient: batchRecipient("654321"), server: "6543210987654321"))
        let r = try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada", now: batchJST(2026, 11, 25))
        #expect(r.included == [a.number])
        #expect(env.store.book[late.number]?.status == .awaitingRegistration)
        // Reloaded from disk, the batch's story is the same.
        let reloaded = CaseStore(journalURL: env.journalURL)
        try reloaded.load()
        #expect(reloaded.book.signOffBatches == env.store.book.signOffBatches)
    }
}
