extension CaseLifecycle {
    /// What a move does to a case in `status` with `application` (its rules checked as `apply` checks
    /// them): the new status and application. For writers that must write only legal moves without
    /// holding the case's whole record (a large generated office, today the only caller).
    public static func outcome(of event: LifecycleEvent, number: String, status: CaseStatus,
                               application: Application) throws -> (status: CaseStatus, application: Application) {
        var record = CaseRecord(number: number, application: application, status: status, receivedAt: "", receivedBy: "",
                                ticketsIssued: [], history: [])
        try apply(event, to: &record)
        return (record.status, record.application)
    }
}
