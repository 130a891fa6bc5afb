import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A token bucket per client address: `rate` requests a second on average, bursts of `burst`.
public final class RateLimiter: Sendable {
    private let buckets = Mutex<[String: (tokens: Double, at: ContinuousClock.Instant)]>([:])
    public let rate: Double
    public let burst: Double

    public init(rate: Double = 20, burst: Double = 100) {
        self.rate = rate
        self.burst = burst
    }

    public func allow(_ client: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { all in
            var b = all[client] ?? (burst, now)
            let elapsed = Double((now - b.at).components.seconds) + Double((now - b.at).components.attoseconds) / 1e18
            b.tokens = min(burst, b.tokens + elapsed * rate)
            b.at = now
            let ok = b.tokens >= 1
            if ok { b.tokens -= 1 }
            all[client] = b
            if all.count > 10_000 { all = all.filter { now - $0.value.at < .seconds(60) } }
            return ok
        }
    }
}
