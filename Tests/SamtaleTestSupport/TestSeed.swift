import Foundation

/// The seed of a test's random inputs: `SAMTALE_TEST_SEED` when set (to replay a failure), else a
/// fresh one. It is printed when it is chosen, and `description` names it with the variable, so a
/// failure message that carries it says how to run the same inputs again:
///
///     let seed = TestSeed("caretaker share")
///     var rng = seed.generator()
///     #expect(…, "\(seed)")   // "seed 1234 (SAMTALE_TEST_SEED=1234 replays it)"
public struct TestSeed: Sendable, CustomStringConvertible {
    /// The environment variable that fixes every seeded test's seed.
    public static let variable = "SAMTALE_TEST_SEED"

    public let value: UInt64

    /// The seed from `SAMTALE_TEST_SEED` (decimal or 0x-hex), or a random one; printed with `name`.
    /// A value that is not a number stops the test run with a message naming the variable.
    public init(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let text = environment[Self.variable] {
            guard let parsed = Self.parse(text) else {
                fatalError("\(Self.variable)=\(text) is not a whole number from 0 to \(UInt64.max) (decimal or 0x…)")
            }
            value = parsed
        } else {
            value = UInt64.random(in: 0...UInt64.max)
        }
        print("\(name): seed \(value) (\(Self.variable)=\(value) replays it)")
    }

    /// A fixed seed (a test that runs a few known seeds as well as random ones).
    public init(fixed value: UInt64) { self.value = value }

    /// A generator seeded with this seed.
    public func generator() -> SplitMix { SplitMix(seed: value) }

    public var description: String { "seed \(value) (\(Self.variable)=\(value) replays it)" }

    static func parse(_ text: String) -> UInt64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("0x") || t.hasPrefix("0X") { return UInt64(t.dropFirst(2), radix: 16) }
        return UInt64(t)
    }
}
