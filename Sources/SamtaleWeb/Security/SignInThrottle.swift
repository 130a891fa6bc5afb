import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Failed sign-ins, per client and for the kiosk as a whole: after `maxFailures` within `window`
/// a client is locked out for `lockout`, doubling with each further lockout up to `maxLockout`;
/// after `globalMaxFailures` from all clients together within `window`, every sign-in waits
/// `lockout` (a PIN of a few digits must not fall to many clients guessing at once).
/// Pure: the time is given.
public struct SignInThrottle: Sendable {
    public struct Policy: Sendable, Hashable {
        public var maxFailures = 5
        public var window: TimeInterval = 600
        public var lockout: TimeInterval = 60
        public var maxLockout: TimeInterval = 3600
        public var globalMaxFailures = 30
        public init() {}
    }

    struct Client {
        var failures: [Date] = []
        var lockedUntil: Date?
        var lockouts = 0
    }

    public let policy: Policy
    private var clients: [String: Client] = [:]
    private var all: [Date] = []
    private var globalLockedUntil: Date?

    public init(policy: Policy = .init()) { self.policy = policy }

    /// When this client may try again (nil: now).
    public func lockedUntil(_ client: String, at now: Date) -> Date? {
        let mine = clients[client]?.lockedUntil.flatMap { $0 > now ? $0 : nil }
        let global = globalLockedUntil.flatMap { $0 > now ? $0 : nil }
        return [mine, global].compactMap { $0 }.max()
    }

    public mutating func failed(_ client: String, at now: Date) {
        var c = clients[client] ?? Client()
        c.failures = c.failures.filter { now.timeIntervalSince($0) < policy.window } + [now]
        if c.failures.count >= policy.maxFailures {
            let length = min(policy.maxLockout, policy.lockout * pow(2, Double(c.lockouts)))
            c.lockedUntil = now.addingTimeInterval(length)
            c.lockouts += 1
            c.failures = []
        }
        clients[client] = c
        all = all.filter { now.timeIntervalSince($0) < policy.window } + [now]
        if all.count >= policy.globalMaxFailures {
            globalLockedUntil = now.addingTimeInterval(policy.lockout)
            all = []
        }
        // Forget clients that have been quiet for a while (a flood of addresses cannot grow this).
        if clients.count > 10_000 {
            clients = clients.filter { _, c in
                (c.lockedUntil.map { $0 > now } ?? false)
                    || c.failures.contains { now.timeIntervalSince($0) < policy.window }
            }
        }
    }

    public mutating func succeeded(_ client: String) {
        clients[client] = nil
    }
}
