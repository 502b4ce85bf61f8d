import Foundation
import MadoguchiCore
import MadoguchiUI

/// The desk's loop: key → pure `update` → effects performed by the services → messages back →
/// `render` → paint. It owns no global state: the terminal, the services and their clock are given,
/// so a test runs the whole desk in-process with a scripted terminal.
public final class DeskRuntime {
    /// What does not change while the desk runs, whoever logs in.
    public struct Office: Sendable {
        public let name: String
        public let isTraining: Bool
        public let operators: [Operator]
        public let form: FormDefinition
        /// 研修: the sandbox's name (TrainingContext.sandbox.name), shown in the banner.
        public let trainingSandbox: String?

        public init(name: String, isTraining: Bool, operators: [Operator], form: FormDefinition, trainingSandbox: String? = nil) {
            self.name = name
            self.isTraining = isTraining
            self.trainingSandbox = trainingSandbox
            self.operators = operators
            self.form = form
        }
    }

    public enum Ending: Equatable, Sendable { case quit, switchOperator }

    let terminal: TerminalIO
    let services: DeskServices
    let office: Office
    /// Shown on the status line when the desk opens (a torn tail set aside, loose permissions …).
    let startupNotices: [String]
    /// The login screen's preselected operator id (the OS user).
    let preselect: String?
    /// How long a read waits before the idle tick (auto-reload, the date).
    let idleMilliseconds: Int32

    public init(terminal: TerminalIO, services: DeskServices, office: Office, startupNotices: [String] = [],
                preselect: String? = nil, idleMilliseconds: Int32 = 1000) {
        self.terminal = terminal
        self.services = services
        self.office = office
        self.startupNotices = startupNotices
        self.preselect = preselect
        self.idleMilliseconds = idleMilliseconds
    }

    /// Runs until the person quits. `operator`: who is working when already proven; nil asks on
    /// the login screen. In training a trainee may switch to another operator (maker-checker).
    public func run(operator known: Operator?) throws {
        guard var op = known ?? login() else { return }
        try services.signIn(op)
        while try session(op) == .switchOperator {
            guard let next = login() else { return }
            op = next
            try services.signIn(op)
        }
    }

    /// The login screen: the chosen operator, or nil when the person quits.
    func login() -> Operator? {
        var state = LoginState(officeName: office.name, isTraining: office.isTraining, operators: office.operators,
                               preselect: preselect, width: terminal.width, height: terminal.height,
                               trainingSandbox: office.trainingSandbox)
        terminal.draw(state.render())
        while true {
            switch terminal.read(timeoutMs: idleMilliseconds) {
            case .key(let k)?:
                switch state.update(k) {
                case .chosen(let op)?: return op
                case .quit?: return nil
                case nil: break
                }
            case .resize(let w, let h)?:
                state.width = w
                state.height = h
            case nil: break
            }
            terminal.draw(state.render())
        }
    }

    /// One operator's session at the desk.
    public func session(_ op: Operator) throws -> Ending {
        let config = DeskConfig(officeName: office.name, isTraining: office.isTraining, operatorID: op.id,
                                operatorName: op.name, operatorRole: op.role, form: office.form,
                                operatorNames: office.operators.namesByID, trainingSandbox: office.trainingSandbox)
        var state = DeskState(config: config, today: try services.clock.today(), width: terminal.width, height: terminal.height,
                              cases: services.cases, status: startupNotices.first.map { StatusLine($0, .error) })
        // The count of the journal the state's cases are as of: a message handing the desk the cases
        // again is told which of them changed since (issue 14, P2: the list patched, not rebuilt).
        var handed = services.changeCount
        for m in services.derived(today: state.today, for: op) { _ = state.update(m) }
        // R-SG-4: the case list shown at login, recorded once per session (never per redraw).
        for m in services.perform(.recordAccess(AccessEvent(.listed, via: "desk", cases: state.cases.map(\.number),
                                                            wholeList: true)), by: op) { _ = state.update(m) }
        terminal.draw(state.render())

        var lastCount = services.changeCount
        var lastDay = state.today
        while true {
            // Each message with the journal's count when it was made (the cases it carries are as of then).
            var messages: [(DeskMessage, Int)] = []
            let event = terminal.read(timeoutMs: idleMilliseconds)
            switch event {
            case .key(let k)?: messages.append((.key(k), services.changeCount))
            case .resize(let w, let h)?: messages.append((.resize(width: w, height: h), services.changeCount))
            case nil: messages += services.idle(shownToday: state.today).map { ($0, services.changeCount) }
            }
            while !messages.isEmpty {
                let (message, count) = messages.removeFirst()
                if message.carriesCases {
                    // A superset of what changed between the cases held and these is fine; nil: all again.
                    if let touched = services.casesTouched(since: handed) { _ = state.update(.casesTouched(touched)) }
                    handed = count
                }
                for effect in state.update(message) {
                    switch effect {
                    case .quit: return .quit
                    case .switchOperator: return .switchOperator
                    default:
                        let answers = services.perform(effect, by: op)
                        messages += answers.map { ($0, services.changeCount) }
                    }
                }
            }
            // Reminders, batches and the training panel follow every change to the journal and the date.
            if services.changeCount != lastCount || state.today != lastDay {
                lastCount = services.changeCount
                lastDay = state.today
                for m in services.derived(today: state.today, for: op) { _ = state.update(m) }
            }
            terminal.draw(state.render())
            // Nobody is typing: the list's orders and search index are prepared ahead of F6 and /.
            if event == nil { _ = state.prepareWhileIdle() }
        }
    }
}
