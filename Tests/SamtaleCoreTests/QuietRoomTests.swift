import Foundation
import PropertyBased
import SamtaleTestSupport
import Testing

@testable import SamtaleCore

/// The kiosk recomputes nothing while its room is quiet until `nextChange(after:options:)` (issue
/// 12): so nothing the door or the teacher sees may change before then.
@Suite("A quiet room")
struct QuietRoomTests {
    @Test("property: a quiet room's door and teacher views stay the same until nextChange, night mode included")
    func quietUntilNextChange() async {
        await seededPropertyCheck("quiet room", count: 10, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            let (bookings, steps) = SimulatedDayTests.randomDay(seed: UInt64(seed))
            let options = DoorOptions(night: .clock, nightQuiet: 30 * 60)
            var e = engine(bookings, at: at(11, 0))
            var quietSeen = 0
            // From before the day (night, then check-in opening) through it and past its end.
            for (t, step) in [(at(11, 10), SimulatedDayTests.Step.tick)] + steps.prefix(150) {
                if case .event(let ev) = step { e.handle(ev, at: t) } else { e.advance(to: t) }
                guard e.isQuiet(at: t), let next = e.nextChange(after: t, options: options) else { continue }
                quietSeen += 1
                #expect(next > t)
                let door = e.doorView(at: t, options: options)
                let teacher = e.teacherView(at: t)
                for _ in 0..<3 {
                    let probe = t.addingTimeInterval(
                        Double.random(in: 0..<1, using: &rng) * next.timeIntervalSince(t) * 0.999)
                    var later = e
                    later.advance(to: probe)
                    #expect(!later.doorView(at: probe, options: options).differs(from: door), "seed \(seed) at \(t)")
                    #expect(!later.teacherView(at: probe).differs(from: teacher), "seed \(seed) at \(t)")
                }
            }
            #expect(quietSeen > 0, "seed \(seed): the day was never quiet")
        }
    }

    @Test("night mode ends when the next conference comes within the quiet time: a change the kiosk wakes for")
    func nightEnds() {
        let bookings = day(count: 2, from: at(14, 0))
        var e = engine(bookings, at: at(9, 0))
        e.advance(to: at(9, 0))
        let options = DoorOptions(night: .clock, nightQuiet: 60 * 60)
        #expect(e.isQuiet(at: at(9, 0)))
        #expect(e.doorView(at: at(9, 0), options: options).night == .clock)
        let next = e.nextChange(after: at(9, 0), options: options)
        #expect(next == at(13, 0))
        #expect(e.doorView(at: at(13, 0), options: options).night == nil)
        // Without night mode, the next change is check-in opening.
        #expect(e.nextChange(after: at(9, 0), options: DoorOptions(night: .off)) == e.nextChange(after: at(9, 0)))
    }

    @Test("a room with a session, a waiting family or a late one is not quiet")
    func notQuiet() {
        let bookings = day(count: 3, from: at(14, 0))
        var e = engine(bookings, at: at(13, 0))
        #expect(e.isQuiet(at: at(13, 0)))
        // The first conference is due and nobody came: its expected start moves with the clock.
        e.advance(to: at(14, 2))
        #expect(!e.isQuiet(at: at(14, 2)))
        e.handle(.press(.button), at: at(14, 3))
        #expect(!e.isQuiet(at: at(14, 4)))
    }
}
