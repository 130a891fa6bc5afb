import Foundation
import SamtaleCore

extension Report {
    /// Aligned columns, one line per room, teacher and day, then totals, notes and definitions.
    public func text() -> String {
        let shown = Self.shownColumns
        let header = ["Day", "Room", "Teacher"] + shown.map(\.title)
        let table = lines.map { line in [line.day, line.room, line.teacher] + shown.map { $0.text(line.figures) } }
        let widths = header.indices.map { i in ([header] + table).map { $0[i].count }.max() ?? 0 }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i < 3 ? cell + pad : pad + cell
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = ["Conference report, \(period) (\(timeZone.identifier))", ""]
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        out += [format(header), rule]
        for (i, cells) in table.enumerated() {
            if i == table.count - 1 { out.append(rule) }
            out.append(format(cells))
        }
        if !notes.isEmpty { out.append("") }
        out += notes.map { "Note: \($0)" }
        out.append("")
        out += Self.definitions
        return out.joined(separator: "\n") + "\n"
    }
}
