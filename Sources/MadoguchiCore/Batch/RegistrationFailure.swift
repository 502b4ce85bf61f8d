import Foundation

/// What a 異常終了's 処理結果メッセージ (R-RG-4) asks of the clerk: most errors are fixed and sent
/// again (R-RG-5); "a cancellation request is already registered for the person" (別紙2 留意点 — by
/// the insurer of an insured recipient, or by an earlier request) must **not** be sent again: the
/// clerk issues paper tickets and confirms the cancellation in the next monthly status file (R-RG-6).
public enum RegistrationFailure: Equatable, Sendable {
    /// R-RG-5: fix the cause and register again.
    case fixAndResend
    /// R-RG-6: already registered (or already cancelled) for this person: do not register again.
    case alreadyRegistered

    /// The server's wording is not public (DOMAIN.md §9): the message is recognised by what it says —
    /// 「既に」「すでに」「登録済」「重複」 together with 解除 or 申請 (「既に初回登録解除の申請が登録されています」,
    /// 「解除申請は登録済みです」, 「既に初回登録が解除されています」) — full and half width alike.
    public static func of(_ message: String?) -> RegistrationFailure {
        guard let message else { return .fixAndResend }
        let m = message.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }
        let already = ["既に", "すでに", "既登録", "登録済", "重複"].contains { m.contains($0) }
        let aboutRequest = m.contains("解除") || m.contains("申請")
        return already && aboutRequest ? .alreadyRegistered : .fixAndResend
    }

    /// What to do, said to the clerk (the import report, the case screen, the reminders).
    public var advice: String {
        switch self {
        case .fixAndResend:
            return "原因を直して登録し直してください（R-RG-5）"
        case .alreadyRegistered:
            return "この方の解除の申請は既に中間サーバーに登録されています（保険者など）。登録し直さないでください。"
                + "紙の医療券・調剤券を交付し、翌月末以降の状況一覧ファイルで解除を確かめてください（R-RG-6）"
        }
    }
}

extension CaseRecord {
    /// The last 異常終了 of a registration-failed case, read for its advice (R-RG-5 or R-RG-6); nil otherwise.
    public var registrationFailure: RegistrationFailure? {
        status == .registrationFailed ? RegistrationFailure.of(lifecycle.failureMessage) : nil
    }
}
