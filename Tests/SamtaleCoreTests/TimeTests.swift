import Foundation
import SamtaleTestSupport
import Testing

@testable import SamtaleCore

@Suite("The school's time: zones and the October change")
struct TimeTests {
    @Test("14:00 on both sides of the October change is 14:00 local, 73 hours apart")
    func acrossTheChange() {
        let friday = at(14, 0, day: 23, month: 10)
        let monday = at(14, 0, day: 26, month: 10)
        #expect(osloTime.timeString(friday) == "14:00")
        #expect(osloTime.timeString(monday) == "14:00")
        #expect(monday.timeIntervalSince(friday) == 73 * 3600)
        #expect(osloTime.iso(friday).hasSuffix("+02:00"))
        #expect(osloTime.iso(monday).hasSuffix("+01:00"))
    }

    @Test("a conference across the change night lasts its real length")
    func lengthAcrossChange() {
        let start = osloTime.instant(year: 2026, month: 10, day: 25, hour: 1, minute: 30)!
        let end = osloTime.instant(year: 2026, month: 10, day: 25, hour: 3, minute: 30)!
        #expect(end.timeIntervalSince(start) == 3 * 3600)
        let b = Booking(id: "N", room: "204", start: start, end: end)
        var e = RoomEngine(room: "204", timeZone: oslo, bookings: [b], at: start.addingTimeInterval(-3600))
        e.handle(.press(.button), at: start.addingTimeInterval(-60))
        e.advance(to: start.addingTimeInterval(3600))
        #expect(e.doorView(at: start.addingTimeInterval(3600)).remainingSeconds == 2 * 3600)
    }

    @Test("a day of conferences straddling the change is timed right on both days")
    func engineAcrossDays() {
        let bookings = [
            Booking(id: "F", room: "204", start: at(14, 0, day: 23, month: 10), end: at(14, 20, day: 23, month: 10)),
            Booking(id: "M", room: "204", start: at(14, 0, day: 26, month: 10), end: at(14, 20, day: 26, month: 10)),
        ]
        var e = RoomEngine(room: "204", timeZone: oslo, bookings: bookings, at: at(8, 0, day: 23, month: 10))
        e.handle(.press(.button), at: at(13, 45, day: 23, month: 10))
        e.handle(.end, at: at(14, 18, day: 23, month: 10))
        #expect(e.light(at: at(16, 0, day: 23, month: 10)) == .closed)
        #expect(
            e.handle(.press(.button), at: at(13, 30, day: 26, month: 10))
                == .notYet(nextStart: at(14, 0, day: 26, month: 10), opensAt: at(13, 40, day: 26, month: 10)))
        e.advance(to: at(13, 41, day: 26, month: 10))
        #expect(e.light(at: at(13, 41, day: 26, month: 10)) == .free)
        #expect(e.nextChange(after: at(13, 41, day: 26, month: 10)) == at(14, 0, day: 26, month: 10))
    }

    @Test("impossible dates are refused, not rolled over")
    func impossible() {
        #expect(osloTime.instant(year: 2026, month: 2, day: 31, hour: 14, minute: 0) == nil)
        #expect(osloTime.instant(year: 2026, month: 11, day: 24, hour: 24, minute: 0) == nil)
    }

    @Test("the local day ends at local midnight, DST included")
    func midnight() {
        let e = RoomEngine(room: "204", timeZone: oslo, at: at(12, 0, day: 25, month: 10))
        let end = e.endOfLocalDay(at(12, 0, day: 25, month: 10))
        #expect(end == at(0, 0, day: 26, month: 10))
        #expect(end.timeIntervalSince(at(0, 0, day: 25, month: 10)) == 25 * 3600)
    }
}
