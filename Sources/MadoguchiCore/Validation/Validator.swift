/// What a validator needs to know besides the text: today's date (a training clock may move it)
/// and the era assumed when the clerk types a date without one (8.11.23).
public struct ValidationContext: Sendable {
    public var today: LocalDate
    public var defaultEra: Era?

    public init(today: LocalDate, defaultEra: Era? = nil) {
        self.today = today
        self.defaultEra = defaultEra
    }
}

/// One kind of value a clerk types (screens name them: `validator = "date"`).
public struct Validator: Sendable {
    public let name: String
    /// Normalises the raw text typed by the clerk, or says what is wrong (without naming the field: the caller adds the label).
    /// Empty (after trimming) input returns .success("") for every validator: whether a field is required is decided elsewhere.
    public let validate: @Sendable (String, ValidationContext) -> Result<String, ValueError>
    /// How a normalised value is shown to a person (ISO date → 令和8年11月24日, postal 1234567 → 123-4567); identity by default.
    public let display: @Sendable (String) -> String

    public init(
        name: String,
        validate: @escaping @Sendable (String, ValidationContext) -> Result<String, ValueError>,
        display: @escaping @Sendable (String) -> String = { $0 }
    ) {
        self.name = name
        self.validate = validate
        self.display = display
    }
}
