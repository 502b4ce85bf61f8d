// Every error of the domain library that can reach a clerk, with its exit code (issue 16 item 3).
// The messages are the types' own Japanese descriptions (tests assert on them); only the journal's
// errors carry a heading, as the command line has always printed them.

// MARK: Setup, journal, identity (2)

extension JournalError: SetupError {
    public var userMessage: String { "記録（ジャーナル）の誤り：\(description)" }
    public var detail: String { description }
}

extension CaseError: SetupError {}
extension KeyError: SetupError {}
extension ConfigError: SetupError {}
extension JournalStoreUnavailable: SetupError {}
extension JournalCopy.Refused: SetupError {}
extension FileWriteError: SetupError {}   // its path is the file named, never AtomicFile's temporary one
extension BinaryCoding.Mismatch: SetupError {}
extension NoticePDF.Problem: SetupError {}
extension PrintProblem: SetupError {}

// MARK: Refused input or step (1)

extension FieldProblem: RefusalError {}
extension FileProblem: RefusalError {}
extension SignOffError: RefusalError {}
extension TrainingError: RefusalError {}
extension CorrectionError: RefusalError {}
extension NoticeError: RefusalError {}
extension ReminderError: RefusalError {}
extension SafePath.Refused: RefusalError {}

extension ValueError: RefusalError {
    public var userMessage: String { message }
}
