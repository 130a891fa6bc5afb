import Testing

@testable import SamtaleWeb

@Suite("Sleeping on NIO's timers")
struct LoopSleepTests {
    @Test("a sleep ends, and the time it slept reads on the continuous clock")
    func ends() async throws {
        let start = ContinuousClock.now
        try await LoopSleep.sleep(for: .milliseconds(20))
        #expect(ContinuousClock.now - start >= .milliseconds(20))
        try await LoopSleep.sleep(until: ContinuousClock.now + .milliseconds(5))
        // A deadline already past returns at once rather than trapping on a negative amount.
        try await LoopSleep.sleep(until: start)
    }

    @Test("cancelling a sleep of an hour ends it with CancellationError")
    func cancelled() async {
        let sleeper = Task { try await LoopSleep.sleep(for: .seconds(3600)) }
        sleeper.cancel()
        let result = await sleeper.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test("a task cancelled before it sleeps does not sleep")
    func cancelledBefore() async {
        let result = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await LoopSleep.sleep(for: .seconds(3600))
        }.result
        #expect(throws: CancellationError.self) { try result.get() }
    }
}
