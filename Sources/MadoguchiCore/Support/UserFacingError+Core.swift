// Every error of the domain library that can reach a clerk, with its exit code (issue 16 item 3).
// The messages are the types' own Japanese descriptions (tests assert on them); only the journal's
// errors carry a heading, as the command line has always printed them.

// MARK: Setup, journal, identity (2)

extension JournalError: UserFacingError {
    public var userMessage: String { "記録（ジャーナル）の誤り：\(description)" }
    public var detail: String { description }
    public var exitCode: Int32 { UserFacing.setup }
}

extension CaseError: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

extension KeyError: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

extension ConfigError: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

extension JournalStoreUnavailable: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

extension JournalCopy.Refused: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

extension FileWriteError: UserFacingError {
    // Its path is the file the clerk named (AtomicFile never gives it the temporary one).
    public var exitCode: Int32 { UserFacing.setup }
}

extension BinaryCoding.Mismatch: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

extension NoticePDF.Problem: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

extension PrintProblem: UserFacingError {
    public var exitCode: Int32 { UserFacing.setup }
}

// MARK: Refused input or step (1)

extension FieldProblem: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}

extension ValueError: UserFacingError {
    public var userMessage: String { message }
    public var exitCode: Int32 { UserFacing.refused }
}

extension FileProblem: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}

extension SignOffError: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}

extension TrainingError: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}

extension CorrectionError: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}

extension NoticeError: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}

extension ReminderError: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}

extension SafePath.Refused: UserFacingError {
    public var exitCode: Int32 { UserFacing.refused }
}
