import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleSchedule

/// Cells kept as byte ranges and decoded when asked for (issue 12, third round), against the
/// readings they replace: every cell decoded up front, dates and times read from strings.
@Suite("Cells as byte ranges read as the decoded cells did")
struct CellRangeTests {
    /// The splitting before: every cell decoded (unquoted, `""` as `"`) as the record was split.
    struct OldRecord: Equatable {
        var line: Int
        var fields: [String]
        var fieldRanges: [Range<Int>]
        var range: Range<Int>
    }

    static func oldSplit(_ table: CSVTable) -> (records: [OldRecord], unterminated: Int?, oversized: Int?) {
        let bytes = table.bytes
        let delimiter = table.delimiter
        let n = bytes.count
        var records: [OldRecord] = []
        var unterminated: Int?
        var oversized: Int?
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while i < n {
            let recordStart = i
            let recordLine = line
            var fields: [String] = []
            var ranges: [Range<Int>] = []
            var endOfRecord = false
            while !endOfRecord {
                let fieldStart = i
                var value: [UInt8] = []
                if i < n && bytes[i] == 0x22 {
                    let quoteLine = line
                    var j = i + 1
                    var closed = false
                    while j < n {
                        if bytes[j] == 0x22 {
                            if j + 1 < n && bytes[j + 1] == 0x22 {
                                value.append(0x22)
                                j += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        if bytes[j] == 0x0A { line += 1 }
                        value.append(bytes[j])
                        j += 1
                    }
                    if !closed {
                        unterminated = quoteLine
                        records.append(
                            OldRecord(line: recordLine, fields: fields, fieldRanges: ranges, range: recordStart..<n))
                        return (records, unterminated, oversized)
                    }
                    j += 1
                    while j < n && bytes[j] != delimiter && bytes[j] != 0x0A && bytes[j] != 0x0D {
                        value.append(bytes[j])
                        j += 1
                    }
                    i = j
                } else {
                    var j = i
                    while j < n && bytes[j] != delimiter && bytes[j] != 0x0A && bytes[j] != 0x0D { j += 1 }
                    value = Array(bytes[i..<j])
                    i = j
                }
                if value.count > CSVTable.maxCellBytes && oversized == nil { oversized = recordLine }
                fields.append(value.count > CSVTable.maxCellBytes ? "" : table.decode(value[...]))
                ranges.append(fieldStart..<i)
                if i < n && bytes[i] == delimiter {
                    i += 1
                    if i == n {
                        fields.append("")
                        ranges.append(i..<i)
                        endOfRecord = true
                    }
                } else {
                    endOfRecord = true
                }
            }
            let recordEnd = i
            if i < n && bytes[i] == 0x0D { i += 1 }
            if i < n && bytes[i] == 0x0A { i += 1 }
            line += 1
            records.append(
                OldRecord(line: recordLine, fields: fields, fieldRanges: ranges, range: recordStart..<recordEnd))
        }
        return (records, unterminated, oversized)
    }

    /// Random CSV-ish bytes: delimiters, quotes (doubled, unclosed, followed by text), line breaks
    /// of every kind, spaces and no-break spaces, ASCII and not, in UTF-8 or Windows-1252.
    static func randomFile(_ rng: inout SplitMix) -> [UInt8] {
        let pieces: [[UInt8]] = [
            Array("Dato".utf8), Array("24.11.2026".utf8), Array("14:00".utf8), Array("Åse".utf8), [0xC5, 0x73, 0x65],
            [0x3B], [0x3B], [0x3B], [0x2C], [0x09], [0x22], [0x22, 0x22], [0x22], [0x0D, 0x0A], [0x0A], [0x0A],
            [0x0D], [0x20], [0x20, 0x20], [0xA0], [0xC2, 0xA0], Array("x y".utf8), [0xEF, 0xBB, 0xBF], [0x80],
            Array("\"a;b\"".utf8), Array("\"a\"\"b\"c".utf8), Array("\"\"".utf8), Array(" og ".utf8),
            Array(" and".utf8), [0x2F], [0x26], [0x2B], Array("Kari".utf8),
        ]
        var bytes: [UInt8] = Int.random(in: 0..<4, using: &rng) == 0 ? [0xEF, 0xBB, 0xBF] : []
        for _ in 0..<Int.random(in: 0...60, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
        return bytes
    }

    static func check(_ bytes: [UInt8], _ seed: TestSeed) {
        let table = CSVTable(bytes: bytes)
        let old = Self.oldSplit(table)
        #expect(table.unterminatedQuoteLine == old.unterminated, "\(seed): \(bytes)")
        #expect(table.oversizedCellLine == old.oversized, "\(seed): \(bytes)")
        #expect(table.records.count == old.records.count, "\(seed): \(bytes)")
        for (record, before) in zip(table.records, old.records) {
            let now = OldRecord(
                line: record.line, fields: table.fields(of: record), fieldRanges: table.fieldRanges(of: record),
                range: record.range)
            #expect(now == before, "\(seed): \(bytes)")
            #expect(record.count == before.fields.count, "\(seed): \(bytes)")
            #expect(
                table.isBlank(record) == before.fields.allSatisfy { $0.trimmingSpaces.isEmpty }, "\(seed): \(bytes)")
            for (k, field) in before.fields.enumerated() {
                let trimmed = field.trimmingSpaces
                #expect(table.trimmedField(k, of: record) == (trimmed.isEmpty ? nil : trimmed), "\(seed): \(bytes)")
                // Teachers and guardians: a list from the bytes as from the text.
                #expect(
                    ScheduleReader.list(table, k, record) == ScheduleReader.list(trimmed.isEmpty ? nil : trimmed),
                    "\(seed): \(bytes)")
            }
            // No such cell: nothing.
            #expect(table.field(before.fields.count, of: record) == "")
            #expect(table.trimmedField(before.fields.count, of: record) == nil)
        }
    }

    @Test("random files split into the same records, cells, ranges and lines as before")
    func randomFiles() {
        let seed = TestSeed("cell ranges")
        var rng = seed.generator()
        for _ in 0..<3000 { Self.check(Self.randomFile(&rng), seed) }
    }

    @Test("quoted cells: doubled quotes, text after the closing quote, line breaks, a cell too large")
    func quotedCells() throws {
        let seed = TestSeed(fixed: 0)
        let text = "a;\"b\"\"c\";\"d\"e;\"l1\r\nl2\";\"\";x\r\n\"\"\"\";\"a;b\"\n"
        Self.check(Array(text.utf8), seed)
        let table = CSVTable(bytes: Array(text.utf8))
        #expect(table.fields(of: table.records[0]) == ["a", "b\"c", "de", "l1\r\nl2", "", "x"])
        #expect(table.fields(of: table.records[1]) == ["\"", "a;b"])
        #expect(table.records[1].line == 3)
        let big = Array("a;\"".utf8) + [UInt8](repeating: 0x41, count: CSVTable.maxCellBytes + 1) + Array("\";b\n".utf8)
        Self.check(big, seed)
        let refused = CSVTable(bytes: big)
        #expect(refused.oversizedCellLine == 1)
        #expect(refused.field(1, of: refused.records[0]) == "")
    }

    /// Cells like the date, start and end columns hold: dates, times, both, and near misses.
    static func randomDateCell(_ rng: inout SplitMix) -> String {
        let alphabet: [String] = [
            "1", "2", "3", "0", "9", "12", "24", "2026", "26", ".", ".", "-", "/", ":", ":", " ", " ", "\t", "T", "t",
            "a", "p", "m", "A", "P", "M", ".m.", "am", "PM", "x", "14:00", "24.11.2026", "3/4/2026", "2026-11-24",
        ]
        if Bool.random(using: &rng) {
            return (0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
        }
        // A date, a time, or both, with spaces, seconds and AM/PM here and there.
        let dates = ["24.11.2026", "3/4/2026", "2026-11-24", "4.3.26", "13/13/2026", "24-11-2026", ""]
        let times = ["14:00", "9:05", "14.00", "10:00:00", "2:00", "12:00", "13:00", "1400", "24:00", "9:5", ""]
        let suffixes = ["", "", " PM", "am", " a.m.", "P.M.", "pm "]
        let pads = ["", "", " ", "\t", "  "]
        func pick(_ list: [String]) -> String { list.randomElement(using: &rng)! }
        let date = pick(dates)
        let time = pick(times) + pick(suffixes)
        let between = date.isEmpty || time.isEmpty ? "" : pick([" ", "T", "t", "  "])
        return pick(pads) + date + between + time + pick(pads)
    }

    @Test("date, start and end cells read from their bytes as from their text")
    func dateCells() {
        let seed = TestSeed("date cells")
        var rng = seed.generator()
        var dates = 0
        var times = 0
        let fixed = [
            "24.11.2026", " 24.11.2026 14:00 ", "2026-11-24T14:00", "3/29/2026 10:00:00 PM", "14:00", "2:00 p.m.",
            "12:00am", "1400", "", "  ", "24.11.2026 kl 14", "10:00 pm", "T", "2026-11-24 ", "13:00 PM", "24.11.26",
        ]
        let cells = fixed + (0..<20000).map { _ in Self.randomDateCell(&rng) }
        for text in cells {
            let fromText = WrittenDateTime.parse(text).map(DateCell.init)
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { DateCell.read(ascii: $0) }
            #expect(fromBytes == fromText, "\(seed): \"\(text)\"")
            if fromText?.date != nil { dates += 1 }
            if fromText?.hourMinute != nil { times += 1 }
            let clock = Array(text.utf8).withUnsafeBufferPointer { ClockText.parse(ascii: $0) }
            let slow = ClockText.parse(text)
            #expect(clock?.h == slow?.h && clock?.m == slow?.m, "\(seed): \"\(text)\"")
        }
        // Both kinds come up often enough for the comparison to mean something.
        #expect(dates > 200 && times > 200, "\(seed): \(dates) dates, \(times) times")
        // A cell that is not ASCII is read from its text.
        for text in ["24.11.2026\u{A0}", "\u{A0}14:00", "2:00\u{A0}pm", "24.11.2026 kl. 14 ø"] {
            let bytes = Array(text.utf8)
            let read = bytes.withUnsafeBufferPointer { DateCell.read($0, .utf8) }
            #expect(read == WrittenDateTime.parse(text).map(DateCell.init), "\"\(text)\"")
        }
    }

    /// A schedule with good rows and every kind of bad one (no room, no date, a date both ways,
    /// no time, ends before it starts, a repeated id, a status), shuffled.
    static func randomSchedule(_ rng: inout SplitMix) -> [UInt8] {
        let ids = Bool.random(using: &rng)
        var text = "Dato;Fra;Til;Rom;Elev;status" + (ids ? ";id" : "") + "\r\n"
        let rows = [
            "24.11.2026;14:00;14:20;204;Åse;", "24.11.2026;14:20;14:40;204;Per;waiting", "3/4/2026;9:00;9:20;A1;Ola;",
            "4/3/2026;9:00;9:20;A1;Kari;", "13/4/2026;10:00;10:20;A1;Liv;", "24.11.2026;;14:20;204;Ida;",
            "24.11.2026;14:00;13:00;204;Tor;", ";14:00;14:20;204;Eva;", "24.11.2026;14:00;14:20;;Ane;",
            "24.11.2026 14:00;;14:20;204;Jon;", "24.11.2026;x;14:20;204;Siv;", "24.11.2026;14:00;14:20;204;Åse;",
            "31.02.2026;14:00;14:20;204;Ulf;", "\"24.11.2026\";\" 15:00\";\"15:20\";\"204\";\"Bo\";\"\"", ";;;;;",
            "24.11.2026;16:00;16:20;204;Mia;kanskje",
        ]
        for k in 0..<Int.random(in: 0...30, using: &rng) {
            text += rows.randomElement(using: &rng)! + (ids ? ";\(Int.random(in: 0...k, using: &rng))" : "") + "\r\n"
        }
        return Array(text.utf8)
    }

    @Test("a write-back's reading finds the same rows as the whole reading")
    func rowsOnly() {
        let seed = TestSeed("rows only")
        var rng = seed.generator()
        let reader = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!)
        var found = 0
        for _ in 0..<400 {
            let bytes = Self.randomSchedule(&rng)
            let whole = reader.parse(bytes: bytes)
            let rows = reader.parseRows(bytes: bytes)
            #expect(rows.rows == whole.rows, "\(seed): \(String(decoding: bytes, as: UTF8.self))")
            #expect(rows.isUsable == whole.isUsable, "\(seed)")
            #expect(rows.table == whole.table, "\(seed)")
            #expect(rows.bookings.isEmpty)
            #expect(Set(whole.rows.keys) == Set(whole.bookings.map(\.id)), "\(seed)")
            found += whole.rows.count
        }
        #expect(found > 400, "\(seed): \(found) rows found")
    }

    @Test("bookings handed over one by one as they are read: the same bookings, lines and problems")
    func eachBooking() throws {
        let seed = TestSeed("each booking")
        var rng = seed.generator()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("samtale-each-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!)
        var paths: [String] = []
        for k in 0..<40 {
            let path = dir + (k < 4 ? "/folder" : "") + "/s\(k).csv"
            try Data(Self.randomSchedule(&rng)).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let ics = dir + "/s.ics"
        try Data(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261124T130000Z\r\nDTEND:20261124T132000Z\r\nLOCATION:204\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
                .utf8
        ).write(to: URL(fileURLWithPath: ics))
        var read = 0
        for path in paths + [ics, dir + "/folder"] {
            let whole = reader.read(path: path)
            var handed: [(Booking, Int?)] = []
            let each = reader.read(path: path) { handed.append(($0, $1)) }
            #expect(each.bookings.isEmpty, "\(seed): \(path)")
            #expect(handed.map(\.0) == whole.bookings, "\(seed): \(path)")
            #expect(each.problems == whole.problems, "\(seed): \(path)")
            #expect(each.rows == whole.rows, "\(seed): \(path)")
            let lines = whole.bookings.map { b in whole.rows[b.id].flatMap { i in whole.table?.records[i].line } }
            #expect(handed.map(\.1) == lines, "\(seed): \(path)")
            read += handed.count
        }
        #expect(read > 40, "\(seed): \(read) bookings")
    }
}
