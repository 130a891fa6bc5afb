import Foundation
import SamtaleCore

/// A plausible conference day for one room around the current time, for `samtale demo`.
///
/// 15-minute conferences every 20 minutes from an hour ago to three hours ahead; the past ones
/// replayed through the engine (arrivals, starts, an overrun, a no-show) so the door shows a
/// room mid-evening. The names are invented; the door never shows them anyway.
public enum DemoDay {
    static let pupils = [
        "Ola Nordmann", "Kari Hansen", "Emil Johansen", "Sofie Larsen", "Noah Berg", "Emma Nilsen",
        "Jakob Pedersen", "Nora Andersen", "Lucas Kristiansen", "Ella Jensen", "Filip Karlsen", "Ingrid Olsen",
    ]

    public static func bookings(room: String, around now: Date, timeZone: TimeZone) -> [Booking] {
        // On a 20-minute boundary (every zone in use is a whole quarter hour from UTC), an hour ago.
        let boundary = (now.timeIntervalSince1970 / 1200).rounded(.down) * 1200
        let first = Date(timeIntervalSince1970: boundary - 60 * 60)
        let kinds = ["utviklingssamtale", "utviklingssamtale", "skole-hjem-samtale", "behovssamtale"]
        return (0..<12).map { i in
            let start = first.addingTimeInterval(TimeInterval(i * 20 * 60))
            return Booking(
                id: String(format: "D%03d", i + 1), room: room, start: start, end: start.addingTimeInterval(20 * 60),
                teachers: ["Kari Lærer"], pupil: pupils[i % pupils.count],
                guardians: ["Foresatt \(pupils[i % pupils.count].split(separator: " ").last ?? "")"],
                kind: kinds[i % kinds.count], interpreter: i == 5 ? "arabisk" : nil,
                code: String(format: "K%02d", i + 1),
                cancelled: i == 8)
        }
    }

    /// The engine for the demo room, with the last hour replayed.
    public static func engine(room: String, rules: Rules, now: Date, timeZone: TimeZone) -> RoomEngine {
        let bookings = bookings(room: room, around: now, timeZone: timeZone)
        var engine = RoomEngine(
            room: room, rules: rules, timeZone: timeZone, bookings: bookings,
            at: bookings[0].start.addingTimeInterval(-3600))
        for (i, b) in bookings.enumerated() where b.start < now {
            let arrive = b.start.addingTimeInterval(TimeInterval(-240 + i * 37 % 180))
            if i == 1 { continue }  // a no-show
            if arrive < now { engine.handle(.press(.button), at: arrive) }
            let end = b.end.addingTimeInterval(TimeInterval(i == 2 ? 240 : -60))
            if end < now { engine.handle(.end, at: end) }
        }
        engine.advance(to: now)
        return engine
    }
}
