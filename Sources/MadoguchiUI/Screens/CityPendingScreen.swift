import MadoguchiCore

/// The city's desk (issue 15 item 5): only the pending list, every office's cases with an office
/// column and an office filter (`f`), read-only — no key that writes is shown or accepted, and the
/// status line says so.
public struct CityDeskData: Sendable {
    public let offices: [CityOfficeCases]
    /// The office of each case in `DeskState.cases` (the offices' cases one after another).
    let caseOffices: [String]

    init(offices: [CityOfficeCases]) {
        let offices = offices.sorted { $0.office < $1.office }   // as the list shows them, for `f`
        self.offices = offices
        caseOffices = offices.flatMap { o in Array(repeating: o.office, count: o.cases.count) }
    }

    var allCases: [CaseRecord] { offices.flatMap(\.cases) }

    /// What the status line says whenever nothing else is said.
    public static let statusText = "市の一覧（閲覧のみ）"
}

extension DeskState {
    /// The city's desk for a city supervisor (`operatorID`, `operatorName`), on the pending list.
    public static func city(name: String, operatorID: String, operatorName: String, today: LocalDate,
                            width: Int, height: Int, offices: [CityOfficeCases]) -> DeskState {
        let config = DeskConfig(officeName: name, isTraining: false, operatorID: operatorID, operatorName: operatorName,
                                operatorRole: .supervisor, form: FormDefinition(title: "", pages: [], source: ""))
        let data = CityDeskData(offices: offices)
        var state = DeskState(config: config, today: today, width: width, height: height, cases: data.allCases)
        state.city = data
        state.screen = .pending
        return state
    }

    /// Every office's cases read again: the filters stay, the cursor stays in range.
    mutating func cityChanged(_ offices: [CityOfficeCases]) {
        let data = CityDeskData(offices: offices)
        city = data
        cases = data.allCases
        if let code = pending.office, !offices.contains(where: { $0.office == code }) { pending.office = nil }
        pending.selected = min(pending.selected, max(0, pendingList.rows.count - 1))
    }

    /// The city's desk takes the pending list's keys, help, reload and quit; nothing else.
    mutating func updateCity(_ command: Command) -> [DeskEffect] {
        if command == .help {
            screen = screen == .help ? .pending : .help
            helpReturn = .pending
            helpScroll = 0
            return []
        }
        if status?.kind != .error { status = nil }
        if screen == .help {
            updateHelp(command)
            return []
        }
        if [.pendingList, .reminderList, .training].contains(command) { return [] }
        if activeSearch?.editing != true, command == .reload || command == .insert("r") { return [.reload] }
        let effects = updatePending(command)
        screen = .pending   // Esc leaves nothing: there is no other screen
        return effects
    }

    /// For each row of the city's list, the index of its case in `cases` (numbers repeat across offices).
    func cityRowCases(_ city: CityDeskData) -> [Int] {
        var index: [String: Int] = [:]
        for (i, c) in cases.enumerated() where i < city.caseOffices.count { index[city.caseOffices[i] + "/" + c.number] = i }
        return pendingList.rows.map { index[($0.office ?? "") + "/" + $0.number] ?? -1 }
    }

    /// The footer's keys on the city's desk: moving, filters, order, search, help, reload, quit.
    var cityKeyItems: [(key: String, label: String)] {
        [("↑↓", "選ぶ"), ("f", "事務所"), ("o", "超過"), ("h", "保留"), ("b", "区分"), ("c", "受付者"), ("m", "月"),
         ("s", "状態"), ("a", "終了分"), ("x", "解除"), ("F6", "並替"), ("/", "検索"), ("F1", "ヘルプ"), ("F5", "再読込"), ("F10", "終了")]
    }
}
