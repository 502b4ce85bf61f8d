import Foundation
import MadoguchiCore
import MadoguchiUI

/// The city's read-only desk (issue 15 item 5): the pending list of every office, read again with
/// F5, every listing recorded in the city supervisor's own access log (R-SG-4). Nothing it does
/// writes to an office's journal: the effects it performs are a reload and an access record.
public final class CityDeskRuntime {
    let terminal: TerminalIO
    let cityName: String
    let supervisor: (id: String, name: String)
    let load: () throws -> [CityOfficeCases]
    let record: (AccessEvent) throws -> Void
    let clock: DeskClock
    let idleMilliseconds: Int32

    /// `load` reads every office (as the city's database role); `record` adds a line to the city
    /// supervisor's access log.
    public init(terminal: TerminalIO, cityName: String, supervisor: (id: String, name: String), clock: DeskClock = SystemDeskClock(),
                idleMilliseconds: Int32 = 1000, load: @escaping () throws -> [CityOfficeCases], record: @escaping (AccessEvent) throws -> Void) {
        self.terminal = terminal
        self.cityName = cityName
        self.supervisor = supervisor
        self.clock = clock
        self.idleMilliseconds = idleMilliseconds
        self.load = load
        self.record = record
    }

    public func run() throws {
        var state = DeskState.city(name: cityName, operatorID: supervisor.id, operatorName: supervisor.name, today: try clock.today(),
                                   width: terminal.width, height: terminal.height, offices: try load())
        noteListed(&state, via: "desk --city")
        terminal.draw(state.render())
        while true {
            var messages: [DeskMessage] = []
            switch terminal.read(timeoutMs: idleMilliseconds) {
            case .key(let k)?: messages.append(.key(k))
            case .resize(let w, let h)?: messages.append(.resize(width: w, height: h))
            case nil:
                if let today = try? clock.today(), today != state.today { messages.append(.today(today)) }
            }
            for message in messages {
                for effect in state.update(message) {
                    switch effect {
                    case .quit: return
                    case .reload:
                        do {
                            _ = state.update(.cityChanged(try load()))
                            noteListed(&state, via: "desk --city F5")
                            if state.status == nil { state.status = StatusLine("読み直しました（\(CityDeskData.statusText)）", .success) }
                        } catch {
                            state.status = StatusLine("読み直せませんでした：\(UserFacing.detail(for: error))", .error)
                        }
                    case .recordAccess(let event):
                        do { try record(event) } catch {
                            state.status = StatusLine("閲覧の記録に書けませんでした：\(UserFacing.detail(for: error))", .error)
                        }
                    default:
                        break   // nothing else is asked of a read-only desk
                    }
                }
            }
            terminal.draw(state.render())
        }
    }

    /// R-SG-4: the whole list as shown (every office, the screen's filters), once per read.
    private func noteListed(_ state: inout DeskState, via: String) {
        guard let offices = state.city?.offices else { return }
        let list = Pending.cityList(offices, today: state.today, filter: state.pending.filter,
                                    only: state.pending.office.map { [$0] }, sort: state.pending.sort, descending: state.pending.descending)
        do { try record(.cityPendingList(.listed, via: via, list, filter: state.pending.filter, only: state.pending.office.map { [$0] })) } catch {
            state.status = StatusLine("閲覧の記録に書けませんでした：\(UserFacing.detail(for: error))", .error)
        }
    }
}
