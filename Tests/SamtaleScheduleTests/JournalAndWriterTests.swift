import Foundation
import SamtaleCore
import Synchronization
import Testing

@testable import SamtaleSchedule

final class Folder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("samtale-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ text: String) throws -> String {
        let p = path + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
    func read(_ name: String) -> String { (try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? "" }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

let twoRows = "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;A\n24.11.2026;14:00;14:20;205;B\n"

@Suite("The journal")
struct JournalTests {
    @Test("entries survive a reload; the latest per booking wins; pending until synced")
    func reload() throws {
        let f = try Folder()
        let j = try StateJournal(directory: f.path + "/state")
        try j.record(
            [("b1", "204", ConferenceProgress(phase: .waiting, checkedIn: Date(timeIntervalSince1970: 100)))],
            kiosk: "k")
        try j.record(
            [
                (
                    "b1", "204",
                    ConferenceProgress(
                        phase: .inSession, checkedIn: Date(timeIntervalSince1970: 100),
                        started: Date(timeIntervalSince1970: 200))
                )
            ], kiosk: "k")
        try j.record([("b2", "204", ConferenceProgress(phase: .noShow))], kiosk: "k")
        #expect(j.pending.map(\.id) == ["b1", "b2"])
        try j.markSynced(upTo: 2)
        #expect(j.pending.map(\.id) == ["b2"])
        let again = try StateJournal(directory: f.path + "/state")
        #expect(again.latest["b1"]?.progress.phase == .inSession)
        #expect(again.latest["b1"]?.progress.started == Date(timeIntervalSince1970: 200))
        #expect(again.pending.map(\.id) == ["b2"])
    }

    @Test("a torn last line (power lost mid-append) is skipped, and appends go on after it")
    func tornLine() throws {
        let f = try Folder()
        let dir = f.path + "/state"
        let j = try StateJournal(directory: dir)
        try j.record([("b1", "204", ConferenceProgress(phase: .waiting))], kiosk: "k")
        let handle = FileHandle(forWritingAtPath: dir + "/journal.jsonl")!
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\":\"b2\",\"kiosk\":\"k\",\"progr".utf8))
        try handle.close()
        let again = try StateJournal(directory: dir)
        #expect(again.skippedLines == 1)
        #expect(again.latest.keys.sorted() == ["b1"])
        try again.record([("b3", "204", ConferenceProgress(phase: .waiting))], kiosk: "k")
        let third = try StateJournal(directory: dir)
        #expect(third.latest.keys.sorted() == ["b1", "b3"])
    }

    @Test("a long journal is compacted to the latest entry per booking, keeping what is pending")
    func compaction() throws {
        let f = try Folder()
        let j = try StateJournal(directory: f.path + "/state")
        for k in 0..<400 {
            try j.record(
                [("b\(k % 5)", "204", ConferenceProgress(phase: k % 2 == 0 ? .waiting : .inSession))], kiosk: "k")
        }
        try j.markSynced(upTo: 398)
        let lines = f.read("state/journal.jsonl").split(separator: "\n").count
        #expect(lines == 5)
        let again = try StateJournal(directory: f.path + "/state")
        #expect(again.latest.count == 5)
        #expect(again.pending.count == 2)
    }
}

@Suite("The schedule file writer")
struct WriterTests {
    func cells(_ status: String) -> StateCells { StateCells(status: status, checkedIn: "13:50", kiosk: "rom204") }

    @Test("writes atomically, keeps the file's mode, leaves no temporary file")
    func writes() throws {
        let f = try Folder()
        let path = try f.write("s.csv", twoRows)
        chmod(path, 0o640)
        let w = ScheduleFileWriter(path: path, reader: reader)
        let b = id(in: bytes(twoRows), room: "204", start: "14:00")
        #expect(try w.write([b: cells("waiting")]) == .written)
        #expect(f.read("s.csv").contains("204;A;waiting;13:50;;;rom204"))
        #expect(try w.write([b: cells("waiting")]) == .unchanged)
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o640)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("a spreadsheet that opens the file while a kiosk waits for another kiosk's lock: nothing is written")
    func spreadsheetOpensWhileWaiting() throws {
        let f = try Folder()
        let path = try f.write("s.csv", twoRows)
        let b = id(in: bytes(twoRows), room: "204", start: "14:00")
        let w = ScheduleFileWriter(path: path, reader: reader)
        // Another kiosk holds the kiosks' lock.
        let held = open(w.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        #expect(held >= 0 && flock(held, LOCK_EX) == 0)
        let result = Mutex<WriteFailure.Kind?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do throws(WriteFailure) { _ = try w.write([b: cells("waiting")]) } catch {
                result.withLock { $0 = error.kind }
            }
            done.signal()
        }
        // LibreOffice opens the file meanwhile (give the writer a moment to reach the lock: either
        // way it must not write); then the other kiosk lets go.
        usleep(200_000)
        _ = try f.write(".~lock.s.csv#", ",kari,PC,29.11.2026 14:00,file:///x;")
        flock(held, LOCK_UN)
        close(held)
        done.wait()
        #expect(result.withLock { $0 } == .openInSpreadsheet)
        #expect(f.read("s.csv") == twoRows)
    }

    @Test(
        "the share gone, the file replaced by a folder, a spreadsheet's lock, a broken file: clear failures, nothing written"
    )
    func failures() throws {
        let f = try Folder()
        let path = try f.write("s.csv", twoRows)
        let b = id(in: bytes(twoRows), room: "204", start: "14:00")
        let w = ScheduleFileWriter(path: path, reader: reader)
        let gone = ScheduleFileWriter(path: f.path + "/unmounted/s.csv", reader: reader)
        #expect(throws: WriteFailure.self) { try gone.write([b: cells("waiting")]) }
        do { try gone.write([b: cells("waiting")]) } catch { #expect(error.kind == .unreachable) }

        _ = try f.write(".~lock.s.csv#", "x")
        do { try w.write([b: cells("waiting")]) } catch {
            #expect(error.kind == .openInSpreadsheet)
            #expect(error.description.contains("open in a spreadsheet"))
        }
        try FileManager.default.removeItem(atPath: f.path + "/.~lock.s.csv#")

        _ = try f.write("s.csv", "Navn;Telefon\nOla;1\n")
        do { try w.write([b: cells("waiting")]) } catch { #expect(error.kind == .unusable) }
        #expect(f.read("s.csv") == "Navn;Telefon\nOla;1\n")

        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        do { try w.write([b: cells("waiting")]) } catch {
            #expect(error.kind == .unusable)
            #expect(error.description.contains("is a folder"))
        }
    }

    @Test("errors from the system are put in words: read-only, unreachable")
    func errorWords() {
        #expect(ScheduleFileWriter.failure("write", "/x", EROFS).kind == .readOnly)
        #expect(ScheduleFileWriter.failure("write", "/x", EACCES).kind == .readOnly)
        #expect(ScheduleFileWriter.failure("open", "/x", ESTALE).kind == .unreachable)
        #expect(ScheduleFileWriter.failure("open", "/x", ENOENT).description.contains("/x"))
    }
}

@Suite("Hostile schedule files")
struct HostileInputTests {
    @Test("a 200 MB file is refused by its size, without reading it")
    func huge() throws {
        let f = try Folder()
        let path = f.path + "/huge.csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let h = FileHandle(forWritingAtPath: path)!
        try h.truncate(atOffset: 200 * 1024 * 1024)
        try h.close()
        let s = reader.read(path: path)
        #expect(!s.isUsable)
        #expect(s.problems.first?.message.contains("200 MB") == true)
    }

    @Test("a file with a 1 MB cell is refused with the line")
    func bigCell() {
        let text = "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;" + String(repeating: "x", count: 1 << 20) + "\n"
        let s = reader.parse(text: text)
        #expect(!s.isUsable)
        #expect(s.problems.first?.line == 2)
        #expect(s.problems.first?.message.contains("larger than") == true)
    }

    @Test("mutated schedule files never crash the reader or the merge")
    func mutations() {
        var rng = SystemRandomNumberGenerator()
        let seed = bytes(
            "\u{FEFF}Dato;Fra;Til;Rom;Elev;status;checked_in\r\n24.11.2026;14:00;14:20;204;\"A;\r\nB\";waiting;13:50\r\n24.11.26;14.20;14.40;205;C;;\r\n"
        )
        for _ in 0..<20_000 {
            var b = seed
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    if !b.isEmpty {
                        b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                case 1: if !b.isEmpty { b.remove(at: Int.random(in: 0..<b.count, using: &rng)) }
                case 2:
                    b.insert(
                        [0x22, 0x3B, 0x0A, 0x0D, 0x2C, 0x09].randomElement(using: &rng)!,
                        at: Int.random(in: 0...b.count, using: &rng))
                default: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
                }
            }
            let s = reader.parse(bytes: b)
            if let first = s.bookings.first {
                _ = StateMerge.apply([first.id: StateCells(status: "waiting", kiosk: "k")], to: b, reader: reader)
            }
        }
    }
}

@Suite("iCalendar")
struct ICalendarTests {
    let ics = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        BEGIN:VEVENT\r
        UID:evt-1@school\r
        DTSTART;TZID=Europe/Oslo:20261124T140000\r
        DTEND;TZID=Europe/Oslo:20261124T142000\r
        SUMMARY:Ola Nordmann\r
        LOCATION:204\r
        DESCRIPTION:Husk\\, karakter\\nkort\r
        ORGANIZER;CN=Kari Lærer:mailto:kari@example.org\r
        ATTENDEE;CN="Per Nordmann";ROLE=REQ-PARTICIPANT:mailto:per@example.org\r
        CATEGORIES:utviklingssamtale\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:evt-2@school\r
        DTSTART:20261124T132000Z\r
        DURATION:PT20M\r
        SUMMARY:Long name that is folded over\r
          two lines\r
        LOCATION:204\r
        STATUS:CANCELLED\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:evt-3@school\r
        DTSTART;VALUE=DATE:20261124\r
        LOCATION:204\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    @Test("events become bookings: TZID and UTC, DTEND and DURATION, folding, escapes, cancelled")
    func events() {
        let s = ICalendarReader(timeZone: oslo).parse(text: ics)
        #expect(s.bookings.count == 2)
        let a = s.bookings[0]
        #expect(a.id == "evt-1@school")
        #expect(a.start == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 0))
        #expect(a.end == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 20))
        #expect(a.room == "204")
        #expect(a.pupil == "Ola Nordmann")
        #expect(a.teachers == ["Kari Lærer"])
        #expect(a.guardians == ["Per Nordmann"])
        #expect(a.notes == "Husk, karakter\nkort")
        #expect(a.kind == "utviklingssamtale")
        let b = s.bookings[1]
        #expect(b.start == time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 20))
        #expect(b.duration == 20 * 60)
        #expect(b.pupil == "Long name that is folded over two lines")
        #expect(b.cancelled)
        #expect(s.problems.contains { $0.message.contains("all-day") })
    }

    @Test("a folder of files is read as one schedule; the .ics by its extension")
    func folder() throws {
        let f = try Folder()
        _ = try f.write("a.csv", twoRows)
        _ = try f.write("b.ics", ics)
        _ = try f.write("~$a.csv", "lock")
        let s = reader.read(path: f.path)
        #expect(s.bookings.count == 4)
        #expect(s.problems.contains { $0.file == "b.ics" })
    }

    @Test("durations")
    func durations() {
        #expect(ICalendarReader.duration("PT20M") == 1200)
        #expect(ICalendarReader.duration("PT1H30M") == 5400)
        #expect(ICalendarReader.duration("P1D") == 86400)
        #expect(ICalendarReader.duration("20M") == nil)
    }
}
