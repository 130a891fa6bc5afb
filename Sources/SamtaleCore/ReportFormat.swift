import Foundation

/// The report as text (aligned columns), CSV (one row per room, teacher and day) and HTML (one
/// self-contained page with inline SVG charts). Pure functions of the report.
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

    // MARK: text

    /// Aligned columns, one line per room, teacher and day, then totals, notes and definitions.
    public func text() -> String {
        let shown = Self.columns.filter { !$0.csvOnly }
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

    // MARK: CSV

    /// RFC 4180 CSV with a header: one row per room, teacher and day; dates `YYYY-MM-DD`, plain
    /// numbers (minutes, one decimal where not whole), empty where there is no value. No totals.
    public func csv() -> String {
        func cell(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = [(["date", "room", "teacher"] + Self.columns.map(\.csv)).joined(separator: ",")]
        for row in rows {
            let cells = [row.day, row.room, row.teacher] + Self.columns.map { $0.plain(row.figures) }
            out.append(cells.map(cell).joined(separator: ","))
        }
        return out.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: HTML

    /// One self-contained HTML page: summary, charts as inline SVG, the table, notes and
    /// definitions. No script, no external resource; readable in print.
    public func html() -> String {
        let e = Self.escape
        var h = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Conference report, \(e(period))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
            table { border-collapse: collapse; font-size: 0.85em; }
            th, td { border: 1px solid #999; padding: 0.2em 0.45em; }
            td { white-space: nowrap; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            tr.sum td { font-weight: bold; background: #eee; }
            .summary { display: flex; flex-wrap: wrap; gap: 0.6em 2em; padding: 0; list-style: none; }
            .summary b { font-size: 1.4em; display: block; }
            .note { border-left: 4px solid #b36b00; padding-left: 0.6em; }
            svg { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
            svg text { font-family: system-ui, sans-serif; font-size: 12px; fill: #111; }
            @media print { body { margin: 0; } h2, svg, tr { break-inside: avoid; } * { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
            </style>
            </head>
            <body>
            <h1>Conference report, \(e(period))</h1>
            <p>Days are local days in \(e(timeZone.identifier)). Rooms and teachers only: no pupil or guardian is named.</p>

            """
        for note in notes { h += "<p class=\"note\">\(e(note))</p>\n" }
        let t = total
        let summary: [(String, String)] = [
            ("conferences held", "\(t.held)"), ("no-shows", "\(t.noShows)"), ("cancelled", "\(t.cancelled)"),
            ("average wait (min)", t.averageWaitMinutes.map(Self.oneDecimal) ?? "–"),
            ("overruns", "\(t.overruns)"),
            (
                "scheduled / actual min",
                "\(Self.minutesText(t.scheduledSeconds)) / \(Self.minutesText(t.actualSeconds))"
            ),
            ("utilisation", t.utilisation.map(Self.percentText) ?? "–"),
        ]
        h += "<ul class=\"summary\">\n"
        for (label, value) in summary { h += "<li><b>\(e(value))</b>\(e(label))</li>\n" }
        h += "</ul>\n"
        h += charts()
        h += "<h2>Per room, teacher and day</h2>\n<table>\n<thead><tr>"
        let shown = Self.columns.filter { !$0.csvOnly }
        for title in ["Day", "Room", "Teacher"] + shown.map(\.title) { h += "<th scope=\"col\">\(e(title))</th>" }
        h += "</tr></thead>\n<tbody>\n"
        for line in lines {
            h += line.isSum ? "<tr class=\"sum\">" : "<tr>"
            h += "<td>\(e(line.day))</td><td>\(e(line.room))</td><td>\(e(line.teacher))</td>"
            for c in shown { h += "<td class=\"n\">\(e(c.text(line.figures)))</td>" }
            h += "</tr>\n"
        }
        h += "</tbody>\n</table>\n<h2>Definitions</h2>\n<ul>\n"
        for d in Self.definitions { h += "<li>\(e(d))</li>\n" }
        h += "</ul>\n</body>\n</html>\n"
        return h
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The three charts, one bar (or pair of bars) per room and day.
    func charts() -> String {
        let roomDays = days.flatMap(\.rooms)
        guard !roomDays.isEmpty else { return "" }
        func label(_ r: RoomDay) -> String { days.count > 1 ? "\(r.day) · \(r.room)" : r.room }
        let held = "#2b6a3f"
        let noShow = "#b3261e"
        let cancelled = "#8a8a8a"
        let open = "#d9d9d9"
        let scheduled = "#9db7d5"
        let actual = "#1f4e8c"
        var out = "<h2>Utilisation of each room</h2>\n"
        out += SVGBars.chart(
            title: "Utilisation: actual minutes in session per room day",
            groups: roomDays.map { r in
                SVGBars.Group(
                    label: label(r),
                    bars: [
                        .init(
                            segments: [(100 * (r.figures.utilisation ?? 0), actual)],
                            value: r.figures.utilisation.map(Self.percentText) ?? "–")
                    ])
            }, legend: [], minimumScale: 100, mark: (100, "100%"))
        out += "<h2>Scheduled and actual minutes</h2>\n"
        out += SVGBars.chart(
            title: "Scheduled and actual minutes per room day",
            groups: roomDays.map { r in
                SVGBars.Group(
                    label: label(r),
                    bars: [
                        .init(
                            segments: [(r.figures.scheduledSeconds / 60, scheduled)],
                            value: Self.minutesText(r.figures.scheduledSeconds)),
                        .init(
                            segments: [(r.figures.actualSeconds / 60, actual)],
                            value: Self.minutesText(r.figures.actualSeconds)),
                    ])
            }, legend: [("scheduled", scheduled), ("actual", actual)])
        out += "<h2>Outcomes</h2>\n"
        out += SVGBars.chart(
            title: "Conferences per room day: held, no-show, cancelled, open",
            groups: roomDays.map { r in
                let f = r.figures
                return SVGBars.Group(
                    label: label(r),
                    bars: [
                        .init(
                            segments: [
                                (Double(f.held), held), (Double(f.noShows), noShow), (Double(f.cancelled), cancelled),
                                (Double(f.open), open),
                            ],
                            value: "\(f.held) / \(f.noShows) / \(f.cancelled) / \(f.open)")
                    ])
            }, legend: [("held", held), ("no-show", noShow), ("cancelled", cancelled), ("open", open)])
        return out
    }
}

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
        let e = Report.escape
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
