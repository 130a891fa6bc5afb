import Foundation
import SamtaleCore

/// A page template from `Resources/` (embedded in the binary at build time), filled in Swift.
///
/// Three kinds of slot, nothing else (no logic in templates):
/// - `{{key}}`: the catalogue's string for the page's language, HTML-escaped;
/// - `{{=name}}`: a value the page's Swift code gives, HTML-escaped;
/// - `{{!name}}`: markup or a JSON block the page's Swift code built and escaped itself.
///
/// A missing key renders as the key, a missing value as its slot left as written (never a crash);
/// the tests check that every template names only keys the catalogue has and that every page
/// gives every value (no `{{` left in what it serves).
struct Template: Sendable {
    enum Slot: Hashable, Sendable {
        case string(String)
        case value(String)
        case markup(String)
    }

    enum Part: Sendable {
        case text(String)
        case slot(Slot)
    }

    let name: String
    let parts: [Part]

    init(name: String, source: String) {
        self.name = name
        var parts: [Part] = []
        var rest = source[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else { break }
            parts.append(.text(String(rest[..<open.lowerBound])))
            let inner = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if inner.hasPrefix("=") {
                parts.append(.slot(.value(String(inner.dropFirst()))))
            } else if inner.hasPrefix("!") {
                parts.append(.slot(.markup(String(inner.dropFirst()))))
            } else {
                parts.append(.slot(.string(inner)))
            }
            rest = rest[close.upperBound...]
        }
        parts.append(.text(String(rest)))
        self.parts = parts
    }

    init(name: String, bytes: [UInt8]) {
        self.init(name: name, source: String(decoding: bytes, as: UTF8.self))
    }

    /// Every slot the template names.
    var slots: [Slot] {
        parts.compactMap { if case .slot(let s) = $0 { s } else { nil } }
    }

    func render(_ language: Language, values: [String: String] = [:], markup: [String: String] = [:]) -> String {
        let strings = Catalogue.strings(language)
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .slot(.string(let key)): out += HTMLText.escape(strings[key] ?? key)
            case .slot(.value(let name)): out += values[name].map(HTMLText.escape) ?? "{{=\(HTMLText.escape(name))}}"
            case .slot(.markup(let name)): out += markup[name] ?? "{{!\(HTMLText.escape(name))}}"
            }
        }
        return out
    }

    static let door = Template(name: "door.html", bytes: PackageResources.door_html)
    static let signIn = Template(name: "signin.html", bytes: PackageResources.signin_html)
    static let teacher = Template(name: "teacher.html", bytes: PackageResources.teacher_html)
    static let caretaker = Template(name: "caretaker.html", bytes: PackageResources.caretaker_html)
    static let all = [door, signIn, teacher, caretaker]
}
