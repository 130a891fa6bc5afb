import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleSchedule

@Suite("Reading the school's schedule file")
struct ScheduleReaderTests {
    @Test("a Norwegian Excel file: ; delimiter, BOM, CRLF, quoted line break, names with æøå")
    func norwegian() {
        let text =
            "\u{FEFF}Dato;Fra;Til;Rom;Kontaktlærer;Elev;Foresatte;Samtaletype;Tolk;Merknad\r\n"
            + "24.11.2026;14:00;14:20;204;Kari Lærer;Åse Øvrebø;Per Øvrebø / Eva Ås;utviklingssamtale;;\"Husk\r\nkarakterkort\"\r\n"
            + "24.11.2026;14.20;14.40;204;Kari Lærer;Ola Nordmann;Anne Nordmann;utviklingssamtale;arabisk;\r\n"
            + ";;;;;;;;;\r\n\r\n"
        let s = reader.parse(text: text)
        #expect(s.problems.isEmpty, "\(s.problems)")
        #expect(s.bookings.count == 2)
        let a = s.bookings[0]
        #expect(a.room == "204")
        #expect(a.pupil == "Åse Øvrebø")
        #expect(a.guardians == ["Per Øvrebø", "Eva Ås"])
        #expect(a.notes == "Husk\r\nkarakterkort")
        #expect(a.start == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 0))
        #expect(a.end == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 20))
        #expect(s.bookings[1].interpreter == "arabisk")
        #expect(s.bookings[1].start == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 20))
        #expect(s.table?.encoding == .utf8BOM)
        #expect(s.table?.delimiterCharacter == ";")
    }

    @Test("an English file: comma delimiter, duration instead of end, ISO dates, extra columns")
    func english() {
        let text = """
            id,date,start,duration,room,teacher,pupil,guardians,kind,office note
            B-1,2026-11-24,09:00,15,101,Tom Teacher,Amy Pupil,"Bob Parent, Jr.",skole-hjem-samtale,x
            B-2,2026-11-24,9:15,15,101,Tom Teacher,Ben Pupil,Carl Parent,skole-hjem-samtale,
            """
        let s = reader.parse(text: text)
        #expect(s.problems.isEmpty, "\(s.problems)")
        #expect(s.bookings.map(\.id) == ["B-1", "B-2"])
        #expect(s.bookings[0].guardians == ["Bob Parent, Jr."])
        #expect(s.bookings[1].end.timeIntervalSince(s.bookings[1].start) == 15 * 60)
    }

    @Test("a Danish file: tab delimiter, short dates, Danish column names")
    func danish() {
        let text =
            "dato\tkl\tslut\tlokale\tlærerteam\telev\tforældre\tbemærkning\n24.11.26\t15:00\t15:15\tB12\tLise + Jens\tMads\tHanne\t\n"
        let s = reader.parse(text: text)
        #expect(s.problems.isEmpty, "\(s.problems)")
        #expect(s.bookings.first?.teachers == ["Lise", "Jens"])
        #expect(s.bookings.first?.start == time.instant(year: 2026, month: 11, day: 24, hour: 15, minute: 0))
    }

    @Test("Windows-1252 (older Excel) is detected and read")
    func windows1252() {
        var bytes = Array("Dato;Fra;Til;Rom;Elev\r\n24.11.2026;14:00;14:20;204;".utf8)
        bytes += [0xC5, 0x73, 0x65, 0x20, 0xD8, 0x79]  // "Åse Øy" in Windows-1252
        bytes += Array("\r\n".utf8)
        let s = reader.parse(bytes: bytes)
        #expect(s.table?.encoding == .windows1252)
        #expect(s.bookings.first?.pupil == "Åse Øy")
    }

    @Test("a missing required column refuses the whole file, naming what is missing")
    func missingColumn() {
        let s = reader.parse(text: "Dato;Fra;Til;Elev\n24.11.2026;14:00;14:20;Ola\n")
        #expect(!s.isUsable)
        #expect(s.problems.first?.message.contains("room") == true)
        #expect(s.problems.first?.severity == .fatal)
    }

    @Test("bad cells are reported with line and column, and the rest of the file is read")
    func badCells() {
        let text = """
            Dato;Fra;Til;Rom;Elev
            24.11.2026;14:00;14:20;204;A
            31.02.2026;14:20;14:40;204;B
            24.11.2026;1420;14:40;204;C
            24.11.2026;15:00;14:40;204;D
            24.11.2026;15:00;15:20;;E
            24.11.2026;16:00;16:20;204;F
            """
        let s = reader.parse(text: text)
        #expect(s.isUsable)
        #expect(s.hasErrors)
        #expect(s.bookings.count == 2)
        let lines = s.problems.map(\.line)
        #expect(lines == [3, 4, 5, 6])
        #expect(s.problems[0].column == "Dato")
        #expect(s.problems[1].column == "Fra")
        #expect(s.problems[1].message.contains("14:00"))
        #expect(s.problems[2].message.contains("before it starts"))
        #expect(s.problems[3].column == "Rom")
    }

    @Test("overlapping bookings in one room are warned about; duplicate ids left out")
    func overlapsAndDuplicates() {
        let text = """
            id;Dato;Fra;Til;Rom
            1;24.11.2026;14:00;14:30;204
            2;24.11.2026;14:20;14:40;204
            2;24.11.2026;15:00;15:20;204
            3;24.11.2026;14:20;14:40;205
            """
        let s = reader.parse(text: text)
        #expect(s.bookings.map(\.id) == ["1", "2", "3"])
        #expect(s.problems.contains { $0.severity == .warning && $0.line == 3 && $0.message.contains("overlaps") })
        #expect(s.problems.contains { $0.severity == .error && $0.line == 4 && $0.message.contains("already used") })
    }

    @Test("the office cancels with cancelled, avlyst or aflyst; kiosk state is restored")
    func statusColumn() {
        let text = """
            Dato;Fra;Til;Rom;Elev;status;checked_in;started;ended;kiosk
            24.11.2026;14:00;14:20;204;A;avlyst;;;;
            24.11.2026;14:20;14:40;204;B;done;14:15;14:20;14:41;rom204
            24.11.2026;14:40;15:00;204;C;waiting;14:35;;;rom204
            24.11.2026;15:00;15:20;204;D;aflyst;;;;
            """
        let s = reader.parse(text: text)
        #expect(s.problems.isEmpty, "\(s.problems)")
        #expect(s.bookings.map(\.cancelled) == [true, false, false, true])
        #expect(s.bookings[1].recorded?.phase == .done)
        #expect(s.bookings[1].recorded?.ended == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 41))
        #expect(s.bookings[2].recorded?.phase == .waiting)
    }

    @Test("an id made for a booking without one never contains the pupil's name, and is stable")
    func digestID() {
        let text = "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;Ola Nordmann\n"
        let a = reader.parse(text: text).bookings[0].id
        let b = reader.parse(text: text).bookings[0].id
        #expect(a == b)
        #expect(!a.lowercased().contains("ola"))
        let other = reader.parse(text: "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;Kari Nordmann\n").bookings[0]
            .id
        #expect(other != a)
    }

    @Test("an unclosed quote refuses the file with the line it opened on")
    func unclosedQuote() {
        let s = reader.parse(
            text: "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;\"Ola\n24.11.2026;14:20;14:40;204;Kari\n")
        #expect(!s.isUsable)
        #expect(s.problems.first?.line == 2)
    }

    @Test("an empty file, a folder and a missing file are clear, fatal problems")
    func unreadable() throws {
        #expect(reader.parse(text: "").problems.first?.message == "the file is empty")
        let dir = try TempDir()
        #expect(
            reader.read(path: dir.path).problems.first?.message.contains("has no .csv or .ics schedule files") == true)
        #expect(reader.read(path: dir.path + "/nope.csv").problems.first?.message.contains("does not exist") == true)
    }

    @Test("dates and times: the spellings schools use, and strictness where a value is ambiguous")
    func spellings() {
        #expect(ScheduleReader.parseDate("2026-11-24")! == (2026, 11, 24))
        #expect(ScheduleReader.parseDate("24.11.2026")! == (2026, 11, 24))
        #expect(ScheduleReader.parseDate("24.11.26")! == (2026, 11, 24))
        #expect(ScheduleReader.parseDate("24/11/2026")! == (2026, 11, 24))
        #expect(ScheduleReader.parseDate("11/24") == nil)
        #expect(ScheduleReader.parseTime("14:00")! == (14, 0))
        #expect(ScheduleReader.parseTime("14.05")! == (14, 5))
        #expect(ScheduleReader.parseTime("9:05")! == (9, 5))
        #expect(ScheduleReader.parseTime("14:00:00")! == (14, 0))
        #expect(ScheduleReader.parseTime("1400") == nil)
        #expect(ScheduleReader.parseTime("2pm") == nil)
        #expect(ScheduleReader.parseTime("25:00") == nil)
    }

    @Test("random bytes never crash the reader")
    func randomBytes() {
        let seed = TestSeed("random bytes")
        var rng = seed.generator()
        let alphabet = Array("Dato;Fra;Til;Rom,\t\"\r\n24.11:0-/ æø".utf8) + [0xFF, 0xC5, 0x00]
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<200, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            let s = reader.parse(bytes: Array("Dato;Fra;Til;Rom\n".utf8) + bytes)
            #expect(s.bookings.count <= n, "\(seed): \(bytes)")
        }
    }
}
