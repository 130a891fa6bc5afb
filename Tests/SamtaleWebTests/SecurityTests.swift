import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import SamtaleWeb

@Suite("Security: throttles, limits, sessions, same-origin")
struct SecurityTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("Five failures lock a client out; lockouts double; others are not affected; success forgets")
    func throttle() {
        var th = SignInThrottle()
        for i in 0..<4 { th.failed("a", at: t0 + Double(i)) }
        #expect(th.lockedUntil("a", at: t0 + 4) == nil)
        th.failed("a", at: t0 + 4)
        #expect(th.lockedUntil("a", at: t0 + 5) == t0 + 64)
        #expect(th.lockedUntil("b", at: t0 + 5) == nil)
        #expect(th.lockedUntil("a", at: t0 + 65) == nil)
        for i in 0..<5 { th.failed("a", at: t0 + 70 + Double(i)) }
        #expect(th.lockedUntil("a", at: t0 + 75) == t0 + 74 + 120, "the second lockout is twice as long")
        th.succeeded("a")
        #expect(th.lockedUntil("a", at: t0 + 75) == nil)
    }

    @Test("Failures outside the window do not add up")
    func throttleWindow() {
        var th = SignInThrottle()
        for i in 0..<10 { th.failed("a", at: t0 + Double(i) * 200) }
        #expect(th.lockedUntil("a", at: t0 + 2000) == nil)
    }

    @Test("Many clients guessing together lock every sign-in for a while")
    func globalThrottle() {
        var th = SignInThrottle()
        for i in 0..<30 { th.failed("client\(i)", at: t0 + Double(i)) }
        #expect(th.lockedUntil("someone-new", at: t0 + 31) != nil)
        #expect(th.lockedUntil("someone-new", at: t0 + 29 + 61) == nil)
    }

    @Test("The request rate: a burst, then refusals, then tokens come back")
    func rate() {
        let limiter = RateLimiter(rate: 10, burst: 5)
        let start = ContinuousClock.now
        let first = (0..<8).map { _ in limiter.allow("a", now: start) }
        #expect(first == [true, true, true, true, true, false, false, false])
        #expect(limiter.allow("b", now: start), "another client has its own bucket")
        #expect(limiter.allow("a", now: start + .milliseconds(150)), "1.5 tokens back after 150 ms")
        #expect(!limiter.allow("a", now: start + .milliseconds(150)))
    }

    @Test("Event streams: per client and in all, released when they end")
    func streams() {
        let l = StreamLimiter(perClient: 2, total: 3)
        #expect(l.acquire("a") && l.acquire("a"))
        #expect(!l.acquire("a"))
        #expect(l.acquire("b"))
        #expect(!l.acquire("c"), "the total")
        l.release("a")
        #expect(l.acquire("c"))
        #expect(l.open == 3)
    }

    @Test("Sessions: found by id until they expire or end; ids and CSRF tokens are random 256-bit hex")
    func sessions() {
        let store = SessionStore(lifetime: 60)
        let s = store.create(.teacher, at: t0)
        #expect(s.id.count == 64 && s.csrf.count == 64 && s.id != s.csrf)
        #expect(s.id.allSatisfy { $0.isHexDigit })
        #expect(store.find(s.id, at: t0 + 59)?.role == .teacher)
        #expect(store.find(s.id, at: t0 + 61) == nil)
        let u = store.create(.caretaker, at: t0)
        #expect(store.find(String(u.id.dropLast()) + "x", at: t0) == nil)
        store.end(u.id)
        #expect(store.find(u.id, at: t0) == nil)
        #expect(store.find(nil, at: t0) == nil)
    }

    @Test("Constant-time comparison is still a comparison")
    func compare() {
        #expect(constantTimeEquals("abc", "abc"))
        #expect(!constantTimeEquals("abc", "abd"))
        #expect(!constantTimeEquals("abc", "abcd"))
        #expect(!constantTimeEquals("", "a"))
        #expect(constantTimeEquals("", ""))
    }

    @Test("Cross-site POSTs are refused before any route; same-origin and non-browser ones pass")
    func sameOrigin() async throws {
        let router = Router()
        router.add(middleware: GuardMiddleware(limiter: RateLimiter(rate: 1000, burst: 1000)))
        router.post("/x") { _, _ in "ok" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/x", method: .post) { #expect($0.status == .ok) }
            try await client.execute(uri: "/x", method: .post, headers: [.origin: "http://evil.example"]) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(
                uri: "/x", method: .post, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"]
            ) { #expect($0.status == .forbidden) }
        }
    }
}
