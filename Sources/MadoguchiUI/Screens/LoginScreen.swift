import MadoguchiCore

/// Who is at the desk (issue 4): the operators of the office config, the OS user preselected. Every
/// journal line names the operator, and the role decides who may sign off a bulk registration.
public struct LoginState: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable { case chosen(Operator), quit }

    public let officeName: String
    public let isTraining: Bool
    /// 研修: the sandbox's name, in the banner as on the desk.
    public let trainingSandbox: String?
    public let operators: [Operator]
    public var selected: Int
    public var width: Int
    public var height: Int

    public init(officeName: String, isTraining: Bool, operators: [Operator], preselect: String?, width: Int, height: Int,
                trainingSandbox: String? = nil) {
        self.officeName = officeName
        self.isTraining = isTraining
        self.trainingSandbox = trainingSandbox
        self.operators = operators
        self.selected = operators.firstIndex { $0.id == preselect } ?? 0
        self.width = width
        self.height = height
    }

    /// Arrows or a digit choose, Enter logs in, F10/Ctrl-X/Ctrl-C quits.
    public mutating func update(_ key: Key) -> Outcome? {
        switch Command.from(key) {
        case .up, .previous: selected = max(0, selected - 1)
        case .down, .next: selected = min(operators.count - 1, selected + 1)
        case .activate, .primary: return operators.isEmpty ? nil : .chosen(operators[selected])
        case .quit: return .quit
        case .insert(let t):
            if let n = Int(t), (1...operators.count).contains(n) { selected = n - 1 }
        default: break
        }
        return nil
    }

    public func render() -> Canvas {
        var c = Canvas(width: width, height: height)
        guard width >= DeskState.minimumWidth, height >= DeskState.minimumHeight else {
            c.put("端末が小さすぎます（\(width)×\(height)、80×24 以上が必要です）", x: 0, y: 0, style: .error)
            return c
        }
        c.fill(y: 0, style: .bar)
        c.put(" 窓口 │ \(officeName) │ 職員を選んでください", x: 0, y: 0, style: .bar)
        if isTraining {
            let banner = DeskConfig.trainingBanner(sandbox: trainingSandbox)
            c.put(banner, x: width - DisplayWidth.of(banner), y: 0, style: .training)
        }
        c.put("だれが操作しますか（記録にはこの職員の名前が残ります）", x: 2, y: 2, style: .heading)
        let note = TextWrap.rows("査察指導員は担当者が準備した一括登録を承認します（自分で準備したものは不可）。", width: width - 5, indent: 0)
        // More operators than rows: the list scrolls with the selection, ↑/↓ say there are more.
        let rows = max(1, height - 4 - note.count - 4)
        let offset = max(0, min(selected - rows / 2, operators.count - rows))
        for (row, (i, op)) in operators.enumerated().dropFirst(offset).prefix(rows).enumerated() {
            let y = 4 + row
            let line = "\(i + 1)  \(DisplayWidth.pad(op.name, to: 16)) \(DisplayWidth.pad(op.role.label, to: 12)) \(op.id)"
            if i == selected { c.fill(y: y, from: 2, to: width - 2, style: .selected) }
            c.put((i == selected ? "> " : "  ") + DisplayWidth.truncate(line, to: width - 7), x: 2, y: y, style: i == selected ? .selected : .normal)
        }
        if offset > 0 { c.put("↑", x: width - 2, y: 4, style: .warning) }
        if operators.count - offset > rows { c.put("↓", x: width - 2, y: 4 + rows - 1, style: .warning) }
        for (i, row) in note.enumerated() {
            c.put(row, x: 2, y: height - 2 - note.count + i, style: .dim)
        }
        c.put("数字・↑↓", x: 0, y: height - 1, style: .bar)
        var x = c.put(" 選ぶ  ", x: DisplayWidth.of("数字・↑↓"), y: height - 1)
        x = c.put("Enter", x: x, y: height - 1, style: .bar)
        x = c.put(" 決定  ", x: x, y: height - 1)
        x = c.put("F10/^X", x: x, y: height - 1, style: .bar)
        c.put(" 終了", x: x, y: height - 1)
        return c
    }
}
