/// One problem in a file exchanged with the 中間サーバー, in Japanese, naming where it is (R-FL-4:
/// "refused whole with the row, column and reason"):
/// 「3行目 2列（被保険者枝番）: 16桁の半角数字ではありません」.
///
/// `row` is the line of the file where the row starts (1-based, the header row counts), nil for a
/// problem of the whole file or of a single row not yet in a file (`RegistrationFile.validate`).
/// `column` is the 1-based column in the file.
public struct FileProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public let row: Int?
    public let column: Int?
    public let columnName: String?
    public let message: String

    public init(row: Int? = nil, column: Int? = nil, columnName: String? = nil, message: String) {
        self.row = row
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let row { place.append("\(row)行目") }
        switch (column, columnName) {
        case let (c?, n?): place.append("\(c)列（\(n)）")
        case let (c?, nil): place.append("\(c)列")
        case let (nil, n?): place.append(n)
        case (nil, nil): break
        }
        return place.isEmpty ? message : place.joined(separator: " ") + ": " + message
    }
}
