/// Text for HTML: the one escaper of the report and the web pages.
public enum HTMLText {
    /// `s` safe inside an element and inside an attribute value quoted with `"` or `'`: `&`, `<`,
    /// `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;`; everything else,
    /// letters such as æ ø å included, stays as it is. It works on Unicode scalars, not on
    /// characters, so a `<` followed by a combining mark (one character to Swift, `≮`) is escaped
    /// too.
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return s
        }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;".unicodeScalars
            case "<": out += "&lt;".unicodeScalars
            case ">": out += "&gt;".unicodeScalars
            case "\"": out += "&quot;".unicodeScalars
            case "'": out += "&#39;".unicodeScalars
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
