/// What is wrong with one value, said in Japanese without naming the field ("7桁で入力してください").
public struct ValueError: Error, Hashable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// What is wrong with one field of a form or file, in Japanese, naming the field.
/// Every refusal the desk shows is one of these (R-ID-1..6; "bad input names the field").
public struct FieldProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field's id in the screen definition (`birth_date`), for jumping back to it.
    public let field: String
    /// The field's label as the clerk sees it (`生年月日`).
    public let label: String
    /// What is wrong (`平成31年5月1日は存在しません（平成は31年4月30日まで）`).
    public let message: String

    public init(field: String, label: String, message: String) {
        self.field = field
        self.label = label
        self.message = message
    }

    public var description: String { "\(label)：\(message)" }
}
