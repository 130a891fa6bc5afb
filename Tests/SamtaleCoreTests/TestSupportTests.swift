import SamtaleTestSupport
import Testing

/// The seeded generator every random test draws from: the same numbers as the reference
/// SplitMix64, and a seed that SAMTALE_TEST_SEED sets.
@Suite("The tests' seeded randomness")
struct TestSupportTests {
    @Test("SplitMix gives the reference SplitMix64 sequence (seed 0)")
    func referenceSequence() {
        var rng = SplitMix(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(rng.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("SAMTALE_TEST_SEED sets the seed, in decimal or hex; two seeds draw differently")
    func seedFromEnvironment() {
        #expect(TestSeed("decimal", environment: ["SAMTALE_TEST_SEED": "42"]).value == 42)
        #expect(TestSeed("hex", environment: ["SAMTALE_TEST_SEED": "0x2A"]).value == 42)
        let seed = TestSeed("replay", environment: ["SAMTALE_TEST_SEED": "2026"])
        #expect("\(seed)" == "seed 2026 (SAMTALE_TEST_SEED=2026 replays it)")
        var a = seed.generator()
        var b = TestSeed(fixed: 2026).generator()
        var c = TestSeed(fixed: 2027).generator()
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
    }
}
