import Foundation
import Mustache

/// Why a notice could not be produced. Descriptions are Japanese and say what to do.
public enum NoticeError: Error, CustomStringConvertible, Equatable {
    /// A template is missing or unreadable.
    case templateMissing(path: String)
    /// A template does not parse: file, line, column and the line itself.
    case templateSyntax(path: String, line: Int, column: Int, text: String, reason: String)
    /// The case has nothing for this kind of notice (no hold, not cancelled).
    case notApplicable(caseNumber: String, kind: NoticeKind, reason: String)
    case noSuchNotice(String)
    /// The text on disk is not the one the journal recorded.
    case fileMissing(id: String, path: String)
    case fileChanged(id: String, path: String)
    /// A notice cannot be printed because it has no PDF (the reason says what to install).
    case cannotPrint(id: String, reason: String)

    public var description: String {
        switch self {
        case let .templateMissing(path):
            return "通知のひな形 \(path) がありません（config/notices/ に pending・hold・cancel の .mustache を置いてください）"
        case let .templateSyntax(path, line, column, text, reason):
            return "通知のひな形 \(path) \(line)行目 \(column)文字目の書き方に誤りがあります（\(reason)）：\(text)"
        case let .notApplicable(n, kind, reason):
            return "案件 \(n) には「\(kind.label)」を作れません：\(reason)"
        case let .noSuchNotice(id):
            return "通知 \(id) の記録はありません"
        case let .fileMissing(id, path):
            return "通知 \(id) の控え \(path) が見つかりません（記録はあります）"
        case let .fileChanged(id, path):
            return "通知 \(id) の控え \(path) は記録と内容が一致しません（書き換えられた可能性があります）。再印刷しません"
        case let .cannotPrint(id, reason):
            return "通知 \(id) を印刷できません：\(reason)"
        }
    }
}

/// The notice templates of an office (`config/notices/{pending,hold,cancel}.mustache`), rendered
/// with swift-mustache as plain text (no HTML escaping).
public struct NoticeTemplates: Sendable {
    let templates: [NoticeKind: MustacheTemplate]
    public let directory: URL

    /// Loads and parses every kind's template; a problem names the file and the line.
    public static func load(directory: URL) throws -> NoticeTemplates {
        var t: [NoticeKind: MustacheTemplate] = [:]
        for kind in NoticeKind.allCases {
            let url = directory.appendingPathComponent(kind.templateName + ".mustache")
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw NoticeError.templateMissing(path: url.path)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw NoticeError.templateSyntax(path: url.path, line: 1, column: 1, text: "", reason: "UTF-8 として読めません")
            }
            t[kind] = try parse(text, path: url.path)
        }
        return NoticeTemplates(templates: t, directory: directory)
    }

    /// Parses one template as plain text. The pragma is put on the first line (no newline added),
    /// so line numbers in messages are the file's own.
    static func parse(_ text: String, path: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
        } catch let e as MustacheTemplate.ParserError {
            var column = e.context.columnNumber
            if e.context.lineNumber == 1 { column = max(1, column - "{{% CONTENT_TYPE: TEXT}}".count) }
            throw NoticeError.templateSyntax(path: path, line: e.context.lineNumber, column: column,
                                             text: e.context.line.replacingOccurrences(of: "{{% CONTENT_TYPE: TEXT}}", with: ""),
                                             reason: syntaxReason(e.error))
        }
    }

    /// swift-mustache's parse errors, in Japanese for whoever edits the template (issue 16 item 3).
    static func syntaxReason(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return UserFacing.detail(for: error) }
        switch error {
        case .sectionCloseNameIncorrect: return "セクションの終わり {{/…}} の名前が始まり {{#…}} と合いません"
        case .unfinishedName: return "タグ {{…}} が閉じていないか、名前の書き方が正しくありません"
        case .expectedSectionEnd: return "セクションの終わり {{/…}} がありません"
        case .invalidSetDelimiter: return "区切りの変更 {{=… …=}} の書き方が正しくありません"
        case .transformAppliedToInheritanceSection: return "継承のセクションには変換を使えません"
        case .illegalTokenInsideInheritSection: return "継承のセクションの中に使えないタグがあります"
        case .textInsideInheritSection: return "継承のセクションの中に文字があります"
        case .invalidConfigVariableSyntax: return "設定 {{% …}} の書き方が正しくありません"
        case .unrecognisedConfigVariable: return "知らない設定 {{% …}} です"
        }
    }

    func render(_ kind: NoticeKind, _ context: [String: Any]) -> String {
        templates[kind]!.render(context)
    }
}
