import SamtaleCore
import Testing

@testable import SamtaleHardware

let ms: UInt64 = 1_000_000

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
        _ = d.edge(active: true, at: 0)
        _ = d.edge(active: false, at: 2 * ms)
        // The finger really let go within the bounce time: released when it settles.
        #expect(d.tick(at: 30 * ms, active: false) == [.released(at: 30 * ms)])
    }

    @Test("a long press is held once, at the hold time")
    func hold() {
        var d = Debouncer(bounceNanoseconds: 30 * ms, holdNanoseconds: 2000 * ms)
        _ = d.edge(active: true, at: 0)
        #expect(d.nextDeadline == 2000 * ms)
        #expect(d.tick(at: 2000 * ms, active: true) == [.held(at: 2000 * ms)])
        #expect(d.nextDeadline == nil)
        #expect(d.tick(at: 3000 * ms, active: true).isEmpty)
        #expect(d.edge(active: false, at: 3500 * ms) == [.released(at: 3500 * ms)])
    }

    @Test("random bounce trains always give alternating press and release, never two presses in a row")
    func randomTrains() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            var d = Debouncer(bounceNanoseconds: 30 * ms, holdNanoseconds: nil)
            var t: UInt64 = 0
            var active = false
            var out: [Debouncer.Output] = []
            for _ in 0..<Int.random(in: 1...60, using: &rng) {
                t += UInt64.random(in: 0...(40 * ms), using: &rng)
                active.toggle()
                out += d.edge(active: active, at: t)
                if let deadline = d.nextDeadline, Bool.random(using: &rng), deadline <= t + 40 * ms {
                    out += d.tick(at: deadline, active: active)
                }
            }
            if let deadline = d.nextDeadline { out += d.tick(at: deadline, active: active) }
            var expectPress = true
            for o in out {
                switch o {
                case .pressed: #expect(expectPress)
                case .released: #expect(!expectPress)
                case .held: break
                }
                if case .held = o { continue }
                expectPress.toggle()
            }
            #expect(d.isPressed == active, "the debouncer ends in the contact's final state")
        }
    }
}

@Suite("Light patterns")
struct LightPatternTests {
    @Test("patterns parse from the configuration's words")
    func parse() {
        #expect(LightPattern(parsing: "off") == .off)
        #expect(LightPattern(parsing: "red") == LightPattern([.red]))
        #expect(LightPattern(parsing: "red+amber") == LightPattern([.red, .amber]))
        #expect(LightPattern(parsing: "red:blink") == LightPattern([.red], .blink))
        #expect(LightPattern(parsing: "lamp:pulse") == LightPattern([.lamp], .pulse))
        #expect(LightPattern(parsing: "purple") == nil)
        #expect(LightPattern(parsing: "red:wobble") == nil)
        #expect(LightPattern(parsing: "red+amber:blink-fast")?.description == "amber+red:blink-fast")
    }

    @Test("every kind of light shows every state, and tells them apart")
    func everyState() {
        for kind in LightKind.allCases {
            let patterns = LightState.allCases.map { kind.defaultPattern($0) }
            for p in patterns { #expect(kind.outputs(for: p.channels).isSubset(of: Set(kind.channels))) }
            // free, waiting, in session, overrun and fault are distinguishable on every kind.
            let key: [LightState] = [.inSession, .overrun, .fault, .waiting]
            #expect(Set(key.map { kind.defaultPattern($0) }).count == key.count, "\(kind)")
        }
    }

    @Test("amber on an RGB LED is red and green together")
    func rgbAmber() {
        #expect(LightKind.rgb.outputs(for: [.amber]) == [.red, .green])
        #expect(LightKind.single.outputs(for: [.red]) == [.lamp])
        #expect(LightKind.tower.outputs(for: [.blue]) == [])
    }
}

@Suite("GPIO errors on a machine without the chip")
struct GPIOErrorTests {
    @Test("a chip that is not there is named, with the chips that are")
    func missingChip() {
        #expect(throws: GPIOError.self) { try GPIOChip.open("no-such-chip") }
        do {
            _ = try GPIOChip.open("no-such-chip")
        } catch let e as GPIOError {
            #expect(e.kind == .chipNotFound)
            #expect(e.description.contains("\"no-such-chip\""))
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try GPIOChip.open("/dev/gpiochip-does-not-exist")
        } catch let e as GPIOError {
            #expect(e.kind == .chipNotFound)
            #expect(e.description.contains("/dev/gpiochip-does-not-exist"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the library generation is 1 or 2")
    func api() { #expect([1, 2].contains(GPIOChip.apiVersion)) }
}
