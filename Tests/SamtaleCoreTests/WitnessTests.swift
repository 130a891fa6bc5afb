import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

/// A kiosk records only what it saw: time-driven transitions before it watched a conference
/// (before it first ran, while it was off, across a clock correction) are never its to record.
@Suite("What the engine witnessed")
struct WitnessTests {
    @Test("conferences that ended before the engine ran are no-shows to the view, but unwitnessed")
    func pastIsUnwitnessed() {
        var e = engine(day(count: 4, from: at(14, 0)), at: at(15, 0))
        e.advance(to: at(15, 0))
        #expect(e.conference("B1")?.status == .noShow)
        #expect(e.unwitnessed == ["B1", "B2", "B3"])
        // B4 (14:60–15:20) is still open for check-in; its no-show later is witnessed.
        e.advance(to: at(15, 30))
        #expect(e.conference("B4")?.status == .noShow)
        #expect(!e.unwitnessed.contains("B4"))
    }

    @Test("a person's action on an unwitnessed conference is witnessed")
    func actionWitnesses() {
        var e = engine(day(count: 2, from: at(14, 0)), at: at(14, 30))
        e.advance(to: at(14, 30))
        #expect(e.unwitnessed.contains("B1"))
        e.handle(.checkIn(id: "B1"), at: at(14, 31))
        #expect(!e.unwitnessed.contains("B1"))
    }

    @Test("a booking the office adds for a time already past is not turned into a no-show")
    func addedLate() {
        var e = engine(day(count: 1, from: at(16, 0)), at: at(14, 0))
        let late = Booking(id: "X", room: "204", start: at(13, 0), end: at(13, 20), pupil: "Added Late")
        e.handle(.bookings(day(count: 1, from: at(16, 0)) + [late]), at: at(14, 5))
        #expect(e.conference("X")?.status == .noShow)
        #expect(e.unwitnessed == ["X"])
    }

    @Test("a clock synchronised hours later: what lay between was not witnessed")
    func clockCorrection() {
        // Booted with a clock at 08:00 that is really 15:00.
        var e = engine(day(count: 3, from: at(14, 0)), at: at(8, 0))
        e.handle(.clock(trusted: false), at: at(8, 0))
        e.handle(.clock(trusted: true), at: at(15, 0))
        #expect(e.conference("B1")?.status == .noShow)
        // B3 (14:40) became a no-show at 14:50, also unseen.
        #expect(e.unwitnessed == ["B1", "B2", "B3"])
        var f = engine(day(count: 3, from: at(14, 0)), at: at(8, 0))
        f.handle(.clockStepped, at: at(15, 0))
        #expect(f.unwitnessed == ["B1", "B2", "B3"])
    }

    @Test("a family seen checking in starts by itself across a clock step: that start is witnessed")
    func startAcrossStep() {
        var e = engine(day(count: 2, from: at(14, 0)), at: at(13, 50))
        e.handle(.press(.button), at: at(13, 51))
        e.handle(.clockStepped, at: at(14, 0).plus(minutes: 0.1))
        #expect(e.conference("B1")?.status == .inSession)
        #expect(e.unwitnessed.isEmpty)
    }

    @Test("a day watched from the start has nothing unwitnessed")
    func watchedDay() {
        var e = engine(day(count: 4, from: at(14, 0)), at: at(13, 0))
        for minute in stride(from: 0, through: 180, by: 1) { e.advance(to: at(13, 0).plus(minutes: Double(minute))) }
        #expect(e.conferences.allSatisfy { $0.status == .noShow })
        #expect(e.unwitnessed.isEmpty)
    }
}
