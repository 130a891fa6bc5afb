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
}
