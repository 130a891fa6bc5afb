import Foundation
import SamtaleCore

/// Reads an iCalendar export (RFC 5545) into bookings: a read-only source with the same meaning
/// as the CSV file. VEVENT with DTSTART and DTEND or DURATION (TZID, UTC or floating local time),
/// SUMMARY, LOCATION (the room), DESCRIPTION, ORGANIZER and ATTENDEE, UID, STATUS:CANCELLED,
/// CATEGORIES (the kind); folded lines.
public struct ICalendarReader: Sendable {
    public var time: SchoolTime

    public init(timeZone: TimeZone) { time = SchoolTime(timeZone: timeZone) }

    struct Property {
        var name: String
        var params: [String: String]
        var value: String
        var line: Int
    }

    /// Unfolds lines (a CRLF or LF followed by a space or tab continues the line) and splits each
    /// into name, parameters and value. Keeps the line number where each property starts.
    static func properties(_ text: String) -> [Property] {
        var logical: [(String, Int)] = []
        var lineNumber = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if let first = line.first, first == " " || first == "\t", !logical.isEmpty {
                logical[logical.count - 1].0 += line.dropFirst()
            } else if !line.isEmpty {
                logical.append((line, lineNumber))
            }
        }
        return logical.compactMap { (line, number) in
            // The value starts at the first colon outside quotes.
            var quoted = false
            var colon: String.Index?
            for i in line.indices {
                if line[i] == "\"" { quoted.toggle() }
                if line[i] == ":" && !quoted {
                    colon = i
                    break
                }
            }
            guard let colon else { return nil }
            let head = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            var parts = head.split(separator: ";").map(String.init)
            guard !parts.isEmpty else { return nil }
            let name = parts.removeFirst().uppercased()
            var params: [String: String] = [:]
            for p in parts {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 {
                    params[kv[0].uppercased()] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            return Property(name: name, params: params, value: value, line: number)
        }
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escape = false
        for ch in s {
            if escape {
                switch ch {
                case "n", "N": out.append("\n")
                default: out.append(ch)
                }
                escape = false
            } else if ch == "\\" {
                escape = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// `20261124T140000Z`, `20261124T140000` (with TZID, or the school's time).
    func dateTime(_ p: Property) -> Date? {
        let v = p.value.trimmingSpaces
        guard v.count >= 15, v.count <= 16 else { return nil }
        let chars = Array(v)
        guard chars[8] == "T" else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? { Int(String(chars[a..<b])) }
        guard let y = num(0, 4), let mo = num(4, 6), let d = num(6, 8), let h = num(9, 11), let mi = num(11, 13) else {
            return nil
        }
        if v.hasSuffix("Z") {
            return SchoolTime(timeZone: TimeZone(identifier: "UTC")!).instant(
                year: y, month: mo, day: d, hour: h, minute: mi)
        }
        if let tzid = p.params["TZID"], let tz = TimeZone(identifier: tzid) {
            return SchoolTime(timeZone: tz).instant(year: y, month: mo, day: d, hour: h, minute: mi)
        }
        return time.instant(year: y, month: mo, day: d, hour: h, minute: mi)
    }

    /// `PT20M`, `PT1H30M`, `P1D` → seconds.
    static func duration(_ s: String) -> TimeInterval? {
        var text = Substring(s.trimmingSpaces)
        var sign = 1.0
        if text.first == "-" {
            sign = -1
            text = text.dropFirst()
        } else if text.first == "+" {
            text = text.dropFirst()
        }
        guard text.first == "P" else { return nil }
        text = text.dropFirst()
        var total = 0.0
        var number = ""
        var inTime = false
        for ch in text {
            if ch.isNumber {
                number.append(ch)
                continue
            }
            if ch == "T" {
                inTime = true
                continue
            }
            guard let n = Double(number) else { return nil }
            number = ""
            switch (ch, inTime) {
            case ("W", false): total += n * 7 * 86400
            case ("D", false): total += n * 86400
            case ("H", true): total += n * 3600
            case ("M", true): total += n * 60
            case ("S", true): total += n
            default: return nil
            }
        }
        return number.isEmpty ? sign * total : nil
    }

    public func parse(text: String) -> Schedule {
        var problems: [ScheduleProblem] = []
        var bookings: [Booking] = []
        let props = Self.properties(text)
        guard props.contains(where: { $0.name == "BEGIN" && $0.value.uppercased() == "VCALENDAR" }) else {
            return ScheduleReader.refused("this is not an iCalendar file (no BEGIN:VCALENDAR)")
        }
        var event: [Property]?
        var ids = Set<String>()
        for p in props {
            if p.name == "BEGIN" && p.value.uppercased() == "VEVENT" {
                event = []
                continue
            }
            if p.name == "END" && p.value.uppercased() == "VEVENT", let e = event {
                event = nil
                let startLine = e.first?.line ?? p.line
                func first(_ n: String) -> Property? { e.first { $0.name == n } }
                func problem(_ m: String, _ line: Int? = nil) {
                    problems.append(.init(severity: .error, line: line ?? startLine, column: nil, message: m))
                }
                guard let dtstart = first("DTSTART") else {
                    problem("this event has no DTSTART")
                    continue
                }
                guard let start = dateTime(dtstart) else {
                    problem(
                        "DTSTART \"\(dtstart.value)\" is not a date and time (an all-day event cannot be a conference)",
                        dtstart.line)
                    continue
                }
                var end: Date?
                if let dtend = first("DTEND") {
                    end = dateTime(dtend)
                    if end == nil {
                        problem("DTEND \"\(dtend.value)\" is not a date and time", dtend.line)
                        continue
                    }
                } else if let dur = first("DURATION") {
                    guard let seconds = Self.duration(dur.value) else {
                        problem("DURATION \"\(dur.value)\" is not a duration like PT20M", dur.line)
                        continue
                    }
                    end = start.addingTimeInterval(seconds)
                }
                guard let end else {
                    problem("this event has neither DTEND nor DURATION")
                    continue
                }
                guard end > start else {
                    problem("the event ends before it starts")
                    continue
                }
                guard let room = first("LOCATION").map({ Self.unescape($0.value).trimmingSpaces }), !room.isEmpty else {
                    problem("this event has no LOCATION (the room)")
                    continue
                }
                let summary = first("SUMMARY").map { Self.unescape($0.value) } ?? ""
                let pupil = first("X-SAMTALE-PUPIL").map { Self.unescape($0.value) } ?? summary
                let id =
                    first("UID").map { Self.unescape($0.value) }
                    ?? ScheduleReader.digestID(
                        date: time.dayString(start), room: room, start: time.timeString(start), pupil: pupil)
                guard ids.insert(id).inserted else {
                    problem("the UID \"\(id)\" is used by an earlier event; this one is left out")
                    continue
                }
                let organizer = first("ORGANIZER").flatMap { $0.params["CN"] }
                let attendees = e.filter { $0.name == "ATTENDEE" }
                let teachers =
                    ([organizer].compactMap { $0 }
                        + attendees.filter { $0.params["ROLE"] == "CHAIR" }.compactMap { $0.params["CN"] })
                let guardians = attendees.filter { $0.params["ROLE"] != "CHAIR" }.compactMap { $0.params["CN"] }
                bookings.append(
                    Booking(
                        id: id, room: room, start: start, end: end, teachers: teachers, pupil: pupil,
                        guardians: guardians,
                        kind: first("CATEGORIES").map { Self.unescape($0.value) },
                        interpreter: first("X-SAMTALE-INTERPRETER").map { Self.unescape($0.value) },
                        notes: first("DESCRIPTION").map { Self.unescape($0.value) },
                        cancelled: first("STATUS")?.value.uppercased() == "CANCELLED"))
                continue
            }
            event?.append(p)
        }
        problems += ScheduleReader.overlaps(bookings, lines: [:], time: time)
        return Schedule(bookings: bookings, problems: problems, table: nil)
    }
}
