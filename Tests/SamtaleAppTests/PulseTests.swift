import Foundation
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleTestSupport
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@testable import SamtaleApp

/// A system clock the test steps (the kiosk's `MonotonicWallClock` compares with it).
final class SteppedSystemClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func step(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

/// Counts from any thread.
final class BeatCounter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// An office PC's check-in of `id` on the share, as `samtale checkin` makes it: journaled in its
/// own folder and published beside the schedule file `file`.
func officeChecksIn(_ id: String, file: String, journal folder: String) throws {
    let journal = try StateJournal(directory: folder)
    try journal.record(
        [(id, "204", ConferenceProgress(phase: .waiting, checkedIn: kioskNoon))], kiosk: "office", at: kioskNoon)
    let office = StateSync(
        writer: ScheduleFileWriter(path: file, reader: ScheduleReader(timeZone: utc)), journal: journal,
        kiosk: "office", time: SchoolTime(timeZone: utc))
    try office.publish(rooms: [], at: kioskNoon)
}

/// Runs a schedule watcher for room 204 on `path` with a pulse of 20 ms, no polling window of its
/// own and a full look only after an hour (`adjust` changes more), until `body` returns.
func withWatcherOnPulse(
    path: String, kiosk: Kiosk, clock: TestClock, share: ShareView,
    adjust: (inout ScheduleWatcher) -> Void = { _ in }, _ body: @Sendable (Pulse) async throws -> Void
) async throws {
    let pulse = Pulse(interval: .milliseconds(20))
    var configured = ScheduleWatcher(
        path: path, room: "204", reader: ScheduleReader(timeZone: utc), kiosk: kiosk, clock: clock,
        interval: .milliseconds(20), logger: quiet, share: share, pulse: pulse)
    configured.window = 0
    configured.fullLook = .seconds(3600)
    adjust(&configured)
    let watcher = configured
    pulse.start()
    defer { pulse.stop() }
    try await testGracefulShutdown { trigger in
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watcher.run() }
            try await body(pulse)
            trigger.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

/// The office adds a booking to the file at `path` in `dir`: a save by replacing the file, as
/// LibreOffice does.
func officeAddsBooking(_ dir: TempDir, _ path: String) throws {
    let edited = try dir.file("edited.tmp", scheduleCSV() + "24.11.2026;14:00;20;204;Edsger Dijkstra\n")
    #expect(rename(edited, path) == 0)
}

/// The idle kiosk's one regular wake-up (issue 12): the services sleep until the pulse's cheap
/// glances find something, and still see everything they saw when each polled on its own.
@Suite("The pulse: an idle kiosk's one wake-up")
struct PulseTests {
    @Test("a pulse runs its checks at every beat until stopped")
    func beats() async throws {
        let pulse = Pulse(interval: .milliseconds(10))
        let count = BeatCounter()
        pulse.add { count.add() }
        pulse.start()
        #expect(await eventually { count.value >= 3 })
        pulse.stop()
        // A beat under way when it stopped may still finish; none starts after.
        try await Task.sleep(for: .milliseconds(100))
        let stopped = count.value
        try await Task.sleep(for: .milliseconds(200))
        #expect(count.value == stopped)
    }

    @Test("a quiet pulse waits its quiet beat; back to every interval, it beats again at once")
    func quietPulse() async throws {
        let pulse = Pulse(interval: .milliseconds(10))
        let count = BeatCounter()
        let hourly = BeatCounter()
        pulse.add { count.add() }
        pulse.add(every: .seconds(3600)) { hourly.add() }
        pulse.start()
        defer { pulse.stop() }
        #expect(await eventually { count.value >= 3 })
        // A check of its own period runs at the first beat, then not for an hour.
        #expect(hourly.value == 1)
        // This kernel has timerfd's TFD_TIMER_CANCEL_ON_SET (Linux 3.0 on): the pulse may go quiet.
        pulse.setQuiet(.seconds(3600))
        #expect(pulse.isQuiet)
        // The beat under way when it went quiet may finish; then none for an hour.
        try await Task.sleep(for: .milliseconds(100))
        let quietFrom = count.value
        try await Task.sleep(for: .milliseconds(300))
        #expect(count.value == quietFrom)
        pulse.setQuiet(nil)
        #expect(!pulse.isQuiet)
        #expect(await eventually { count.value >= quietFrom + 3 })
        #expect(hourly.value == 1)
    }

    @Test(
        "on a local file, inotify lets the pulse go quiet; the office's edit and check-in still arrive; a lost watch ends it"
    )
    func watcherQuietOnALocalFile() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", scheduleCSV())
        // The test's own folder must be on a file system that inotify fully reports.
        try #require(
            LocalFileSystem.isLocal(dir.path),
            "\(dir.path) is on file system 0x\(String(LocalFileSystem.magic(dir.path) ?? -1, radix: 16))")
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock)
        let share = ShareView()
        let live = LiveStateFolder(schedulePath: path)
        // A quiet beat of an hour: once quiet, whatever the watcher sees came from inotify.
        try await withWatcherOnPulse(
            path: path, kiosk: kiosk, clock: clock, share: share, adjust: { $0.quietBeat = .seconds(3600) }
        ) { pulse in
            #expect(await eventually { await kiosk.state.conferences.count == 2 })
            // Not quiet while the live-state folder is missing (nothing would report it).
            #expect(!pulse.isQuiet)
            try FileManager.default.createDirectory(atPath: live.folder, withIntermediateDirectories: true)
            #expect(await eventually { pulse.isQuiet })
            try officeAddsBooking(dir, path)
            #expect(await eventually { await kiosk.state.conferences.count == 3 })
            // An office PC's check-in on the share (`samtale checkin`).
            let id = try #require(await kiosk.state.conferences.first?.id)
            try officeChecksIn(id, file: path, journal: dir.path + "/office-journal")
            #expect(await eventually { share.current.live.entries[id]?.kiosk == "office" })
            #expect(pulse.isQuiet)
            // The live-state folder goes (its watch with it): every poll again.
            try FileManager.default.removeItem(atPath: live.folder)
            #expect(await eventually { !pulse.isQuiet })
        }
    }

    @Test("on a pulse, the heartbeat is rewritten at the pulse's beats, with no timer of its own")
    func heartbeatOnPulse() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", scheduleCSV())
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock)
        let heartbeats = Heartbeats(schedulePath: path, isFolder: false)
        let pulse = Pulse(interval: .milliseconds(20))
        var service = HeartbeatService(
            heartbeats: heartbeats, kiosk: kiosk, clock: clock, name: "rom204", room: "204", syncStatus: nil,
            logger: quiet, pulse: pulse)
        service.interval = .milliseconds(100)
        let heartbeat = service
        let file = heartbeats.folder + "/" + Heartbeats.fileName("rom204")
        // Each write replaces the file (a new one renamed over it): its modification time moves.
        func written() -> String? {
            var st = stat()
            return stat(file, &st) == 0 ? "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)" : nil
        }
        pulse.start()
        defer { pulse.stop() }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await kiosk.run() }
                group.addTask { try await heartbeat.run() }
                let times = Mutex<Set<String>>([])
                #expect(
                    await eventually {
                        if let w = written() { times.withLock { _ = $0.insert(w) } }
                        return times.withLock { $0.count } >= 4
                    })
                pulse.stop()
                try await Task.sleep(for: .milliseconds(300))
                let last = written()
                try await Task.sleep(for: .milliseconds(500))
                #expect(written() == last, "a heartbeat was written after the pulse stopped")
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    @Test("inotify's events as the kernel writes them: a removed watch is seen, a file's events are not")
    func inotifyLost() async throws {
        let dir = try TempDir()
        let sub = dir.path + "/sub"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        let watch = try #require(InotifyWatch(folder: dir.path))
        defer { watch.close() }
        #expect(watch.watch(sub))
        var changes = watch.changes.makeAsyncIterator()
        _ = try dir.file("sub/a.txt", "a")
        _ = await changes.next()
        #expect(watch.intact)
        try FileManager.default.removeItem(atPath: sub)
        #expect(await eventually { !watch.intact })
        #expect(!LocalFileSystem.isLocal("/proc"))
    }

    @Test("a watcher on a pulse sees an office edit, a spreadsheet lock and a state file by the glances alone")
    func watcherOnPulse() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", scheduleCSV())
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock)
        let share = ShareView()
        // No inotify: whatever the watcher sees in this test, the pulse's glances rang it in.
        try await withWatcherOnPulse(
            path: path, kiosk: kiosk, clock: clock, share: share, adjust: { $0.inotify = false }
        ) {
            _ in
            #expect(await eventually { await kiosk.state.conferences.count == 2 })
            try officeAddsBooking(dir, path)
            #expect(await eventually { await kiosk.state.conferences.count == 3 })
            // LibreOffice opens the file, then closes it; then Excel.
            let lock = try dir.file(".~lock.samtaler.csv#", ",ola,office-pc,24.11.2026 12:00,file:///x;\n")
            #expect(await eventually { share.current.lock?.program == .libreOffice })
            // The lock sits still (the watcher sleeps; it no longer polls while a lock is there),
            // then goes: the write-back's settling time counts from the look that saw it gone.
            try await Task.sleep(for: .milliseconds(200))
            let going = ContinuousClock.now
            try FileManager.default.removeItem(atPath: lock)
            #expect(await eventually { share.current.lock == nil })
            #expect(share.current.lockSeen.map { $0 >= going } == true)
            let owner = try dir.file("~$samtaler.csv", "\u{3}ola")
            #expect(await eventually { share.current.lock?.program == .excel })
            try FileManager.default.removeItem(atPath: owner)
            #expect(await eventually { share.current.lock == nil })
            // An office PC's check-in on the share (`samtale checkin`).
            let id = try #require(await kiosk.state.conferences.first?.id)
            try officeChecksIn(id, file: path, journal: dir.path + "/office-journal")
            #expect(await eventually { share.current.live.entries[id]?.kiosk == "office" })
        }
    }

    @Test("a kiosk on a pulse takes in a stepped system clock without a timer of its own")
    func kioskTakesInAStepOnAPulse() async throws {
        let system = SteppedSystemClock()
        let clock = MonotonicWallClock(system: { system.now() })
        let pulse = Pulse(interval: .milliseconds(20))
        let kiosk = Kiosk(
            engine: RoomEngine(room: "204", timeZone: utc, at: clock.now()), clock: clock, options: DoorOptions(),
            light: CompositeLight(), clockTrust: nil, logger: quiet, pulse: pulse)
        pulse.start()
        defer { pulse.stop() }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await kiosk.run() }
                // Let the kiosk start and fall asleep (for minutes: a quiet room on a pulse).
                _ = await kiosk.door()
                system.step(by: 3600)
                // Only the kiosk re-anchors its clock (`checkClock`): the pulse must have rung it.
                #expect(await eventually { abs(clock.now().timeIntervalSince(system.now())) < 60 })
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    // The kiosk's own Date header (Hummingbird's date cache woke the process every second).
    @Test("the Date header is RFC 9110's IMF-fixdate, as Foundation's POSIX formatter writes it")
    func httpDate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let seed = TestSeed("HTTP dates")
        var rng = seed.generator()
        for _ in 0..<500 {
            let second = Int.random(in: 0...4_102_444_800, using: &rng)
            #expect(
                HTTPDate.format(second) == formatter.string(from: Date(timeIntervalSince1970: Double(second))),
                "\(second), \(seed)")
        }
        let before = time(nil)
        let now = HTTPDate.now()
        #expect(now == HTTPDate.format(before) || now == HTTPDate.format(time(nil)))
    }
}
