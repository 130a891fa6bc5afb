import Foundation

/// Wall-clock arithmetic and RFC 5545 recurrence rules, without Foundation's calendar: an event
/// recurs at the same local time in its own zone (across daylight-saving changes), so rules are
/// expanded on wall-clock times and only then turned into instants.

/// A wall-clock date and time (no zone), counted in seconds from 1970-01-01T00:00:00 wall time.
struct LocalTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    var seconds: Int

    init(seconds: Int) { self.seconds = seconds }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        seconds = Civil.days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second
    }

    init(day: Int, secondOfDay: Int) { seconds = day * 86400 + secondOfDay }

    /// Days since 1970-01-01.
    var day: Int { Civil.floorDiv(seconds, 86400) }
    var secondOfDay: Int { seconds - day * 86400 }
    var date: (year: Int, month: Int, day: Int) { Civil.date(day) }
    var hour: Int { secondOfDay / 3600 }
    var minute: Int { secondOfDay % 3600 / 60 }
    var second: Int { secondOfDay % 60 }

    static func < (a: LocalTime, b: LocalTime) -> Bool { a.seconds < b.seconds }
    func adding(_ s: Int) -> LocalTime { LocalTime(seconds: seconds + s) }

    var description: String {
        let d = date
        func p(_ n: Int, _ w: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(d.year, 4))-\(p(d.month))-\(p(d.day)) \(p(hour)):\(p(minute))"
    }
}

/// The proleptic Gregorian calendar as plain integers.
enum Civil {
    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func date(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719468
        let era = floorDiv(z, 146097)
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func monthLength(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 0 = Monday … 6 = Sunday.
    static func weekday(_ days: Int) -> Int { ((days % 7) + 7 + 3) % 7 }
}

/// A weekday in a BYDAY list, with its optional ordinal (`-1SU`, `2MO`, `TU`).
struct WeekdayNum: Hashable, Sendable {
    var ordinal: Int?
    /// 0 = Monday … 6 = Sunday.
    var weekday: Int
}

/// An RRULE (RFC 5545 section 3.3.10).
struct RecurrenceRule: Sendable, Hashable {
    enum Frequency: String, Sendable {
        case yearly = "YEARLY"
        case monthly = "MONTHLY"
        case weekly = "WEEKLY"
        case daily = "DAILY"
    }
    enum Until: Sendable, Hashable {
        /// A date: the last day an occurrence may fall on.
        case date(Int)
        /// An instant (UTC) or a wall-clock time in the event's zone.
        case utc(seconds: Int)
        case local(LocalTime)
    }

    var frequency: Frequency
    var interval = 1
    var count: Int?
    var until: Until?
    var byMonth: [Int] = []
    var byMonthDay: [Int] = []
    var byYearDay: [Int] = []
    var byWeekNo: [Int] = []
    var byDay: [WeekdayNum] = []
    var byHour: [Int] = []
    var byMinute: [Int] = []
    var bySecond: [Int] = []
    var bySetPos: [Int] = []
    /// 0 = Monday.
    var weekStart = 0

    static let weekdays = ["MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6]

    static let knownParts: Set<String> = [
        "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYDAY", "BYHOUR",
        "BYMINUTE", "BYSECOND", "BYSETPOS", "WKST", "RSCALE", "SKIP",
    ]

    /// Parts of a rule that RFC 5545 does not know (`UNTL=…`, a typo): they are ignored, with a warning.
    static func unknownParts(_ text: String) -> [String] {
        text.split(separator: ";").compactMap { part in
            let name = part.split(separator: "=", maxSplits: 1).first.map { String($0).uppercased() } ?? ""
            return knownParts.contains(name) || name.hasPrefix("X-") ? nil : String(part)
        }
    }

    /// Parses `FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261224T000000Z`; the error says which part is wrong.
    static func parse(_ text: String) -> Result<RecurrenceRule, RuleError> {
        var parts: [String: String] = [:]
        for part in text.split(separator: ";") where !part.isEmpty {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { return .failure(RuleError("\"\(part)\" is not NAME=VALUE")) }
            parts[kv[0].uppercased()] = kv[1]
        }
        guard let f = parts["FREQ"] else { return .failure(RuleError("it has no FREQ")) }
        guard let freq = Frequency(rawValue: f.uppercased()) else {
            return .failure(
                RuleError(
                    "FREQ=\(f) is not supported (YEARLY, MONTHLY, WEEKLY and DAILY are; a conference does not repeat by the hour)"
                ))
        }
        var rule = RecurrenceRule(frequency: freq)
        func ints(_ key: String, _ range: ClosedRange<Int>, negative: Bool) -> Result<[Int], RuleError> {
            guard let v = parts[key] else { return .success([]) }
            var out: [Int] = []
            for item in v.split(separator: ",") {
                guard let n = Int(item.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "+", with: "")),
                    range.contains(abs(n)) || (range.lowerBound == 0 && n == 0), n >= 0 || negative
                else { return .failure(RuleError("\(key)=\(v) is not a list of numbers in \(range)")) }
                out.append(n)
            }
            return .success(out)
        }
        do {
            rule.byMonth = try ints("BYMONTH", 1...12, negative: false).get()
            rule.byMonthDay = try ints("BYMONTHDAY", 1...31, negative: true).get()
            rule.byYearDay = try ints("BYYEARDAY", 1...366, negative: true).get()
            rule.byWeekNo = try ints("BYWEEKNO", 1...53, negative: true).get()
            rule.byHour = try ints("BYHOUR", 0...23, negative: false).get()
            rule.byMinute = try ints("BYMINUTE", 0...59, negative: false).get()
            rule.bySecond = try ints("BYSECOND", 0...60, negative: false).get()
            rule.bySetPos = try ints("BYSETPOS", 1...366, negative: true).get()
        } catch {
            return .failure(error)
        }
        if let v = parts["INTERVAL"] {
            guard let n = Int(v), (1...10000).contains(n) else {
                return .failure(RuleError("INTERVAL=\(v) is not a number from 1 to 10000"))
            }
            rule.interval = n
        }
        if let v = parts["COUNT"] {
            guard let n = Int(v), n >= 0 else { return .failure(RuleError("COUNT=\(v) is not a number")) }
            rule.count = n
        }
        if let v = parts["WKST"] {
            guard let d = weekdays[v.uppercased()] else { return .failure(RuleError("WKST=\(v) is not a weekday")) }
            rule.weekStart = d
        }
        if let v = parts["BYDAY"] {
            for item in v.split(separator: ",") {
                let s = item.trimmingCharacters(in: .whitespaces).uppercased()
                guard s.count >= 2, let d = weekdays[String(s.suffix(2))] else {
                    return .failure(RuleError("BYDAY=\(v) is not a list of weekdays like MO or -1FR"))
                }
                let head = s.dropLast(2).replacingOccurrences(of: "+", with: "")
                if head.isEmpty {
                    rule.byDay.append(WeekdayNum(ordinal: nil, weekday: d))
                } else if let n = Int(head), n != 0, abs(n) <= 53 {
                    rule.byDay.append(WeekdayNum(ordinal: n, weekday: d))
                } else {
                    return .failure(RuleError("BYDAY=\(v) is not a list of weekdays like MO or -1FR"))
                }
            }
        }
        if let v = parts["UNTIL"] {
            guard let value = ICalendarValue.dateOrTime(v) else {
                return .failure(RuleError("UNTIL=\(v) is not a date or a date and time"))
            }
            switch value {
            case .date(let d): rule.until = .date(d)
            case .time(let t, utc: true): rule.until = .utc(seconds: t.seconds)
            case .time(let t, utc: false): rule.until = .local(t)
            }
        }
        return .success(rule)
    }

    /// The rule's occurrences from `start` (the event's DTSTART, wall clock) up to `limit`
    /// (inclusive), at most `maximum` of them. `isAfterUntil` decides a wall-clock time against an
    /// UNTIL given in UTC (it needs the event's zone). DTSTART itself is not added here: it is the
    /// first occurrence whether or not it matches the rule (the caller adds it).
    func expand(
        start: LocalTime, limit: LocalTime, maximum: Int, utcOf: (LocalTime) -> Int
    ) -> (times: [LocalTime], truncated: Bool) {
        var out: [LocalTime] = []
        var emitted = 0
        let startDate = start.date
        // The defaults RFC 5545 takes from DTSTART when the rule does not say.
        var byMonth = byMonth
        var byMonthDay = byMonthDay
        var byDay = byDay
        if byWeekNo.isEmpty && byYearDay.isEmpty && byMonthDay.isEmpty && byDay.isEmpty {
            switch frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [startDate.month] }
                byMonthDay = [startDate.day]
            case .monthly: byMonthDay = [startDate.day]
            case .weekly: byDay = [WeekdayNum(ordinal: nil, weekday: Civil.weekday(start.day))]
            case .daily: break
            }
        }
        let hours = byHour.isEmpty ? [start.hour] : byHour.sorted()
        let minutes = byMinute.isEmpty ? [start.minute] : byMinute.sorted()
        let seconds = bySecond.isEmpty ? [start.second] : bySecond.sorted()
        var times: [Int] = []
        for h in hours { for m in minutes { for s in seconds { times.append(h * 3600 + m * 60 + s) } } }
        times.sort()

        func beyondUntil(_ t: LocalTime) -> Bool {
            switch until {
            case nil: return false
            case .date(let d)?: return t.day > d
            case .local(let u)?: return t > u
            case .utc(let u)?: return utcOf(t) > u
            }
        }

        // Period by period: the days each period offers, filtered by the BYxxx parts.
        var periodIndex = 0
        var emptyPeriods = 0
        while true {
            let days: [Int]
            switch frequency {
            case .daily:
                days = [start.day + periodIndex * interval]
            case .weekly:
                let weekStartDay = start.day - ((Civil.weekday(start.day) - weekStart + 7) % 7)
                let first = weekStartDay + periodIndex * interval * 7
                days = Array(first..<(first + 7))
            case .monthly:
                let total = startDate.month - 1 + periodIndex * interval
                let y = startDate.year + Civil.floorDiv(total, 12)
                let m = total - Civil.floorDiv(total, 12) * 12 + 1
                let first = Civil.days(year: y, month: m, day: 1)
                days = Array(first..<(first + Civil.monthLength(y, m)))
            case .yearly:
                let y = startDate.year + periodIndex * interval
                let first = Civil.days(year: y, month: 1, day: 1)
                days = Array(first..<Civil.days(year: y + 1, month: 1, day: 1))
            }
            periodIndex += 1
            guard let firstDay = days.first else { break }
            if LocalTime(day: firstDay, secondOfDay: 0) > limit { break }
            var candidates: [LocalTime] = []
            for d in days where matches(day: d, byMonth: byMonth, byMonthDay: byMonthDay, byDay: byDay) {
                for t in times { candidates.append(LocalTime(day: d, secondOfDay: t)) }
            }
            if !bySetPos.isEmpty {
                let n = candidates.count
                var picked = Set<Int>()
                for p in bySetPos {
                    let i = p > 0 ? p - 1 : n + p
                    if i >= 0 && i < n { picked.insert(i) }
                }
                candidates = picked.sorted().map { candidates[$0] }
            }
            if candidates.isEmpty {
                emptyPeriods += 1
                // A rule that can never match (BYMONTHDAY=30;BYMONTH=2) ends here.
                if emptyPeriods > 2000 { break }
                continue
            }
            emptyPeriods = 0
            for c in candidates where c >= start {
                if beyondUntil(c) { return (out, false) }
                if let count, emitted >= count { return (out, false) }
                if c > limit { return (out, false) }
                emitted += 1
                out.append(c)
                if out.count >= maximum { return (out, true) }
            }
            if let count, emitted >= count { break }
        }
        return (out, false)
    }

    /// Whether a day is in the set the BYxxx parts describe, for this rule's frequency.
    func matches(day d: Int, byMonth: [Int], byMonthDay: [Int], byDay: [WeekdayNum]) -> Bool {
        let date = Civil.date(d)
        if !byMonth.isEmpty && !byMonth.contains(date.month) { return false }
        if !byWeekNo.isEmpty && frequency == .yearly && !byWeekNo.contains(where: { weekNumberMatches($0, day: d) }) {
            return false
        }
        if !byYearDay.isEmpty {
            let first = Civil.days(year: date.year, month: 1, day: 1)
            let length = Civil.isLeap(date.year) ? 366 : 365
            let yday = d - first + 1
            if !byYearDay.contains(where: { $0 > 0 ? $0 == yday : length + $0 + 1 == yday }) { return false }
        }
        if !byMonthDay.isEmpty {
            let length = Civil.monthLength(date.year, date.month)
            if !byMonthDay.contains(where: { $0 > 0 ? $0 == date.day : length + $0 + 1 == date.day }) { return false }
        }
        if !byDay.isEmpty {
            let wd = Civil.weekday(d)
            let ok = byDay.contains { entry in
                guard entry.weekday == wd else { return false }
                guard let n = entry.ordinal, frequency == .monthly || (frequency == .yearly && byWeekNo.isEmpty)
                else { return true }
                // The nth such weekday of the month (MONTHLY, or YEARLY with BYMONTH) or of the year.
                let inMonth = frequency == .monthly || !byMonth.isEmpty
                let first =
                    inMonth
                    ? Civil.days(year: date.year, month: date.month, day: 1)
                    : Civil.days(year: date.year, month: 1, day: 1)
                let last =
                    inMonth
                    ? first + Civil.monthLength(date.year, date.month) - 1
                    : Civil.days(year: date.year + 1, month: 1, day: 1) - 1
                if n > 0 { return (d - first) / 7 + 1 == n }
                return (last - d) / 7 + 1 == -n
            }
            if !ok { return false }
        }
        return true
    }

    /// RFC 5545 week numbers: week 1 is the first week (starting on WKST) with at least four days
    /// in the year.
    func weekNumberMatches(_ n: Int, day d: Int) -> Bool {
        func firstWeekStart(_ year: Int) -> Int {
            let jan1 = Civil.days(year: year, month: 1, day: 1)
            let offset = (Civil.weekday(jan1) - weekStart + 7) % 7
            // The week holding Jan 1 is week 1 when at least four of its days are in the year.
            return offset <= 3 ? jan1 - offset : jan1 - offset + 7
        }
        var year = Civil.date(d).year
        var start = firstWeekStart(year)
        if d < start {
            year -= 1
            start = firstWeekStart(year)
        } else if d >= firstWeekStart(year + 1) {
            year += 1
            start = firstWeekStart(year)
        }
        let week = (d - start) / 7 + 1
        if n > 0 { return week == n }
        let weeks = (firstWeekStart(year + 1) - start) / 7
        return weeks + n + 1 == week
    }
}

struct RuleError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
