import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleSchedule

/// A one-line file per row: `date;start;end;room`, header first.
private func file(_ rows: [(String, String, String)], header: String = "date;start;end;room") -> String {
    ([header] + rows.enumerated().map { i, r in "\(r.0);\(r.1);\(r.2);R\(i + 1)" }).joined(separator: "\n")
}

private func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int) -> Date? {
    time.instant(year: y, month: m, day: d, hour: h, minute: min)
}

private func starts(_ s: Schedule) -> [Date] { s.bookings.map(\.start) }

@Suite("Dates and times as spreadsheets write them in each locale")
struct DateFormTests {
    @Test("every date form: ISO, dd.mm.yyyy, dd-mm-yyyy, d/m/yyyy, m/d/yyyy, two-digit years")
    func dateForms() throws {
        // Day over 12 in the first place decides day first for the whole file.
        let dayFirst = reader.parse(
            text: file([
                ("24.11.2026", "14:00", "14:20"), ("04-03-2026", "10:00", "10:20"), ("4/3/2026", "11:00", "11:20"),
                ("04.03.26", "12:00", "12:20"), ("4-3-26", "13:00", "13:20"), ("2026-03-04", "15:00", "15:20"),
            ]))
        #expect(dayFirst.problems.isEmpty, "\(dayFirst.problems)")
        #expect(
            starts(dayFirst)
                == [
                    at(2026, 11, 24, 14, 0), at(2026, 3, 4, 10, 0), at(2026, 3, 4, 11, 0), at(2026, 3, 4, 12, 0),
                    at(2026, 3, 4, 13, 0), at(2026, 3, 4, 15, 0),
                ].compactMap { $0 })
        #expect(dayFirst.dateOrder?.order == .dayFirst)
        #expect(dayFirst.dateOrder?.basis == .file)
        #expect(dayFirst.dateOrder?.reason.contains("\"24.11.2026\" on line 2") == true)

        // Day over 12 in the second place: month first, even for a reader set to day first.
        let monthFirst = reader.parse(
            text: file([("3/4/2026", "14:00", "14:20"), ("3/29/2026", "10:00", "10:20"), ("11/5/26", "9:00", "9:15")]))
        #expect(monthFirst.problems.isEmpty, "\(monthFirst.problems)")
        #expect(
            starts(monthFirst)
                == [at(2026, 3, 4, 14, 0), at(2026, 3, 29, 10, 0), at(2026, 11, 5, 9, 0)].compactMap {
                    $0
                })
        #expect(monthFirst.dateOrder?.order == .monthFirst)
        #expect(monthFirst.dateOrder?.basis == .file)
    }

    @Test("the issue's English file: five rows on the right day, the impossible one reported")
    func englishLibreOffice() throws {
        let text = """
            date,start,end,room
            3/4/2026,14:00,14:20,101
            3/5/2026,14:00,14:20,101
            3/13/2026,14:00,14:20,101
            3/29/2026 10:00,10:00,10:20,101
            4/3/2026,14:00,14:20,101
            2/30/2026,14:00,14:20,101
            """
        let s = reader.parse(text: text)
        #expect(
            starts(s)
                == [
                    at(2026, 3, 4, 14, 0), at(2026, 3, 5, 14, 0), at(2026, 3, 13, 14, 0), at(2026, 3, 29, 10, 0),
                    at(2026, 4, 3, 14, 0),
                ].compactMap { $0 })
        #expect(s.problems.count == 1, "\(s.problems)")
        let p = try #require(s.problems.first)
        #expect(p.severity == .error)
        #expect(p.line == 7)
        #expect(p.column == "date")
        #expect(p.message.contains("\"2/30/2026\" is not a real date"))
        #expect(p.message.contains("month first"))
    }

    @Test("impossible dates are errors with their line and column, in either order")
    func impossibleDates() throws {
        let s = reader.parse(
            text: file([
                ("24.11.2026", "14:00", "14:20"), ("31.04.2026", "14:00", "14:20"), ("29.02.2026", "9:00", "9:20"),
            ]))
        #expect(s.bookings.count == 1)
        #expect(s.problems.map(\.line) == [3, 4])
        #expect(
            s.problems.allSatisfy {
                $0.column == "date" && $0.severity == .error && $0.message.contains("not a real date")
            })
        // 29 February in a leap year is real.
        let leap = reader.parse(text: file([("29.02.2028", "14:00", "14:20")]))
        #expect(leap.problems.isEmpty, "\(leap.problems)")
        #expect(starts(leap) == [at(2028, 2, 29, 14, 0)].compactMap { $0 })
        // Neither reading is a date.
        let neither = reader.parse(text: file([("13/14/2026", "14:00", "14:20")]))
        #expect(neither.bookings.isEmpty)
        #expect(neither.problems.first?.line == 2)
        #expect(neither.problems.first?.column == "date")
    }

    @Test("a date and a time in one cell: in the date column, in the start column, in the end column")
    func dateAndTimeInOneCell() throws {
        let s = reader.parse(
            text: file([
                ("3/29/2026 10:00", "10:00", "10:20"),  // date column with a time, start column too
                ("3/29/2026 00:00", "3/29/2026 11:00", "3/29/2026 11:20"),  // start and end hold date and time
                ("2026-03-30T09:00", "09:00", "09:20"),  // ISO with T
                ("03/31/26 02:00 PM", "02:00 PM", "02:20 PM"),  // LibreOffice en's date+time format
            ]))
        #expect(s.problems.isEmpty, "\(s.problems)")
        #expect(
            starts(s)
                == [at(2026, 3, 29, 10, 0), at(2026, 3, 29, 11, 0), at(2026, 3, 30, 9, 0), at(2026, 3, 31, 14, 0)]
                .compactMap { $0 })
        #expect(s.bookings[1].end == at(2026, 3, 29, 11, 20))
        #expect(s.bookings[3].end == at(2026, 3, 31, 14, 20))

        // The date column empty: the start column's date and time are used.
        let fromStart = reader.parse(text: file([(" ", "29.03.2026 10:00", "10:20")]))
        #expect(fromStart.problems.isEmpty, "\(fromStart.problems)")
        #expect(starts(fromStart) == [at(2026, 3, 29, 10, 0)].compactMap { $0 })

        // The start column empty: the date column's time is the start.
        let fromDate = reader.parse(text: file([("29.03.2026 10:00", "", "10:20")]))
        #expect(fromDate.problems.isEmpty, "\(fromDate.problems)")
        #expect(starts(fromDate) == [at(2026, 3, 29, 10, 0)].compactMap { $0 })

        // A start on another day than the date is an error, not a guess.
        let other = reader.parse(text: file([("29.03.2026", "30.03.2026 10:00", "10:20")]))
        #expect(other.bookings.isEmpty)
        let p = try #require(other.problems.first)
        #expect(p.line == 2)
        #expect(p.column == "start")
        #expect(p.message.contains("another day"))

        // A date cell whose time part is not a time.
        let junk = reader.parse(text: file([("29.03.2026 soon", "10:00", "10:20")]))
        #expect(junk.problems.first?.column == "date")
        #expect(junk.problems.first?.message.contains("is not a date") == true)
    }

    @Test("times: seconds, 12-hour with AM/PM (any case, a.m./p.m.), noon and midnight; strict refusals")
    func times() {
        let accepted: [(String, Int, Int)] = [
            ("14:00", 14, 0), ("14.05", 14, 5), ("9:05", 9, 5), ("10:00:00", 10, 0), ("02:00:00 PM", 14, 0),
            ("2:00 PM", 14, 0), ("2:00PM", 14, 0), ("2:00 pm", 14, 0), ("02:05 p.m.", 14, 5), ("09:20:00 a.m.", 9, 20),
            ("12:30 PM", 12, 30), ("12:15 AM", 0, 15), ("11:59:59 PM", 23, 59),
        ]
        for (text, h, m) in accepted {
            let t = ScheduleReader.parseTime(text)
            #expect(t?.h == h && t?.m == m, "\(text) read as \(String(describing: t))")
        }
        for text in ["1400", "2pm", "13:00 PM", "0:30 AM", "24:00", "14:60", "14:00:61", "14:0", "14:00:0", "PM"] {
            #expect(ScheduleReader.parseTime(text) == nil, "\(text) should be refused")
        }
        let s = reader.parse(
            text: file([("24.11.2026", "02:00:00 PM", "02:20:00 PM"), ("24.11.2026", "1400", "14:20")]))
        #expect(starts(s) == [at(2026, 11, 24, 14, 0)].compactMap { $0 })
        #expect(s.bookings.first?.end == at(2026, 11, 24, 14, 20))
        #expect(s.problems.first?.line == 3)
        #expect(s.problems.first?.column == "start")
    }

    @Test("no date tells the order: `/` dates take the reader's order, with a notice naming line, reading and why")
    func ambiguousNotice() throws {
        let text = file([("3/4/2026", "14:00", "14:20"), ("5/6/2026", "14:00", "14:20"), ("7/7/2026", "9:00", "9:20")])
        // Day first (the default: Norwegian and Danish schools).
        let nb = reader.parse(text: text)
        #expect(starts(nb) == [at(2026, 4, 3, 14, 0), at(2026, 6, 5, 14, 0), at(2026, 7, 7, 9, 0)].compactMap { $0 })
        #expect(!nb.hasErrors)
        #expect(nb.isUsable)
        let n = try #require(nb.problems.first)
        #expect(nb.problems.count == 1)
        #expect(n.severity == .notice)
        #expect(n.line == 2)
        #expect(n.column == "date")
        #expect(n.message.contains("\"3/4/2026\" could be 3 April 2026 or 4 March 2026"))
        #expect(n.message.contains("read day first"))
        #expect(n.message.contains("day first is the default"))
        #expect(n.description.hasPrefix("notice: line 2, column \"date\": "))
        #expect(nb.dateOrder == DateOrderDecision(order: .dayFirst, basis: .setting, reason: reader.dateOrderReason))

        // Month first, as an English-language school's reader is set.
        let enReader = ScheduleReader(
            timeZone: oslo, dateOrder: .monthFirst, dateOrderReason: "the school's language is en")
        let en = enReader.parse(text: text)
        #expect(starts(en) == [at(2026, 3, 4, 14, 0), at(2026, 5, 6, 14, 0), at(2026, 7, 7, 9, 0)].compactMap { $0 })
        #expect(en.problems.count == 1)
        #expect(en.problems.first?.message.contains("read month first (3/4/2026 is 4 March 2026)") == true)
        #expect(en.problems.first?.message.contains("the school's language is en") == true)
        #expect(en.dateOrder?.basis == .setting)

        // Dots and dashes: day first wherever they are written so, whatever the reader's setting.
        let dots = enReader.parse(text: file([("04.03.2026", "14:00", "14:20"), ("05-06-26", "14:00", "14:20")]))
        #expect(starts(dots) == [at(2026, 3, 4, 14, 0), at(2026, 6, 5, 14, 0)].compactMap { $0 })
        #expect(dots.dateOrder?.basis == .separator)
        #expect(dots.problems.map(\.severity) == [.notice])

        // Nothing ambiguous (ISO, or the same number twice): no decision, no notice.
        let plain = enReader.parse(text: file([("2026-03-04", "14:00", "14:20"), ("6/6/2026", "14:00", "14:20")]))
        #expect(plain.problems.isEmpty, "\(plain.problems)")
        #expect(plain.dateOrder == nil)
    }

    @Test("one row day first, another month first: a problem naming the lines; the undecidable rows left out")
    func mixedEvidence() throws {
        let s = reader.parse(
            text: file([
                ("13/3/2026", "14:00", "14:20"), ("3/4/2026", "14:00", "14:20"), ("3/14/2026", "9:00", "9:20"),
                ("24/3/2026", "10:00", "10:20"), ("5/5/2026", "11:00", "11:20"),
            ]))
        // Rows that say their own order are read; 5/5 is the same either way; 3/4 is not.
        #expect(
            starts(s)
                == [at(2026, 3, 13, 14, 0), at(2026, 3, 14, 9, 0), at(2026, 3, 24, 10, 0), at(2026, 5, 5, 11, 0)]
                .compactMap { $0 })
        #expect(s.hasErrors)
        #expect(s.dateOrder == nil)
        let whole = try #require(s.problems.first { $0.message.contains("both day first") })
        #expect(whole.severity == .error)
        #expect(whole.line == 4)  // the less common reading: month first, line 4
        #expect(whole.column == "date")
        #expect(whole.message.contains("\"13/3/2026\" on line 2, \"24/3/2026\" on line 5"))
        #expect(whole.message.contains("\"3/14/2026\" on line 4"))
        let row = try #require(s.problems.first { $0.line == 3 })
        #expect(row.severity == .error)
        #expect(row.column == "date")
        #expect(row.message.contains("\"3/4/2026\" could be 3 April 2026 or 4 March 2026"))
    }

    @Test("a folder's notice keeps its file's name; the kiosk's stamps read 12-hour times too")
    func stampsAndFolder() throws {
        let text = """
            date;start;end;room;status;checked_in;started
            24.11.2026;14:00;14:20;204;in session;01:55:00 PM;02:01 PM
            """
        let s = reader.parse(text: text)
        #expect(s.problems.isEmpty, "\(s.problems)")
        let progress = try #require(s.bookings.first?.recorded)
        #expect(progress.checkedIn == at(2026, 11, 24, 13, 55))
        #expect(progress.started == at(2026, 11, 24, 14, 1))

        let dir = try TempDir()
        try dir.file("uke10.csv", file([("3/4/2026", "14:00", "14:20")]))
        let folder = reader.read(path: dir.path)
        #expect(folder.problems.map(\.severity) == [.notice])
        #expect(folder.problems.first?.file == "uke10.csv")
        #expect(!folder.hasErrors)
    }
}
