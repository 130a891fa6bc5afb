import Foundation
import PropertyBased
import SamtaleTestSupport
import Testing

/// How many cases a property test runs: `count` in `swift test`, or `SAMTALE_PROPERTY_CASES` when
/// set (`.ci/run` runs the properties again with many more).
func propertyCases(_ count: Int) -> Int {
    guard let text = ProcessInfo.processInfo.environment["SAMTALE_PROPERTY_CASES"] else { return count }
    guard let n = Int(text), n > 0 else {
        fatalError("SAMTALE_PROPERTY_CASES=\(text) is not a whole number above 0")
    }
    return n
}

/// swift-property-based's `propertyCheck`, with its inputs drawn from one printed seed instead of
/// a fresh system-random generator per case: `SAMTALE_TEST_SEED` replays a run, case for case.
/// Every failure message inside `body` should carry the case's input (as these tests do: the
/// input is itself the seed of a simulated day).
func seededPropertyCheck<Value>(
    _ name: String, count: Int, input: Generator<Value, some Sequence>, perform body: (Value) async -> Void
) async {
    let seed = TestSeed(name)
    var split = seed.generator()
    var rng = Xoshiro(seed: (split.next(), split.next(), split.next(), split.next()))
    for _ in 0..<propertyCases(count) {
        await body(input.run(using: &rng))
    }
}
