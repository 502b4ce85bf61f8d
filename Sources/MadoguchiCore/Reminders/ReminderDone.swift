import Foundation

/// The clerk's "done" mark on one reminder occurrence, journaled as `reminder.done` (on the case's
/// line when the reminder is about a case, else an office-level line with case `-`).
public enum ReminderDone {
    public struct Payload: Codable, Sendable, Hashable {
        public var id: String
        public var note: String
        public init(id: String, note: String) {
            self.id = id
            self.note = note
        }
    }

    /// The paper-ticket month an id is about (`paper_tickets_monthly:<case>:<YYYY-MM>:<n>`), so a
    /// month other than the current one (tickets issued ahead) can be marked done.
    static func month(of id: String) -> YearMonth? {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Reminder.Kind.paperTicketsMonthly.rawValue else { return nil }
        return YearMonth(iso: String(parts[2]))
    }
}

extension CaseStore {
    /// Marks one reminder occurrence done. The id is checked under the journal's lock against the
    /// reminders of the day `now` (for a paper-ticket id, of the month it names): an unknown id, or
    /// one already done, is refused and nothing is written.
    @discardableResult
    public func markReminderDone(_ id: String, note: String, operatorID: String, now: Date,
                                 settings: ReminderSettings = .default) throws -> Reminder {
        let note = try Validators.freeText(note, field: "note", label: "メモ", required: false)
        let today = LocalDate(now)
        return try commit(operatorID: operatorID, now: now) { book in
            if let done = book.doneReminders[id] {
                throw ReminderError.alreadyDone(id: id, time: done.time, operatorID: done.operatorID)
            }
            guard let r = Reminders.find(id, in: book, today: today, month: ReminderDone.month(of: id), settings: settings) else {
                throw ReminderError.unknown(id)
            }
            let draft = EventDraft(caseNumber: r.caseNumber ?? FileEvent.officeCase, type: EventType.reminderDone,
                                   data: try JSONValue(encoding: ReminderDone.Payload(id: id, note: note)),
                                   operatorID: operatorID, time: now)
            return ([], [draft], r)
        }
    }
}
