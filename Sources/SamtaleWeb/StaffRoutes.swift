import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SamtaleCore
import Synchronization

/// A teacher's action from the teacher page.
public enum TeacherAction: String, Sendable, Hashable, CaseIterable {
    case start
    case end
    case extend
    case noShow = "no-show"
    case checkIn = "check-in"
    case undo
}

/// What the staff routes need from the kiosk.
public protocol StaffBackend: Sendable {
    var schoolTime: SchoolTime { get }
    /// The teacher's view of this kiosk's room, names and all.
    func teacher() async -> TeacherView
    /// The teacher view every time it changes (`nil`: keep-alive pings).
    func teacherUpdates() async -> AsyncStream<TeacherView?>
    /// Carries out a teacher's action through the engine (written to the schedule file like a
    /// kiosk's own changes); answers with the engine's word (`done`, or why it was refused).
    func act(_ action: TeacherAction, id: String?, minutes: Int?) async -> String
    /// Every room of the school and every kiosk's health, without names.
    func caretaker() async -> CaretakerView
}

/// The staff's routes: sign-in, the teacher's page and actions, the caretaker's page. Every one but
/// the sign-in page refuses without a session of the right role; every state change needs the
/// session's CSRF token; sign-ins are throttled per client and for the kiosk as a whole.
public struct StaffRoutes<Context: RequestContext>: Sendable {
    public let backend: any StaffBackend
    public let auth: StaffAuth
    public let checker: any SecretChecker
    public let language: Language
    public let sessions: SessionStore
    public let streams: StreamLimiter
    let throttle: Guarded<SignInThrottle>
    /// Teacher page thresholds: amber and red at this many seconds left.
    public let amberSeconds: Int
    public let redSeconds: Int
    /// An event stream ends after this long (the page reconnects at once); nil: never.
    public var maxStreamDuration: Duration?

    public static var cookieName: String { "samtale_session" }
    static var csrfHeader: HTTPField.Name { HTTPField.Name("X-Samtale-CSRF")! }

    public init(
        backend: any StaffBackend, auth: StaffAuth, checker: any SecretChecker, language: Language,
        streams: StreamLimiter, amberSeconds: Int = 300, redSeconds: Int = 60
    ) {
        self.backend = backend
        self.auth = auth
        self.checker = checker
        self.language = language
        self.sessions = SessionStore(lifetime: auth.sessionLifetime)
        self.streams = streams
        self.throttle = Guarded(SignInThrottle(policy: auth.throttle))
        self.amberSeconds = amberSeconds
        self.redSeconds = redSeconds
    }

    // MARK: - Responses

    static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = DoorRoutes<Context>.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        var headers = DoorRoutes<Context>.securityHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = DoorRoutes<Context>.securityHeaders
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    // MARK: - Sessions

    /// The session of the request, when it has one of this role.
    func session(_ request: Request, _ role: StaffRole) -> SessionStore.Session? {
        guard let s = sessions.find(request.cookies[Self.cookieName]?.value, at: Date()), s.role == role else {
            return nil
        }
        return s
    }

    /// The session, for a state-changing request: it must carry the session's CSRF token.
    func sessionForChange(_ request: Request, _ role: StaffRole) -> SessionStore.Session? {
        guard let s = session(request, role), let token = request.headers[Self.csrfHeader],
            constantTimeEquals(token, s.csrf)
        else { return nil }
        return s
    }

    func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookieName, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }

    /// Checks a sign-in: throttled, then compared against every hash of the role.
    func signIn(role: StaffRole, secret: String, client: String) async -> Result<SessionStore.Session, SignInError> {
        let now = Date()
        if let until = throttle.withLock({ $0.lockedUntil(client, at: now) }) {
            return .failure(.locked(until: until))
        }
        let hashes: [String] =
            switch role {
            case .teacher: auth.teacherPinHash.map { [$0] } ?? []
            case .caretaker: auth.caretakerTokenHashes
            }
        guard !hashes.isEmpty else { return .failure(.closed) }
        var ok = false
        // A secret longer than any PIN or token is wrong, and is not worth hashing.
        if !secret.isEmpty && secret.utf8.count <= 256 {
            for hash in hashes where await checker.verify(secret, against: hash) { ok = true }
        }
        if ok {
            throttle.withLock { $0.succeeded(client) }
            return .success(sessions.create(role, at: now))
        }
        throttle.withLock { $0.failed(client, at: now) }
        return .failure(.wrong)
    }

    public enum SignInError: Error, Equatable {
        case wrong
        case locked(until: Date)
        case closed
    }

    /// `role=…&secret=…` from a form body.
    static func form(_ body: ByteBuffer) -> [String: String] {
        var out: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if kv.count == 2 { out[kv[0]] = kv[1] }
        }
        return out
    }

    // MARK: - Routes

    public func add(to router: Router<Context>) {
        let language = language
        router.get("/static/staff.css") { _, _ in
            DoorRoutes<Context>.response(StaffAssets.css, type: "text/css; charset=utf-8")
        }
        router.get("/static/staff.js") { _, _ in
            DoorRoutes<Context>.response(StaffAssets.js, type: "text/javascript; charset=utf-8")
        }
        router.get("/signin") { request, _ -> Response in
            let role = request.uri.queryParameters["as"].flatMap { StaffRole(rawValue: String($0)) } ?? .teacher
            return Self.page(StaffAssets.signIn(language: language, role: role, message: nil))
        }
        router.post("/signin") { request, context -> Response in
            let body = try await request.body.collect(upTo: 4096)
            let form = Self.form(body)
            let role = form["role"].flatMap(StaffRole.init(rawValue:)) ?? .teacher
            let client = clientAddress(context)
            switch await signIn(role: role, secret: form["secret"] ?? "", client: client) {
            case .success(let session):
                var response = Self.redirect(role == .teacher ? "/teacher" : "/caretaker")
                response.setCookie(cookie(session.id, maxAge: Int(auth.sessionLifetime)))
                context.logger.notice("staff signed in", metadata: ["role": "\(role.rawValue)", "client": "\(client)"])
                return response
            case .failure(.locked(let until)):
                let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
                context.logger.warning(
                    "sign-in refused: locked out", metadata: ["client": "\(client)", "seconds": "\(seconds)"])
                var r = Self.page(
                    StaffAssets.signIn(language: language, role: role, message: .locked(seconds: seconds)),
                    status: .tooManyRequests)
                r.headers[.retryAfter] = "\(seconds)"
                return r
            case .failure(.closed):
                return Self.page(
                    StaffAssets.signIn(language: language, role: role, message: .closed), status: .forbidden)
            case .failure(.wrong):
                context.logger.warning("sign-in failed", metadata: ["role": "\(role.rawValue)", "client": "\(client)"])
                return Self.page(
                    StaffAssets.signIn(language: language, role: role, message: .wrong), status: .unauthorized)
            }
        }
        router.post("/signout") { request, _ -> Response in
            guard let s = sessionForChange(request, .teacher) ?? sessionForChange(request, .caretaker) else {
                return Responses.error(.forbidden, "not signed in, or the request lacks its CSRF token")
            }
            sessions.end(s.id)
            var response = Self.json(Data("{\"signedOut\":true}".utf8))
            response.setCookie(cookie("", maxAge: 0))
            return response
        }

        // The teacher.
        router.get("/teacher") { request, _ -> Response in
            guard let s = session(request, .teacher) else { return Self.redirect("/signin?as=teacher") }
            return Self.page(
                StaffAssets.teacherPage(
                    language: language, csrf: s.csrf, amberSeconds: amberSeconds, redSeconds: redSeconds))
        }
        router.get("/api/teacher") { request, _ -> Response in
            guard session(request, .teacher) != nil else {
                return Responses.error(.unauthorized, "sign in as the teacher")
            }
            let data = (try? backend.schoolTime.jsonEncoder().encode(await backend.teacher())) ?? Data("{}".utf8)
            return Self.json(data)
        }
        router.post("/api/teacher/:action") { request, context -> Response in
            guard session(request, .teacher) != nil else {
                return Responses.error(.unauthorized, "sign in as the teacher")
            }
            guard sessionForChange(request, .teacher) != nil else {
                return Responses.error(.forbidden, "the request lacks the session's CSRF token")
            }
            guard let action = context.parameters.get("action").flatMap(TeacherAction.init(rawValue:)) else {
                return Responses.error(.notFound, "no such action")
            }
            let id = request.uri.queryParameters["id"].map(String.init)
            let minutes = request.uri.queryParameters["minutes"].flatMap { Int(String($0)) }
            let result = await backend.act(action, id: id, minutes: minutes)
            let body = try JSONSerialization.data(withJSONObject: ["action": action.rawValue, "result": result])
            return Self.json(body, status: result == "done" ? .ok : .conflict)
        }
        router.get("/teacher/events") { request, context -> Response in
            guard session(request, .teacher) != nil else {
                return Responses.error(.unauthorized, "sign in as the teacher")
            }
            return await Responses.events(
                await backend.teacherUpdates(), encoder: backend.schoolTime.jsonEncoder(), streams: streams,
                client: clientAddress(context), head: request.method == .head, maxDuration: maxStreamDuration)
        }

        // The caretaker.
        router.get("/caretaker") { request, _ -> Response in
            guard let s = session(request, .caretaker) else { return Self.redirect("/signin?as=caretaker") }
            return Self.page(StaffAssets.caretakerPage(language: language, csrf: s.csrf))
        }
        router.get("/api/caretaker") { request, _ -> Response in
            guard session(request, .caretaker) != nil else {
                return Responses.error(.unauthorized, "sign in as a caretaker")
            }
            let data = (try? backend.schoolTime.jsonEncoder().encode(await backend.caretaker())) ?? Data("{}".utf8)
            return Self.json(data)
        }
    }
}

/// A value behind a lock, shareable by reference (a `Mutex` itself cannot be copied).
final class Guarded<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) -> sending R) -> sending R { mutex.withLock(body) }
}
