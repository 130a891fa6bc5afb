import Foundation
import SamtaleCore

/// Horizontal bar charts as inline SVG: no script, fills that print.
enum SVGBars {
    struct Bar {
        var segments: [(value: Double, fill: String)]
        var value: String
    }
    struct Group {
        var label: String
        var bars: [Bar]
    }

    static let labelWidth = 190.0, plotWidth = 400.0, valueWidth = 110.0, barHeight = 14.0
    static let barGap = 3.0, groupGap = 9.0, legendHeight = 22.0

    static func chart(
        title: String, groups: [Group], legend: [(String, String)], minimumScale: Double = 0,
        mark: (value: Double, label: String)? = nil
    ) -> String {
        let e = HTMLText.escape
        let scale = max(
            minimumScale, groups.flatMap(\.bars).map { $0.segments.map(\.value).reduce(0, +) }.max() ?? 0, 1)
        let top = legend.isEmpty ? 4.0 : legendHeight
        let height =
            top + groups.map { Double($0.bars.count) * (barHeight + barGap) + groupGap }.reduce(0, +)
            + (mark == nil ? 0 : 14)
        let width = labelWidth + plotWidth + valueWidth
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(n(width)) \(n(height))" width="\(n(width))" \
            height="\(n(height))" role="img" aria-label="\(e(title))"><title>\(e(title))</title>

            """
        var x = labelWidth
        for (name, fill) in legend {
            s +=
                "<rect x=\"\(n(x))\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(fill)\" stroke=\"#111\" stroke-width=\"0.5\"/>"
            s += "<text x=\"\(n(x + 16))\" y=\"14\">\(e(name))</text>\n"
            x += 16 + Double(name.count) * 7 + 14
        }
        var y = top
        for g in groups {
            let groupHeight = Double(g.bars.count) * (barHeight + barGap)
            s +=
                "<text x=\"\(n(labelWidth - 6))\" y=\"\(n(y + groupHeight / 2 + 2))\" text-anchor=\"end\">\(e(g.label))</text>\n"
            for bar in g.bars {
                var x = labelWidth
                for (value, fill) in bar.segments where value > 0 {
                    let w = value / scale * plotWidth
                    s +=
                        "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(barHeight))\" fill=\"\(fill)\" stroke=\"#111\" stroke-width=\"0.5\"/>"
                    x += w
                }
                s += "<text x=\"\(n(x + 4))\" y=\"\(n(y + barHeight - 3))\">\(e(bar.value))</text>\n"
                y += barHeight + barGap
            }
            y += groupGap
        }
        let bottom = y - groupGap + 2
        func rule(_ x: Double, dashed: Bool) -> String {
            "<line x1=\"\(n(x))\" y1=\"\(n(top - 2))\" x2=\"\(n(x))\" y2=\"\(n(bottom))\" stroke=\"#111\"\(dashed ? " stroke-dasharray=\"3 3\"" : "")/>\n"
        }
        if let mark {
            let x = labelWidth + mark.value / scale * plotWidth
            s += rule(x, dashed: true)
            s += "<text x=\"\(n(x))\" y=\"\(n(bottom + 12))\" text-anchor=\"middle\">\(e(mark.label))</text>\n"
        }
        return s + rule(labelWidth, dashed: false) + "</svg>\n"
    }

    static func n(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
}
