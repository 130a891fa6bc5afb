import Foundation
import SamtaleCore

extension Report {
    /// RFC 4180 CSV with a header: one row per room, teacher and day; dates `YYYY-MM-DD`, plain
    /// numbers (minutes, one decimal where not whole), empty where there is no value. No totals.
    public func csv() -> String {
        var out = [(["date", "room", "teacher"] + Self.columns.map(\.csv)).joined(separator: ",")]
        for row in rows {
            let cells = [row.day, row.room, row.teacher] + Self.columns.map { $0.plain(row.figures) }
            out.append(cells.map(Self.csvCell).joined(separator: ","))
        }
        return out.joined(separator: "\r\n") + "\r\n"
    }

    /// A cell as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, a quote or a
    /// line break.
    static func csvCell(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
