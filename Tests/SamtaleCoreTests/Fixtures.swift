import Foundation
import SamtaleCore
import SamtaleTestSupport

/// Back-to-back conferences in room 204 from `first`, `minutes` long each.
func day(count: Int, from first: Date, minutes: Int = 20, gap: Int = 0, room: String = "204") -> [Booking] {
    (0..<count).map { i in
        let start = first.plus(minutes: Double(i * (minutes + gap)))
        return Booking(
            id: "B\(i + 1)", room: room, start: start, end: start.plus(minutes: Double(minutes)),
            teachers: ["Kari Lærer"],
            pupil: "Pupil Name\(i + 1)", guardians: ["Guardian Name\(i + 1)"], kind: "utviklingssamtale",
            interpreter: i == 1 ? "arabisk" : nil, code: "K\(i + 1)")
    }
}

func engine(_ bookings: [Booking], at time: Date, rules: Rules = .standard) -> RoomEngine {
    RoomEngine(room: "204", rules: rules, timeZone: oslo, bookings: bookings, at: time)
}
