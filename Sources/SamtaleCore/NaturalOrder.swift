import Foundation

/// The order of names people type (rooms, teachers) wherever the core sorts them: the same on
/// every machine, whatever its locale or language setting (Foundation's `localizedStandardCompare`
/// follows the current locale, and its collation tables change with the platform).
///
/// - Runs of the digits 0–9 compare by their value: `A2` before `A10`, `204` before `A10`.
/// - Letters compare without regard to case or accents (`Å` as `a`, `é` as `e`; `æ` as `ae`,
///   `ø` as `o`, `ß` as `ss`), then by Unicode code point: digits before letters.
/// - Ties are broken so that no two different strings are equal: accents after plain letters
///   (`A1`, `Å1`), then lower case before upper case (`per`, `Per`), then the code points.
public enum NaturalOrder {
    /// Whether `a` comes before `b`.
    public static func less(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    /// -1 when `a` comes first, 1 when `b` does, 0 only when they are the same string.
    public static func compare(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let c = natural(folded(a), folded(b))
        if c != 0 { return c }
        let la = Array(a.lowercased().unicodeScalars)
        let lb = Array(b.lowercased().unicodeScalars)
        let d = natural(la, lb)
        if d != 0 { return d }
        if la != lb { return codePoints(la, lb) }
        // The same letters in different case: the lower case one (the higher code point) first.
        return -codePoints(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// The text in lower case without accents: the primary key.
    static func folded(_ s: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for scalar in s.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark: continue
            default: break
            }
            switch scalar {
            case "æ": out += ["a", "e"]
            case "ø": out.append("o")
            case "œ": out += ["o", "e"]
            case "ß": out += ["s", "s"]
            case "đ", "ð": out.append("d")
            case "ł": out.append("l")
            case "þ": out += ["t", "h"]
            default: out.append(scalar)
            }
        }
        return out
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    /// Compares scalar by scalar, a run of digits on both sides as one number.
    static func natural(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Int {
        var i = 0
        var j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                let si = i
                let sj = j
                while i < x.count && isDigit(x[i]) { i += 1 }
                while j < y.count && isDigit(y[j]) { j += 1 }
                let nx = x[si..<i].drop { $0 == "0" }
                let ny = y[sj..<j].drop { $0 == "0" }
                if nx.count != ny.count { return nx.count < ny.count ? -1 : 1 }
                for (p, q) in zip(nx, ny) where p != q { return p.value < q.value ? -1 : 1 }
                continue
            }
            if x[i] != y[j] { return x[i].value < y[j].value ? -1 : 1 }
            i += 1
            j += 1
        }
        if i < x.count { return 1 }
        if j < y.count { return -1 }
        return 0
    }

    static func codePoints(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Int {
        for (p, q) in zip(x, y) where p != q { return p.value < q.value ? -1 : 1 }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}
