import Foundation

/// Local dates and times of the school, turned into instants and back, DST included.
public struct SchoolTime: Sendable, Hashable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        calendar = c
    }

    /// The instant of a local wall-clock time. A time skipped by the spring change moves forward;
    /// a time the autumn change repeats means its first occurrence. Nil for an impossible date.
    public func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        let comps = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard let date = calendar.date(from: comps) else { return nil }
        // Reject dates that rolled over (31 February).
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }

    /// `yyyy-MM-dd` of an instant, in the school's time zone.
    public func dayString(_ date: Date) -> String {
        if let l = local(date) {
            return "\(Self.pad(l.year, 4))-\(Self.pad(l.month, 2))-\(Self.pad(l.day, 2))"
        }
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    /// `HH:mm` of an instant, in the school's time zone (24-hour).
    public func timeString(_ date: Date) -> String {
        if let l = local(date) { return "\(Self.pad(l.hour, 2)):\(Self.pad(l.minute, 2))" }
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour!, c.minute!)
    }

    /// The local date and time of an instant by arithmetic on the zone's offset (the calendar and
    /// `String(format:)` cost microseconds each, and reports print thousands). Nil before 1600 or
    /// after 9999, where the Gregorian calendar's Julian past or the digits differ: the calendar then.
    func local(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)? {
        local(date, offset: timeZone.secondsFromGMT(for: date))
    }

    /// The same with the zone's offset at that instant already known.
    func local(_ date: Date, offset: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)? {
        let t = date.timeIntervalSince1970
        guard t >= -11_676_096_000, t < 253_402_300_800 else { return nil }
        let seconds = Int(t.rounded(.down)) + offset
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let inDay = seconds - days * 86400
        // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, inDay / 3600, (inDay % 3600) / 60, inDay % 60)
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        // Digits are one byte each: the UTF-8 count, not the (slower) count of characters.
        let count = digits.utf8.count
        return count >= width ? digits : String(repeating: "0", count: width - count) + digits
    }

    /// `yyyy-MM-ddTHH:mm:ss±hh:mm`: ISO 8601 with the school's offset at that instant.
    ///
    /// Every instant of every JSON answer and page event goes through here (a door view has a
    /// dozen), so the digits are written straight into the string: the calendar and
    /// `String(format:)` cost about 60,000 instructions a call (callgrind), this a few hundred.
    public func iso(_ date: Date) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        guard let l = local(date, offset: offset) else { return isoByCalendar(date) }
        let a = abs(offset)
        return String(unsafeUninitializedCapacity: 25) { b in
            var i = 0
            func digits(_ n: Int, _ width: Int) {
                var n = n
                var k = width - 1
                while k >= 0 {
                    b[i + k] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                    k -= 1
                }
                i += width
            }
            func char(_ c: Unicode.Scalar) {
                b[i] = UInt8(ascii: c)
                i += 1
            }
            digits(l.year, 4)
            char("-")
            digits(l.month, 2)
            char("-")
            digits(l.day, 2)
            char("T")
            digits(l.hour, 2)
            char(":")
            digits(l.minute, 2)
            char(":")
            digits(l.second, 2)
            char(offset < 0 ? "-" : "+")
            digits(a / 3600, 2)
            char(":")
            digits((a % 3600) / 60, 2)
            return i
        }
    }

    /// `iso` by the calendar and `String(format:)`: for instants `local` does not take, and the
    /// reference the tests hold `iso` to.
    func isoByCalendar(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!,
            c.second!, sign, a / 3600, (a % 3600) / 60)
    }

    public func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// A JSON encoder that writes instants the school's local way (ISO 8601 with offset).
    public func jsonEncoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        let me = self
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(me.iso(date))
        }
        return e
    }
}
