import Foundation

/// A form described by a screen file in `screens/` (labels, help texts, kinds, validators, pages).
/// The domain validates through it (`IntakeForm`); the UI lays it out.
public struct FormDefinition: Sendable {
    public let title: String
    public let pages: [FormPage]
    /// The screen file this came from, for messages.
    public let source: String

    public init(title: String, pages: [FormPage], source: String) {
        self.title = title
        self.pages = pages
        self.source = source
    }

    public var fields: [FormField] { pages.flatMap(\.fields) }

    public func field(_ id: String) -> FormField? { fields.first { $0.id == id } }

    public func pageIndex(ofField id: String) -> Int? { pages.firstIndex { $0.fields.contains { $0.id == id } } }
}

public struct FormPage: Sendable {
    public let id: String
    public let title: String
    public let help: String
    public let fields: [FormField]
    /// A review page shows every answer instead of fields.
    public let isReview: Bool

    public init(id: String, title: String, help: String, fields: [FormField], isReview: Bool = false) {
        self.id = id
        self.title = title
        self.help = help
        self.fields = fields
        self.isReview = isReview
    }
}

public struct FormField: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One line of text, checked by `validator`.
        case text
        /// One of `options`.
        case choice
        /// A tick box (申請の意思, 署名のある申請書, 説明済み).
        case check
        /// Read-only text for the clerk (a rule to explain, a computed date).
        case info
        /// Paper tickets issued now: rows of kind, institution, month (R-PT-1).
        case tickets
    }

    public struct Option: Sendable, Hashable {
        public let value: String
        public let label: String
        public init(value: String, label: String) {
            self.value = value
            self.label = label
        }
    }

    public let id: String
    public let label: String
    public let kind: Kind
    public let validator: String?
    public let required: Bool
    /// Shown (and checked) only when this holds, e.g. `branch == insured`.
    public let when: Condition?
    public let options: [Option]
    public let help: String
    /// For info fields: fixed text, or a computed `source` (see `IntakeForm.infoText`).
    public let text: String
    public let source: String?
    /// Shown in the field when empty, e.g. 例 令和8年11月24日.
    public let placeholder: String
    /// Text fields: filled with this when the form opens (`today` for the application date).
    public let defaultValue: String?

    public init(id: String, label: String, kind: Kind, validator: String? = nil, required: Bool = false,
                when: Condition? = nil, options: [Option] = [], help: String = "", text: String = "",
                source: String? = nil, placeholder: String = "", defaultValue: String? = nil) {
        self.id = id
        self.label = label
        self.kind = kind
        self.validator = validator
        self.required = required
        self.when = when
        self.options = options
        self.help = help
        self.text = text
        self.source = source
        self.placeholder = placeholder
        self.defaultValue = defaultValue
    }

    public func optionLabel(_ value: String) -> String? { options.first { $0.value == value }?.label }
}

/// `field == value` or `field != value`.
public struct Condition: Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let equals: Bool
    public let value: String

    public init(field: String, equals: Bool, value: String) {
        self.field = field
        self.equals = equals
        self.value = value
    }

    /// Parses `branch == insured`; nil if malformed.
    public init?(parsing text: String) {
        let op = text.contains("!=") ? "!=" : "=="
        let parts = text.components(separatedBy: op)
        guard parts.count == 2 else { return nil }
        let f = parts[0].trimmingCharacters(in: .whitespaces)
        let v = parts[1].trimmingCharacters(in: .whitespaces)
        guard !f.isEmpty, !v.isEmpty, !f.contains(" "), !v.contains(" ") else { return nil }
        self.init(field: f, equals: op == "==", value: v)
    }

    public func holds(in values: [String: String]) -> Bool {
        (values[field] ?? "") == value ? equals : !equals
    }

    public var description: String { "\(field) \(equals ? "==" : "!=") \(value)" }
}

extension FormField {
    /// A check field's raw value (R-IN-1, R-IN-3, R-IN-4): the form and a correction hold "1" when
    /// ticked and "" when not; these two read and write it, so nothing else spells it.
    public static func checkValue(_ ticked: Bool) -> String { ticked ? "1" : "" }
    public static func isTicked(_ raw: String) -> Bool { raw == checkValue(true) }
}
