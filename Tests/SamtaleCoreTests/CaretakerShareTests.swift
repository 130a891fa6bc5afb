import Foundation
import PropertyBased
import SamtaleTestSupport
import Testing

@testable import SamtaleCore

/// A kiosk keeps of other rooms only what the caretaker's view needs (issue 12).
@Suite("The caretaker's share of the school")
struct CaretakerShareTests {
    @Test("property: the caretaker's view from the day's share is the view from every booking, all day")
    func sameView() {
        let seed = TestSeed("caretaker share")
        var rng = seed.generator()
        for round in 0..<30 {
            // Six rooms over ten days (21–30 November, across no DST change), some rows cancelled,
            // some with recorded state (a family still waiting from an earlier day among them),
            // some rooms done before the day or starting after it.
            // State is recorded only for what has happened: on the day or before it.
            let day = Int.random(in: 20...30, using: &rng)
            var bookings: [Booking] = []
            for k in 0..<Int.random(in: 20...200, using: &rng) {
                let room = "R\(Int.random(in: 1...6, using: &rng))"
                let start = at(
                    Int.random(in: 8...18, using: &rng), [0, 20, 40].randomElement(using: &rng)!,
                    day: Int.random(in: 21...30, using: &rng))
                var b = Booking(
                    id: "b\(k)", room: room, start: start, end: start.plus(minutes: 20), teachers: ["T"],
                    pupil: "P\(k)", guardians: [], kind: nil, interpreter: nil)
                b.cancelled = Int.random(in: 0..<8, using: &rng) == 0
                switch start < at(23, 59, day: day) ? Int.random(in: 0..<6, using: &rng) : 5 {
                case 0: b.recorded = ConferenceProgress(phase: .done, checkedIn: start, started: start, ended: b.end)
                case 1: b.recorded = ConferenceProgress(phase: .noShow)
                case 2: b.recorded = ConferenceProgress(phase: .waiting, checkedIn: start.plus(minutes: -3))
                default: break
                }
                bookings.append(b)
            }
            let kept = CaretakerView.needed(bookings, on: at(12, 0, day: day), timeZone: oslo)
            #expect(kept.count <= bookings.count)
            for _ in 0..<4 {
                let now = at(Int.random(in: 0...23, using: &rng), Int.random(in: 0...59, using: &rng), day: day)
                func view(_ b: [Booking]) -> CaretakerView {
                    CaretakerView.make(
                        bookings: b, heartbeats: [], timeZone: oslo, at: now, scheduleReadAt: nil, scheduleProblem: nil)
                }
                #expect(view(kept) == view(bookings), "\(seed), round \(round), day \(day), \(now)")
            }
        }
    }

    @Test("the share holds the day, each room's next and last, and not the rest")
    func whatIsKept() {
        let earlier = day(count: 3, from: at(14, 0, day: 20), room: "A")
        let today = day(count: 3, from: at(14, 0, day: 24), room: "B")
        let later = day(count: 3, from: at(14, 0, day: 26), room: "A")
        let all = (earlier + today + later).enumerated().map { i, b in
            var b = b
            b.id = "x\(i)"
            return b
        }
        let kept = CaretakerView.needed(all, on: at(9, 0), timeZone: oslo)
        #expect(kept.map(\.id) == ["x2", "x3", "x4", "x5", "x6"])
    }
}
