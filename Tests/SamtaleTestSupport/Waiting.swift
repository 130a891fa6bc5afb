import Foundation

/// How long a test waits for something that should happen before calling it a hang. Generous on
/// purpose: a test waits for an event, and asserts what happened, never how fast (the benchmarks
/// measure time). `SAMTALE_TEST_PATIENCE` (seconds) overrides it.
public let hangDeadline: Double =
    ProcessInfo.processInfo.environment["SAMTALE_TEST_PATIENCE"].flatMap(Double.init) ?? 60

/// Waits until `condition` holds, asking again every `poll`. False only when `seconds` pass first,
/// which means the thing waited for never happened (a hang), not that it was slow.
public func eventually(
    deadline seconds: Double = hangDeadline, poll: Duration = .milliseconds(50), _ condition: () async -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + .milliseconds(Int64(seconds * 1000))
    while true {
        if await condition() { return true }
        if clock.now >= end { return false }
        try? await Task.sleep(for: poll)
    }
}

/// Runs blocking work on a thread of its own, so that it never holds one of the few threads of
/// Swift's cooperative pool (the tests run in parallel on a 2-core machine).
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { c in
        Thread { c.resume(returning: work()) }.start()
    }
}
