import Foundation
import Hummingbird
import HummingbirdTesting
import SamtaleCore
import Synchronization
import Testing

@testable import SamtaleWeb

let oslo = TimeZone(identifier: "Europe/Oslo")!
let time = SchoolTime(timeZone: oslo)
func at(_ h: Int, _ m: Int) -> Date { time.instant(year: 2026, month: 11, day: 24, hour: h, minute: m)! }

/// A kiosk stand-in: the real engine at a fixed instant, with a schedule full of names.
final class FakeBackend: DoorBackend {
    let schoolTime = time
    let engine: Mutex<RoomEngine>
    let now: Date
    /// How many views `updates()` sends before it ends (so a test can read the whole stream).
    let updatesSent: Int

    init(now: Date = at(14, 5), updatesSent: Int = 2) {
        engine = Mutex(Self.makeEngine())
        self.now = now
        self.updatesSent = updatesSent
    }

    static func makeEngine() -> RoomEngine {
        let bookings = (0..<4).map { i in
            let start = at(14, 0).addingTimeInterval(TimeInterval(i * 20 * 60))
            return Booking(
                id: "B\(i)", room: "204", start: start, end: start.addingTimeInterval(1200), teachers: ["Kari Lærer"],
                pupil: "Secretpupil Nameson\(i)", guardians: ["Secretguardian Parent\(i)"], notes: "Secretnote",
                code: "K\(i)")
        }
        var e = RoomEngine(room: "204", timeZone: oslo, bookings: bookings, at: at(13, 0))
        e.handle(.press(.button), at: at(13, 55))
        return e
    }

    func door() async -> DoorView { engine.withLock { $0.doorView(at: now, options: DoorOptions(identify: .code)) } }

    func updates() async -> AsyncStream<DoorView?> {
        let view = await door()
        let n = updatesSent
        return AsyncStream { c in
            for i in 0..<n { c.yield(i % 2 == 0 ? view : nil) }
            c.finish()
        }
    }

    func press(_ source: PressSource) async -> DoorView {
        engine.withLock { e in
            e.handle(.press(source), at: now)
            return e.doorView(at: now, options: DoorOptions(identify: .code))
        }
    }
}

func app(_ backend: FakeBackend = FakeBackend(), language: Language = .nb, demo: Bool = false)
    -> some ApplicationProtocol
{
    let (router, _) = kioskRouter(context: BasicRequestContext.self, limiter: RateLimiter(rate: 1000, burst: 1000)) {
        DoorRoutes<BasicRequestContext>(backend: backend, language: language, demo: demo).add(to: $0)
    }
    return Application(router: router)
}

let secrets = ["Secretpupil", "Nameson", "Secretguardian", "Secretnote"]

@Suite("The door's public routes")
struct DoorRoutesTests {
    @Test(
        "the page is served in the configured language, with lang set, and ?lang= overrides it",
        arguments: Language.allCases)
    func page(language: Language) async throws {
        try await app(language: language).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("<html lang=\"\(language.rawValue)\">"))
                #expect(body.contains(Catalogue.strings(language)["pressOnArrival"]!))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                #expect(!body.contains("<script>"), "no inline script")
            }
            try await client.execute(uri: "/?lang=da", method: .get) { response in
                #expect(String(buffer: response.body).contains("<html lang=\"da\">"))
            }
        }
    }

    @Test("/api/door has the status fields and no names")
    func apiDoor() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/door", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                for s in secrets { #expect(!body.contains(s)) }
                let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
                #expect(json["room"] as? String == "204")
                #expect(json["light"] as? String == "in-session")
                #expect(json["runningLateMinutes"] as? Int == 0)
                let current = json["current"] as! [String: Any]
                // A slot is named by an opaque token, never by the booking's id.
                let token = try #require(current["id"] as? String)
                #expect(token.count == 32 && token.allSatisfy({ ("a"..."p").contains($0) }) && token != "B0")
                #expect(current["start"] as? String == "2026-11-24T14:00:00+01:00")
                #expect(current["status"] as? String == "in session")
                #expect(current["identify"] as? String == "K0")
                let next = try #require((json["next"] as? [String: Any])?["id"] as? String)
                #expect(next.count == 32 && next != token && next != "B1")
                #expect(json.keys.contains("acknowledgement"))
            }
        }
    }

    @Test("a touch check-in answers with the acknowledgement; the demo press exists only in the demo")
    func checkIn() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/checkin", method: .post) { response in
                let json =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as! [String: Any]
                let ack = json["acknowledgement"] as! [String: Any]
                #expect(ack["result"] as? String == "checked-in")
                #expect(ack["source"] as? String == "touch")
                #expect(ack["slotStart"] as? String == "2026-11-24T14:20:00+01:00")
            }
            try await client.execute(uri: "/api/demo/press", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
        try await app(demo: true).test(.router) { client in
            try await client.execute(uri: "/api/demo/press", method: .post) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("/events streams the door view as server-sent events, with pings, and no names")
    func events() async throws {
        try await app(FakeBackend(updatesSent: 3)).test(.router) { client in
            try await client.execute(uri: "/events", method: .get) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                let body = String(buffer: response.body)
                #expect(body.hasPrefix("retry: "))
                #expect(body.components(separatedBy: "data: {").count - 1 == 2)
                #expect(body.contains("event: ping"))
                for s in secrets { #expect(!body.contains(s)) }
            }
        }
    }

    @Test("every language has every string")
    func catalogueComplete() {
        for (key, values) in Catalogue.entries {
            for lang in Language.allCases { #expect(values[lang]?.isEmpty == false, "\(key) in \(lang)") }
        }
    }

    @Test("the strings, styles and script are served by the service itself")
    func assets() async throws {
        try await app().test(.router) { client in
            for path in ["/static/door.css", "/static/door.js", "/static/strings/nb.json", "/static/strings/en.json"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(
                        !String(buffer: response.body).contains("http://")
                            && !String(buffer: response.body).contains("https://"))
                }
            }
            try await client.execute(uri: "/static/strings/xx.json", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/static/strings/..%2F..%2Fetc%2Fpasswd", method: .get) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("/healthz tells ready from not ready")
    func healthz() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"ready\":true"))
            }
        }
    }
}

@Suite("Broadcast")
struct BroadcastTests {
    @Test("every subscriber gets every value; finish ends them all")
    func fanOut() async {
        let b = Broadcast<Int>()
        let s1 = b.subscribe(initial: 0)
        let s2 = b.subscribe()
        #expect(b.subscriberCount == 2)
        b.send(1)
        b.send(2)
        b.finish()
        var got1: [Int] = []
        for await v in s1 { got1.append(v) }
        var got2: [Int] = []
        for await v in s2 { got2.append(v) }
        #expect(got1 == [0, 1, 2])
        #expect(got2 == [1, 2])
        #expect(b.subscriberCount == 0)
        var after: [Int] = []
        for await v in b.subscribe(initial: 9) { after.append(v) }
        #expect(after.isEmpty || after == [9])
    }

    @Test("a slow subscriber keeps only the newest values")
    func bounded() async {
        let b = Broadcast<Int>(buffer: 2)
        let s = b.subscribe()
        for i in 0..<100 { b.send(i) }
        b.finish()
        var got: [Int] = []
        for await v in s { got.append(v) }
        #expect(got == [98, 99])
    }
}
