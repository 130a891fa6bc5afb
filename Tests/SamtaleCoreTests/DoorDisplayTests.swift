import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@Suite("What the door display needs from the view")
struct DoorDisplayTests {
    @Test("night mode: closed with nothing within the quiet time, or the day over; never while anything is on")
    func night() {
        let e = engine(day(count: 3, from: at(17, 0)), at: at(12, 0))
        #expect(e.doorView(at: at(12, 0)).night == .clock, "hours before the first conference")
        #expect(e.doorView(at: at(16, 30)).night == nil, "closed, but the first conference is within the hour")
        #expect(e.doorView(at: at(16, 45)).night == nil, "check-in is open")
        #expect(e.doorView(at: at(12, 0), options: DoorOptions(night: .dark)).night == .dark)
        #expect(e.doorView(at: at(12, 0), options: DoorOptions(night: .off)).night == nil)
        #expect(
            e.doorView(at: at(15, 30), options: DoorOptions(nightQuiet: 2 * 3600)).night == nil,
            "a longer quiet time")
        var later = e
        later.handle(.press(.button), at: at(16, 50))
        #expect(later.doorView(at: at(16, 55)).night == nil, "a family is waiting")
        #expect(later.doorView(at: at(23, 0)).night == .clock, "the day is over")
        var untrusted = e
        untrusted.handle(.clock(trusted: false), at: at(12, 0))
        #expect(untrusted.doorView(at: at(12, 0)).night == nil, "a fault is never hidden by night mode")
    }

    @Test("the schedule's age and when check-in opens are in the view and its JSON")
    func scheduleAgeAndCheckIn() throws {
        var e = RoomEngine(room: "204", timeZone: oslo, at: at(16, 0))
        #expect(e.doorView(at: at(16, 0)).scheduleReadAt == nil)
        e.handle(.bookings(day(count: 2, from: at(17, 0))), at: at(16, 5))
        let v = e.doorView(at: at(16, 10))
        #expect(v.scheduleReadAt == at(16, 5))
        #expect(v.checkInOpensAt == at(16, 40))
        let json = String(decoding: try osloTime.jsonEncoder().encode(v), as: UTF8.self)
        #expect(json.contains("\"scheduleReadAt\":\"2026-11-24T16:05:00+01:00\""))
        #expect(json.contains("\"checkInOpensAt\":\"2026-11-24T16:40:00+01:00\""))
        #expect(json.contains("\"night\":null"))
        e.handle(.press(.button), at: at(16, 45))
        #expect(e.doorView(at: at(16, 46)).checkInOpensAt == at(17, 0), "the next one nobody checked in for")
    }
}
