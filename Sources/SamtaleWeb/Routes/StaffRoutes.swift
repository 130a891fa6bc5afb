import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SamtaleCore
import Synchronization

/// The staff's routes: sign-in, the teacher's page and actions, the caretaker's page. Every one but
/// the sign-in page is in a route group behind a `StaffSessionMiddleware`: refused without a
/// session of the right role, and a state change without the session's CSRF token. Sign-ins are
/// throttled per client and for the kiosk as a whole.
public struct StaffRoutes<Context: StaffRequestContext>: Sendable {
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
    /// How long the teacher's page offers "Undo" after an action (the kiosk's `rules.undoSeconds`).
    public let undoSeconds: Int
    /// An event stream ends after this long (the page reconnects at once); nil: never.
    public var maxStreamDuration: Duration?
    /// The kiosk's clock: sessions' expiry and the sign-in throttle are measured on it.
    public var now: @Sendable () -> Date = { Date() }

    public static var cookieName: String { StaffSessionMiddleware<Context>.cookieName }

    public init(
        backend: any StaffBackend, auth: StaffAuth, checker: any SecretChecker, language: Language,
        streams: StreamLimiter, amberSeconds: Int = 300, redSeconds: Int = 60,
        undoSeconds: Int = StaffAssets.defaultUndoSeconds
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
        self.undoSeconds = undoSeconds
    }

    /// What a page or an API answers without a session of its role.
    func signedIn(
        _ roles: Set<StaffRole>, _ refusal: StaffSessionMiddleware<Context>.Refusal,
        withoutCSRF: KioskError = KioskError(.forbidden, "the request lacks the session's CSRF token")
    ) -> StaffSessionMiddleware<Context> {
        StaffSessionMiddleware(
            sessions: sessions, roles: roles, refusal: refusal, withoutCSRF: withoutCSRF, now: now)
    }

    /// The session a `StaffSessionMiddleware` let through (there is always one behind it).
    static func session(_ context: Context) throws -> SessionStore.Session {
        guard let session = context.staffSession else { throw KioskError(.unauthorized, "sign in first") }
        return session
    }

    func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookieName, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }

    /// Checks a sign-in: throttled, then compared against every hash of the role.
    func signIn(role: StaffRole, secret: String, client: String) async -> Result<SessionStore.Session, SignInError> {
        let now = self.now()
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

    /// The sign-in form: `role=…&secret=…`, as a browser posts it.
    struct SignInForm: Decodable {
        var role: String?
        var secret: String?
    }

    /// The largest sign-in form read (a PIN or token is at most 256 bytes; anything longer is refused).
    static var maxFormBytes: Int { 4096 }

    /// Reads a sign-in form; a form that is not URL-encoded is refused with a message that says
    /// what is wrong with it (never echoing its values: one may be a PIN). Fields other than
    /// `role` and `secret` are ignored, whatever their names.
    static func form(_ body: ByteBuffer) throws -> SignInForm {
        let fields = String(buffer: body).split(separator: "&").filter {
            $0.hasPrefix("role=") || $0.hasPrefix("secret=")
        }
        do {
            return try URLEncodedFormDecoder().decode(SignInForm.self, from: fields.joined(separator: "&"))
        } catch let error as URLEncodedFormError {
            let what =
                switch error.code {
                case .failedToPercentDecode: "a name or value is not valid percent-encoding (%XX) of UTF-8"
                case .duplicateKeys where ["role", "secret"].contains(error.value): "\(error.value) is given twice"
                case .duplicateKeys: "a field is given twice"
                default: "it is not a form of role=…&secret=… fields"
                }
            throw KioskError(.badRequest, "the sign-in form could not be read: \(what)")
        } catch {
            throw KioskError(.badRequest, "the sign-in form could not be read: role and secret must be text")
        }
    }

    // MARK: - Routes

    public func add(to router: Router<Context>) {
        let language = language
        let backend = backend
        let amberSeconds = amberSeconds
        let redSeconds = redSeconds
        let undoSeconds = undoSeconds
        let streams = streams
        let maxStreamDuration = maxStreamDuration
        router.get("/static/staff.css") { _, _ in RawBody(StaffAssets.css, type: "text/css; charset=utf-8") }
        router.get("/static/staff.js") { _, _ in RawBody(StaffAssets.js, type: "text/javascript; charset=utf-8") }
        router.get("/signin") { request, _ -> RawBody in
            let role = request.uri.queryParameters["as"].flatMap { StaffRole(rawValue: String($0)) } ?? .teacher
            return .html(StaffAssets.signIn(language: language, role: role, message: nil))
        }
        router.post("/signin") { request, context -> Response in
            let form = try Self.form(try await request.body.collect(upTo: Self.maxFormBytes))
            let role = form.role.flatMap(StaffRole.init(rawValue:)) ?? .teacher
            let client = clientAddress(context)
            switch await signIn(role: role, secret: form.secret ?? "", client: client) {
            case .success(let session):
                var response = try Redirect(to: role == .teacher ? "/teacher" : "/caretaker")
                    .response(from: request, context: context)
                response.setCookie(cookie(session.id, maxAge: Int(auth.sessionLifetime)))
                context.logger.notice("staff signed in", metadata: ["role": "\(role.rawValue)", "client": "\(client)"])
                return response
            case .failure(.locked(let until)):
                let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
                context.logger.warning(
                    "sign-in refused: locked out", metadata: ["client": "\(client)", "seconds": "\(seconds)"])
                return try RawBody.html(
                    StaffAssets.signIn(language: language, role: role, message: .locked(seconds: seconds)),
                    status: .tooManyRequests, headers: [.retryAfter: "\(seconds)"]
                ).response(from: request, context: context)
            case .failure(.closed):
                return try RawBody.html(
                    StaffAssets.signIn(language: language, role: role, message: .closed), status: .forbidden
                ).response(from: request, context: context)
            case .failure(.wrong):
                context.logger.warning("sign-in failed", metadata: ["role": "\(role.rawValue)", "client": "\(client)"])
                return try RawBody.html(
                    StaffAssets.signIn(language: language, role: role, message: .wrong), status: .unauthorized
                ).response(from: request, context: context)
            }
        }
        let notSignedIn = KioskError(.forbidden, "not signed in, or the request lacks its CSRF token")
        router.group()
            .add(middleware: signedIn([.teacher, .caretaker], .error(notSignedIn), withoutCSRF: notSignedIn))
            .post("/signout") { request, context -> Response in
                sessions.end(try Self.session(context).id)
                var response = try JSONView(["signedOut": true], encoder: JSONEncoder())
                    .response(from: request, context: context)
                response.setCookie(cookie("", maxAge: 0))
                return response
            }

        // The teacher: the page (without a session: to the sign-in page), its data and actions.
        router.group()
            .add(middleware: signedIn([.teacher], .redirect("/signin?as=teacher")))
            .get("/teacher") { _, context -> RawBody in
                .html(
                    StaffAssets.teacherPage(
                        language: language, csrf: try Self.session(context).csrf, amberSeconds: amberSeconds,
                        redSeconds: redSeconds, undoSeconds: undoSeconds))
            }
        router.group()
            .add(middleware: signedIn([.teacher], .error(KioskError(.unauthorized, "sign in as the teacher"))))
            .get("/api/teacher") { _, _ in
                JSONView(await backend.teacher(), encoder: backend.schoolTime.jsonEncoder())
            }
            .post("/api/teacher/:action") { request, context -> JSONView<ActionResult> in
                guard let action = context.parameters.get("action").flatMap(TeacherAction.init(rawValue:)) else {
                    throw KioskError(.notFound, "no such action")
                }
                let id = request.uri.queryParameters["id"].map(String.init)
                let minutes = request.uri.queryParameters["minutes"].flatMap { Int(String($0)) }
                let result = await backend.act(action, id: id, minutes: minutes)
                return JSONView(
                    ActionResult(action: action.rawValue, result: result), encoder: JSONEncoder(),
                    status: result == "done" ? .ok : .conflict)
            }
            .get("/teacher/events") { request, context -> Response in
                try await EventStream.events(
                    await backend.teacherUpdates(), encoder: backend.schoolTime.jsonEncoder(), streams: streams,
                    client: clientAddress(context), head: request.method == .head, maxDuration: maxStreamDuration)
            }

        // The caretaker: the page (without a session: to the sign-in page) and its data.
        router.group()
            .add(middleware: signedIn([.caretaker], .redirect("/signin?as=caretaker")))
            .get("/caretaker") { _, context -> RawBody in
                .html(StaffAssets.caretakerPage(language: language, csrf: try Self.session(context).csrf))
            }
        router.group()
            .add(middleware: signedIn([.caretaker], .error(KioskError(.unauthorized, "sign in as a caretaker"))))
            .get("/api/caretaker") { _, _ in
                JSONView(await backend.caretaker(), encoder: backend.schoolTime.jsonEncoder())
            }
    }
}

/// A teacher's action's answer: `{"action": …, "result": "done" or the engine's reason}`.
struct ActionResult: Encodable {
    var action: String
    var result: String
}
