import Foundation

/// A value of DTSTART, DTEND, RDATE, EXDATE, RECURRENCE-ID or UNTIL.
enum ICalendarValue: Sendable, Hashable {
    /// A date (days since 1970-01-01).
    case date(Int)
    /// A wall-clock time, or a UTC time when `utc`.
    case time(LocalTime, utc: Bool)

    /// The wall-clock time (a date: its midnight).
    var local: LocalTime {
        switch self {
        case .date(let d): LocalTime(day: d, secondOfDay: 0)
        case .time(let t, _): t
        }
    }

    /// `20261124`, `20261124T140000`, `20261124T140000Z`.
    static func dateOrTime(_ text: String) -> ICalendarValue? {
        let v = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func num(_ a: Int, _ b: Int) -> Int? {
            var n = 0
            for i in a..<b {
                guard v[i] >= 48 && v[i] <= 57 else { return nil }
                n = n * 10 + Int(v[i] - 48)
            }
            return n
        }
        guard v.count >= 8, let y = num(0, 4), let mo = num(4, 6), let d = num(6, 8), (1...12).contains(mo),
            d >= 1, d <= Civil.monthLength(y, mo)
        else { return nil }
        if v.count == 8 { return .date(Civil.days(year: y, month: mo, day: d)) }
        guard v.count == 15 || (v.count == 16 && (v[15] == UInt8(ascii: "Z") || v[15] == UInt8(ascii: "z"))),
            v[8] == UInt8(ascii: "T") || v[8] == UInt8(ascii: "t"),
            let h = num(9, 11), let mi = num(11, 13), let s = num(13, 15), h <= 23, mi <= 59, s <= 60
        else { return nil }
        return .time(LocalTime(year: y, month: mo, day: d, hour: h, minute: mi, second: min(s, 59)), utc: v.count == 16)
    }
}

/// How wall-clock times of one TZID become instants.
enum ICalendarZone: Sendable {
    case utc
    /// An IANA zone (Foundation's tz database).
    case system(TimeZone)
    /// A VTIMEZONE block's own rules.
    case defined(DefinedZone)

    /// The UTC offset in force at an instant (seconds since 1970).
    func offset(atUTC t: Int) -> Int {
        switch self {
        case .utc: 0
        case .system(let tz): tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
        case .defined(let z): z.offset(atUTC: t)
        }
    }

    /// The instant of a wall-clock time. A time that occurs twice (the hour clocks are set back)
    /// is its first occurrence; a time that does not exist (the hour skipped) is read with the
    /// offset before the change, so 02:30 on the spring day is 03:30 summer time (as RFC 5545
    /// and Python's zoneinfo).
    func utc(_ local: LocalTime) -> Int {
        let l = local.seconds
        let early = offset(atUTC: l - 86400)
        let late = offset(atUTC: l + 86400)
        if early == late {
            let c = l - early
            if offset(atUTC: c) == early { return c }
        }
        let c1 = l - early
        let c2 = l - late
        if offset(atUTC: c1) == early { return c1 }
        if offset(atUTC: c2) == late { return c2 }
        return c1
    }

    func instant(_ local: LocalTime) -> Date { Date(timeIntervalSince1970: TimeInterval(utc(local))) }
}

/// A VTIMEZONE's STANDARD and DAYLIGHT observances as a list of transitions.
struct DefinedZone: Sendable {
    /// (instant of the change, offset after it), sorted.
    var transitions: [(at: Int, offset: Int)]
    /// The offset before the first change.
    var initial: Int

    func offset(atUTC t: Int) -> Int {
        var lo = 0
        var hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if transitions[mid].at <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? initial : transitions[lo - 1].offset
    }

    /// `+0100`, `-0500`, `+053000`.
    static func offset(_ text: String) -> Int? {
        let v = Array(text.trimmingCharacters(in: .whitespaces))
        guard v.count == 5 || v.count == 7, v[0] == "+" || v[0] == "-",
            let h = Int(String(v[1...2])), let m = Int(String(v[3...4]))
        else { return nil }
        let s = v.count == 7 ? Int(String(v[5...6])) ?? 0 : 0
        return (v[0] == "-" ? -1 : 1) * (h * 3600 + m * 60 + s)
    }
}

/// Finds the zone a TZID names, in this order: an IANA name (also behind a vendor prefix such as
/// `/mozilla.org/20050126_1/America/New_York`), the file's own VTIMEZONE with that TZID, a Windows
/// zone name or display name (CLDR's windowsZones), a display name's `(UTC+hh:mm)` offset; else
/// nil (the caller warns and uses the school's zone).
enum ZoneNames {
    /// The IANA name inside a TZID, stripping vendor prefixes.
    static func iana(_ tzid: String) -> TimeZone? {
        let name = tzid.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { return nil }
        if !name.hasPrefix("/"), let tz = known(name) { return tz }
        // `/mozilla.org/20050126_1/America/New_York`, `/softwarestudio.org/Olson_20011030_5/Europe/Oslo`,
        // `/citadel.org/20190914_1/Europe/Oslo`, `/freeassociation.sourceforge.net/Tzfile/Europe/Oslo`:
        // the longest tail of the path that is a zone.
        let parts = name.split(separator: "/").map(String.init)
        for n in stride(from: min(3, parts.count), through: 1, by: -1) {
            let tail = parts.suffix(n).joined(separator: "/")
            if let tz = known(tail) { return tz }
        }
        return nil
    }

    /// A real zone name of the tz database (not an abbreviation Foundation also understands).
    static func known(_ name: String) -> TimeZone? {
        guard
            name.contains("/") || ["UTC", "GMT", "Etc/UTC", "Zulu", "UCT"].contains(name)
                || ["EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "CET", "EET", "MET", "WET"].contains(name)
        else { return nil }
        guard let tz = TimeZone(identifier: name) else { return nil }
        return tz
    }

    /// A Windows zone name or display name.
    static func windows(_ tzid: String) -> TimeZone? {
        let name = tzid.trimmingCharacters(in: .whitespaces)
        if let iana = WindowsZones.iana[name], let tz = TimeZone(identifier: iana) { return tz }
        let folded = fold(name)
        if let iana = WindowsZones.iana.first(where: { fold($0.key) == folded })?.value,
            let tz = TimeZone(identifier: iana)
        {
            return tz
        }
        if let windows = WindowsZones.displayNames.first(where: { fold($0.key) == folded })?.value,
            let iana = WindowsZones.iana[windows], let tz = TimeZone(identifier: iana)
        {
            return tz
        }
        return nil
    }

    /// `(UTC-03:00) Somewhere`: a fixed offset, when nothing better is known.
    static func displayOffset(_ tzid: String) -> TimeZone? {
        let s = tzid.trimmingCharacters(in: .whitespaces)
        guard s.hasPrefix("(UTC") || s.hasPrefix("(GMT"), let close = s.firstIndex(of: ")") else { return nil }
        let inner = s[s.index(s.startIndex, offsetBy: 4)..<close]
        if inner.isEmpty { return TimeZone(identifier: "UTC") }
        let sign = inner.first == "-" ? -1 : 1
        let digits = inner.dropFirst().split(separator: ":")
        guard inner.first == "+" || inner.first == "-", let h = Int(digits.first ?? ""), h <= 14 else { return nil }
        let m = digits.count > 1 ? Int(digits[1]) ?? 0 : 0
        return TimeZone(secondsFromGMT: sign * (h * 3600 + m * 60))
    }

    /// Lower case without accents or spaces: "(UTC-03:00) Brasília" matches "(UTC-03:00) Brasilia".
    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter { !$0.isWhitespace }
    }
}
