import Foundation
import SamtaleTestSupport
import Testing

@testable import SamtaleCore

@Suite("Local day and time strings by arithmetic, as the calendar gives them")
struct LocalStringTests {
    @Test("dayString and timeString agree with the calendar across zones and centuries")
    func agreeWithCalendar() {
        let seed = TestSeed("local strings")
        var rng = seed.generator()
        for zone in [
            "Europe/Oslo", "UTC", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham", "America/Los_Angeles",
        ] {
            let tz = TimeZone(identifier: zone)!
            let time = SchoolTime(timeZone: tz)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = tz
            for k in 0..<400 {
                // Around DST changes and midnights, and anywhere from 1500 to 2200.
                let t =
                    k % 2 == 0
                    ? Double(Int64(bitPattern: rng.next()) % 7_000_000_000) + Double(rng.next() % 1000) / 1000
                    : 1_774_746_000 + Double(Int64(bitPattern: rng.next()) % 40_000_000)
                let date = Date(timeIntervalSince1970: t)
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
                #expect(
                    time.dayString(date) == String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!),
                    "\(seed), \(zone), \(t)")
                #expect(
                    time.timeString(date) == String(format: "%02d:%02d", c.hour!, c.minute!),
                    "\(seed), \(zone), \(t)")
            }
        }
    }

    @Test("iso agrees with the calendar's reading and with Foundation's ISO 8601 formatter")
    func isoAgrees() {
        let seed = TestSeed("iso strings")
        var rng = seed.generator()
        for zone in [
            "Europe/Oslo", "Europe/Copenhagen", "UTC", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham",
            "America/Sao_Paulo",
        ] {
            let tz = TimeZone(identifier: zone)!
            let time = SchoolTime(timeZone: tz)
            // The peer: Foundation's own ISO 8601 formatter (it writes UTC as "Z").
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = tz
            formatter.formatOptions = [.withInternetDateTime]
            for k in 0..<400 {
                // Anywhere from 1500 to 2200 (and beyond the arithmetic's range, where the calendar
                // answers), with fractions of a second; and the second either side of DST changes.
                let t: Double =
                    switch k % 4 {
                    case 0: Double(Int64(bitPattern: rng.next()) % 7_000_000_000) + Double(rng.next() % 1000) / 1000
                    case 1: Double(Int64(bitPattern: rng.next()) % 300_000_000_000)
                    default: 1_774_746_000 + Double(Int64(bitPattern: rng.next()) % 40_000_000)
                    }
                let date = Date(timeIntervalSince1970: t)
                let text = time.iso(date)
                #expect(text == time.isoByCalendar(date), "\(seed), \(zone), \(t)")
                if (0..<4_102_444_800).contains(t) {  // 1970 to 2100: the formatter's own ground
                    let peer = formatter.string(from: date).replacingOccurrences(of: "Z", with: "+00:00")
                    #expect(text == peer, "\(seed), \(zone), \(t)")
                }
            }
            // Either side of each DST change of 2026: the offset changes with the second.
            var t = Date(timeIntervalSince1970: 1_767_225_600)
            while let change = tz.nextDaylightSavingTimeTransition(after: t),
                change.timeIntervalSince1970 < 1_798_761_600
            {
                for d in [-1.0, -0.5, 0, 0.5] {
                    let date = change.addingTimeInterval(d)
                    #expect(time.iso(date) == time.isoByCalendar(date), "\(zone), \(date.timeIntervalSince1970)")
                }
                t = change
            }
        }
    }
}
