import Foundation
import SamtaleCore
import SamtaleTestSupport
import Synchronization
import Testing

@testable import SamtaleSchedule

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
