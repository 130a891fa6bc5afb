import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleHardware

@Suite("Debouncing a contact")
struct DebouncerTests {
    @Test("the first edge of a press is reported at once")
    func immediate() {
        var d = Debouncer(bounceNanoseconds: 30 * ms, holdNanoseconds: nil)
        #expect(d.edge(active: true, at: 1000 * ms) == [.pressed(at: 1000 * ms)])
    }

    @Test("a contact bouncing ten times within 5 ms gives exactly one press, and the release after")
    func bounce() {
        var d = Debouncer(bounceNanoseconds: 30 * ms, holdNanoseconds: nil)
        var out: [Debouncer.Output] = []
        var active = true
        for k in 0..<10 {
            out += d.edge(active: active, at: 1000 * ms + UInt64(k) * ms / 2)
            active.toggle()
        }
        // Ten edges starting with a press end inactive… but the contact settles pressed:
        #expect(out == [.pressed(at: 1000 * ms)])
        #expect(d.nextDeadline == 1030 * ms)
        #expect(d.tick(at: 1030 * ms, active: true).isEmpty)
        #expect(d.isPressed)
        // Released later, bouncing again.
        out = d.edge(active: false, at: 1500 * ms)
        out += d.edge(active: true, at: 1501 * ms)
        out += d.edge(active: false, at: 1502 * ms)
        #expect(out == [.released(at: 1500 * ms)])
        #expect(d.tick(at: 1530 * ms, active: false).isEmpty)
    }

    @Test("a bounce that ends in the other state is resolved when the bounce time ends")
    func settlesOther() {
        var d = Debouncer(bounceNanoseconds: 30 * ms, holdNanoseconds: nil)
        #expect(d.edge(active: true, at: 0) == [.pressed(at: 0)])
        #expect(d.edge(active: false, at: 2 * ms).isEmpty, "a release within the bounce time is not reported yet")
        // The finger really let go within the bounce time: released when it settles.
        #expect(d.tick(at: 30 * ms, active: false) == [.released(at: 30 * ms)])
    }

    @Test("a long press is held once, at the hold time")
    func hold() {
        var d = Debouncer(bounceNanoseconds: 30 * ms, holdNanoseconds: 2000 * ms)
        #expect(d.edge(active: true, at: 0) == [.pressed(at: 0)])
        #expect(d.nextDeadline == 2000 * ms)
        #expect(d.tick(at: 2000 * ms, active: true) == [.held(at: 2000 * ms)])
        #expect(d.nextDeadline == nil)
        #expect(d.tick(at: 3000 * ms, active: true).isEmpty)
        #expect(d.edge(active: false, at: 3500 * ms) == [.released(at: 3500 * ms)])
    }

    @Test("random bounce trains always give alternating press and release, never two presses in a row")
    func randomTrains() {
        let seed = TestSeed("bounce trains")
        var rng = seed.generator()
        for _ in 0..<500 {
            var d = Debouncer(bounceNanoseconds: 30 * ms, holdNanoseconds: nil)
            var t: UInt64 = 0
            var active = false
            var out: [Debouncer.Output] = []
            for _ in 0..<Int.random(in: 1...60, using: &rng) {
                t += UInt64.random(in: 0...(40 * ms), using: &rng)
                active.toggle()
                // The button's thread lights the lamp on this answer before it debounces.
                let presses = d.pressesAt(active: active, at: t)
                let outputs = d.edge(active: active, at: t)
                #expect(
                    presses == outputs.contains(.pressed(at: t)),
                    "pressesAt and edge disagree (\(seed)) at \(t): \(outputs)")
                out += outputs
                if let deadline = d.nextDeadline, Bool.random(using: &rng), deadline <= t + 40 * ms {
                    out += d.tick(at: deadline, active: active)
                }
            }
            if let deadline = d.nextDeadline { out += d.tick(at: deadline, active: active) }
            var expectPress = true
            for o in out {
                switch o {
                case .pressed: #expect(expectPress, "two presses in a row (\(seed)): \(out)")
                case .released: #expect(!expectPress, "two releases in a row (\(seed)): \(out)")
                case .held: break
                }
                if case .held = o { continue }
                expectPress.toggle()
            }
            #expect(d.isPressed == active, "the debouncer ends in the contact's final state (\(seed))")
        }
    }
}
