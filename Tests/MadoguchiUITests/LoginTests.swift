import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

@Suite("Login: the operator is chosen at start (issue 4)", .tags(.unit))
struct LoginTests {
    static let operators = [
        Operator(id: "yamada", name: "山田 花子", role: .clerk),
        Operator(id: "suzuki", name: "鈴木 健", role: .clerk),
        Operator(id: "sato", name: "佐藤 一郎", role: .supervisor),
    ]

    @Test("the OS user is preselected; arrows and digits choose; Enter logs in; F10 quits")
    func choose() {
        var login = LoginState(officeName: "デモ市福祉事務所", isTraining: true, operators: Self.operators, preselect: "sato", width: 80, height: 24)
        #expect(login.selected == 2)
        #expect(login.update(.up) == nil)
        #expect(login.update(.enter) == .chosen(Self.operators[1]))
        #expect(login.update(.char("1")) == nil)
        #expect(login.update(.enter) == .chosen(Self.operators[0]))
        #expect(login.update(.function(10)) == .quit)
        let unknown = LoginState(officeName: "x", isTraining: false, operators: Self.operators, preselect: "root", width: 80, height: 24)
        #expect(unknown.selected == 0)
    }

    @Test("the login screen lists name, role and id, and marks training")
    func screen() {
        let login = LoginState(officeName: "デモ市福祉事務所", isTraining: true, operators: Self.operators, preselect: "suzuki", width: 80, height: 24)
        Snapshot.check(login.render(), "login")
    }
}
