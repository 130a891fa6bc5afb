import Foundation
import SamtaleCore

extension Report {
    /// The slots of `Resources/report.html` this page fills.
    static let htmlSlots: Set<String> = [
        "period", "timeZone", "notes", "summary", "charts", "headings", "rows", "definitions",
    ]

    /// One self-contained HTML page: summary, charts as inline SVG, the table, notes and
    /// definitions. No script, no external resource; readable in print. The page is the template
    /// `Resources/report.html`; this fills its slots.
    public func html() -> String {
        let e = HTMLText.escape
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
        let shown = Self.shownColumns
        var rows = ""
        for line in lines {
            rows += line.isSum ? "<tr class=\"sum\">" : "<tr>"
            rows += "<td>\(e(line.day))</td><td>\(e(line.room))</td><td>\(e(line.teacher))</td>"
            for c in shown { rows += "<td class=\"n\">\(e(c.text(line.figures)))</td>" }
            rows += "</tr>\n"
        }
        return ReportTemplate.page.render([
            "period": e(period),
            "timeZone": e(timeZone.identifier),
            "notes": notes.map { "<p class=\"note\">\(e($0))</p>\n" }.joined(),
            "summary": summary.map { label, value in "<li><b>\(e(value))</b>\(e(label))</li>\n" }.joined(),
            "charts": charts(),
            "headings": (["Day", "Room", "Teacher"] + shown.map(\.title)).map { "<th scope=\"col\">\(e($0))</th>" }
                .joined(),
            "rows": rows,
            "definitions": Self.definitions.map { "<li>\(e($0))</li>\n" }.joined(),
        ])
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
