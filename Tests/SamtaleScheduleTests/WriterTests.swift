import Foundation
import SamtaleCore
import SamtaleTestSupport
import Synchronization
import Testing

@testable import SamtaleSchedule

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
        do {
            try gone.write([b: cells("waiting")])
            Issue.record("written to a share that is not mounted")
        } catch { #expect(error.kind == .unreachable) }

        _ = try f.write(".~lock.s.csv#", "x")
        do {
            try w.write([b: cells("waiting")])
            Issue.record("written while a spreadsheet holds the file")
        } catch {
            #expect(error.kind == .openInSpreadsheet)
            #expect(error.description.contains("open in a spreadsheet"))
        }
        #expect(f.read("s.csv") == twoRows)
        try FileManager.default.removeItem(atPath: f.path + "/.~lock.s.csv#")

        _ = try f.write("s.csv", "Navn;Telefon\nOla;1\n")
        do {
            try w.write([b: cells("waiting")])
            Issue.record("written into a file without the schedule's columns")
        } catch { #expect(error.kind == .unusable) }
        #expect(f.read("s.csv") == "Navn;Telefon\nOla;1\n")

        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        do {
            try w.write([b: cells("waiting")])
            Issue.record("written over a folder")
        } catch {
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
