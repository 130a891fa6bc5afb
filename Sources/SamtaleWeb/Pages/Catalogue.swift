import Foundation

/// Every string the pages show, in every language: `Resources/nb.json`, `da.json` and `en.json`
/// (the door's keys bare, the staff pages' under `staff.`), embedded in the binary at build time.
///
/// One placeholder syntax everywhere, Swift and JavaScript alike: `{x}`, one letter, filled by
/// name (`{m}` minutes, `{s}` a slot's start or seconds, `{t}` a time, `{o}` when check-in opens,
/// `{n}` a count, `{a}` an age, `{d}`/`{w}`/`{M}` parts of a date). A lookup never crashes: a key
/// that is missing reads as the key itself (and `CatalogueTests` keeps every key in every language).
public enum Catalogue {
    /// Each language's strings, decoded once from the embedded JSON.
    public static let tables: [Language: [String: String]] = {
        var out: [Language: [String: String]] = [:]
        for language in Language.allCases {
            out[language] = (try? decode(resource(language))) ?? [:]
        }
        return out
    }()

    /// The embedded catalogue file of one language, as written in `Resources/`.
    static func resource(_ language: Language) -> [UInt8] {
        switch language {
        case .nb: PackageResources.nb_json
        case .da: PackageResources.da_json
        case .en: PackageResources.en_json
        }
    }

    /// A catalogue file's strings; a file that is not one JSON object of strings throws, naming
    /// what it found.
    static func decode(_ bytes: [UInt8]) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(bytes))
    }

    /// Every string by key and language (all languages' keys together).
    public static var entries: [String: [Language: String]] {
        var out: [String: [Language: String]] = [:]
        for (language, table) in tables {
            for (key, value) in table { out[key, default: [:]][language] = value }
        }
        return out
    }

    /// The strings of one language, for the page.
    public static func strings(_ language: Language) -> [String: String] {
        tables[language] ?? [:]
    }

    /// One string with its placeholders filled (`{m}` from `values["m"]`); a placeholder without a
    /// value reads as nothing, as in the page's script; a missing key reads as the key.
    public static func text(_ key: String, _ language: Language, _ values: [Character: String] = [:]) -> String {
        fill(tables[language]?[key] ?? key, values)
    }

    /// Fills `{x}` placeholders (one ASCII letter or digit between braces) from `values`.
    public static func fill(_ template: String, _ values: [Character: String]) -> String {
        var out = ""
        var chars = template[...]
        while let open = chars.firstIndex(of: "{") {
            out += chars[..<open]
            let rest = chars[chars.index(after: open)...]
            if rest.count >= 2, let name = rest.first, isPlaceholderName(name),
                rest[rest.index(after: rest.startIndex)] == "}"
            {
                out += values[name] ?? ""
                chars = rest.dropFirst(2)
            } else {
                out += "{"
                chars = rest
            }
        }
        return out + chars
    }

    /// The placeholders a string names, in order of first appearance.
    public static func placeholders(_ template: String) -> [Character] {
        var found: [Character] = []
        let chars = Array(template)
        for i in chars.indices where chars[i] == "{" && i + 2 < chars.count {
            if isPlaceholderName(chars[i + 1]) && chars[i + 2] == "}" && !found.contains(chars[i + 1]) {
                found.append(chars[i + 1])
            }
        }
        return found
    }

    static func isPlaceholderName(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_")
    }
}
