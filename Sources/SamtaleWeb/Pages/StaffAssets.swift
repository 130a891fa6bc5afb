import Foundation
import SamtaleCore

/// The staff pages: sign-in, the teacher's and the caretaker's (`Resources/signin.html`,
/// `teacher.html`, `caretaker.html`, `staff.css`, `staff.js`). Served by the kiosk itself (nothing
/// from the internet); scripts from /static/staff.js only (the CSP allows no inline script), the
/// values the script needs as one JSON block in the page.
public enum StaffAssets {
    public enum Message: Equatable {
        case wrong
        case locked(seconds: Int)
        case closed
    }

    /// The minutes the teacher's "+5 min" adds (the button's label and the request's `minutes`).
    public static let extensionMinutes = 5
    /// How long the teacher's page offers "Undo" after an action, when the kiosk does not say
    /// (the engine's default `rules.undoSeconds`).
    public static let defaultUndoSeconds = 10

    /// The staff pages' strings of one language (the catalogue's `staff.` keys, without the prefix).
    public static func strings(_ language: Language) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in Catalogue.strings(language) where key.hasPrefix("staff.") {
            out[String(key.dropFirst("staff.".count))] = value
        }
        return out
    }

    static let css = String(decoding: PackageResources.staff_css, as: UTF8.self)
    static let js = String(decoding: PackageResources.staff_js, as: UTF8.self)

    /// What staff.js reads from the page.
    struct PageData: Encodable {
        var strings: [String: String]
        var symbols: [String: String]
        var amberSeconds: Int?
        var redSeconds: Int?
        var undoSeconds: Int?
        var extensionMinutes: Int?
    }

    public static func signIn(language: Language, role: StaffRole, message: Message?) -> String {
        let heading = Catalogue.text(role == .teacher ? "staff.signinTeacher" : "staff.signinCaretaker", language)
        let label = Catalogue.text(role == .teacher ? "staff.pin" : "staff.token", language)
        let note: String
        switch message {
        case .none: note = ""
        case .wrong: note = Catalogue.text("staff.wrong", language)
        case .locked(let s): note = Catalogue.text("staff.locked", language, ["s": String(s)])
        case .closed: note = Catalogue.text("staff.closed", language)
        }
        let input =
            role == .teacher
            ? "<input id=\"secret\" name=\"secret\" type=\"password\" inputmode=\"numeric\" autocomplete=\"current-password\" required maxlength=\"64\" autofocus>"
            : "<input id=\"secret\" name=\"secret\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"256\" autofocus>"
        return Template.signIn.render(
            language,
            values: ["lang": language.rawValue, "heading": heading, "label": label, "role": role.rawValue],
            markup: [
                "message": note.isEmpty ? "" : "<p class=\"message\" role=\"alert\">\(HTMLText.escape(note))</p>",
                "input": input,
            ])
    }

    public static func teacherPage(
        language: Language, csrf: String, amberSeconds: Int, redSeconds: Int,
        undoSeconds: Int = defaultUndoSeconds
    ) -> String {
        let data = PageData(
            strings: Catalogue.strings(language), symbols: Assets.symbols, amberSeconds: amberSeconds,
            redSeconds: redSeconds, undoSeconds: undoSeconds, extensionMinutes: extensionMinutes)
        return Template.teacher.render(
            language,
            values: [
                "lang": language.rawValue, "csrf": csrf,
                "extend": Catalogue.text("staff.extend", language, ["m": String(extensionMinutes)]),
            ],
            markup: ["data": HTML.jsonBlock(data)])
    }

    public static func caretakerPage(language: Language, csrf: String) -> String {
        let data = PageData(strings: Catalogue.strings(language), symbols: Assets.symbols)
        return Template.caretaker.render(
            language, values: ["lang": language.rawValue, "csrf": csrf], markup: ["data": HTML.jsonBlock(data)])
    }
}
