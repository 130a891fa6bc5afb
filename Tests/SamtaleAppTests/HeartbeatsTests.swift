import Foundation
import SamtaleCore
import SamtaleTestSupport
import Synchronization
import Testing

@testable import SamtaleApp

@Suite("Heartbeats on the share: written in plain system calls, read whole")
struct HeartbeatsTests {
    func health(_ kiosk: String, backlog: Int = 0) -> KioskHealth {
        KioskHealth(
            kiosk: kiosk, room: "204", at: Date(timeIntervalSince1970: 1_800_000_000), light: .free, faults: [],
            clockTrusted: true, lastWrite: nil, backlog: backlog)
    }

    @Test("a heartbeat makes its folder in the share, reads back, and leaves no temporary file behind")
    func roundTrip() throws {
        let dir = try TempDir()
        let heartbeats = Heartbeats(schedulePath: dir.path + "/samtaler.csv", isFolder: false)
        try heartbeats.write(health("rom 204/ø"))
        try heartbeats.write(health("rom205"))
        // Another program's file in the folder is no heartbeat.
        try Data("x".utf8).write(to: URL(fileURLWithPath: heartbeats.folder + "/notes.txt"))
        let read = heartbeats.read()
        #expect(Set(read.map(\.kiosk)) == ["rom 204/ø", "rom205"])
        #expect(Set(heartbeats.names() ?? []) == [Heartbeats.fileName("rom 204/ø"), "rom205.json"])
        let all = try FileManager.default.contentsOfDirectory(atPath: heartbeats.folder)
        #expect(all.filter { $0.hasSuffix(".tmp") }.isEmpty, "\(all)")
    }

    @Test("a share that is not there (not mounted) is named, and no folder is made in its place")
    func shareMissing() throws {
        let dir = try TempDir()
        let share = dir.path + "/mnt/skole"
        let heartbeats = Heartbeats(schedulePath: share + "/samtaler.csv", isFolder: false)
        let error = #expect(throws: Heartbeats.WriteError.self) { try heartbeats.write(health("rom204")) }
        #expect(error?.description.contains(share) == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: share))
        #expect(heartbeats.names() == nil)
        #expect(heartbeats.read().isEmpty)
    }

    @Test("a reader never sees half a heartbeat while another thread rewrites it (rename over the last)")
    func readerSeesWholeFiles() async throws {
        let dir = try TempDir()
        let heartbeats = Heartbeats(schedulePath: dir.path + "/samtaler.csv", isFolder: false)
        try heartbeats.write(health("rom204"))
        let stop = Mutex(false)
        let failure = Mutex<String?>(nil)
        // Rewrites it, a new backlog each time, until the reader has seen enough.
        let writer = Thread {
            var n = 0
            while !stop.withLock({ $0 }) {
                n += 1
                do { try heartbeats.write(health("rom204", backlog: n)) } catch {
                    failure.withLock { $0 = "\(error)" }
                }
            }
        }
        writer.start()
        defer { stop.withLock { $0 = true } }
        var reads = 0
        var backlogs: Set<Int> = []
        // At least 300 reads, and until they saw 20 versions of the file (the rewrites ran under them).
        while reads < 300 || backlogs.count < 20 {
            let read = heartbeats.read()
            #expect(read.count == 1, "a heartbeat was missing or half-written at read \(reads)")
            if read.count != 1 { break }
            backlogs.formUnion(read.map(\.backlog))
            reads += 1
            await Task.yield()
        }
        stop.withLock { $0 = true }
        #expect(failure.withLock { $0 } == nil)
    }
}
