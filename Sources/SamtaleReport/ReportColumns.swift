import Foundation
import SamtaleCore

/// What every format of the report shares: its columns, their values in words and numbers, the
/// period in words, the table's lines and what the numbers mean.
extension Report {
    /// One column of figures, as every format shows it.
    struct Column: Sendable {
        var title: String
        var csv: String
        /// The value for text and HTML ("–" when there is none).
        var text: @Sendable (ReportFigures) -> String
        /// The value for CSV: a plain number, empty when there is none.
        var plain: @Sendable (ReportFigures) -> String
        var csvOnly = false

        static func count(
            _ title: String, _ csv: String, _ value: @escaping @Sendable (ReportFigures) -> Int, csvOnly: Bool = false
        ) -> Column {
            Column(title: title, csv: csv, text: { "\(value($0))" }, plain: { "\(value($0))" }, csvOnly: csvOnly)
        }
        static func minutes(_ title: String, _ csv: String, _ seconds: @escaping @Sendable (ReportFigures) -> Double)
            -> Column
        {
            Column(title: title, csv: csv, text: { minutesText(seconds($0)) }, plain: { minutesText(seconds($0)) })
        }
        static func average(_ title: String, _ csv: String, _ value: @escaping @Sendable (ReportFigures) -> Double?)
            -> Column
        {
            Column(
                title: title, csv: csv, text: { value($0).map(oneDecimal) ?? "–" },
                plain: { value($0).map(oneDecimal) ?? "" })
        }
    }

    static let columns: [Column] = [
        .count("Booked", "booked", \.booked),
        .count("Held", "held", \.held),
        .count("No-shows", "no_shows", \.noShows),
        .count("Cancelled", "cancelled", \.cancelled),
        .count("Open", "open", \.open),
        .count("Waits", "waits_measured", \.waits, csvOnly: true),
        .average("Avg wait", "avg_wait_min", \.averageWaitMinutes),
        .count("Overruns", "overruns", \.overruns),
        .minutes("Overrun min", "overrun_min", \.overrunSeconds),
        .average("Avg overrun", "avg_overrun_min", \.averageOverrunMinutes),
        .minutes("Sched. min", "scheduled_min", \.scheduledSeconds),
        .minutes("Actual min", "actual_min", \.actualSeconds),
        .count("Timed", "timed_held", \.timed, csvOnly: true),
        .minutes("Room day min", "room_span_min", \.spanSeconds),
        Column(
            title: "Util.", csv: "utilisation_pct", text: { $0.utilisation.map { percentText($0) } ?? "–" },
            plain: { $0.utilisation.map { oneDecimal($0 * 100) } ?? "" }),
    ]

    /// The columns the text and HTML tables show.
    static var shownColumns: [Column] { columns.filter { !$0.csvOnly } }

    /// What the numbers mean, for the foot of the text and HTML reports.
    public static let definitions: [String] = [
        "Held: recorded as in session or done. Open: nothing recorded yet, or still waiting.",
        "Wait: from check-in to start, for held conferences with both times (minutes).",
        "Overrun: a held conference that ended after its scheduled end; minutes past that end.",
        "Sched. min: planned minutes of the bookings not cancelled. Actual min: start to end, as recorded.",
        "Room day: the room's first scheduled start to its last scheduled end that day (cancelled left out).",
        "Util.: actual minutes in session / the room day. Days are the school's local days.",
    ]

    static func minutesText(_ seconds: Double) -> String {
        let m = seconds / 60
        return m == m.rounded() ? String(Int(m)) : oneDecimal(m)
    }
    static func oneDecimal(_ x: Double) -> String { String(format: "%.1f", x) }
    static func percentText(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    /// The days the report covers, in words: its range, or the days it found.
    public var period: String {
        let first = from?.description ?? days.first?.day
        let last = to?.description ?? days.last?.day
        switch (first, last) {
        case (let f?, let l?): return f == l ? f : "\(f) to \(l)"
        case (let f?, nil): return "from \(f)"
        case (nil, let l?): return "to \(l)"
        case (nil, nil): return "no days"
        }
    }

    /// A line of the table: labels and figures, and whether it sums others.
    struct Line {
        var day: String
        var room: String
        var teacher: String
        var figures: ReportFigures
        var isSum: Bool
    }

    /// The table's lines: each row, a room's total when it has several teachers, a day's total when
    /// it has several rooms, and the grand total.
    var lines: [Line] {
        var out: [Line] = []
        for d in days {
            for r in d.rooms {
                for row in r.rows {
                    out.append(
                        Line(
                            day: d.day, room: r.room, teacher: teacherLabel(row.teacher), figures: row.figures,
                            isSum: false))
                }
                if r.rows.count > 1 {
                    out.append(Line(day: d.day, room: r.room, teacher: "(room total)", figures: r.figures, isSum: true))
                }
            }
            if d.rooms.count > 1 {
                out.append(Line(day: d.day, room: "(all)", teacher: "(day total)", figures: d.figures, isSum: true))
            }
        }
        out.append(Line(day: "Total", room: "", teacher: "", figures: total, isSum: true))
        return out
    }

    func teacherLabel(_ teacher: String) -> String { teacher.isEmpty ? "–" : teacher }
}
