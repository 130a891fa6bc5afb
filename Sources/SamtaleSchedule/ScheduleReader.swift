import Foundation
import SamtaleCore

#if canImport(Glibc)
    import Glibc
#endif

/// One problem in a schedule file, in words an office worker understands.
public struct ScheduleProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The file cannot be used at all.
        case fatal
        /// This row cannot be used; the rest of the file can.
        case error
        /// Worth fixing, but nothing is lost.
        case warning
        /// Nothing wrong, but a reading the office should know was taken (e.g. which of a date's
        /// numbers is the day, when the file cannot tell).
        case notice
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
    public var hasErrors: Bool { problems.contains { $0.severity == .fatal || $0.severity == .error } }
    /// How the day–month order of dates like `3/4/2026` was decided (nil: the file has none).
    public var dateOrder: DateOrderDecision? = nil
}

/// Reads the school's schedule file (CSV) into bookings, in the school's time zone.
public struct ScheduleReader: Sendable {
    public var time: SchoolTime
    /// Refuse files larger than this (bytes) rather than exhaust a small board's memory.
    public var maxBytes = 64 * 1024 * 1024
    /// The day–month order taken when the file itself cannot tell (no date in it has a number over
    /// 12): the school's, from its language (nb, da: day first; en: as configured, see the README).
    public var dateOrder: DateOrder
    /// Why `dateOrder` is what it is, in words for the notice (e.g. "the school's language is en").
    public var dateOrderReason: String
    /// Whether each booking's details are read: its teachers, pupil, guardians, kind, interpreter,
    /// notes and code (of a CSV file). `samtale check` reads without them (it shows none of them): a
    /// school's file then takes half the memory (issue 12). Ids, rooms, times and states are read
    /// either way.
    public var readsDetails = true

    public init(
        timeZone: TimeZone, dateOrder: DateOrder = .dayFirst,
        dateOrderReason: String = "day first is the default (Norwegian and Danish schools)"
    ) {
        time = SchoolTime(timeZone: timeZone)
        self.dateOrder = dateOrder
        self.dateOrderReason = dateOrderReason
    }

    /// Reads a schedule from disk: a CSV file, an iCalendar file, or a folder of them (one file per
    /// day or week). A file that cannot be read is a fatal problem, never a crash.
    public func read(path: String) -> Schedule {
        // `stat`, not FileManager's attributes (which look up the owner's name in /etc/passwd).
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { return readFolder(path) }
        return readFile(path)
    }

    /// Reads a schedule as `read(path:)` does, but hands each booking to `each` with its line in
    /// the file (nil: not a CSV file's) instead of keeping them: the schedule's `bookings` is
    /// empty, everything else is as `read(path:)` gives it. `samtale check` counts a school's
    /// 20,000 bookings so, without holding them (issue 12).
    public func read(path: String, each: (Booking, Int?) -> Void) -> Schedule {
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            var all = readFolder(path)
            for b in all.bookings { each(b, nil) }
            all.bookings = []
            return all
        }
        return withoutActuallyEscaping(each) { readFile(path, each: $0) }
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

    func readFile(_ path: String, each: ((Booking, Int?) -> Void)? = nil) -> Schedule {
        var st = stat()
        if stat(path, &st) == 0, Int(st.st_size) > maxBytes {
            return Self.refused(
                "\(path) is \(Int(st.st_size) / 1_048_576) MB; a schedule file over \(maxBytes / 1_048_576) MB is refused"
            )
        }
        guard let bytes = Self.contents(path) else {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "cannot be read (permission?)" : "does not exist"
            return Self.refused("\(path) \(reason)")
        }
        if path.lowercased().hasSuffix(".ics") || bytes.starts(with: Array("BEGIN:VCALENDAR".utf8))
            || bytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("BEGIN:VCALENDAR".utf8))
        {
            var calendar = ICalendarReader(timeZone: time.timeZone).parse(text: String(decoding: bytes, as: UTF8.self))
            if let each {
                for b in calendar.bookings { each(b, nil) }
                calendar.bookings = []
            }
            return calendar
        }
        return parse(bytes: bytes, bookings: true, each: each)
    }

    /// A file's bytes, read straight into one array (no `Data` copied into another).
    static func contents(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd: fd)
    }

    /// The rest of an open file's bytes, read into one array (nil: it cannot be read, or it is a
    /// folder).
    static func readAll(fd: Int32) -> [UInt8]? {
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR else { return nil }
        // One byte more than the size, to see the end in the same read.
        var out = [UInt8](repeating: 0, count: max(Int(st.st_size), 0) + 1)
        var count = 0
        while true {
            if count == out.count { out += [UInt8](repeating: 0, count: max(out.count, 1 << 16)) }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            count += n
        }
        out.removeLast(out.count - count)
        return out
    }

    static func refused(_ message: String) -> Schedule {
        Schedule(
            bookings: [], problems: [ScheduleProblem(severity: .fatal, line: 0, column: nil, message: message)],
            table: nil)
    }

    public func parse(text: String) -> Schedule { parse(bytes: Array(text.utf8)) }

    public func parse(bytes: [UInt8]) -> Schedule { parse(bytes: bytes, bookings: true) }

    /// What a write-back needs of a file, and no more: its table, each booking's record (`rows`:
    /// the same rows as `parse` finds, by the same checks) and whether it can be used (its fatal
    /// problems). No `bookings` are made (no names, lists, states or overlaps); the problems of
    /// rows are there, but not the overlaps' or the status column's warnings.
    func parseRows(bytes: [UInt8]) -> Schedule { parse(bytes: bytes, bookings: false) }

    /// `each`: where each booking goes, with its line, instead of into `bookings`.
    func parse(bytes: [UInt8], bookings makeBookings: Bool, each: ((Booking, Int?) -> Void)? = nil) -> Schedule {
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
        guard let header = ScheduleFileFormat.header(of: table) else {
            return Schedule(
                bookings: [], problems: [.init(severity: .fatal, line: 0, column: nil, message: "the file is empty")],
                table: table)
        }
        let columns = header.columns
        let names = header.names
        for name in header.repeated {
            problems.append(
                .init(
                    severity: .warning, line: header.line, column: name,
                    message: "this column appears twice; the first one is used"))
        }
        let missing = ScheduleFileFormat.missingColumns(columns)
        if !missing.isEmpty {
            problems.append(
                .init(
                    severity: .fatal, line: header.line, column: nil,
                    message: "the header has no column for \(missing.joined(separator: ", "))"))
            return Schedule(bookings: [], problems: problems, table: table)
        }

        var bookings: [Booking] = []
        // Each room's live bookings' times and lines, for the overlaps (no booking kept for them).
        var byRoom: [String: [OverlapSlot]] = [:]
        // Each booking's record: one dictionary (a booking's line is its record's).
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
        // The rows after the header that are not blank.
        var dataRows: [Int] = []
        dataRows.reserveCapacity(table.records.count - header.record)
        for r in (header.record + 1)..<table.records.count where !table.isBlank(table.records[r]) {
            dataRows.append(r)
        }
        // The columns' positions by ordinal (-1: none): a dictionary lookup per cell adds up.
        let slots = Self.slots(columns)
        let dateSlot = slots[Column.date.ordinal]
        let startSlot = slots[Column.start.ordinal]
        let endSlot = slots[Column.end.ordinal]
        // The day–month order, decided from the file as a whole before any row is read (the
        // dates are read again with the rows: reading one is cheaper than keeping it).
        let decided = decideDateOrder(table, rows: dataRows, slots: [dateSlot, startSlot, endSlot], names: names)
        if makeBookings && each == nil { bookings.reserveCapacity(dataRows.count) }
        rows.reserveCapacity(dataRows.count)
        problems += decided.problems
        func resolve(
            _ w: WrittenDate, _ c: Column, _ text: () -> String,
            _ problem: (Column?, String, ScheduleProblem.Severity) -> Void
        ) -> (y: Int, m: Int, d: Int)? {
            let order: DateOrder
            if w.iso {
                order = .dayFirst  // unused: ISO is year, month, day
            } else if let o = decided.order {
                order = o
            } else if let own = w.evidence {
                order = own
            } else if w.isAmbiguous {
                problem(
                    c,
                    "\"\(text())\" could be \(WrittenDate.spelled(w.resolved(.dayFirst))) or \(WrittenDate.spelled(w.resolved(.monthFirst))), and this file writes dates both day first and month first; write it as \(Self.isoText(w.resolved(.dayFirst))) or \(Self.isoText(w.resolved(.monthFirst)))",
                    .error)
                return nil
            } else {
                order = .dayFirst  // 5/5/2026: the same either way
            }
            let d = w.resolved(order)
            guard Self.isRealDate(d) else {
                let how = w.iso ? "" : " (read \(order == .dayFirst ? "day" : "month") first: month \(d.m), day \(d.d))"
                problem(c, "\"\(text())\" is not a real date\(how)", .error)
                return nil
            }
            return d
        }
        for index in dataRows {
            let record = table.records[index]
            // A cell's text, trimmed (nil: no such column, or nothing in it): decoded only when asked for.
            func cell(_ c: Column) -> String? {
                let i = slots[c.ordinal]
                return i >= 0 ? table.trimmedField(i, of: record) : nil
            }
            // What a message quotes of a date, start or end cell: its date, its time.
            func written(_ c: Column) -> WrittenDateTime? { cell(c).flatMap(WrittenDateTime.parse) }
            func problem(_ c: Column?, _ message: String, _ severity: ScheduleProblem.Severity = .error) {
                problems.append(
                    .init(severity: severity, line: record.line, column: c.flatMap { names[$0] }, message: message))
            }
            guard let room = cell(.room) else {
                problem(.room, "the room is empty")
                continue
            }
            let startCell = Self.dateCell(table, startSlot, record)
            // The date: the date column's, or (when it is empty) the start column's date and time.
            let dateColumn: Column
            let writtenDate: WrittenDate
            var dateCellTime = DateCell.Time.none
            if let dateCell = Self.dateCell(table, dateSlot, record) {
                guard let d = dateCell.date, dateCell.time != .invalid else {
                    problem(.date, "\"\(cell(.date) ?? "")\" is not a date; write it as 24.11.2026 or 2026-11-24")
                    continue
                }
                writtenDate = d
                dateCellTime = dateCell.time
                dateColumn = .date
            } else if let d = startCell?.date {
                writtenDate = d
                dateColumn = .start
            } else {
                problem(.date, "the date is empty")
                continue
            }
            guard let date = resolve(writtenDate, dateColumn, { written(dateColumn)?.dateText ?? "" }, problem) else {
                continue
            }
            // The start time: the start column's, or (when it is empty) the date column's.
            let startTime: DateCell.Time
            let timeColumn: Column
            if let s = startCell, s.time != .none {
                (startTime, timeColumn) = (s.time, .start)
            } else if startCell == nil, dateCellTime != .none {
                (startTime, timeColumn) = (dateCellTime, .date)
            } else {
                problem(.start, startCell == nil ? "the start time is empty" : "\"\(cell(.start) ?? "")\" has no time")
                continue
            }
            guard case .valid(let startHour, let startMinute) = startTime else {
                problem(
                    .start,
                    "\"\(cell(.start) ?? written(timeColumn)?.timeText ?? "")\" is not a time; write it as 14:00")
                continue
            }
            let startHM = (h: startHour, m: startMinute)
            if dateColumn == .date, let other = startCell?.date {
                guard let d = resolve(other, .start, { written(.start)?.dateText ?? "" }, problem) else { continue }
                guard d == date else {
                    problem(
                        .start,
                        "the start \"\(cell(.start) ?? "")\" is on another day (\(WrittenDate.spelled(d))) than the date (\(WrittenDate.spelled(date)))"
                    )
                    continue
                }
            }
            guard let start = instant(date, startHM)
            else {
                problem(
                    .date,
                    "\"\(written(dateColumn)?.dateText ?? "") \(written(timeColumn)?.timeText ?? "")\" is not a real date and time"
                )
                continue
            }
            var end: Date
            if let endCell = Self.dateCell(table, endSlot, record) {
                var endDate = date
                if let d = endCell.date {
                    guard let r = resolve(d, .end, { written(.end)?.dateText ?? "" }, problem) else { continue }
                    endDate = r
                }
                guard let endHM = endCell.hourMinute, let e = instant(endDate, endHM)
                else {
                    problem(.end, "\"\(cell(.end) ?? "")\" is not a time; write it as 14:30")
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
            let idCell = cell(.id)
            let details = makeBookings && readsDetails
            let pupil = details || idCell == nil ? cell(.pupil) ?? "" : ""
            let id = idCell ?? Self.digestID(date: date, room: room, start: startHM, pupil: pupil)
            if let first = rows.updateValue(index, forKey: id) {
                rows[id] = first
                problem(
                    .id,
                    "the booking id \"\(id)\" is already used on line \(table.records[first].line); this row is left out"
                )
                continue
            }
            // A write-back needs no more than the row (`parseRows`).
            guard makeBookings else { continue }
            let statusText = cell(.status)?.lowercased()
            let cancelled = ScheduleFileFormat.isCancellation(statusText)
            var recorded: ConferenceProgress?
            if let statusText, !cancelled, statusText != "scheduled" {
                if let phase = ConferenceStatus(rawValue: statusText) ?? (statusText == "in-session" ? .inSession : nil)
                {
                    func stamp(_ c: Column) -> Date? {
                        guard let t = cell(c), let hm = ClockText.parse(t) else { return nil }
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
            if !cancelled {
                byRoom[room, default: []].append(
                    OverlapSlot(start: start, end: end, order: record.line, line: record.line))
            }
            let booking: Booking
            if details {
                booking = Booking(
                    id: id, room: room, start: start, end: end,
                    teachers: Self.list(table, slots[Column.teacher.ordinal], record), pupil: pupil,
                    guardians: Self.list(table, slots[Column.guardians.ordinal], record), kind: cell(.kind),
                    interpreter: cell(.interpreter), notes: cell(.notes), code: cell(.code), cancelled: cancelled,
                    recorded: recorded)
            } else {
                booking = Booking(id: id, room: room, start: start, end: end, cancelled: cancelled, recorded: recorded)
            }
            if let each { each(booking, record.line) } else { bookings.append(booking) }
        }
        if makeBookings { problems += Self.overlaps(byRoom, time: time) }
        return Schedule(
            bookings: bookings, problems: problems, table: table, rows: rows, dateOrder: decided.decision)
    }

    /// The columns' positions by `Column.ordinal` (-1: none).
    static func slots(_ columns: [Column: Int]) -> [Int] {
        var slots = [Int](repeating: -1, count: Column.allCases.count)
        for (c, i) in columns { slots[c.ordinal] = i }
        return slots
    }

    /// A row's date, start or end cell, read from its bytes (nil: no such column, or an empty cell).
    static func dateCell(_ table: CSVTable, _ slot: Int, _ record: CSVTable.Record) -> DateCell? {
        guard slot >= 0 else { return nil }
        let encoding = table.encoding
        return table.withValue(slot, of: record) { DateCell.read($0, encoding) }
    }

    /// Decides the file's day–month order: a date with a number over 12 in one place decides it for
    /// the whole file; dates that say both are a problem (with their lines); with no such date, dates
    /// written with dots or dashes are day first, and `/` dates take the reader's `dateOrder`, with a
    /// notice saying so. `order` is nil when the file writes both ways.
    func decideDateOrder(_ table: CSVTable, rows: [Int], slots: [Int], names: [Column: String]) -> (
        order: DateOrder?, decision: DateOrderDecision?, problems: [ScheduleProblem]
    ) {
        let slotColumns: [Column] = [.date, .start, .end]
        // The text of a date quoted in a message (read again from its cell: a few at most).
        func text(_ row: Int, _ c: Int) -> String {
            let v = table.trimmedField(slots[c], of: table.records[row])
            return v.flatMap(WrittenDateTime.parse)?.dateText ?? ""
        }
        // Only the first few of each are shown, and how many there are.
        struct Seen {
            var first: [(line: Int, row: Int, column: Int)] = []
            var count = 0
            mutating func add(_ line: Int, _ row: Int, _ column: Int) {
                count += 1
                if first.count < 5 { first.append((line, row, column)) }
            }
        }
        var dayFirst = Seen()
        var monthFirst = Seen()
        var ambiguous: (line: Int, row: Int, date: WrittenDate, column: Int)?
        var ambiguousSlash = false
        for r in rows {
            let record = table.records[r]
            for c in 0..<3 {
                guard let w = Self.dateCell(table, slots[c], record)?.date, !w.iso else { continue }
                switch w.evidence {
                case .dayFirst: dayFirst.add(record.line, r, c)
                case .monthFirst: monthFirst.add(record.line, r, c)
                case nil:
                    guard w.isAmbiguous else { continue }
                    if ambiguous == nil { ambiguous = (record.line, r, w, c) }
                    if w.separator == UInt8(ascii: "/") { ambiguousSlash = true }
                }
            }
        }
        func lines(_ list: Seen) -> String {
            let shown = list.first.map { "\"\(text($0.row, $0.column))\" on line \($0.line)" }
            return shown.joined(separator: ", ") + (list.count > 5 ? " and \(list.count - 5) more" : "")
        }
        switch (dayFirst.first.first, monthFirst.first.first) {
        case (let d?, nil):
            return (
                .dayFirst,
                DateOrderDecision(
                    order: .dayFirst, basis: .file,
                    reason: "\"\(text(d.row, d.column))\" on line \(d.line) can only be day first"), []
            )
        case (nil, let m?):
            return (
                .monthFirst,
                DateOrderDecision(
                    order: .monthFirst, basis: .file,
                    reason: "\"\(text(m.row, m.column))\" on line \(m.line) can only be month first"), []
            )
        case (.some, .some):
            // Report it where the less common reading is (the likelier mistake).
            let at = dayFirst.count < monthFirst.count ? dayFirst.first[0].line : monthFirst.first[0].line
            let problem = ScheduleProblem(
                severity: .error, line: at, column: names[.date],
                message:
                    "this file writes dates both day first (\(lines(dayFirst))) and month first (\(lines(monthFirst))); rows whose date could be read either way are left out: write the dates as 2026-11-24"
            )
            return (nil, nil, [problem])
        case (nil, nil):
            guard let first = ambiguous else { return (dateOrder, nil, []) }
            let order: DateOrder
            let decision: DateOrderDecision
            if !ambiguousSlash {
                order = .dayFirst
                decision = DateOrderDecision(
                    order: order, basis: .separator,
                    reason: "dates written with dots or dashes are day first wherever they are written so")
            } else {
                order = dateOrder
                decision = DateOrderDecision(order: order, basis: .setting, reason: dateOrderReason)
            }
            let w = first.date
            let written = text(first.row, first.column)
            let reading = WrittenDate.spelled(w.resolved(order))
            let other = WrittenDate.spelled(w.resolved(order == .dayFirst ? .monthFirst : .dayFirst))
            let problem = ScheduleProblem(
                severity: .notice, line: first.line, column: names[slotColumns[first.column]],
                message:
                    "no date in this file has a number over 12 to tell which is the day, so \"\(written)\" could be \(reading) or \(other): the dates are read \(order == .dayFirst ? "day" : "month") first (\(written) is \(reading)) because \(decision.reason). If that is wrong, write the dates as \(Self.isoText(w.resolved(order == .dayFirst ? .monthFirst : .dayFirst))) or set the date order (samtale check --date-order, schedule.dateOrder)"
            )
            return (order, decision, [problem])
        }
    }

    static func isoText(_ d: (y: Int, m: Int, d: Int)) -> String { "\(d.y)-\(pad2(d.m))-\(pad2(d.d))" }

    /// A day that exists in the Gregorian calendar.
    static func isRealDate(_ d: (y: Int, m: Int, d: Int)) -> Bool {
        guard (1...12).contains(d.m), d.d >= 1, d.y >= 1 else { return false }
        let leap = (d.y % 4 == 0 && d.y % 100 != 0) || d.y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][d.m - 1]
        return d.d <= days
    }

    /// A live booking as the overlaps need it: its times, its place among the bookings (the sort's
    /// tie-break) and its line.
    struct OverlapSlot {
        var start: Date
        var end: Date
        var order: Int
        var line: Int
    }

    /// Two live bookings overlapping in one room: the office should know.
    static func overlaps(_ bookings: [Booking], lines: [String: Int], time: SchoolTime) -> [ScheduleProblem] {
        var byRoom: [String: [OverlapSlot]] = [:]
        for (i, b) in bookings.enumerated() where !b.cancelled {
            byRoom[b.room, default: []].append(
                OverlapSlot(start: b.start, end: b.end, order: i, line: lines[b.id] ?? 0))
        }
        return overlaps(byRoom, time: time)
    }

    /// The same, of each room's live bookings (in the file's order): sorted by start (and order),
    /// each one that starts before the one before it ends is a warning on its line. Each distinct
    /// time is formatted once.
    static func overlaps(_ byRoom: [String: [OverlapSlot]], time: SchoolTime) -> [ScheduleProblem] {
        var problems: [ScheduleProblem] = []
        var shown: [Date: String] = [:]
        func clock(_ d: Date) -> String {
            if let s = shown[d] { return s }
            let s = time.timeString(d)
            shown[d] = s
            return s
        }
        for (room, list) in byRoom {
            let sorted = list.sorted { ($0.start, $0.order) < ($1.start, $1.order) }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
                let message =
                    "in room \(room) this conference (\(clock(b.start))) overlaps the one on line \(a.line) (\(clock(a.start))–\(clock(a.end)))"
                // Kept at its own size (the interpolation's buffer has grown past it): a school's
                // file can have thousands of these.
                problems.append(
                    .init(
                        severity: .warning, line: b.line, column: nil,
                        message: String(decoding: message.utf8, as: UTF8.self)))
            }
        }
        return problems.sorted { $0.line < $1.line }
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A plain byte search (Foundation's locale-aware `contains` is slow on every cell).
    static func has(_ text: String, _ needle: StaticString) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { t in
            guard t.count >= n.count else { return false }
            for i in 0...(t.count - n.count) where t[i] == n[0] {
                if UnsafeBufferPointer(rebasing: t[i..<(i + n.count)]).elementsEqual(n) { return true }
            }
            return false
        }
    }

    /// `has(text, " og ") || has(text, " and ")` in one pass.
    static func hasConjunction(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { hasConjunction(bytes: $0) }
    }

    /// The same over bytes (ASCII, so the same in UTF-8 and Windows-1252).
    static func hasConjunction(bytes t: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = t.count
        var i = 0
        while i + 3 < n {
            if t[i] == 0x20 {
                if t[i + 1] == 0x6F && t[i + 2] == 0x67 && t[i + 3] == 0x20 { return true }  // " og "
                if i + 4 < n && t[i + 1] == 0x61 && t[i + 2] == 0x6E && t[i + 3] == 0x64 && t[i + 4] == 0x20 {
                    return true  // " and "
                }
            }
            i += 1
        }
        return false
    }

    /// `list` of a row's cell (no such column: none). A cell whose bytes have no separator and
    /// no " og " or " and " (nearly every one) is one name: the cell itself, looked at before it
    /// is decoded.
    static func list(_ table: CSVTable, _ slot: Int, _ record: CSVTable.Record) -> [String] {
        guard slot >= 0 else { return [] }
        let one = table.withValue(slot, of: record) { v -> Bool in
            var space = false
            for b in v {
                if b == 0x2F || b == 0x26 || b == 0x2B || b == 0x0A { return false }
                if b == 0x20 { space = true }
            }
            return !space || !hasConjunction(bytes: v)
        }
        let text = table.trimmedField(slot, of: record)
        if one { return text.map { [$0] } ?? [] }
        return list(text)
    }

    static func list(_ text: String?) -> [String] {
        guard let text else { return [] }
        // Most cells name one person: one pass over the bytes finds no separator (and a space, if
        // any, for " og " and " and "); nothing to split.
        var separator = false
        var space = false
        for b in text.utf8 {
            if b == 0x2F || b == 0x26 || b == 0x2B || b == 0x0A {
                separator = true
                break
            }
            if b == 0x20 { space = true }
        }
        if !separator && (!space || !Self.hasConjunction(text)) {
            let one = text.trimmingSpaces
            return one.isEmpty ? [] : [one]
        }
        var parts: [String] = []
        // Most cells name one person: no separator byte at all, nothing to split character by character.
        if !text.utf8.contains(where: { $0 == 0x2F || $0 == 0x26 || $0 == 0x2B || $0 == 0x0A }) {
            parts = [text.trimmingSpaces]
        } else {
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
        }
        if parts.count == 1 && (Self.has(text, " og ") || Self.has(text, " and ")) {
            parts = text.components(separatedBy: " og ").flatMap { $0.components(separatedBy: " and ") }.map(
                \.trimmingSpaces)
        }
        return parts.filter { !$0.isEmpty }
    }

    /// `2026-11-24`, `24.11.2026`, `24.11.26`, `24/11/2026`, `24-11-2026` (day first, as in Norway and
    /// Denmark: for options typed by hand; a file's dates are read in the file's own order).
    public static func parseDate(_ text: String) -> (y: Int, m: Int, d: Int)? {
        guard let w = WrittenDate.parse(text.trimmingSpaces) else { return nil }
        let d = w.resolved(.dayFirst)
        return isRealDate(d) ? d : nil
    }

    /// `14:00`, `14.00`, `9:05`, `10:00:00`, `2:00 PM`, `02:00:00 PM`. Strict: `1400` or `2pm` are
    /// refused with a message.
    public static func parseTime(_ text: String) -> (h: Int, m: Int)? { ClockText.parse(text) }

    /// `digestID` of `YYYY-MM-DD` and `HH:MM`, their digits fed straight into the hash (a row's
    /// interpolated strings cost more than the rest of its id).
    static func digestID(date: (y: Int, m: Int, d: Int), room: String, start: (h: Int, m: Int), pupil: String)
        -> String
    {
        var hash = FNV()
        hash.decimal(date.y, width: 1)
        hash.feed(UInt8(ascii: "-"))
        hash.decimal(date.m, width: 2)
        hash.feed(UInt8(ascii: "-"))
        hash.decimal(date.d, width: 2)
        hash.feed(UInt8(ascii: "|"))
        hash.text(room)
        hash.feed(UInt8(ascii: "|"))
        hash.decimal(start.h, width: 2)
        hash.feed(UInt8(ascii: ":"))
        hash.decimal(start.m, width: 2)
        hash.feed(UInt8(ascii: "|"))
        hash.text(pupil)
        return hash.id
    }

    static func digest(_ bytes: [UInt8]) -> String {
        var hash = FNV()
        for byte in bytes { hash.feed(byte) }
        return hash.id
    }

    /// A stable id for a booking without one, that does not reveal the pupil's name.
    public static func digestID(date: String, room: String, start: String, pupil: String) -> String {
        // FNV-1a over `date|room|start|pupil`, piece by piece (no joined string for every row).
        var hash = FNV()
        for (i, piece) in [date, room, start, pupil].enumerated() {
            if i > 0 { hash.feed(UInt8(ascii: "|")) }
            hash.text(piece)
        }
        return hash.id
    }
}

/// FNV-1a, 64 bits (the reader's generated ids; the schedule watcher's digest of the file), and
/// the id it makes: `b` and the last ten digits of its hexadecimal
/// (as `String(hash, radix: 16).suffix(10)` wrote it: fewer when the number has fewer).
public struct FNV {
    public var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    @inline(__always) public mutating func feed(_ byte: UInt8) {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }

    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { for b in $0 { feed(b) } }
    }

    /// The digits of `n` as `String(n)` writes them, zero-padded to `width`.
    mutating func decimal(_ n: Int, width: Int) {
        guard n >= 0 else {
            for b in String(n).utf8 { feed(b) }
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            for _ in count..<max(count, width) { feed(UInt8(ascii: "0")) }
            for i in stride(from: count - 1, through: 0, by: -1) { feed(d[i]) }
        }
    }

    var id: String {
        var n = 1
        while n < 16 && hash >> (4 * UInt64(n)) != 0 { n += 1 }
        let k = min(n, 10)
        return String(unsafeUninitializedCapacity: k + 1) { out in
            out[0] = UInt8(ascii: "b")
            for i in 0..<k {
                let d = UInt8((hash >> (4 * UInt64(i))) & 0xF)
                out[k - i] = d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "a") - 10 + d
            }
            return k + 1
        }
    }
}
