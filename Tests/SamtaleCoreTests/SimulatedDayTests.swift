import Foundation
import PropertyBased
import SamtaleTestSupport
import Testing

@testable import SamtaleCore

/// Whole conference days driven by hundreds of random events: presses (with bounce-like
/// repeats), late teachers, early finishes, no-shows and cancellations arriving mid-day.
@Suite("Simulated days")
struct SimulatedDayTests {
    enum Step {
        case event(Event)
        case tick
    }

    /// A random day: 10–24 conferences of 15–45 minutes, and 200–500 events spread over it.
    static func randomDay(seed: UInt64) -> (bookings: [Booking], steps: [(Date, Step)]) {
        var rng = SplitMix(seed: seed)
        let count = Int.random(in: 10...24, using: &rng)
        let minutes = [15, 20, 30, 45].randomElement(using: &rng)!
        let gap = Int.random(in: 0...5, using: &rng)
        var bookings = day(count: count, from: at(13, 0), minutes: minutes, gap: gap)
        // Separated parents: one pupil, two conferences.
        bookings[1].pupil = bookings[0].pupil
        let end = bookings.last!.end.plus(minutes: 90)
        var t = at(12, 0)
        var steps: [(Date, Step)] = []
        let total = Int.random(in: 200...500, using: &rng)
        let span = end.timeIntervalSince(t)
        for _ in 0..<total {
            t = t.addingTimeInterval(Double.random(in: 0...(2 * span / Double(total)), using: &rng))
            let roll = Int.random(in: 0..<100, using: &rng)
            let step: Step
            switch roll {
            case 0..<40: step = .event(.press(Bool.random(using: &rng) ? .button : .touch))
            case 40..<50:
                step = .event(.start(id: Bool.random(using: &rng) ? nil : bookings.randomElement(using: &rng)!.id))
            case 50..<60: step = .event(.end)
            case 60..<64: step = .event(.extend(minutes: Int.random(in: -1...15, using: &rng)))
            case 64..<68: step = .event(.markNoShow(id: nil))
            case 68..<72: step = .event(.undo)
            case 72..<74: step = .event(.checkIn(id: bookings.randomElement(using: &rng)!.id))
            case 74..<76:
                // The office cancels one booking, or moves one by a few minutes.
                var changed = bookings
                let i = Int.random(in: 0..<changed.count, using: &rng)
                if Bool.random(using: &rng) {
                    changed[i].cancelled = true
                } else {
                    changed[i].start = changed[i].start.plus(minutes: 5)
                    changed[i].end = changed[i].end.plus(minutes: 5)
                }
                bookings = changed
                step = .event(.bookings(changed))
            case 76..<77: step = .event(.clock(trusted: Bool.random(using: &rng)))
            default: step = .tick
            }
            steps.append((t, step))
            // Bounce-like repeats: the same press again within milliseconds.
            if case .event(.press) = step, Int.random(in: 0..<4, using: &rng) == 0 {
                for k in 1...Int.random(in: 1...5, using: &rng) {
                    steps.append((t.addingTimeInterval(Double(k) * 0.002), step))
                }
                t = t.addingTimeInterval(0.02)
            }
        }
        steps.append((end, .event(.clock(trusted: true))))
        steps.append((end.plus(minutes: 120), .tick))
        return (
            day(count: count, from: at(13, 0), minutes: minutes, gap: gap).enumerated().map { i, b in
                var b = b
                if i == 1 { b.pupil = bookings[0].pupil }
                return b
            }, steps
        )
    }

    static func checkInvariants(_ e: RoomEngine, at now: Date) {
        let inSession = e.conferences.filter { $0.status == .inSession }
        #expect(inSession.count <= 1, "at most one conference in session per room")
        for c in e.conferences {
            let p = c.progress
            switch c.status {
            case .scheduled: #expect(p.started == nil && p.ended == nil)
            case .waiting: #expect(p.checkedIn != nil && p.started == nil && p.ended == nil)
            case .inSession: #expect(p.started != nil && p.ended == nil)
            case .done:
                #expect(p.started != nil && p.ended != nil)
                #expect(p.ended! >= p.started!)
            case .noShow, .cancelled: #expect(p.ended == nil || p.started != nil)
            }
        }
        for (id, t) in e.expectedTimes(at: now) {
            #expect(t.start >= e.conference(id)!.start, "expected starts never precede scheduled ones")
            #expect(t.start >= now)
        }
        let door = e.doorView(at: now)
        #expect(door.runningLateMinutes >= 0)
        #expect((door.current == nil) == (e.current == nil))
    }

    static func run(seed: UInt64) -> (RoomEngine, presses: Int, answered: Int, checkIns: Int) {
        let (bookings, steps) = randomDay(seed: seed)
        var e = engine(bookings, at: at(12, 0))
        var presses = 0
        var answered = 0
        var checkIns = 0
        for (t, step) in steps {
            switch step {
            case .tick: e.advance(to: t)
            case .event(let event):
                let answer = e.handle(event, at: t)
                if case .press = event {
                    presses += 1
                    switch answer {
                    case .checkedIn:
                        answered += 1
                        checkIns += 1
                    case .alreadyCheckedIn, .notYet, .noMoreConferences, .unavailable: answered += 1
                    case .done, .refused: break
                    }
                }
            }
            checkInvariants(e, at: t)
        }
        return (e, presses, answered, checkIns)
    }

    @Test("invariants hold through random days; every press is answered", arguments: [1, 2, 3, 42, 2026] as [UInt64])
    func invariantsOnFixedSeeds(seed: UInt64) {
        let (e, presses, answered, _) = Self.run(seed: seed)
        #expect(presses > 50)
        #expect(answered == presses, "every press gets an answer to show")
        // At the end of the day nothing is left in session or waiting.
        #expect(e.current == nil)
        #expect(e.waiting.isEmpty)
    }

    @Test("property: invariants over many random days")
    func invariantsProperty() async {
        await seededPropertyCheck("random days", count: 12, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            let (_, presses, answered, _) = Self.run(seed: UInt64(seed))
            #expect(answered == presses, "the day of seed \(seed)")
        }
    }

    @Test("the engine is deterministic: the same events at the same instants give the same state")
    func deterministic() {
        let a = Self.run(seed: 7)
        let b = Self.run(seed: 7)
        #expect(a.0 == b.0)
        #expect(a.checkIns == b.checkIns)
    }

    @Test("a bouncing button checks a family in once")
    func bounce() {
        var e = engine(day(count: 3, from: at(14, 0)), at: at(13, 0))
        var answers: [Answer] = []
        for k in 0..<10 {
            answers.append(e.handle(.press(.button), at: at(13, 50).addingTimeInterval(Double(k) * 0.0005)))
        }
        #expect(answers.filter(\.isCheckIn).count == 1)
        #expect(e.waiting.count == 1)
    }

    @Test("property: nothing the door shows changes between one nextChange and the next")
    func nextChangeIsExact() async {
        await seededPropertyCheck("next change", count: 10, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var rng = SplitMix(seed: UInt64(seed))
            let (bookings, steps) = Self.randomDay(seed: UInt64(seed))
            var e = engine(bookings, at: at(12, 0))
            for (t, step) in steps.prefix(120) {
                if case .event(let ev) = step { e.handle(ev, at: t) } else { e.advance(to: t) }
                guard let next = e.nextChange(after: t) else { continue }
                #expect(next > t)
                // Any instant strictly before `next` shows what `t` shows (but for the countdown).
                let probe = t.addingTimeInterval(
                    Double.random(in: 0..<1, using: &rng) * next.timeIntervalSince(t) * 0.999)
                var later = e
                later.advance(to: probe)
                #expect(later.light(at: probe) == e.light(at: t), "the day of seed \(seed) at \(t)")
                #expect(
                    later.conferences.map(\.status) == e.conferences.map(\.status), "the day of seed \(seed) at \(t)")
            }
        }
    }

    @Test("a cancellation arriving mid-day takes the conference out of the queue")
    func cancellationMidDay() {
        var bookings = day(count: 3, from: at(14, 0))
        var e = engine(bookings, at: at(13, 0))
        bookings[1].cancelled = true
        e.handle(.bookings(bookings), at: at(14, 5))
        #expect(e.conference("B2")?.status == .cancelled)
        #expect(e.doorView(at: at(14, 5)).upcoming.map(\.id) == ["B1", "B3"])
    }

    @Test("progress another writer recorded in the schedule is adopted; ours is never lost")
    func mergeRecordedProgress() {
        var bookings = day(count: 3, from: at(14, 0))
        var e = engine(bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 50))
        bookings[1].recorded = ConferenceProgress(phase: .waiting, checkedIn: at(14, 1))
        bookings[0].recorded = nil
        e.handle(.bookings(bookings), at: at(14, 2))
        #expect(e.conference("B1")?.status == .inSession)
        #expect(e.conference("B2")?.status == .waiting)
        // The office deletes the row of the family inside: the session is kept until it ends.
        e.handle(.bookings(Array(bookings.dropFirst())), at: at(14, 3))
        #expect(e.current?.id == "B1")
    }

    @Test("two bookings for one pupil are two conferences")
    func separatedParents() {
        var bookings = day(count: 2, from: at(14, 0))
        bookings[1].pupil = bookings[0].pupil
        let e = engine(bookings, at: at(13, 0))
        #expect(e.conferences.count == 2)
    }
}
