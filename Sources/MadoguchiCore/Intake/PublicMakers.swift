/// The application's parts built from outside the domain library (the synthesized memberwise
/// initializers are internal and cannot be redeclared public): for the performance benchmark's
/// synthetic office, which left this library (issue 16, item 1).
extension Application.Person {
    public static func make(furigana: String, name: String, birthDate: LocalDate?, postalCode: String, prefecture: String,
                            municipality: String, address: String, phone: String, email: String) -> Self {
        Self(furigana: furigana, name: name, birthDate: birthDate, postalCode: postalCode, prefecture: prefecture,
             municipality: municipality, address: address, phone: phone, email: email)
    }
}

extension Application.Proxy {
    public static func make(name: String, furigana: String, phone: String, relationship: String, email: String? = nil) -> Self {
        Self(name: name, furigana: furigana, phone: phone, relationship: relationship, email: email)
    }
}

extension Application.Insurance {
    public static func make(insurerName: String, insurerNumber: String, appliedToInsurer: Application.InsurerApplication,
                            verifiedBy: Application.InsuranceVerification) -> Self {
        Self(insurerName: insurerName, insurerNumber: insurerNumber, appliedToInsurer: appliedToInsurer, verifiedBy: verifiedBy)
    }
}

extension Application {
    public static func make(applicant: Person, recipientNumber: String, serverIndividualNumber: String?, proxy: Proxy?,
                            requestTicked: Bool, signedFormReceived: Bool, reason: String, applicationDate: LocalDate, branch: Branch,
                            insurance: Insurance?, holdsValidTickets: Bool, explained: [String], transferredFrom: String? = nil) -> Self {
        Self(applicant: applicant, recipientNumber: recipientNumber, serverIndividualNumber: serverIndividualNumber, proxy: proxy,
             requestTicked: requestTicked, signedFormReceived: signedFormReceived, reason: reason, applicationDate: applicationDate,
             branch: branch, insurance: insurance, holdsValidTickets: holdsValidTickets, explained: explained,
             transferredFrom: transferredFrom)
    }
}

extension CaseLifecycle {
    /// What a move does to a case in `status` with `application` (its rules checked as `apply` checks
    /// them): the new status and application. For generators that write only legal moves.
    public static func outcome(of event: LifecycleEvent, number: String, status: CaseStatus,
                               application: Application) throws -> (status: CaseStatus, application: Application) {
        var record = CaseRecord(number: number, application: application, status: status, receivedAt: "", receivedBy: "",
                                ticketsIssued: [], history: [])
        try apply(event, to: &record)
        return (record.status, record.application)
    }
}

extension ReceivedPayload {
    public static func make(application: Application, status: CaseStatus) -> Self { Self(application: application, status: status) }
}

extension TicketsIssuedPayload {
    public static func make(tickets: [PaperTicket], occasion: String) -> Self { Self(tickets: tickets, occasion: occasion) }
}
