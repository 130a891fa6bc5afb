import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Who may see the staff pages. Teachers see names for their room; caretakers see every room
/// without names.
public enum StaffRole: String, Sendable, Hashable, Codable {
    case teacher
    case caretaker
}

/// Checks a secret against a stored hash (libcrypt's `$y$…`/`$6$…`, see `samtale hash-secret`).
/// Slow on purpose; implementations run it off the request's executor.
public protocol SecretChecker: Sendable {
    func verify(_ secret: String, against hash: String) async -> Bool
}

/// The staff secrets of one kiosk, as hashes (the configuration holds no plain secret).
public struct StaffAuth: Sendable {
    /// The PIN of this kiosk's room, for its teacher(s); nil: the teacher page is closed.
    public var teacherPinHash: String?
    /// Caretakers' tokens; empty: the caretaker page is closed.
    public var caretakerTokenHashes: [String]
    public var sessionLifetime: TimeInterval
    public var throttle: SignInThrottle.Policy

    public init(
        teacherPinHash: String? = nil, caretakerTokenHashes: [String] = [], sessionLifetime: TimeInterval = 12 * 3600,
        throttle: SignInThrottle.Policy = .init()
    ) {
        self.teacherPinHash = teacherPinHash
        self.caretakerTokenHashes = caretakerTokenHashes
        self.sessionLifetime = sessionLifetime
        self.throttle = throttle
    }
}

/// Compares two byte strings in time that depends on their lengths only, not on where they differ.
public func constantTimeEquals(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    var diff = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<max(x.count, y.count) {
        diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
    }
    return diff == 0
}

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

/// Signed-in staff: random session ids (in an HttpOnly, SameSite=Strict cookie) and a CSRF token
/// per session that every state-changing request must carry in `X-Samtale-CSRF`.
public final class SessionStore: Sendable {
    public struct Session: Sendable, Hashable {
        public var id: String
        public var csrf: String
        public var role: StaffRole
        public var expires: Date
    }

    private let sessions = Mutex<[String: Session]>([:])
    public let lifetime: TimeInterval
    static let maxSessions = 500

    public init(lifetime: TimeInterval) { self.lifetime = lifetime }

    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()  // getrandom(2): cryptographically secure
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }

    public func create(_ role: StaffRole, at now: Date) -> Session {
        let session = Session(id: Self.randomToken(), csrf: Self.randomToken(), role: role, expires: now + lifetime)
        sessions.withLock { all in
            all = all.filter { $0.value.expires > now }
            if all.count >= Self.maxSessions, let oldest = all.min(by: { $0.value.expires < $1.value.expires }) {
                all[oldest.key] = nil
            }
            all[session.id] = session
        }
        return session
    }

    public func find(_ id: String?, at now: Date) -> Session? {
        guard let id, id.utf8.count == 64 else { return nil }
        return sessions.withLock { all in
            // Compare in constant time against the one candidate with the same id prefix.
            guard let s = all[id], constantTimeEquals(s.id, id) else { return nil }
            guard s.expires > now else {
                all[id] = nil
                return nil
            }
            return s
        }
    }

    public func end(_ id: String) { sessions.withLock { $0[id] = nil } }

    public var count: Int { sessions.withLock { $0.count } }
}

/// Long-lived event streams (`/events`, `/teacher/events`): at most `perClient` from one address
/// and `total` in all, so a flood of connections cannot take the kiosk's memory or threads.
public final class StreamLimiter: Sendable {
    private let state = Mutex<(total: Int, clients: [String: Int])>((0, [:]))
    public let perClient: Int
    public let total: Int

    public init(perClient: Int = 32, total: Int = 1000) {
        self.perClient = perClient
        self.total = total
    }

    public func acquire(_ client: String) -> Bool {
        state.withLock { s in
            guard s.total < total, s.clients[client, default: 0] < perClient else { return false }
            s.total += 1
            s.clients[client, default: 0] += 1
            return true
        }
    }

    public func release(_ client: String) {
        state.withLock { s in
            s.total -= 1
            let n = s.clients[client, default: 1] - 1
            s.clients[client] = n > 0 ? n : nil
        }
    }

    public var open: Int { state.withLock { $0.total } }
}

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

/// The request's client: its IP address (never a header a client could forge).
public func clientAddress(_ context: some RequestContext) -> String {
    (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "unknown"
}

/// The request context of the kiosk's server: knows the client's address, and takes small bodies
/// only (the largest legitimate one is a sign-in form).
public struct KioskRequestContext: StaffRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The staff session, on the routes of a group behind `StaffSessionMiddleware`.
    public var staffSession: SessionStore.Session?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { 16 * 1024 }
}

/// Applies to every request: a per-client request rate, and no cross-site state change — a POST
/// whose `Origin` is another site, or that a browser marks `Sec-Fetch-Site: cross-site`, is
/// refused before any route sees it.
public struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    public let limiter: RateLimiter

    public init(limiter: RateLimiter) { self.limiter = limiter }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard limiter.allow(clientAddress(context)) else {
            throw KioskError(.tooManyRequests, "too many requests: slow down", retryAfter: 1)
        }
        if request.method == .post, !Self.sameOrigin(request) {
            throw KioskError(.forbidden, "cross-site request refused")
        }
        return try await next(request, context)
    }

    /// True unless the browser says the request comes from another site.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" { return false }
        guard let origin = request.headers[HTTPField.Name("Origin")!] else { return true }
        guard origin != "null", let host = request.head.authority else { return false }
        let stripped = origin.replacingOccurrences(of: "http://", with: "").replacingOccurrences(
            of: "https://", with: "")
        return stripped == host
    }
}
