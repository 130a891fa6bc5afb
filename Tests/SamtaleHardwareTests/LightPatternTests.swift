import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleHardware

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
