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
