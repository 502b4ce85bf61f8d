import Foundation
import MadoguchiCore
@testable import MadoguchiRuntime
import Testing

/// Issue 16 item 3: the desk's own refusal is user-facing like the library's errors, and what the
/// desk puts after 「…できませんでした：」 for an error of Foundation's is Japanese, never its English.
@Suite("The desk's errors are user-facing (issue 16 item 3)", .tags(.unit))
struct UserFacingRuntimeErrorTests {
    @Test("AccessRefusal: its reason as the message, the setup's exit code")
    func accessRefusalConforms() {
        let e: any UserFacingError = AccessRefusal(reason: "閲覧・書き出しの記録（/d/access.jsonl）に書けないため、CSV の書き出しをしませんでした")
        #expect(e.userMessage == "閲覧・書き出しの記録（/d/access.jsonl）に書けないため、CSV の書き出しをしませんでした")
        #expect(e.exitCode == UserFacing.setup)
    }

    @Test("A Foundation error after 「できませんでした：」: the file and the reason in Japanese, not localizedDescription")
    func foundationErrorOnTheStatusLine() {
        let error = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileReadNoSuchFile.rawValue,
                            userInfo: [NSFilePathErrorKey: "/d/inbox/result.csv"])
        let said = "できませんでした：\(UserFacing.detail(for: error))"
        #expect(said == "できませんでした：/d/inbox/result.csv：ファイルかフォルダがありません、errno 2", "\(said)")
        #expect(!said.contains(error.localizedDescription))
    }
}
