import Foundation
import SamtaleCore
import SamtaleReport
import SamtaleTestSupport
import Testing

/// A booking in Oslo for the report's tests; progress times are `(hour, minute)` on the same day.
private func conference(
    _ id: String, room: String = "204", _ hour: Int, _ minute: Int, minutes: Int = 20, day: Int = 24,
    month: Int = 11, teachers: [String] = ["Kari Lærer"], cancelled: Bool = false, _ phase: ConferenceStatus? = nil,
    checkedIn: (Int, Int)? = nil, started: (Int, Int)? = nil, ended: (Int, Int)? = nil
) -> Booking {
    let start = at(hour, minute, day: day, month: month)
    func stamp(_ t: (Int, Int)?) -> Date? { t.map { at($0.0, $0.1, day: day, month: month) } }
    return Booking(
        id: id, room: room, start: start, end: start.plus(minutes: Double(minutes)), teachers: teachers,
        pupil: "Secret Pupil\(id)", guardians: ["Secret Guardian\(id)"], cancelled: cancelled,
        recorded: phase.map {
            ConferenceProgress(phase: $0, checkedIn: stamp(checkedIn), started: stamp(started), ended: stamp(ended))
        })
}

/// 24 November 2026. Room 204 (Kari; one conference with a team), 14:00–16:20 live; room B12 (Lise).
private let craftedDay: [Booking] = [
    // Waited 7 min, 23 min long, 5 min past 14:20.
    conference("1", 14, 0, .done, checkedIn: (13, 55), started: (14, 2), ended: (14, 25)),
    conference("2", 14, 20, .noShow),
    conference("3", 14, 40, cancelled: true),
    // Waited 2 min, 18 min long, ended early.
    conference("4", 15, 0, .done, checkedIn: (14, 58), started: (15, 0), ended: (15, 18)),
    // No check-in (walked in): no wait; 30 min long, 10 past 15:40.
    conference("5", 15, 20, .done, started: (15, 20), ended: (15, 50)),
    // A team; waited 15 min, never ended: held without an end time.
    conference(
        "6", 15, 40, teachers: ["Per Lærer", "Kari Lærer"], .inSession, checkedIn: (15, 30), started: (15, 45)),
    conference("7", 16, 0),
    // The last booking is cancelled: the room's day ends at 16:20.
    conference("8", 16, 20, cancelled: true),
    conference(
        "9", room: "B12", 14, 0, minutes: 30, teachers: ["Lise Lærer"], .done, checkedIn: (14, 0), started: (14, 0),
        ended: (14, 30)),
]

@Suite("the management's report")
struct ReportTests {
    @Test("a crafted day: held, no-shows, cancellations, waits, overruns, minutes and utilisation")
    func craftedDayFigures() throws {
        let report = Report(bookings: craftedDay, timeZone: oslo)
        #expect(report.days.map(\.day) == ["2026-11-24"])
        #expect(
            report.rows.map { "\($0.room) \($0.teacher)" } == [
                "204 Kari Lærer", "204 Per Lærer / Kari Lærer", "B12 Lise Lærer",
            ])

        let kari = report.rows[0].figures
        #expect(kari.booked == 7)
        #expect(kari.cancelled == 2)
        #expect(kari.held == 3)
        #expect(kari.noShows == 1)
        #expect(kari.open == 1)
        #expect(kari.waits == 2)
        #expect(kari.averageWaitMinutes == 4.5)  // (7 + 2) / 2
        #expect(kari.timed == 3)
        #expect(kari.actualSeconds == 71 * 60)  // 23 + 18 + 30
        #expect(kari.overruns == 2)
        #expect(kari.overrunSeconds == 15 * 60)  // 5 + 10
        #expect(kari.averageOverrunMinutes == 7.5)
        #expect(kari.scheduledSeconds == 100 * 60)  // five live bookings of 20 minutes
        #expect(kari.spanSeconds == 140 * 60)  // 14:00 to 16:20
        #expect(kari.utilisation == 71.0 / 140.0)

        let team = report.rows[1].figures
        #expect(team.booked == 1 && team.held == 1 && team.timed == 0 && team.untimed == 1)
        #expect(team.averageWaitMinutes == 15)
        #expect(team.actualSeconds == 0 && team.overruns == 0 && team.averageOverrunMinutes == nil)
        #expect(team.scheduledSeconds == 20 * 60 && team.spanSeconds == 140 * 60)

        let room204 = report.days[0].rooms[0].figures
        #expect(room204.booked == 8 && room204.held == 4 && room204.waits == 3)
        #expect(room204.averageWaitMinutes == 8)  // (7 + 2 + 15) / 3
        #expect(room204.scheduledSeconds == 120 * 60)
        #expect(room204.spanSeconds == 140 * 60)  // once, not once per teacher
        #expect(room204.utilisation == 71.0 / 140.0)

        let b12 = report.days[0].rooms[1].figures
        #expect(b12.utilisation == 1)
        #expect(b12.averageWaitMinutes == 0)

        #expect(report.total.held == 5 && report.total.noShows == 1 && report.total.cancelled == 2)
        #expect(report.total.spanSeconds == 170 * 60)
        #expect(report.total.actualSeconds == 101 * 60)
        #expect(report.total.utilisation == 101.0 / 170.0)
        #expect(report.anythingRecorded)
        #expect(
            report.notes == [
                "1 held conference has no start or end time recorded: counted as held, adding no actual minutes."
            ])
    }

    @Test("CSV: a header, one row per room, teacher and day, plain numbers, quoted where needed")
    func csv() {
        var bookings = craftedDay
        bookings.append(conference("10", room: "C1", 9, 0, teachers: ["Berg, Anne"], .noShow))
        let lines = Report(bookings: bookings, timeZone: oslo).csv().components(separatedBy: "\r\n")
        #expect(
            lines[0]
                == "date,room,teacher,booked,held,no_shows,cancelled,open,waits_measured,avg_wait_min,overruns,overrun_min,avg_overrun_min,scheduled_min,actual_min,timed_held,room_span_min,utilisation_pct"
        )
        #expect(lines[1] == "2026-11-24,204,Kari Lærer,7,3,1,2,1,2,4.5,2,15,7.5,100,71,3,140,50.7")
        #expect(lines[2] == "2026-11-24,204,Per Lærer / Kari Lærer,1,1,0,0,0,1,15.0,0,0,,20,0,0,140,0.0")
        #expect(lines[3] == "2026-11-24,B12,Lise Lærer,1,1,0,0,0,1,0.0,0,0,,30,30,1,30,100.0")
        #expect(lines[4] == "2026-11-24,C1,\"Berg, Anne\",1,0,1,0,0,0,,0,0,,20,0,0,20,0.0")
        #expect(lines.count == 6 && lines[5] == "")
    }

    @Test("CSV: a teacher's name with a line break (LF or CR LF, as a quoted spreadsheet cell holds it) is quoted")
    func csvLineBreaks() {
        for name in ["Kari\nLærer", "Kari\r\nLærer"] {
            let report = Report(bookings: [conference("1", 9, 0, teachers: [name])], timeZone: oslo)
            #expect(report.csv().contains(",\"\(name)\",1,"), "\(name.debugDescription)")
        }
    }

    @Test("text: aligned columns, room and day totals, the grand total, notes")
    func text() {
        let text = Report(bookings: craftedDay, timeZone: oslo).text()
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0] == "Conference report, 2026-11-24 (Europe/Oslo)")
        let rule = lines[3]
        #expect(rule.allSatisfy { $0 == "-" })
        let table = Array(lines[2..<lines.lastIndex(of: rule)! + 2])
        #expect(table.count == 9)  // header, rule, 3 rows, room total, day total, rule, total
        for line in table { #expect(line.count == rule.count, "\(line)") }
        #expect(table[2].hasPrefix("2026-11-24  204 "))
        #expect(table[2].contains("  4.5  ") && table[2].hasSuffix("  51%"))
        #expect(table[4].contains("(room total)") && table[4].hasSuffix("  51%"))
        #expect(table[5].hasPrefix("2026-11-24  B12 ") && table[5].hasSuffix("  100%"))
        #expect(table[6].contains("(day total)") && table[6].hasSuffix("  59%"))  // 101 / 170
        #expect(table[8].hasPrefix("Total ") && table[8].hasSuffix("  59%"))
        #expect(text.contains("Note: 1 held conference has no start or end time recorded"))
    }

    @Test("no pupil's or guardian's name in any format")
    func noNames() {
        let report = Report(bookings: craftedDay, timeZone: oslo)
        for output in [report.text(), report.csv(), report.html()] {
            #expect(!output.contains("Secret"))
            #expect(!output.contains("Pupil"))
            #expect(!output.contains("Guardian"))
        }
    }

    @Test("HTML: one self-contained page with inline SVG charts, escaped, no script, nothing external")
    func html() {
        var bookings = craftedDay
        bookings.append(conference("10", room: "C<1>", 9, 0, teachers: ["Ås & <Berg>"], .noShow))
        let html = Report(bookings: bookings, timeZone: oslo).html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.components(separatedBy: "</svg>").count - 1 == 3)
        for banned in ["<script", "<link", "src=", "href=", "@import", "url("] { #expect(!html.contains(banned)) }
        #expect(html.contains("Ås &amp; &lt;Berg&gt;"))
        #expect(!html.contains("<Berg>") && !html.contains("C<1>"))
        #expect(html.contains("<td class=\"n\">4.5</td>"))
        #expect(html.contains("C&lt;1&gt;"))
        #expect(html.contains("<b>53%</b>utilisation"))  // the total in the summary: 101 / (140 + 30 + 20)
        #expect(html.contains("@media print"))
    }

    @Test("a DST day (Europe/Oslo, 25 October 2026) is one local day of 25 hours")
    func dstDay() throws {
        let bookings = [
            conference("a", 23, 45, minutes: 15, day: 24, month: 10, .done, started: (23, 45), ended: (23, 59)),
            conference("b", 0, 30, minutes: 30, day: 25, month: 10, .done, started: (0, 30), ended: (1, 0)),
            // 02:30 summer time, 60 minutes later it is 02:30 winter time again.
            conference("c", 2, 30, minutes: 60, day: 25, month: 10),
            conference("d", 23, 0, minutes: 30, day: 25, month: 10, .done, started: (23, 0), ended: (23, 40)),
            conference("e", 0, 15, minutes: 15, day: 26, month: 10, .noShow),
        ]
        let day = try #require(ReportDay(year: 2026, month: 10, day: 25))
        let report = Report(bookings: bookings, timeZone: oslo, from: day, to: day)
        #expect(report.days.map(\.day) == ["2026-10-25"])
        let f = report.total
        #expect(f.booked == 3 && f.held == 2 && f.open == 1)
        #expect(f.scheduledSeconds == 120 * 60)  // 30 + 60 + 30 minutes that really passed
        #expect(f.spanSeconds == 24 * 3600)  // 00:30 to 23:30 on the wall, one hour more in fact
        #expect(f.actualSeconds == 70 * 60)
        #expect(f.overruns == 1 && f.overrunSeconds == 10 * 60)
        let all = Report(bookings: bookings, timeZone: oslo)
        #expect(all.days.map(\.day) == ["2026-10-24", "2026-10-25", "2026-10-26"])
        #expect(all.days.map(\.figures.booked) == [1, 3, 1])
    }

    @Test("--from and --to include their whole days and nothing beyond")
    func range() throws {
        let bookings = [
            conference("a", 23, 40, minutes: 19, day: 24),
            conference("b", 0, 0, day: 25),
            conference("c", 23, 40, minutes: 19, day: 25),
            conference("d", 0, 0, day: 26),
        ]
        let d24 = try #require(ReportDay(year: 2026, month: 11, day: 24))
        let d25 = try #require(ReportDay(year: 2026, month: 11, day: 25))
        func ids(_ r: Report) -> [String] { r.days.map { "\($0.day):\($0.figures.booked)" } }
        #expect(ids(Report(bookings: bookings, timeZone: oslo, from: d25, to: d25)) == ["2026-11-25:2"])
        #expect(ids(Report(bookings: bookings, timeZone: oslo, from: d25)) == ["2026-11-25:2", "2026-11-26:1"])
        #expect(ids(Report(bookings: bookings, timeZone: oslo, to: d24)) == ["2026-11-24:1"])
        #expect(Report(bookings: bookings, timeZone: oslo, from: d25, to: d25).period == "2026-11-25")
        #expect(Report(bookings: bookings, timeZone: oslo, from: d24, to: d25).period == "2026-11-24 to 2026-11-25")
        #expect(ids(Report(bookings: bookings, timeZone: oslo, rooms: ["B12"])) == [])
        #expect(ReportDay(year: 2026, month: 2, day: 29) == nil)
        #expect(ReportDay(year: 2028, month: 2, day: 29)?.description == "2028-02-29")
        #expect(d24 < d25)
    }

    @Test("an empty range is a report with a note, not a failure")
    func emptyRange() throws {
        let from = try #require(ReportDay(year: 2027, month: 1, day: 1))
        let report = Report(bookings: craftedDay, timeZone: oslo, from: from)
        #expect(report.days.isEmpty && report.total == ReportFigures())
        #expect(report.notes == ["No conferences from 2027-01-01."])
        #expect(report.text().contains("Note: No conferences from 2027-01-01."))
        #expect(report.csv().components(separatedBy: "\r\n").count == 2)
        #expect(!report.html().contains("<svg"))
    }

    @Test("nothing recorded yet: zeros held, a note, every format renders")
    func nothingRecorded() {
        let bookings = craftedDay.map { b -> Booking in
            var b = b
            b.recorded = nil
            return b
        }
        let report = Report(bookings: bookings, timeZone: oslo)
        #expect(!report.anythingRecorded)
        #expect(report.total.held == 0 && report.total.noShows == 0 && report.total.actualSeconds == 0)
        #expect(report.total.open == 7 && report.total.cancelled == 2)
        #expect(report.total.utilisation == 0)
        #expect(report.total.averageWaitMinutes == nil)
        #expect(report.notes.count == 1 && report.notes[0].hasPrefix("Nothing has been recorded"))
        #expect(report.text().contains("Note: Nothing has been recorded"))
        #expect(report.csv().contains("\r\n2026-11-24,204,Kari Lærer,7,0,0,2,5,0,,0,0,,100,0,0,140,0.0\r\n"))
        #expect(report.html().contains("Nothing has been recorded"))
    }
}
