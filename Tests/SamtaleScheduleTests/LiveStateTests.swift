import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleSchedule

@Suite("The live state on the share")
struct LiveStateTests {
    let utc = TimeZone(identifier: "UTC")!
    var time: SchoolTime { SchoolTime(timeZone: utc) }
    func instant(_ h: Int, _ m: Int) -> Date { time.instant(year: 2026, month: 11, day: 24, hour: h, minute: m)! }

    func entry(_ id: String, _ phase: ConferenceStatus, by kiosk: String, at: Date, seq: Int = 1) -> LiveEntry {
        LiveEntry(
            id: id, room: "204", progress: ConferenceProgress(phase: phase, checkedIn: instant(13, 50)), kiosk: kiosk,
            at: at, seq: seq)
    }

    @Test("the newest entry per booking wins, whichever file it is in, and every reader picks the same")
    func newestWins() {
        let a = LiveStateFile(
            kiosk: "a", rooms: ["204"], written: instant(14, 0),
            entries: [entry("b1", .waiting, by: "a", at: instant(13, 50))])
        let b = LiveStateFile(
            kiosk: "b", rooms: ["204"], written: instant(14, 0),
            entries: [entry("b1", .inSession, by: "b", at: instant(13, 55))])
        #expect(LiveState([a, b]).entries["b1"]?.kiosk == "b")
        #expect(LiveState([b, a]).entries["b1"]?.kiosk == "b")
        #expect(LiveState([a, b]).publishers["204"] == ["a", "b"])
    }

    @Test("overlay: the live state over the file's; the office's cancellation stays; other rooms untouched")
    func overlay() {
        let bookings = [
            Booking(id: "b1", room: "204", start: instant(14, 0), end: instant(14, 20)),
            Booking(id: "b2", room: "204", start: instant(14, 20), end: instant(14, 40), cancelled: true),
            Booking(id: "b3", room: "205", start: instant(14, 0), end: instant(14, 20)),
        ]
        var live = LiveState()
        live.add(entry("b1", .waiting, by: "a", at: instant(13, 50)))
        live.add(entry("b2", .waiting, by: "a", at: instant(13, 51)))
        live.add(entry("b3", .waiting, by: "a", at: instant(13, 51)))  // recorded for another room: ignored
        let out = live.overlay(bookings)
        #expect(out[0].recorded?.phase == .waiting)
        #expect(out[1].cancelled)
        #expect(out[2].recorded == nil)
    }

    @Test("a cell a spreadsheet only reformatted is the same state: nothing to write")
    func reformatted() {
        let reader = ScheduleReader(timeZone: utc)
        let cells = StateCells(
            ConferenceProgress(phase: .inSession, checkedIn: instant(18, 20), started: instant(18, 26)), kiosk: "k",
            time: time)
        let text =
            "Dato;Fra;Til;Rom;Elev;status;checked_in;started;ended;kiosk\r\n"
            + "24.11.2026;18:20;18:40;204;A;In session;18:20:00;18:26:00;;k\r\n"
        let file = reader.parse(bytes: Array(text.utf8))
        let id = file.bookings[0].id
        #expect(StateMerge.apply([id: cells], to: Array(text.utf8), reader: reader) == .unchanged)
        var live = LiveState()
        live.add(
            LiveEntry(
                id: id, room: "204",
                progress: ConferenceProgress(phase: .inSession, checkedIn: instant(18, 20), started: instant(18, 26)),
                kiosk: "k", at: instant(18, 26), seq: 2))
        #expect(live.updates(for: file, time: time).isEmpty)
        // A real change is one.
        live.add(
            LiveEntry(
                id: id, room: "204",
                progress: ConferenceProgress(
                    phase: .done, checkedIn: instant(18, 20), started: instant(18, 26), ended: instant(18, 41)),
                kiosk: "k", at: instant(18, 41), seq: 3))
        #expect(live.updates(for: file, time: time).count == 1)
    }

    @Test("publisher files round-trip on disk, atomically, bounded, and never create the share's folder")
    func files() throws {
        let temporary = try TempDir()
        let dir = temporary.path + "/share"
        let folder = LiveStateFolder(schedulePath: dir + "/samtaler.csv")
        #expect(throws: LiveStateFolder.Failure.self) {
            try folder.write(LiveStateFile(kiosk: "a", rooms: [], written: .now, entries: []))
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let many = (0..<(LiveStateFile.maxEntries + 50)).map {
            StateJournal.Entry(
                seq: $0, id: "b\($0)", room: "204", progress: ConferenceProgress(phase: .waiting), kiosk: "a",
                at: Date().addingTimeInterval(Double($0)))
        }
        let file = LiveState.file(kiosk: "a/b", rooms: ["204"], journal: many, at: Date())
        #expect(file.entries.count == LiveStateFile.maxEntries)
        try folder.write(file)
        let back = folder.read()
        #expect(back.count == 1 && back[0].entries.count == LiveStateFile.maxEntries && back[0].kiosk == "a/b")
        // Read back exactly (a date that came back a microsecond off would be recorded again and again).
        #expect(back[0] == file)
        #expect(FileManager.default.fileExists(atPath: dir + "/.samtale/state/a_b.json"))
        #expect(!folder.stamp().isEmpty)
    }

    @Test("spreadsheet locks: LibreOffice's line and Excel's owner file say who, where and since when")
    func locks() {
        let lo = SpreadsheetLock.parseLibreOffice(
            Array(",kari,KONTOR-PC,29.11.2026 14:02,file:///home/kari/.config/libreoffice/4;".utf8),
            path: "/s/.~lock.s.csv#",
            modified: nil, timeZone: utc)
        #expect(lo.user == "kari" && lo.host == "KONTOR-PC")
        #expect(lo.since == time.instant(year: 2026, month: 11, day: 29, hour: 14, minute: 2))
        #expect(lo.isStale(at: lo.since!.addingTimeInterval(31 * 60)))
        #expect(!lo.isStale(at: lo.since!.addingTimeInterval(29 * 60)))
        #expect(lo.description == "open in LibreOffice by kari on KONTOR-PC")
        let full = SpreadsheetLock.parseLibreOffice(
            Array("Kari Nordmann,kari,PC,garbage,url;".utf8), path: "p", modified: instant(9, 0), timeZone: utc)
        #expect(full.user == "Kari Nordmann" && full.since == instant(9, 0))
        var excel: [UInt8] = [4] + Array("ola1".utf8)
        excel += [UInt8](repeating: 0x20, count: 50)
        let x = SpreadsheetLock.parseExcel(excel, path: "~$s.csv", modified: instant(10, 0))
        #expect(x.user == "ola1" && x.program == .excel && x.since == instant(10, 0))
        #expect(SpreadsheetLock.parseExcel([], path: "p", modified: nil).user == nil)
    }
}
