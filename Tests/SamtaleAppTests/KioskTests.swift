import Foundation
import Logging
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleTestSupport
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@testable import SamtaleApp

/// A wall clock the test sets: the kiosk and its services read no other time.
final class TestClock: WallClock, Sendable {
    private let instant: Mutex<Date>
    init(_ start: Date) { instant = Mutex(start) }
    func now() -> Date { instant.withLock { $0 } }
    func advance(minutes: Double) { instant.withLock { $0 = $0.addingTimeInterval(minutes * 60) } }
}

/// The kiosk's day in these tests: Tuesday 24 November 2026, noon, UTC.
let kioskNoon = Date(timeIntervalSince1970: 1_795_521_600)
let utc = TimeZone(identifier: "UTC")!
/// The services' logs are not what these tests look at.
let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A booking `minutes` after noon, 20 minutes long.
func booking(_ id: String, room: String = "204", at minutes: Double) -> Booking {
    let start = kioskNoon.addingTimeInterval(minutes * 60)
    return Booking(
        id: id, room: room, start: start, end: start.addingTimeInterval(20 * 60), teachers: ["T"], pupil: "Pupil \(id)")
}

func makeKiosk(
    clock: TestClock, bookings: [Booking] = [], sync: StateSync? = nil, metrics: KioskMetrics? = nil,
    wake: Alarm? = nil
) -> Kiosk {
    Kiosk(
        engine: RoomEngine(room: "204", timeZone: utc, bookings: bookings, at: clock.now()), clock: clock,
        options: DoorOptions(), light: CompositeLight(), clockTrust: nil, logger: quiet, sync: sync,
        metrics: metrics, wake: wake)
}

/// A schedule file for room 204 (and one booking in 301) on the kiosk's day, in the office's CSV.
func scheduleCSV() -> String {
    """
    Dato;Fra;Varighet;Rom;Elev
    24.11.2026;12:05;20;204;Ada Lovelace
    24.11.2026;12:30;20;204;Alan Turing
    24.11.2026;13:00;20;301;Grace Hopper

    """
}

@Suite("The kiosk in-process (a test clock, no binary)")
struct KioskTests {
    @Test("a check-in through the kiosk moves its state, by the injected clock")
    func checkInMovesState() async throws {
        let clock = TestClock(kioskNoon)
        let metrics = KioskMetrics(room: "204")
        let kiosk = makeKiosk(clock: clock, bookings: [booking("a", at: 5), booking("b", at: 30)], metrics: metrics)
        #expect(await kiosk.door().waitingCount == 0)
        let view = await kiosk.press(.touch)
        #expect(view.waitingCount == 1)
        let engine = await kiosk.state
        #expect(engine.conferences.first { $0.id == "a" }?.progress.phase == .waiting)
        #expect(engine.conferences.first { $0.id == "a" }?.progress.checkedIn == kioskNoon)
        #expect(engine.conferences.first { $0.id == "b" }?.progress.phase == .scheduled)
        // The same press again is the same family: not counted twice.
        _ = await kiosk.press(.touch)
        #expect(await kiosk.door().waitingCount == 1)
        #expect(metrics.exposition().contains("samtale_button_presses_total{room=\"204\",source=\"touch\"} 2"))
        // Time moves only when the test moves it: past the start, the door says the session is due.
        clock.advance(minutes: 6)
        #expect(await kiosk.door().now == kioskNoon.addingTimeInterval(6 * 60))
    }

    @Test("check-in is refused before it opens (the test clock says when)")
    func notYetByTheClock() async {
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock, bookings: [booking("a", at: 60)])
        let answer = await kiosk.handle(.press(.touch))
        guard case .notYet(let start, let opens) = answer else {
            Issue.record("expected notYet, got \(answer)")
            return
        }
        #expect(start == kioskNoon.addingTimeInterval(3600))
        #expect(opens == start.addingTimeInterval(-Rules().checkInOpensBefore))
        clock.advance(minutes: 45)
        if case .checkedIn = await kiosk.handle(.press(.touch)) {} else { Issue.record("not checked in at 12:45") }
    }

    @Test("the teacher's button is one call: it starts the family waiting, then ends the session")
    func teacherPressInOneCall() async {
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock, bookings: [booking("a", at: 5), booking("b", at: 30)])
        _ = await kiosk.press(.touch)
        #expect(await kiosk.state.waiting.map(\.id) == ["a"])
        await kiosk.teacherPress()
        #expect(await kiosk.state.current?.id == "a")
        clock.advance(minutes: 10)
        await kiosk.teacherPress()
        #expect(await kiosk.state.current == nil)
        #expect(await kiosk.state.conferences.first { $0.id == "a" }?.progress.phase == .done)
    }

    @Test("a schedule event applies in one call: the school, the room, the live state, the fault")
    func scheduleEventInOneCall() async {
        let clock = TestClock(kioskNoon)
        let metrics = KioskMetrics(room: "204")
        let kiosk = makeKiosk(clock: clock, metrics: metrics)
        let mine = [booking("a", at: 5), booking("b", at: 30)]
        let school = mine + [booking("c", room: "301", at: 60)]
        await kiosk.apply(.read(school: school, mine: mine, live: LiveState()))
        #expect(await kiosk.state.conferences.map(\.id) == ["a", "b"])
        var seen = await kiosk.school()
        #expect(seen.bookings.count == 3)
        #expect(seen.readAt == kioskNoon)
        #expect(seen.problem == nil)
        // The file turns unusable: the fault is raised, the last good schedule stays.
        clock.advance(minutes: 1)
        await kiosk.apply(.unusable("line 3: the start is not a time"))
        seen = await kiosk.school()
        #expect(seen.problem == "line 3: the start is not a time")
        #expect(seen.bookings.count == 3)
        #expect(await kiosk.state.conferences.count == 2)
        #expect(await kiosk.door().faults.contains("schedule"))
        // Read again: the fault is cleared in the same call that brings the bookings.
        await kiosk.apply(.read(school: school, mine: mine, live: LiveState()))
        #expect(await kiosk.school().problem == nil)
        #expect(await !kiosk.door().faults.contains("schedule"))
        #expect(metrics.exposition().contains("samtale_schedule_read_failures_total{room=\"204\"} 1"))
        #expect(metrics.exposition().contains("samtale_schedule_reads_total{room=\"204\"} 2"))
    }

    @Test("the watcher reads the file and hands the room's bookings to the kiosk; a broken file keeps them")
    func watcherLoads() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", scheduleCSV())
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock)
        let share = ShareView()
        let watcher = ScheduleWatcher(
            path: path, room: "204", reader: ScheduleReader(timeZone: utc), kiosk: kiosk, clock: clock,
            logger: quiet, share: share)
        let schedule = await watcher.load()
        #expect(schedule.isUsable)
        #expect(await kiosk.state.conferences.count == 2)
        #expect(await kiosk.school().bookings.count == 3)
        #expect(share.current.version == 1)
        #expect(share.current.rooms == ["204", "301"])
        _ = try dir.file("samtaler.csv", "this is not a schedule\n")
        let broken = await watcher.load()
        #expect(!broken.isUsable)
        #expect(await kiosk.state.conferences.count == 2)
        #expect(await kiosk.school().problem != nil)
        #expect(share.current.version == 1)
    }

    @Test("the write-back publishes the journal on the share and writes the check-in into the file")
    func syncWritesJournal() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", scheduleCSV())
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let clock = TestClock(kioskNoon)
        let reader = ScheduleReader(timeZone: utc)
        let journal = try StateJournal(directory: dir.url.path + "/state")
        let sync = StateSync(
            writer: ScheduleFileWriter(path: path, reader: reader), journal: journal, kiosk: "rom204",
            time: SchoolTime(timeZone: utc))
        let wake = Alarm()
        let metrics = KioskMetrics(room: "204")
        let kiosk = makeKiosk(clock: clock, sync: sync, metrics: metrics, wake: wake)
        let share = ShareView()
        let watcher = ScheduleWatcher(
            path: path, room: "204", reader: reader, kiosk: kiosk, clock: clock, logger: quiet,
            share: share, sync: sync, wake: wake)
        await watcher.load()
        let view = await kiosk.press(.touch)
        #expect(view.waitingCount == 1)
        #expect(journal.lastSeq > 0, "the check-in is in the journal before it is acknowledged")
        #expect(journal.latest.values.map(\.at) == [kioskNoon], "journaled at the injected clock's instant")
        let service = ScheduleSyncService(
            sync: sync, clock: clock, metrics: metrics, share: share, room: "204", logger: quiet,
            status: SyncStatus(), wake: wake, heartbeats: nil, coalesce: .zero)
        let published = dir.url.path + "/.samtale/state/rom204.json"
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                // Until the file holds the check-in (each pass of the service is one wake).
                for _ in 0..<200 where (try? String(contentsOfFile: path, encoding: .utf8)) == before {
                    wake.ring()
                    try await Task.sleep(for: .milliseconds(50))
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(FileManager.default.fileExists(atPath: published))
        let after = try String(contentsOfFile: path, encoding: .utf8)
        #expect(after != before, "the check-in was written into the file")
        #expect(after.contains("Ada Lovelace"), "the office's rows are kept")
        #expect(metrics.exposition().contains("samtale_schedule_writes_total{room=\"204\"} 1"))
    }

    @Test("graceful shutdown ends every service: the kiosk, the watcher, the write-back, the heartbeat")
    func gracefulShutdownEndsAll() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", scheduleCSV())
        let clock = TestClock(kioskNoon)
        let reader = ScheduleReader(timeZone: utc)
        let journal = try StateJournal(directory: dir.url.path + "/state")
        let sync = StateSync(
            writer: ScheduleFileWriter(path: path, reader: reader), journal: journal, kiosk: "rom204",
            time: SchoolTime(timeZone: utc))
        let wake = Alarm()
        let logger = quiet
        let kiosk = makeKiosk(clock: clock, sync: sync, wake: wake)
        let share = ShareView()
        let readiness = Readiness(needs: [.schedule])
        let heartbeats = Heartbeats(schedulePath: path, isFolder: false)
        let services: [any Service] = [
            ScheduleWatcher(
                path: path, room: "204", reader: reader, kiosk: kiosk, clock: clock, interval: .milliseconds(100),
                logger: logger, readiness: readiness, share: share, sync: sync, wake: wake),
            ScheduleSyncService(
                sync: sync, clock: clock, metrics: nil, share: share, room: "204", logger: logger,
                status: SyncStatus(), wake: wake, heartbeats: heartbeats),
            HeartbeatService(
                heartbeats: heartbeats, kiosk: kiosk, clock: clock, name: "rom204", room: "204", syncStatus: nil,
                logger: logger),
            kiosk,
        ]
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await readiness.wait()
            #expect(await kiosk.state.conferences.count == 2)
            // The first heartbeat (written at start) before the shutdown.
            for _ in 0..<200 where !heartbeats.read().contains(where: { $0.kiosk == "rom204" }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            await group.triggerGracefulShutdown()
            // Returns only when every service has returned.
            try await tasks.waitForAll()
        }
        let beat = try #require(heartbeats.read().first { $0.kiosk == "rom204" })
        #expect(beat.at == kioskNoon, "the heartbeat carries the injected clock's time")
    }
}
