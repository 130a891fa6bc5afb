import Foundation

/// An HTML page with `{{name}}` slots, read from a template file embedded in the program.
struct ReportTemplate: Sendable {
    enum Part: Sendable, Equatable {
        case text(String)
        case slot(String)
    }

    let parts: [Part]

    /// The slots, in the order they appear (a slot may appear more than once).
    var slots: [String] {
        parts.compactMap {
            if case .slot(let name) = $0 { return name }
            return nil
        }
    }

    /// Splits `source` at every `{{name}}` (a name of letters only); anything else stays text.
    init(_ source: String) {
        var parts: [Part] = []
        var rest = Substring(source)
        var text = ""
        while let open = rest.range(of: "{{") {
            text += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            if let close = after.range(of: "}}"), !after[..<close.lowerBound].isEmpty,
                after[..<close.lowerBound].allSatisfy({ $0.isASCII && $0.isLetter })
            {
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.slot(String(after[..<close.lowerBound])))
                rest = after[close.upperBound...]
            } else {
                text += "{{"
                rest = after
            }
        }
        text += rest
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    /// The page with every slot filled from `values` (HTML already escaped by the caller). A slot
    /// with no value is a mistake in the program, not in the input: it stops with its name.
    func render(_ values: [String: String]) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .slot(let name):
                guard let value = values[name] else {
                    preconditionFailure("the report template's slot {{\(name)}} has no value")
                }
                out += value
            }
        }
        return out
    }
}

extension ReportTemplate {
    /// `Sources/SamtaleReport/Resources/report.html`, embedded at build time.
    static let page = ReportTemplate(String(decoding: PackageResources.report_html, as: UTF8.self))
}
