import Foundation
import SamtaleCore

/// One problem in a schedule file, in words an office worker understands.
public struct ScheduleProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The file cannot be used at all.
        case fatal
        /// This row cannot be used; the rest of the file can.
        case error
        /// Worth fixing, but nothing is lost.
        case warning
    }
    public var severity: Severity
    /// The file, when the schedule is a folder of files.
    public var file: String? = nil
    /// 1-based line in the file (0: the file as a whole).
    public var line: Int
    /// The column's name as written in the header, if the problem is in one cell.
    public var column: String?
    public var message: String

    public init(severity: Severity, line: Int, column: String?, message: String) {
        self.severity = severity
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = line > 0 ? "line \(line)" : "file"
        if let file { location = "\(file), \(location)" }
        if let column { location += ", column \"\(column)\"" }
        return "\(severity.rawValue): \(location): \(message)"
    }
}

/// What a schedule file means: its bookings and its problems.
public struct Schedule: Sendable, Hashable {
    public var bookings: [Booking]
    public var problems: [ScheduleProblem]
    public var table: CSVTable?
    /// For a CSV file: each booking's record (index into `table.records`).
    public var rows: [String: Int] = [:]
    /// The file can be used (no fatal problem). Rows with errors are left out, loudly.
    public var isUsable: Bool { !problems.contains { $0.severity == .fatal } }
    public var hasErrors: Bool { problems.contains { $0.severity != .warning } }
}

/// The columns a schedule file has, by meaning.
public enum Column: String, Sendable, CaseIterable {
    case date, start, end, duration, room, teacher, pupil, guardians, kind, interpreter, notes, id, code
    case status
    case checkedIn = "checked_in"
    case started, ended, kiosk

    /// English, Norwegian and Danish names seen in schools' files (compared case-insensitively).
    public var names: [String] {
        switch self {
        case .date: ["date", "dato"]
        case .start: ["start", "fra", "kl", "kl.", "tid", "starttid", "start time"]
        case .end: ["end", "til", "slutt", "slut", "sluttid", "end time"]
        case .duration: ["duration", "varighet", "varighed", "minutter", "minutes", "min"]
        case .room: ["room", "rom", "lokale", "klasserom", "klasseværelse", "klasserum"]
        case .teacher: ["teacher", "teachers", "lærer", "kontaktlærer", "lærere", "lærerteam"]
        case .pupil: ["pupil", "student", "elev", "elevens navn", "navn"]
        case .guardians: ["guardians", "guardian", "foresatte", "foreldre", "forældre", "parents"]
        case .kind: ["kind", "type", "samtaletype"]
        case .interpreter: ["interpreter", "tolk"]
        case .notes: ["notes", "note", "merknad", "bemerkning", "bemærkning", "notat"]
        case .id: ["id", "booking", "bookingnr", "booking id"]
        case .code: ["code", "kode", "bookingkode"]
        case .status: ["status"]
        case .checkedIn: ["checked_in", "checked in"]
        case .started: ["started"]
        case .ended: ["ended"]
        case .kiosk: ["kiosk"]
        }
    }

    static func identify(_ header: String) -> Column? {
        let h = header.trimmingSpaces.lowercased()
        return allCases.first { $0.names.contains(h) }
    }
}

/// Reads the school's schedule file (CSV) into bookings, in the school's time zone.
public struct ScheduleReader: Sendable {
    public var time: SchoolTime
    /// Refuse files larger than this (bytes) rather than exhaust a small board's memory.
    public var maxBytes = 64 * 1024 * 1024

    public init(timeZone: TimeZone) { time = SchoolTime(timeZone: timeZone) }

    /// Reads a schedule from disk: a CSV file, an iCalendar file, or a folder of them (one file per
    /// day or week). A file that cannot be read is a fatal problem, never a crash.
    public func read(path: String) -> Schedule {
        let attrs = try? FileManager.default.attributesOfItem(atPath: path)
        if let type = attrs?[.type] as? FileAttributeType, type == .typeDirectory {
            return readFolder(path)
        }
        return readFile(path)
    }

    public static func isFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The schedule files of a folder: `.csv` and `.ics`, leaving out spreadsheets' lock files.
    public static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { n in
            let l = n.lowercased()
            return (l.hasSuffix(".csv") || l.hasSuffix(".ics")) && !n.hasPrefix(".") && !n.hasPrefix("~$")
        }.sorted().map { folder + "/" + $0 }
    }

    func readFolder(_ folder: String) -> Schedule {
        let files = Self.files(in: folder)
        guard FileManager.default.isReadableFile(atPath: folder) else {
            return Self.refused("the folder \(folder) cannot be read (permission?)")
        }
        if files.isEmpty { return Self.refused("the folder \(folder) has no .csv or .ics schedule files") }
        var all = Schedule(bookings: [], problems: [], table: nil)
        var seen = Set<String>()
        for f in files {
            let s = readFile(f)
            let name = (f as NSString).lastPathComponent
            all.problems += s.problems.map { p in
                var p = p
                p.file = name
                // One broken file in a folder leaves that file out, not the whole schedule.
                if p.severity == .fatal { p.severity = .error }
                return p
            }
            for b in s.bookings {
                if seen.insert(b.id).inserted {
                    all.bookings.append(b)
                } else {
                    all.problems.append(
                        ScheduleProblem(
                            severity: .error, line: 0, column: nil,
                            message: "the booking id \"\(b.id)\" is also in another file; this one is left out"))
                }
            }
        }
        return all
    }

    func readFile(_ path: String) -> Schedule {
        let url = URL(fileURLWithPath: path)
        let attrs = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attrs?[.size] as? Int, size > maxBytes {
            return Self.refused(
                "\(path) is \(size / 1_048_576) MB; a schedule file over \(maxBytes / 1_048_576) MB is refused")
        }
        do {
            let data = try Data(contentsOf: url)
            if path.lowercased().hasSuffix(".ics") || data.starts(with: Array("BEGIN:VCALENDAR".utf8))
                || data.starts(with: [0xEF, 0xBB, 0xBF] + Array("BEGIN:VCALENDAR".utf8))
            {
                return ICalendarReader(timeZone: time.timeZone).parse(text: String(decoding: data, as: UTF8.self))
            }
            return parse(bytes: [UInt8](data))
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "cannot be read (permission?)" : "does not exist"
            return Self.refused("\(path) \(reason)")
        }
    }

    static func refused(_ message: String) -> Schedule {
        Schedule(
            bookings: [], problems: [ScheduleProblem(severity: .fatal, line: 0, column: nil, message: message)],
            table: nil)
    }

    public func parse(text: String) -> Schedule { parse(bytes: Array(text.utf8)) }

    public func parse(bytes: [UInt8]) -> Schedule {
        if bytes.count > maxBytes {
            return Self.refused("the file is \(bytes.count / 1_048_576) MB; over \(maxBytes / 1_048_576) MB is refused")
        }
        let table = CSVTable(bytes: bytes)
        var problems: [ScheduleProblem] = []
        if let line = table.oversizedCellLine {
            problems.append(
                .init(
                    severity: .fatal, line: line, column: nil,
                    message:
                        "a cell here is larger than \(CSVTable.maxCellBytes / 1024) KB, far larger than any schedule needs; the file is refused"
                ))
            return Schedule(bookings: [], problems: problems, table: nil)
        }
        if let line = table.unterminatedQuoteLine {
            problems.append(
                .init(
                    severity: .fatal, line: line, column: nil,
                    message: "a quote (\") opened here is never closed, so the rest of the file cannot be read"))
            return Schedule(bookings: [], problems: problems, table: table)
        }
        guard let header = table.records.first(where: { !$0.isBlank }) else {
            return Schedule(
                bookings: [], problems: [.init(severity: .fatal, line: 0, column: nil, message: "the file is empty")],
                table: table)
        }
        var columns: [Column: Int] = [:]
        var names: [Column: String] = [:]
        for (i, raw) in header.fields.enumerated() {
            guard let col = Column.identify(raw) else { continue }
            if columns[col] != nil {
                problems.append(
                    .init(
                        severity: .warning, line: header.line, column: raw.trimmingSpaces,
                        message: "this column appears twice; the first one is used"))
                continue
            }
            columns[col] = i
            names[col] = raw.trimmingSpaces
        }
        var missing: [String] = []
        if columns[.date] == nil { missing.append("date (dato)") }
        if columns[.start] == nil { missing.append("start (fra)") }
        if columns[.room] == nil { missing.append("room (rom/lokale)") }
        if columns[.end] == nil && columns[.duration] == nil {
            missing.append("end (til/slutt) or duration (varighet)")
        }
        if !missing.isEmpty {
            problems.append(
                .init(
                    severity: .fatal, line: header.line, column: nil,
                    message: "the header has no column for \(missing.joined(separator: ", "))"))
            return Schedule(bookings: [], problems: problems, table: table)
        }

        var bookings: [Booking] = []
        var ids: [String: Int] = [:]
        var rows: [String: Int] = [:]
        // The calendar is slow; a schedule has few distinct date-hours. Minutes within an hour
        // never cross a DST change (changes happen on the hour), so HH:00 is looked up once.
        var hours: [Int: Date?] = [:]
        func instant(_ d: (y: Int, m: Int, d: Int), _ t: (h: Int, m: Int)) -> Date? {
            let key = ((d.y * 100 + d.m) * 100 + d.d) * 100 + t.h
            let hour: Date?
            if let cached = hours[key] {
                hour = cached
            } else {
                hour = time.instant(year: d.y, month: d.m, day: d.d, hour: t.h, minute: 0)
                hours[key] = hour
            }
            return hour?.addingTimeInterval(TimeInterval(t.m * 60))
        }
        for (index, record) in table.records.enumerated() where record.line > header.line && !record.isBlank {
            func cell(_ c: Column) -> String? {
                guard let i = columns[c], i < record.fields.count else { return nil }
                let v = record.fields[i].trimmingSpaces
                return v.isEmpty ? nil : v
            }
            func problem(_ c: Column?, _ message: String, _ severity: ScheduleProblem.Severity = .error) {
                problems.append(
                    .init(severity: severity, line: record.line, column: c.flatMap { names[$0] }, message: message))
            }
            guard let room = cell(.room) else {
                problem(.room, "the room is empty")
                continue
            }
            guard let dateText = cell(.date) else {
                problem(.date, "the date is empty")
                continue
            }
            guard let date = Self.parseDate(dateText) else {
                problem(.date, "\"\(dateText)\" is not a date; write it as 24.11.2026 or 2026-11-24")
                continue
            }
            guard let startText = cell(.start) else {
                problem(.start, "the start time is empty")
                continue
            }
            guard let startHM = Self.parseTime(startText) else {
                problem(.start, "\"\(startText)\" is not a time; write it as 14:00")
                continue
            }
            guard let start = instant(date, startHM)
            else {
                problem(.date, "\"\(dateText) \(startText)\" is not a real date and time")
                continue
            }
            var end: Date
            if let endText = cell(.end) {
                guard let endHM = Self.parseTime(endText),
                    let e = instant(date, endHM)
                else {
                    problem(.end, "\"\(endText)\" is not a time; write it as 14:30")
                    continue
                }
                end = e
            } else if let durText = cell(.duration) {
                guard let minutes = Int(durText), (1...600).contains(minutes) else {
                    problem(.duration, "\"\(durText)\" is not a number of minutes (1 to 600)")
                    continue
                }
                end = start.addingTimeInterval(TimeInterval(minutes * 60))
            } else {
                problem(columns[.end] != nil ? .end : .duration, "neither an end time nor a duration is given")
                continue
            }
            if end <= start {
                problem(
                    .end, "the conference ends (\(time.timeString(end))) before it starts (\(time.timeString(start)))")
                continue
            }
            let pupil = cell(.pupil) ?? ""
            let statusText = cell(.status)?.lowercased()
            let cancelled = ["cancelled", "canceled", "avlyst", "aflyst"].contains(statusText ?? "")
            let id =
                cell(.id)
                ?? Self.digestID(
                    date: "\(date.y)-\(Self.pad2(date.m))-\(Self.pad2(date.d))", room: room,
                    start: "\(Self.pad2(startHM.h)):\(Self.pad2(startHM.m))", pupil: pupil)
            if let first = ids[id] {
                problem(.id, "the booking id \"\(id)\" is already used on line \(first); this row is left out")
                continue
            }
            ids[id] = record.line
            rows[id] = index
            var recorded: ConferenceProgress?
            if let statusText, !cancelled, statusText != "scheduled" {
                if let phase = ConferenceStatus(rawValue: statusText) ?? (statusText == "in-session" ? .inSession : nil)
                {
                    func stamp(_ c: Column) -> Date? {
                        guard let t = cell(c), let hm = Self.parseTime(t) else { return nil }
                        return instant(date, hm)
                    }
                    recorded = ConferenceProgress(
                        phase: phase, checkedIn: stamp(.checkedIn), started: stamp(.started), ended: stamp(.ended))
                } else {
                    problem(
                        .status,
                        "\"\(statusText)\" is not a status (scheduled, waiting, in session, done, no-show, cancelled); the booking is read as scheduled",
                        .warning)
                }
            }
            bookings.append(
                Booking(
                    id: id, room: room, start: start, end: end, teachers: Self.list(cell(.teacher)), pupil: pupil,
                    guardians: Self.list(cell(.guardians)), kind: cell(.kind), interpreter: cell(.interpreter),
                    notes: cell(.notes), code: cell(.code), cancelled: cancelled, recorded: recorded))
        }
        problems += Self.overlaps(bookings, lines: ids, time: time)
        return Schedule(bookings: bookings, problems: problems, table: table, rows: rows)
    }

    /// Two live bookings overlapping in one room: the office should know.
    static func overlaps(_ bookings: [Booking], lines: [String: Int], time: SchoolTime) -> [ScheduleProblem] {
        var problems: [ScheduleProblem] = []
        for (room, list) in Dictionary(grouping: bookings.filter { !$0.cancelled }, by: \.room) {
            let sorted = list.sorted { $0.start < $1.start }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
                problems.append(
                    .init(
                        severity: .warning, line: lines[b.id] ?? 0, column: nil,
                        message:
                            "in room \(room) this conference (\(time.timeString(b.start))) overlaps the one on line \(lines[a.id] ?? 0) (\(time.timeString(a.start))–\(time.timeString(a.end)))"
                    ))
            }
        }
        return problems.sorted { $0.line < $1.line }
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A plain byte search (Foundation's locale-aware `contains` is slow on every cell).
    static func has(_ text: String, _ needle: StaticString) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        let t = Array(text.utf8)
        guard t.count >= n.count else { return false }
        for i in 0...(t.count - n.count) where t[i] == n[0] {
            if t[i..<(i + n.count)].elementsEqual(n) { return true }
        }
        return false
    }

    static func list(_ text: String?) -> [String] {
        guard let text else { return [] }
        var parts: [String] = []
        var current = ""
        for ch in text {
            if ch == "/" || ch == "&" || ch == "+" || ch == "\n" {
                parts.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(ch)
            }
        }
        parts.append(current.trimmingSpaces)
        if parts.count == 1 && (Self.has(text, " og ") || Self.has(text, " and ")) {
            parts = text.components(separatedBy: " og ").flatMap { $0.components(separatedBy: " and ") }.map(
                \.trimmingSpaces)
        }
        return parts.filter { !$0.isEmpty }
    }

    /// `2026-11-24`, `24.11.2026`, `24.11.26`, `24/11/2026` (day first, as in Norway and Denmark).
    public static func parseDate(_ text: String) -> (y: Int, m: Int, d: Int)? {
        let t = text.trimmingSpaces
        let iso = t.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]),
            iso[1].count <= 2, iso[2].count <= 2
        {
            return (y, m, d)
        }
        for sep in [".", "/"] {
            let p = t.split(separator: Character(sep), omittingEmptySubsequences: false)
            guard p.count == 3, (1...2).contains(p[0].count), (1...2).contains(p[1].count),
                let d = Int(p[0]), let m = Int(p[1]), let y = Int(p[2])
            else { continue }
            if p[2].count == 4 { return (y, m, d) }
            if p[2].count == 2 { return (2000 + y, m, d) }
        }
        return nil
    }

    /// `14:00`, `14.00`, `9:05`. Strict: `1400` or `2pm` are refused with a message.
    public static func parseTime(_ text: String) -> (h: Int, m: Int)? {
        let t = text.trimmingSpaces
        for sep in [":", "."] {
            let p = t.split(separator: Character(sep), omittingEmptySubsequences: false)
            guard p.count == 2 || (p.count == 3 && sep == ":" && p[2].count == 2 && Int(p[2]) != nil),
                (1...2).contains(p[0].count), p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]),
                (0...23).contains(h), (0...59).contains(m), p[0].allSatisfy(\.isASCII), p[1].allSatisfy(\.isASCII)
            else { continue }
            return (h, m)
        }
        return nil
    }

    /// A stable id for a booking without one, that does not reveal the pupil's name.
    public static func digestID(date: String, room: String, start: String, pupil: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(date)|\(room)|\(start)|\(pupil)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "b" + String(String(hash, radix: 16).suffix(10))
    }
}
