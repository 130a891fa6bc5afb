import Foundation
import SamtaleCore
import SamtaleTestSupport
import Synchronization
import Testing

@testable import SamtaleSchedule

@Suite("iCalendar")
struct ICalendarTests {
    let ics = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        BEGIN:VEVENT\r
        UID:evt-1@school\r
        DTSTART;TZID=Europe/Oslo:20261124T140000\r
        DTEND;TZID=Europe/Oslo:20261124T142000\r
        SUMMARY:Ola Nordmann\r
        LOCATION:204\r
        DESCRIPTION:Husk\\, karakter\\nkort\r
        ORGANIZER;CN=Kari Lærer:mailto:kari@example.org\r
        ATTENDEE;CN="Per Nordmann";ROLE=REQ-PARTICIPANT:mailto:per@example.org\r
        CATEGORIES:utviklingssamtale\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:evt-2@school\r
        DTSTART:20261124T132000Z\r
        DURATION:PT20M\r
        SUMMARY:Long name that is folded over\r
          two lines\r
        LOCATION:204\r
        STATUS:CANCELLED\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:evt-3@school\r
        DTSTART;VALUE=DATE:20261124\r
        LOCATION:204\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    @Test("events become bookings: TZID and UTC, DTEND and DURATION, folding, escapes, cancelled")
    func events() {
        let s = ICalendarReader(timeZone: oslo).parse(text: ics)
        #expect(s.bookings.count == 2)
        let a = s.bookings[0]
        #expect(a.id == "evt-1@school")
        #expect(a.start == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 0))
        #expect(a.end == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 20))
        #expect(a.room == "204")
        #expect(a.pupil == "Ola Nordmann")
        #expect(a.teachers == ["Kari Lærer"])
        #expect(a.guardians == ["Per Nordmann"])
        #expect(a.notes == "Husk, karakter\nkort")
        #expect(a.kind == "utviklingssamtale")
        let b = s.bookings[1]
        #expect(b.start == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 20))
        #expect(b.duration == 20 * 60)
        #expect(b.pupil == "Long name that is folded over two lines")
        #expect(b.cancelled)
        #expect(s.problems.contains { $0.message.contains("all-day") })
    }

    @Test("a folder of files is read as one schedule; the .ics by its extension")
    func folder() throws {
        let f = try Folder()
        _ = try f.write("a.csv", twoRows)
        _ = try f.write("b.ics", ics)
        _ = try f.write("~$a.csv", "lock")
        let s = reader.read(path: f.path)
        #expect(s.bookings.count == 4)
        #expect(s.problems.contains { $0.file == "b.ics" })
    }

    @Test("durations")
    func durations() {
        #expect(ICalendarReader.duration("PT20M") == 1200)
        #expect(ICalendarReader.duration("PT1H30M") == 5400)
        #expect(ICalendarReader.duration("P1D") == 86400)
        #expect(ICalendarReader.duration("20M") == nil)
    }
}
