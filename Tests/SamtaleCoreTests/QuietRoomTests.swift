import Foundation
import PropertyBased
import Testing

@testable import SamtaleCore

/// The kiosk recomputes nothing while its room is quiet until `nextChange(after:options:)` (issue
/// 12): so nothing the door or the teacher sees may change before then.
@Suite("A quiet room")
struct QuietRoomTests {
    @Test("property: a quiet room's door and teacher views stay the same until nextChange, night mode included")
    func quietUntilNextChange() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...Int(Int32.max))) { seed in
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

/// A kiosk keeps of other rooms only what the caretaker's view needs (issue 12).
@Suite("The caretaker's share of the school")
struct CaretakerShareTests {
    @Test("property: the caretaker's view from the day's share is the view from every booking, all day")
    func sameView() {
        // SAMTALE_TEST_SEED=N repeats a run.
        let seed =
            ProcessInfo.processInfo.environment["SAMTALE_TEST_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 0...UInt64.max)
        print("caretaker share seed: \(seed)")
        var rng = SplitMix(seed: seed)
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
                #expect(view(kept) == view(bookings), "seed \(seed), round \(round), day \(day), \(now)")
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
