import Foundation
import HTTPTypes
import Hummingbird
import SamtaleCore

/// What the door's routes need from the kiosk.
public protocol DoorBackend: Sendable {
    var schoolTime: SchoolTime { get }
    /// The public door view now.
    func door() async -> DoorView
    /// The door view every time it changes, starting with the current one; `nil` elements are
    /// keep-alive pings. Ends when the kiosk shuts down.
    func updates() async -> AsyncStream<DoorView?>
    /// A check-in press from this source; answers with the door view showing the acknowledgement.
    func press(_ source: PressSource) async -> DoorView
}

/// The public routes of the door: the page, its assets, `/api/door`, `/events` and the check-in.
/// None of them carries a name; the only state change they accept is a check-in.
public struct DoorRoutes<Context: RequestContext>: Sendable {
    public let backend: any DoorBackend
    public let language: Language
    /// The demo's simulated button (`POST /api/demo/press`).
    public let demo: Bool
    /// Limits the event streams per client and in all (nil: no limit).
    public var streams: StreamLimiter?
    /// Told, for each acknowledgement sent on an event stream, how long after the press it left.
    public var onAcknowledgementSent: (@Sendable (TimeInterval) -> Void)?
    /// A fuller readiness report for `/healthz` (ready, and the JSON saying why); nil: the door's own.
    public var health: (@Sendable () async -> (ready: Bool, json: Data))?
    /// The public names of the slots (an opaque token per booking, never its id).
    public var tokens: SlotTokens = .random()
    /// An event stream ends after this long (the page reconnects at once); nil: never.
    public var maxStreamDuration: Duration?
    /// The kiosk's clock (press to screen is measured against the instant the kiosk acknowledged).
    public var now: @Sendable () -> Date = { Date() }

    public init(backend: any DoorBackend, language: Language, demo: Bool) {
        self.backend = backend
        self.language = language
        self.demo = demo
    }

    /// The door view as the public sees it: every slot named by its token.
    func json(_ view: DoorView) -> JSONView<DoorView> {
        JSONView(tokens.publish(view), encoder: backend.schoolTime.jsonEncoder())
    }

    /// The door's own readiness (when no fuller report is given).
    struct Readiness: Encodable {
        var ready: Bool
        var clockTrusted: Bool
        var faults: [String]
    }

    public func add(to router: Router<Context>) {
        let language = language
        let demo = demo
        let backend = backend
        router.get("/") { request, _ -> RawBody in
            let lang = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) } ?? language
            let view = self.tokens.publish(await backend.door())
            return .html(
                Assets.doorPage(language: lang, demo: demo, view: view, encoder: backend.schoolTime.jsonEncoder()))
        }
        router.get("/static/door.css") { _, _ in RawBody(Assets.css, type: "text/css; charset=utf-8") }
        router.get("/static/door.js") { _, _ in RawBody(Assets.js, type: "text/javascript; charset=utf-8") }
        router.get("/static/strings/:file") { _, context -> RawBody in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".json"), let lang = Language(rawValue: String(file.dropLast(5))) else {
                throw KioskError(.notFound, "not found")
            }
            let data = try JSONSerialization.data(withJSONObject: Catalogue.strings(lang), options: [.sortedKeys])
            return RawBody(data, type: "application/json; charset=utf-8")
        }
        router.get("/api/door") { _, _ in self.json(await backend.door()) }
        router.post("/api/checkin") { _, _ in self.json(await backend.press(.touch)) }
        if demo {
            router.post("/api/demo/press") { _, _ in self.json(await backend.press(.button)) }
        }
        let streams = streams
        let onAcknowledgementSent = onAcknowledgementSent
        let tokens = tokens
        let maxStreamDuration = maxStreamDuration
        router.get("/events") { request, context -> Response in
            // Each acknowledgement is measured once per stream, when it first leaves (not one
            // that was already old when the page connected).
            let lastAcknowledgement = Guarded<Date?>(nil)
            return try await EventStream.events(
                await backend.updates(), encoder: backend.schoolTime.jsonEncoder(), streams: streams,
                client: clientAddress(context), head: request.method == .head, maxDuration: maxStreamDuration,
                prepare: tokens.publish
            ) { view in
                guard let ack = view.acknowledgement?.at else { return }
                let seconds = now().timeIntervalSince(ack)
                let first = lastAcknowledgement.withLock { last -> Bool? in
                    guard ack != last else { return nil }
                    defer { last = ack }
                    return last == nil
                }
                if let first, !first || seconds < 2 { onAcknowledgementSent?(seconds) }
            }
        }
        let health = health
        router.get("/healthz") { _, _ -> RawBody in
            if let health {
                let (ready, json) = await health()
                return RawBody(json, type: "application/json; charset=utf-8", status: ready ? .ok : .serviceUnavailable)
            }
            let view = await backend.door()
            let ready = view.clockTrusted && view.faults.isEmpty
            let readiness = Readiness(ready: ready, clockTrusted: view.clockTrusted, faults: view.faults)
            return RawBody(
                try JSONEncoder().encode(readiness), type: "application/json; charset=utf-8",
                status: ready ? .ok : .serviceUnavailable)
        }
    }
}
