/// Which of a date's two small numbers is the day: `04.03.2026` (day first: Norwegian, Danish,
/// British) or `3/4/2026` (month first: US English, LibreOffice and Excel under an English locale).
public enum DateOrder: String, Sendable, Hashable, Codable, CaseIterable {
    case dayFirst = "day-first"
    case monthFirst = "month-first"
}

/// How a schedule file's day–month order was decided, when the file has dates that could be read
/// either way (`3/4/2026`).
public struct DateOrderDecision: Sendable, Hashable, Codable {
    public enum Basis: String, Sendable, Hashable, Codable {
        /// A date in the file has a number over 12 in one place: that place is the day.
        case file
        /// No number over 12 anywhere; the dates are written with dots or dashes, which every
        /// locale that writes them so reads day first.
        case separator
        /// No number over 12 anywhere; the reader's configured order (the school's language).
        case setting
    }
    public var order: DateOrder
    public var basis: Basis
    /// In words, for `samtale check` and the kiosk's log.
    public var reason: String
}

/// A date as written with numbers, before its day–month order is known. Its text is not kept:
/// every row has one or more, and only a problem's message quotes one (`WrittenDateTime`).
struct WrittenDate: Sendable, Hashable {
    /// ISO `2026-03-04`: year, month, day, no question of order.
    var iso: Bool
    var first: Int
    var second: Int
    var year: Int
    /// `.`, `-` or `/`.
    var separator: UInt8

    /// `2026-03-04`, `04.03.2026`, `04-03-2026`, `3/4/2026`, `4.3.26` (two-digit years are 20xx).
    static func parse<S: StringProtocol>(_ raw: S) -> WrittenDate? { parse(bytes: raw.utf8) }

    /// The same, of a cell's bytes (every byte of a date is ASCII in UTF-8 and Windows-1252).
    static func parse(bytes raw: some Collection<UInt8>) -> WrittenDate? {
        // One pass over the bytes (this runs for every row's date cell, twice): three groups of
        // digits, two equal separators.
        var numbers = (0, 0, 0)
        var lengths = (0, 0, 0)
        var separator: UInt8 = 0
        var group = 0
        var value = 0
        var length = 0
        for b in raw {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                length += 1
                if length > 4 { return nil }
                value = value * 10 + Int(b - UInt8(ascii: "0"))
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "/"):
                guard length > 0, group < 2, separator == 0 || separator == b else { return nil }
                separator = b
                if group == 0 {
                    (numbers.0, lengths.0) = (value, length)
                } else {
                    (numbers.1, lengths.1) = (value, length)
                }
                group += 1
                value = 0
                length = 0
            default:
                return nil
            }
        }
        guard group == 2, length > 0 else { return nil }
        (numbers.2, lengths.2) = (value, length)
        if separator == UInt8(ascii: "-"), lengths.0 == 4, lengths.1 <= 2, lengths.2 <= 2 {
            return WrittenDate(iso: true, first: numbers.1, second: numbers.2, year: numbers.0, separator: separator)
        }
        guard lengths.0 <= 2, lengths.1 <= 2, lengths.2 == 2 || lengths.2 == 4 else { return nil }
        return WrittenDate(
            iso: false, first: numbers.0, second: numbers.1, year: lengths.2 == 2 ? 2000 + numbers.2 : numbers.2,
            separator: separator)
    }

    /// What the date itself says about the order: a number over 12 (and at most 31) can only be the day.
    var evidence: DateOrder? {
        guard !iso else { return nil }
        if first > 12 && first <= 31 && second <= 12 { return .dayFirst }
        if second > 12 && second <= 31 && first <= 12 { return .monthFirst }
        return nil
    }

    /// Both readings are dates, and different ones.
    var isAmbiguous: Bool { !iso && first != second && first <= 12 && second <= 12 && first > 0 && second > 0 }

    func resolved(_ order: DateOrder) -> (y: Int, m: Int, d: Int) {
        if iso { return (year, first, second) }
        return order == .dayFirst ? (year, second, first) : (year, first, second)
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// `4 March 2026` (or the numbers, when the month is not one).
    static func spelled(_ d: (y: Int, m: Int, d: Int)) -> String {
        (1...12).contains(d.m) ? "\(d.d) \(monthNames[d.m - 1]) \(d.y)" : "day \(d.d) of month \(d.m), \(d.y)"
    }
}

/// A cell holding a date, a time, or both (`3/29/2026 10:00`, `29.03.2026 10:00:00`, `2026-03-29T10:00`),
/// read from its text (a cell that is not ASCII, and a problem's message quoting a cell).
struct WrittenDateTime: Sendable, Hashable {
    var date: WrittenDate?
    /// The date as written (nil when the cell holds no date).
    var dateText: String?
    /// The time as written (nil when the cell holds only a date).
    var timeText: String?

    static func parse(_ text: String) -> WrittenDateTime? {
        let t = text.trimmingSpaces
        if t.isEmpty { return nil }
        if let d = WrittenDate.parse(t) { return WrittenDateTime(date: d, dateText: t, timeText: nil) }
        // A date, then a space (or ISO's T), then the time.
        var cut: String.Index?
        // One pass over the bytes: ASCII (nearly every cell), and where its first space and first T are.
        var ascii = true
        var space = -1
        var tee = -1
        var k = 0
        for b in t.utf8 {
            if b >= 0x80 {
                ascii = false
                break
            }
            if b == 0x20 && space < 0 { space = k }
            if (b == 0x54 || b == 0x74) && tee < 0 { tee = k }
            k += 1
        }
        if ascii {
            // The same search as over characters, without grapheme breaking.
            let at = space >= 0 ? space : tee
            // A time alone (nearly every start and end cell): no date to look for.
            guard at >= 0 else { return WrittenDateTime(date: nil, timeText: t) }
            cut = t.utf8.index(t.utf8.startIndex, offsetBy: at)
        } else if let space = t.firstIndex(of: " ") {
            cut = space
        } else if let tee = t.firstIndex(where: { $0 == "T" || $0 == "t" }) {
            cut = tee
        }
        if let cut, let d = WrittenDate.parse(t[..<cut]) {
            let rest = t[t.index(after: cut)...].trimmingSpaces
            let dateText = String(t[..<cut])
            return WrittenDateTime(date: d, dateText: dateText, timeText: rest.isEmpty ? nil : rest)
        }
        return WrittenDateTime(date: nil, timeText: t)
    }
}

/// A date, time or date-and-time cell as the reader needs it of every row: its numbers, read from
/// its bytes without making a string (`WrittenDateTime` reads the same from text).
struct DateCell: Sendable, Hashable {
    enum Time: Sendable, Hashable {
        /// The cell holds only a date.
        case none
        case valid(h: Int, m: Int)
        /// Something that is not a time where the time should be.
        case invalid
    }
    var date: WrittenDate?
    var time: Time

    init(date: WrittenDate?, time: Time) {
        self.date = date
        self.time = time
    }

    init(_ w: WrittenDateTime) {
        date = w.date
        time = w.timeText.map { Self.clock(ClockText.parse($0)) } ?? .none
    }

    static func clock(_ hm: (h: Int, m: Int)?) -> Time { hm.map { .valid(h: $0.h, m: $0.m) } ?? .invalid }

    /// `valid`'s hour and minute.
    var hourMinute: (h: Int, m: Int)? {
        if case .valid(let h, let m) = time { return (h, m) }
        return nil
    }

    /// A cell's value in `encoding` (nil: nothing but spaces): ASCII (nearly every cell) byte by
    /// byte, anything else decoded and read as `WrittenDateTime` reads it.
    static func read(_ v: UnsafeBufferPointer<UInt8>, _ encoding: CSVTable.Encoding) -> DateCell? {
        for b in v where b >= 0x80 {
            return WrittenDateTime.parse(CSVTable.decode(v, encoding)).map(DateCell.init)
        }
        return read(ascii: v)
    }

    /// `read` of an ASCII cell: as `WrittenDateTime.parse` and `ClockText.parse`, over the bytes.
    static func read(ascii v: UnsafeBufferPointer<UInt8>) -> DateCell? {
        let t = ClockText.trimmed(v)
        if t.isEmpty { return nil }
        if let d = WrittenDate.parse(bytes: t) { return DateCell(date: d, time: .none) }
        // A date, then a space (or ISO's T), then the time.
        var space = -1
        var tee = -1
        for k in 0..<t.count {
            let b = t[k]
            if b == 0x20 {
                space = k
                break
            }
            if (b == 0x54 || b == 0x74) && tee < 0 { tee = k }
        }
        let at = space >= 0 ? space : tee
        // A time alone (nearly every start and end cell): no date to look for.
        guard at >= 0 else { return DateCell(date: nil, time: clock(ClockText.parse(ascii: t))) }
        if let d = WrittenDate.parse(bytes: UnsafeBufferPointer(rebasing: t[0..<at])) {
            let rest = ClockText.trimmed(UnsafeBufferPointer(rebasing: t[(at + 1)...]))
            return DateCell(date: d, time: rest.isEmpty ? .none : clock(ClockText.parse(ascii: rest)))
        }
        return DateCell(date: nil, time: clock(ClockText.parse(ascii: t)))
    }
}

/// Clock times: `14:00`, `14.00`, `9:05`, `10:00:00`, `2:00 PM`, `02:00:00 PM`, `2:00pm`, `2:00 p.m.`.
/// Strict: `1400`, `2pm` or `13:00 PM` are refused (the caller says so, with the line).
enum ClockText {
    static func parse(_ text: String) -> (h: Int, m: Int)? {
        var t = text.trimmingSpaces
        // Most times end in a digit: no AM/PM to look for.
        if let last = t.utf8.last, (48...57).contains(last) { return twentyFourHour(t) }
        t = t.lowercased()
        var meridiem: String?
        for (suffix, name) in [("a.m.", "am"), ("p.m.", "pm"), ("am", "am"), ("pm", "pm")] where t.hasSuffix(suffix) {
            meridiem = name
            t = String(t.dropLast(suffix.count)).trimmingSpaces
            break
        }
        guard var hm = twentyFourHour(t) else { return nil }
        if let meridiem {
            guard (1...12).contains(hm.h) else { return nil }
            if meridiem == "am" && hm.h == 12 { hm.h = 0 }
            if meridiem == "pm" && hm.h != 12 { hm.h += 12 }
        }
        return hm
    }

    /// ASCII bytes without leading and trailing spaces and tabs.
    static func trimmed(_ v: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = v.count
        while lo < hi && (v[lo] == 0x20 || v[lo] == 0x09) { lo += 1 }
        while hi > lo && (v[hi - 1] == 0x20 || v[hi - 1] == 0x09) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: v[lo..<hi])
    }

    /// A decimal digit's value, or a large negative number (so that a sum of them is negative).
    @inline(__always) static func digit(_ b: UInt8) -> Int { b >= 48 && b <= 57 ? Int(b - 48) : -1000 }

    /// AM and PM as `parse` looks for them (lowercased), in that order.
    static let meridiems: [([UInt8], UInt8)] = [
        (Array("a.m.".utf8), UInt8(ascii: "a")), (Array("p.m.".utf8), UInt8(ascii: "p")),
        (Array("am".utf8), UInt8(ascii: "a")), (Array("pm".utf8), UInt8(ascii: "p")),
    ]

    /// `parse` of ASCII bytes, without making a string.
    static func parse(ascii v: UnsafeBufferPointer<UInt8>) -> (h: Int, m: Int)? {
        var t = trimmed(v)
        // `HH:MM` and `H:MM` (nearly every cell) at once.
        if t.count == 5 || t.count == 4, t[t.count - 3] == UInt8(ascii: ":") {
            let h = t.count == 5 ? digit(t[0]) * 10 + digit(t[1]) : digit(t[0])
            let m = digit(t[t.count - 2]) * 10 + digit(t[t.count - 1])
            if h >= 0 && h <= 23 && m >= 0 && m <= 59 { return (h, m) }
        }
        // Most times end in a digit: no AM/PM to look for.
        if let last = t.last, (48...57).contains(last) { return twentyFourHour(bytes: t) }
        var meridiem: UInt8 = 0
        // "a.m.", "p.m.", "am", "pm", in any case.
        func lower(_ b: UInt8) -> UInt8 { (65...90).contains(b) ? b + 32 : b }
        func ends(with suffix: [UInt8]) -> Bool {
            guard t.count >= suffix.count else { return false }
            let from = t.count - suffix.count
            for k in 0..<suffix.count where lower(t[from + k]) != suffix[k] { return false }
            return true
        }
        for (suffix, name) in meridiems where ends(with: suffix) {
            meridiem = name
            t = trimmed(UnsafeBufferPointer(rebasing: t[0..<(t.count - suffix.count)]))
            break
        }
        guard var hm = twentyFourHour(bytes: t) else { return nil }
        if meridiem != 0 {
            guard (1...12).contains(hm.h) else { return nil }
            if meridiem == UInt8(ascii: "a") && hm.h == 12 { hm.h = 0 }
            if meridiem == UInt8(ascii: "p") && hm.h != 12 { hm.h += 12 }
        }
        return hm
    }

    static func twentyFourHour(_ t: String) -> (h: Int, m: Int)? { twentyFourHour(bytes: t.utf8) }

    /// `H:MM`, `HH:MM`, `HH.MM`, `HH:MM:SS`, read in one pass over the bytes (this runs for
    /// every row's start and end).
    static func twentyFourHour(bytes t: some Collection<UInt8>) -> (h: Int, m: Int)? {
        for sep in [UInt8(ascii: ":"), UInt8(ascii: ".")] {
            var values = (0, 0, 0)
            var lengths = (0, 0, 0)
            var part = 0
            var ok = true
            for b in t {
                if b == sep {
                    part += 1
                    if part > 2 {
                        ok = false
                        break
                    }
                    continue
                }
                guard b >= 48 && b <= 57 else {
                    ok = false
                    break
                }
                let d = Int(b - 48)
                switch part {
                case 0: (values.0, lengths.0) = (values.0 * 10 + d, lengths.0 + 1)
                case 1: (values.1, lengths.1) = (values.1 * 10 + d, lengths.1 + 1)
                default: (values.2, lengths.2) = (values.2 * 10 + d, lengths.2 + 1)
                }
                if lengths.0 > 2 || lengths.1 > 2 || lengths.2 > 2 {
                    ok = false
                    break
                }
            }
            guard ok, part == 1 || (part == 2 && sep == UInt8(ascii: ":") && lengths.2 == 2),
                (1...2).contains(lengths.0), lengths.1 == 2, values.0 <= 23, values.1 <= 59
            else { continue }
            if part == 2 && values.2 > 59 { return nil }
            return (values.0, values.1)
        }
        return nil
    }
}
