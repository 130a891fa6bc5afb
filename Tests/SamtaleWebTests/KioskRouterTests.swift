import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SamtaleCore
import Synchronization
import Testing

@testable import SamtaleWeb

/// The staff side of the fake kiosk: the same engine with names, a teacher action that says
/// `done` for a known id.
final class FakeStaffBackend: StaffBackend {
    let schoolTime = time
    let door = FakeBackend()
    let actions = Mutex<[String]>([])

    func teacher() async -> TeacherView { door.engine.withLock { $0.teacherView(at: door.now) } }

    func teacherUpdates() async -> AsyncStream<TeacherView?> {
        let view = await teacher()
        return AsyncStream { c in
            c.yield(view)
            c.finish()
        }
    }

    func act(_ action: TeacherAction, id: String?, minutes: Int?) async -> String {
        actions.withLock { $0.append(action.rawValue) }
        return id == "B0" ? "done" : "no such conference"
    }

    func caretaker() async -> CaretakerView {
        CaretakerView.make(
            bookings: [], heartbeats: [], timeZone: oslo, at: door.now, scheduleReadAt: nil, scheduleProblem: nil)
    }
}

/// A secret checker that takes `hash:SECRET` as the hash of SECRET (libcrypt is the app's).
struct PlainChecker: SecretChecker {
    func verify(_ secret: String, against hash: String) async -> Bool { hash == "hash:\(secret)" }
}

/// The kiosk's router as the server builds it (`kioskRouter`), with the fake door and staff.
func kioskApp(
    staff: FakeStaffBackend = FakeStaffBackend(), undoSeconds: Int = StaffAssets.defaultUndoSeconds,
    now: @escaping @Sendable () -> Date = { Date() }
) -> some ApplicationProtocol {
    let streams = StreamLimiter()
    let (router, _) = kioskRouter(context: KioskRequestContext.self, limiter: RateLimiter(rate: 1000, burst: 1000)) {
        router in
        var door = DoorRoutes<KioskRequestContext>(backend: staff.door, language: .en, demo: false)
        door.streams = streams
        door.add(to: router)
        var staffRoutes = StaffRoutes<KioskRequestContext>(
            backend: staff,
            auth: StaffAuth(teacherPinHash: "hash:12 34", caretakerTokenHashes: ["hash:caretoken"]),
            checker: PlainChecker(), language: .en, streams: streams, undoSeconds: undoSeconds
        )
        staffRoutes.now = now
        staffRoutes.add(to: router)
        OpenAPIDocument.add(to: router, demo: false)
    }
    return Application(router: router)
}

let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

/// Signs in and answers the session cookie (`name=value`) and the page's CSRF token.
func signIn(_ client: some TestClientProtocol, role: String, secret: String) async throws -> (String, String) {
    let cookie = try await client.execute(
        uri: "/signin", method: .post, headers: formType, body: ByteBuffer(string: "role=\(role)&secret=\(secret)")
    ) { response in
        #expect(response.status == .seeOther, "sign-in as \(role)")
        let set = try #require(response.headers[.setCookie])
        #expect(set.contains("HttpOnly") && set.contains("SameSite=Strict"))
        return String(set.prefix { $0 != ";" })
    }
    let page = role == "teacher" ? "/teacher" : "/caretaker"
    let csrf = try await client.execute(uri: page, method: .get, headers: [.cookie: cookie]) { response in
        #expect(response.status == .ok, "\(page) with a session")
        let body = String(buffer: response.body)
        // The page carries the session's CSRF token: 64 hex digits in a meta or data attribute.
        let token = body.split(whereSeparator: { !$0.isHexDigit }).first { $0.count == 64 }
        return String(try #require(token, "no CSRF token on \(page)"))
    }
    return (cookie, csrf)
}

func errorMessage(_ response: TestResponse) -> String? {
    ((try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))) as? [String: Any])?["error"]
        as? String
}

@Suite("The kiosk's router in-process: middleware, route groups, errors, forms")
struct KioskRouterTests {
    @Test("the security headers are on every response: pages, JSON, streams, redirects, every error, 404 and 405")
    func securityHeadersEverywhere() async throws {
        let expected = SecurityHeadersMiddleware<KioskRequestContext>.headers
        #expect(expected.count == 5)
        let requests: [(HTTPRequest.Method, String, HTTPFields, String, HTTPResponse.Status)] = [
            (.get, "/", [:], "", .ok),
            (.get, "/api/door", [:], "", .ok),
            (.get, "/healthz", [:], "", .ok),
            (.get, "/openapi.json", [:], "", .ok),
            (.get, "/static/door.css", [:], "", .ok),
            (.get, "/static/staff.js", [:], "", .ok),
            (.head, "/events", [:], "", .ok),
            (.post, "/api/checkin", [:], "", .ok),
            (.get, "/signin?as=caretaker", [:], "", .ok),
            (.get, "/no/such/page", [:], "", .notFound),
            (.get, "/static/strings/xx.json", [:], "", .notFound),
            (.put, "/api/door", [:], "", .methodNotAllowed),
            (.head, "/nothing", [:], "", .notFound),
            (.get, "/teacher", [:], "", .seeOther),
            (.get, "/api/teacher", [:], "", .unauthorized),
            (.get, "/api/caretaker", [:], "", .unauthorized),
            (.post, "/api/teacher/start", [:], "", .unauthorized),
            (.post, "/signout", [:], "", .forbidden),
            (.post, "/api/checkin", [.origin: "http://evil.example"], "", .forbidden),
            (.post, "/signin", formType, "role=teacher&secret=9999", .unauthorized),
            (.post, "/signin", formType, "role=%ZZ&secret=1", .badRequest),
            (.post, "/signin", formType, "secret=" + String(repeating: "x", count: 5000), .contentTooLarge),
        ]
        try await kioskApp().test(.router) { client in
            for (method, path, headers, body, status) in requests {
                try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: body)) {
                    response in
                    #expect(response.status == status, "\(method) \(path)")
                    for field in expected {
                        #expect(response.headers[field.name] == field.value, "\(field.name) on \(method) \(path)")
                    }
                    if status.code >= 400 && method != .head {
                        #expect(
                            response.headers[.contentType] == "application/json; charset=utf-8" || path == "/signin")
                    }
                }
            }
        }
    }

    @Test("every error is the one JSON shape, with Allow on a 405 and Retry-After where it helps")
    func errorShape() async throws {
        try await kioskApp().test(.router) { client in
            try await client.execute(uri: "/no/such/page", method: .get) { response in
                #expect(errorMessage(response) == "not found")
            }
            try await client.execute(uri: "/api/checkin", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                #expect(errorMessage(response) == "method not allowed")
            }
            try await client.execute(uri: "/api/teacher", method: .get) { response in
                #expect(errorMessage(response) == "sign in as the teacher")
            }
            try await client.execute(uri: "/api/caretaker", method: .get) { response in
                #expect(errorMessage(response) == "sign in as a caretaker")
            }
        }
        let app = kioskAppWithLimit(rate: 0.001, burst: 1)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/door", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/api/door", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
                #expect(errorMessage(response) == "too many requests: slow down")
                #expect(response.headers[.contentSecurityPolicy] != nil)
            }
        }
    }

    @Test("a staff route without a session is refused: pages go to the sign-in page, APIs answer 401, changes 403")
    func staffWithoutSession() async throws {
        let staff = FakeStaffBackend()
        try await kioskApp(staff: staff).test(.router) { client in
            for (page, role) in [("/teacher", "teacher"), ("/caretaker", "caretaker")] {
                for method in [HTTPRequest.Method.get, .head] {
                    try await client.execute(uri: page, method: method) { response in
                        #expect(response.status == .seeOther)
                        #expect(response.headers[.location] == "/signin?as=\(role)")
                    }
                }
            }
            for path in ["/api/teacher", "/teacher/events", "/api/caretaker"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .unauthorized, "\(path)") }
            }
            // A forged or stale cookie is no session either.
            let forged: HTTPFields = [.cookie: "samtale_session=\(String(repeating: "a", count: 64))"]
            try await client.execute(uri: "/api/teacher", method: .get, headers: forged) {
                #expect($0.status == .unauthorized)
            }
            for action in TeacherAction.allCases {
                try await client.execute(uri: "/api/teacher/\(action.rawValue)?id=B0", method: .post) {
                    #expect($0.status == .unauthorized)
                }
            }
            try await client.execute(uri: "/signout", method: .post) { response in
                #expect(response.status == .forbidden)
                #expect(errorMessage(response) == "not signed in, or the request lacks its CSRF token")
            }
        }
        #expect(staff.actions.withLock { $0 }.isEmpty, "no action reached the kiosk without a session")
    }

    @Test("a teacher's session: the page and data, actions only with the CSRF token, no caretaker routes, sign-out")
    func teacherSession() async throws {
        let staff = FakeStaffBackend()
        try await kioskApp(staff: staff).test(.router) { client in
            // The form is URL-encoded: "+" is a space (the PIN here is "12 34").
            let (cookie, csrf) = try await signIn(client, role: "teacher", secret: "12+34")
            let session: HTTPFields = [.cookie: cookie]
            var change = session
            change[StaffSessionMiddleware<KioskRequestContext>.csrfHeader] = csrf
            try await client.execute(uri: "/api/teacher", method: .get, headers: session) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: response.body).contains("Secretpupil"), "the teacher sees names")
            }
            try await client.execute(uri: "/api/teacher/start?id=B0", method: .post, headers: session) { response in
                #expect(response.status == .forbidden)
                #expect(errorMessage(response) == "the request lacks the session's CSRF token")
            }
            var wrongToken = session
            wrongToken[StaffSessionMiddleware<KioskRequestContext>.csrfHeader] = String(repeating: "0", count: 64)
            try await client.execute(uri: "/api/teacher/start?id=B0", method: .post, headers: wrongToken) {
                #expect($0.status == .forbidden)
            }
            #expect(staff.actions.withLock { $0 }.isEmpty)
            try await client.execute(uri: "/api/teacher/start?id=B0", method: .post, headers: change) { response in
                #expect(response.status == .ok)
                let json =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                    as? [String: String]
                #expect(json == ["action": "start", "result": "done"])
            }
            try await client.execute(uri: "/api/teacher/end?id=B9", method: .post, headers: change) { response in
                #expect(response.status == .conflict)
                let json =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))
                    as? [String: String]
                #expect(json?["result"] == "no such conference")
            }
            try await client.execute(uri: "/api/teacher/dance", method: .post, headers: change) { response in
                #expect(response.status == .notFound)
                #expect(errorMessage(response) == "no such action")
            }
            #expect(staff.actions.withLock { $0 } == ["start", "end"])
            try await client.execute(uri: "/api/caretaker", method: .get, headers: session) {
                #expect($0.status == .unauthorized, "a teacher's session is not a caretaker's")
            }
            try await client.execute(uri: "/caretaker", method: .get, headers: session) {
                #expect($0.status == .seeOther)
            }
            try await client.execute(uri: "/signout", method: .post, headers: session) {
                #expect($0.status == .forbidden, "sign-out needs the CSRF token too")
            }
            try await client.execute(uri: "/signout", method: .post, headers: change) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "{\"signedOut\":true}")
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/api/teacher", method: .get, headers: session) {
                #expect($0.status == .unauthorized, "the session ended")
            }
        }
    }

    @Test("the teacher's page offers Undo for the kiosk's configured rules.undoSeconds, as data")
    func undoSecondsAsData() async throws {
        for seconds in [StaffAssets.defaultUndoSeconds, 45] {
            try await kioskApp(undoSeconds: seconds).test(.router) { client in
                let (cookie, _) = try await signIn(client, role: "teacher", secret: "12+34")
                try await client.execute(uri: "/teacher", method: .get, headers: [.cookie: cookie]) { response in
                    let body = String(buffer: response.body)
                    #expect(body.contains("\"undoSeconds\":\(seconds)"), "undo window \(seconds) s on the page")
                    #expect(body.contains("\"extensionMinutes\":\(StaffAssets.extensionMinutes)"))
                }
            }
        }
    }

    @Test("a session ends after its lifetime on the kiosk's clock, not the machine's")
    func sessionOnTheKiosksClock() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_795_521_600))
        try await kioskApp(now: { clock.withLock { $0 } }).test(.router) { client in
            let (cookie, _) = try await signIn(client, role: "teacher", secret: "12+34")
            let session: HTTPFields = [.cookie: cookie]
            clock.withLock { $0 += 11 * 3600 }
            try await client.execute(uri: "/api/teacher", method: .get, headers: session) {
                #expect($0.status == .ok, "11 hours into a 12-hour session")
            }
            clock.withLock { $0 += 2 * 3600 }
            try await client.execute(uri: "/api/teacher", method: .get, headers: session) {
                #expect($0.status == .unauthorized, "13 hours: the session is over")
            }
        }
    }

    @Test("a caretaker's session sees the caretaker's routes, not the teacher's")
    func caretakerSession() async throws {
        try await kioskApp().test(.router) { client in
            let (cookie, _) = try await signIn(client, role: "caretaker", secret: "caretoken")
            try await client.execute(uri: "/api/caretaker", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("Secretpupil"))
            }
            try await client.execute(uri: "/api/teacher", method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("a sign-in form that cannot be read is refused with what is wrong, never echoing the secret")
    func badForms() async throws {
        let cases: [(String, String)] = [
            ("role=teacher&secret=%ZZ1234", "percent-encoding"),
            ("role=teacher&secret=4711%4", "percent-encoding"),
            ("role=teacher&secret=4711&secret=4712", "secret is given twice"),
        ]
        try await kioskApp().test(.router) { client in
            for (body, what) in cases {
                try await client.execute(
                    uri: "/signin", method: .post, headers: formType, body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let message = try #require(errorMessage(response), "\(body)")
                    #expect(
                        message.hasPrefix("the sign-in form could not be read: ") && message.contains(what),
                        "\(message)")
                    #expect(!message.contains("4711") && !message.contains("1234"))
                }
            }
            // No secret, an unknown role, or fields that are not the form's (ignored, whatever their
            // names): an ordinary wrong sign-in (the page, 401).
            for body in ["", "role=nobody&secret=12+34x", "secret=", "a[=1&b[0][=2&%ZZ=3&secret=5"] {
                try await client.execute(
                    uri: "/signin", method: .post, headers: formType, body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .unauthorized, "\(body)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                }
            }
        }
    }
}

func kioskAppWithLimit(rate: Double, burst: Double) -> some ApplicationProtocol {
    let (router, _) = kioskRouter(context: KioskRequestContext.self, limiter: RateLimiter(rate: rate, burst: burst)) {
        DoorRoutes<KioskRequestContext>(backend: FakeBackend(), language: .en, demo: false).add(to: $0)
    }
    return Application(router: router)
}
