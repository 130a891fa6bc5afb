import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleSchedule

/// A VCALENDAR around the given lines, CRLF-terminated as RFC 5545 writes them.
private func calendar(_ body: String, lineEnd: String = "\r\n") -> String {
    (["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"] + body.split(separator: "\n").map(String.init)
        + ["END:VCALENDAR"]).joined(separator: lineEnd) + lineEnd
}

/// A reader whose "now" is fixed, so the horizon does not depend on the day the tests run.
private let fixedNow = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21
private func read(_ text: String, zone: TimeZone = oslo, room: String? = nil) -> ICalendarReader.Reading {
    ICalendarReader(timeZone: zone, defaultRoom: room, now: fixedNow).read(text: text)
}

private let utc = TimeZone(identifier: "UTC")!
private func at(_ zone: TimeZone, _ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int = 0) -> Date {
    SchoolTime(timeZone: zone).instant(year: y, month: m, day: d, hour: h, minute: mi)!
}

/// The local dates (YYYY-MM-DD) of a rule's occurrences from a start, as the expander gives them.
private func dates(_ rule: String, from start: LocalTime, limit: LocalTime = LocalTime(year: 2030, month: 1, day: 1))
    -> [String]
{
    let r = try! RecurrenceRule.parse(rule).get()
    let times = r.expand(start: start, limit: limit, maximum: 500) { $0.seconds }.times
    return times.map { String($0.description.prefix(10)) }
}

@Suite("iCalendar series, zones and robustness")
struct ICalendarSeriesTests {

    // MARK: Recurrence rules (RFC 5545's own examples)

    @Test("WEEKLY with INTERVAL, BYDAY and WKST: the RFC's example gives different days for WKST=MO and WKST=SU")
    func weekStart() {
        let start = LocalTime(year: 1997, month: 8, day: 5, hour: 9)
        #expect(
            dates("FREQ=WEEKLY;INTERVAL=2;COUNT=3;BYDAY=TU,SU;WKST=MO", from: start)
                == ["1997-08-05", "1997-08-10", "1997-08-19"])
        #expect(
            dates("FREQ=WEEKLY;INTERVAL=2;COUNT=3;BYDAY=TU,SU;WKST=SU", from: start)
                == ["1997-08-05", "1997-08-17", "1997-08-19"])
    }

    @Test("MONTHLY with ordinal BYDAY, negative BYMONTHDAY and BYSETPOS")
    func monthly() {
        let start = LocalTime(year: 1997, month: 9, day: 5, hour: 9)
        // The first Friday of each month.
        #expect(dates("FREQ=MONTHLY;COUNT=3;BYDAY=1FR", from: start) == ["1997-09-05", "1997-10-03", "1997-11-07"])
        // The last Friday.
        #expect(dates("FREQ=MONTHLY;COUNT=2;BYDAY=-1FR", from: start) == ["1997-09-26", "1997-10-31"])
        // The second-to-last day of the month.
        #expect(dates("FREQ=MONTHLY;COUNT=3;BYMONTHDAY=-2", from: start) == ["1997-09-29", "1997-10-30", "1997-11-29"])
        // The last work day of the month.
        #expect(
            dates("FREQ=MONTHLY;COUNT=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", from: start)
                == ["1997-09-30", "1997-10-31", "1997-11-28"])
        // Every other month on the 31st: months without one are skipped, not moved.
        #expect(
            dates("FREQ=MONTHLY;INTERVAL=2;COUNT=3;BYMONTHDAY=31", from: LocalTime(year: 2026, month: 1, day: 31))
                == ["2026-01-31", "2026-03-31", "2026-05-31"])
    }

    @Test("YEARLY with BYMONTH, BYWEEKNO, BYYEARDAY; DAILY with UNTIL; a rule that can never match ends")
    func yearlyAndDaily() {
        // US Thanksgiving: the fourth Thursday of November.
        #expect(
            dates("FREQ=YEARLY;COUNT=3;BYMONTH=11;BYDAY=4TH", from: LocalTime(year: 2026, month: 11, day: 26))
                == ["2026-11-26", "2027-11-25", "2028-11-23"])
        // Monday of ISO week 20.
        #expect(
            dates("FREQ=YEARLY;COUNT=3;BYWEEKNO=20;BYDAY=MO", from: LocalTime(year: 1997, month: 5, day: 12))
                == ["1997-05-12", "1998-05-11", "1999-05-17"])
        // The 100th and 200th day of the year.
        #expect(
            dates("FREQ=YEARLY;COUNT=4;BYYEARDAY=100,200", from: LocalTime(year: 2026, month: 1, day: 1))
                == ["2026-04-10", "2026-07-19", "2027-04-10", "2027-07-19"])
        #expect(
            dates("FREQ=DAILY;UNTIL=20261126", from: LocalTime(year: 2026, month: 11, day: 23, hour: 14))
                == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"])
        #expect(dates("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", from: LocalTime(year: 2026, month: 1, day: 1)).isEmpty)
    }

    @Test("a rule that cannot be read says which part, and the hourly frequencies are refused with a reason")
    func badRules() {
        #expect(throws: RuleError.self) { try RecurrenceRule.parse("FREQ=WEEKLY;BYDAY=XX").get() }
        #expect(throws: RuleError.self) { try RecurrenceRule.parse("BYDAY=MO").get() }
        let s = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:h
                DTSTART;TZID=Europe/Oslo:20261124T140000
                DURATION:PT20M
                RRULE:FREQ=HOURLY;COUNT=3
                LOCATION:204
                END:VEVENT
                """)
        ).schedule
        #expect(s.bookings.count == 1)
        #expect(s.problems.contains { $0.line == 8 && $0.message.contains("FREQ=HOURLY is not supported") })
    }

    // MARK: Series in a schedule

    @Test(
        "a weekly series keeps its wall-clock time across the change to winter time; EXDATE drops the first; RDATE adds"
    )
    func weeklyAcrossDST() {
        let s = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:weekly@school
                DTSTART;TZID=Europe/Oslo:20261019T140000
                DTEND;TZID=Europe/Oslo:20261019T142000
                RRULE:FREQ=WEEKLY;COUNT=3
                EXDATE;TZID=Europe/Oslo:20261019T140000
                RDATE;TZID=Europe/Oslo:20261104T160000
                LOCATION:204
                END:VEVENT
                """)
        ).schedule
        #expect(s.problems.isEmpty)
        #expect(
            s.bookings.map(\.start) == [
                at(oslo, 2026, 10, 26, 14), at(oslo, 2026, 11, 2, 14), at(oslo, 2026, 11, 4, 16),
            ])
        // 14:00 in Oslo is 12:00 UTC in summer time and 13:00 UTC after 25 October.
        #expect(at(utc, 2026, 10, 19, 12) == at(oslo, 2026, 10, 19, 14))
        #expect(s.bookings[0].start == at(utc, 2026, 10, 26, 13))
        #expect(s.bookings.allSatisfy { $0.duration == 20 * 60 })
        #expect(
            s.bookings.map(\.id) == [
                "weekly@school/20261026T130000Z", "weekly@school/20261102T130000Z", "weekly@school/20261104T150000Z",
            ])
    }

    @Test("an override before its master replaces its occurrence; a cancelled one becomes a cancelled booking")
    func overrides() {
        let s = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:series
                RECURRENCE-ID;TZID=Europe/Oslo:20261125T140000
                DTSTART;TZID=Europe/Oslo:20261125T150000
                DTEND;TZID=Europe/Oslo:20261125T153000
                LOCATION:205
                SUMMARY:moved
                END:VEVENT
                BEGIN:VEVENT
                UID:series
                DTSTART;TZID=Europe/Oslo:20261124T140000
                DURATION:PT20M
                RRULE:FREQ=DAILY;COUNT=3
                LOCATION:204
                SUMMARY:plain
                END:VEVENT
                BEGIN:VEVENT
                UID:series
                RECURRENCE-ID;TZID=Europe/Oslo:20261126T140000
                DTSTART;TZID=Europe/Oslo:20261126T140000
                DURATION:PT20M
                STATUS:CANCELLED
                LOCATION:204
                END:VEVENT
                """)
        ).schedule
        #expect(!s.problems.contains { $0.severity != .warning })
        #expect(s.bookings.count == 3)
        let moved = s.bookings.first { $0.pupil == "moved" }
        #expect(moved?.start == at(oslo, 2026, 11, 25, 15))
        #expect(moved?.room == "205")
        #expect(moved?.duration == TimeInterval(30 * 60))
        // Its identity is its place in the series, not where it moved to.
        #expect(moved?.id == "series/20261125T130000Z")
        #expect(s.bookings.filter(\.cancelled).map(\.start) == [at(oslo, 2026, 11, 26, 14)])
        #expect(!s.bookings.contains { $0.start == at(oslo, 2026, 11, 25, 14) })
        // The same file read again gives the same ids.
        #expect(
            read(
                calendar(
                    "BEGIN:VEVENT\nUID:series\nDTSTART:20261124T130000Z\nDURATION:PT20M\nRRULE:FREQ=DAILY;COUNT=2\nLOCATION:204\nEND:VEVENT"
                )
            ).schedule.bookings.map(\.id) == ["series/20261124T130000Z", "series/20261125T130000Z"])
    }

    @Test("an endless series stops at the horizon: a year after the file's last date or now")
    func horizon() {
        let r = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:forever
                DTSTART:20260105T130000Z
                DURATION:PT20M
                RRULE:FREQ=WEEKLY
                LOCATION:204
                END:VEVENT
                """))
        let end = fixedNow.addingTimeInterval(366 * 86400)
        #expect(r.horizon?.to == end)
        #expect(r.schedule.bookings.last!.start <= end)
        #expect(r.schedule.bookings.last!.start > end.addingTimeInterval(-7 * 86400))
        #expect(r.schedule.bookings.count > 52)
    }

    // MARK: Zones

    private func oneEvent(tzid: String, extra: String = "") -> String {
        calendar(
            extra + """
                BEGIN:VEVENT
                UID:z
                DTSTART;TZID=\(tzid):20260115T140000
                DTEND;TZID=\(tzid):20260115T142000
                LOCATION:204
                END:VEVENT
                """)
    }

    @Test("Windows zone names and display names, vendor prefixes and IANA names")
    func zoneNames() {
        let cases: [(String, String)] = [
            ("W. Europe Standard Time", "Europe/Berlin"),
            ("Romance Standard Time", "Europe/Paris"),
            ("Pacific Standard Time", "America/Los_Angeles"),
            ("(UTC-03:00) Brasília", "America/Sao_Paulo"),
            ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
            ("/mozilla.org/20050126_1/America/New_York", "America/New_York"),
            ("/softwarestudio.org/Olson_20011030_5/America/New_York", "America/New_York"),
            ("/citadel.org/20190914_1/Asia/Tokyo", "Asia/Tokyo"),
            ("America/Sao_Paulo", "America/Sao_Paulo"),
        ]
        for (tzid, iana) in cases {
            let s = read(oneEvent(tzid: "\"\(tzid)\"")).schedule
            #expect(s.problems.isEmpty, "\(tzid)")
            #expect(s.bookings.first?.start == at(TimeZone(identifier: iana)!, 2026, 1, 15, 14), "\(tzid)")
        }
    }

    @Test("a VTIMEZONE with its own name and rules is honoured, daylight saving included")
    func vtimezone() {
        let block = """
            BEGIN:VTIMEZONE
            TZID:Skolens sone
            BEGIN:STANDARD
            DTSTART:19701025T030000
            TZOFFSETFROM:+0200
            TZOFFSETTO:+0100
            RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
            END:STANDARD
            BEGIN:DAYLIGHT
            DTSTART:19700329T020000
            TZOFFSETFROM:+0100
            TZOFFSETTO:+0200
            RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
            END:DAYLIGHT
            END:VTIMEZONE

            """
        let winter = read(oneEvent(tzid: "Skolens sone", extra: block), zone: utc).schedule
        #expect(winter.problems.isEmpty)
        #expect(winter.bookings.first?.start == at(utc, 2026, 1, 15, 13))
        let summer = read(
            oneEvent(tzid: "Skolens sone", extra: block).replacingOccurrences(of: "0115", with: "0615"), zone: utc
        ).schedule
        #expect(summer.bookings.first?.start == at(utc, 2026, 6, 15, 12))
        // An IANA name comes before a VTIMEZONE of the same name (its rules are the tz database's).
        let named = block.replacingOccurrences(of: "Skolens sone", with: "America/New_York")
        #expect(
            read(oneEvent(tzid: "America/New_York", extra: named), zone: utc).schedule.bookings.first?.start
                == at(utc, 2026, 1, 15, 19))
    }

    @Test("an unknown zone is a warning on its line naming the zone and what was assumed")
    func unknownZone() {
        let s = read(oneEvent(tzid: "Mars Standard Time")).schedule
        #expect(s.bookings.first?.start == at(oslo, 2026, 1, 15, 14))
        let w = s.problems.first { $0.severity == .warning }
        #expect(w?.line == 6)
        #expect(w?.message.contains("\"Mars Standard Time\"") == true)
        #expect(w?.message.contains("Europe/Oslo") == true)
    }

    // MARK: Robustness

    @Test("a byte-order mark and CR-only, LF or CRLF line ends are all read")
    func lineEnds() {
        let body = """
            BEGIN:VEVENT
            UID:a
            DTSTART;TZID=Europe/Oslo:20261124T140000
            DURATION:PT20M
            LOCATION:204
            END:VEVENT
            """
        for end in ["\r\n", "\n", "\r"] {
            let s = read("\u{FEFF}" + calendar(body, lineEnd: end)).schedule
            #expect(s.problems.isEmpty, "\(end.debugDescription)")
            #expect(s.bookings.map(\.start) == [at(oslo, 2026, 11, 24, 14)], "\(end.debugDescription)")
        }
        // Through the file reader too, whatever the file is called.
        let f = try! Folder()
        let path = try! f.write("export.txt", "\u{FEFF}" + calendar(body, lineEnd: "\r"))
        #expect(ScheduleReader(timeZone: oslo).read(path: path).bookings.count == 1)
    }

    @Test("a VALARM's DURATION and DESCRIPTION stay out of its event")
    func alarms() {
        let s = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:a
                DTSTART;TZID=Europe/Oslo:20261124T140000
                BEGIN:VALARM
                TRIGGER:-PT15M
                DURATION:PT5M
                DESCRIPTION:Alarm text
                ACTION:DISPLAY
                END:VALARM
                DTEND;TZID=Europe/Oslo:20261124T142000
                LOCATION:204
                END:VEVENT
                """)
        ).schedule
        #expect(s.problems.isEmpty)
        #expect(s.bookings.first?.duration == TimeInterval(20 * 60))
        #expect(s.bookings.first?.notes == nil)
    }

    @Test("absurd durations, zero lengths and broken lines are reported on their lines")
    func problems() {
        let s = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:long
                DTSTART;TZID=Europe/Oslo:20261124T140000
                DURATION:P5200W
                LOCATION:204
                END:VEVENT
                BEGIN:VEVENT
                UID:zero
                DTSTART;TZID=Europe/Oslo:20261124T150000
                DTEND;TZID=Europe/Oslo:20261124T150000
                LOCATION:204
                this line is broken
                END:VEVENT
                """)
        ).schedule
        #expect(s.bookings.isEmpty)
        #expect(s.problems.contains { $0.line == 4 && $0.message.contains("lasts 36400 days") })
        #expect(
            s.problems.contains {
                $0.line == 10 && $0.message.contains("no length") && !$0.message.contains("before it starts")
            })
        #expect(s.problems.contains { $0.line == 15 && $0.message.contains("this line is broken") })
    }

    @Test("overlap warnings in an .ics name the events' real lines")
    func overlaps() {
        let s = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:a
                DTSTART;TZID=Europe/Oslo:20261124T140000
                DURATION:PT30M
                LOCATION:204
                END:VEVENT
                BEGIN:VEVENT
                UID:b
                DTSTART;TZID=Europe/Oslo:20261124T141500
                DURATION:PT20M
                LOCATION:204
                END:VEVENT
                """)
        ).schedule
        let w = s.problems.first { $0.message.contains("overlaps") }
        #expect(w?.line == 10)
        #expect(w?.message.contains("line 4") == true)
    }

    @Test("events without LOCATION take the default room when one is given")
    func defaultRoom() {
        let text = calendar("BEGIN:VEVENT\nUID:a\nDTSTART:20261124T130000Z\nDURATION:PT20M\nEND:VEVENT")
        #expect(read(text).schedule.problems.contains { $0.message.contains("no LOCATION") })
        #expect(read(text, room: "hall").schedule.bookings.map(\.room) == ["hall"])
    }

    @Test("RANGE=THISANDFUTURE moves the rest of the series; an RDATE PERIOD keeps its own end")
    func thisAndFuture() {
        let s = read(
            calendar(
                """
                BEGIN:VEVENT
                UID:s
                DTSTART:20261123T130000Z
                DTEND:20261123T132000Z
                RRULE:FREQ=DAILY;COUNT=4
                RDATE;VALUE=PERIOD:20261130T130000Z/PT45M
                LOCATION:204
                END:VEVENT
                BEGIN:VEVENT
                UID:s
                RECURRENCE-ID;RANGE=THISANDFUTURE:20261125T130000Z
                DTSTART:20261125T140000Z
                DTEND:20261125T143000Z
                LOCATION:205
                END:VEVENT
                """)
        ).schedule
        #expect(
            s.bookings.map(\.start) == [
                at(utc, 2026, 11, 23, 13), at(utc, 2026, 11, 24, 13), at(utc, 2026, 11, 25, 14),
                at(utc, 2026, 11, 26, 14), at(utc, 2026, 11, 30, 14),
            ])
        #expect(s.bookings.map(\.room) == ["204", "204", "205", "205", "205"])
        #expect(s.bookings[2].duration == TimeInterval(30 * 60))
        let plain = read(
            calendar(
                "BEGIN:VEVENT\nUID:p\nDTSTART:20261123T130000Z\nDTEND:20261123T132000Z\nRDATE;VALUE=PERIOD:20261130T130000Z/PT45M\nLOCATION:204\nEND:VEVENT"
            )
        ).schedule
        #expect(plain.bookings.map(\.duration) == [TimeInterval(20 * 60), TimeInterval(45 * 60)])
    }

    @Test("a display name with an unknown place is read at the offset it names, with a warning")
    func displayOffset() {
        let s = read(oneEvent(tzid: "\"(UTC+05:00) Nowhere Town\"")).schedule
        #expect(s.bookings.first?.start == at(utc, 2026, 1, 15, 9))
        #expect(s.problems.contains { $0.severity == .warning && $0.line == 6 && $0.message.contains("Nowhere Town") })
    }

    @Test("the Windows zone table is generated from CLDR, not typed: every entry names a zone Foundation knows")
    func windowsTable() {
        #expect(WindowsZones.iana.count > 130)
        for (name, iana) in WindowsZones.iana { #expect(TimeZone(identifier: iana) != nil, "\(name) → \(iana)") }
        for (_, windows) in WindowsZones.displayNames { #expect(WindowsZones.iana[windows] != nil) }
    }
}
