import Foundation
import MadoguchiCore

// R-FL-5: text the program prints comes from people and files (a name, a 処理結果メッセージ, a file
// name, a journal written before the rule) and is data, never terminal control. Every line this
// executable writes goes through here, so an ESC, a C1 control or a bidi override in it is shown as
// `<U+001B>` and cannot clear the screen, move the cursor or set the clipboard (OSC 52).

/// Shadows `Swift.print` for the whole executable: a line of text is printed with its control
/// characters (other than line breaks and tabs) shown as code points. Declared here so that a
/// `print` added to any command later is covered without thinking of it.
func print(_ line: String) {
    Swift.print(TextNormalizer.terminalSafe(line))
}

/// Text to standard error as it is (no prefix, no line end added), control characters shown.
func writeStandardError(_ text: String) {
    FileHandle.standardError.write(Data(TextNormalizer.terminalSafe(text).utf8))
}

/// JSON to standard output: JSONEncoder escapes C0 controls inside strings but writes C1 controls,
/// DEL and bidi overrides raw; they are written as `\uXXXX` escapes here (still the same JSON value).
func writeJSON(_ data: Data) {
    FileHandle.standardOutput.write(Data(TextNormalizer.jsonSafe(String(decoding: data, as: UTF8.self)).utf8))
}
