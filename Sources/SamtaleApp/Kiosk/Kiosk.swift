import Foundation
import Logging
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleWeb
import ServiceLifecycle
import Synchronization

/// The imperative shell around one room's engine: it owns the state, feeds it events and the
/// time, and pushes what changes to the light and the door pages.
///
/// One actor serialises every event; the adapters never share state with each other. It runs on
/// its own queue (`QueueExecutor`), so the journal's fsync before an acknowledgement never holds
/// one of Swift's cooperative threads.
public actor Kiosk: DoorBackend, Service {
    private nonisolated let executor = QueueExecutor(label: "samtale.kiosk")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    public nonisolated let schoolTime: SchoolTime
    private var engine: RoomEngine
    private let clock: any WallClock
    private var options: DoorOptions
    private let light: any OccupancyLight
    private let clockTrust: ClockTrust?
    private let logger: Logger
    private let broadcast = Broadcast<DoorView?>()
    /// The door view for the kiosk's own services (heartbeat, systemd, the teacher's lamp): no pings.
    private let serviceBroadcast = Broadcast<DoorView?>()
    private let teacherBroadcast = Broadcast<TeacherView?>()
    private var lastTeacherView: TeacherView?
    /// The metrics (`/metrics`), when kept (built where the services are assembled, and handed to
    /// each service that counts something; nobody reaches them through the kiosk).
    private let metrics: KioskMetrics?
    private var lastStatuses: [String: ConferenceProgress]?
    private var overrunCounted: Set<String> = []
    /// The whole school's bookings as last read from the shared file (for the caretaker's view).
    public private(set) var schoolBookings: [Booking] = []
    private let alarm = Alarm()
    private let stopping = Mutex(false)
    private var lastView: DoorView?
    /// Counts publications, so the run loop can tell that an event changed the room meanwhile.
    private var publications = 0
    /// The journal and the schedule file, when the kiosk writes its state back.
    private let sync: StateSync?
    /// Wakes the write-back when there is something to write (the write-back's own alarm, injected).
    private let wake: Alarm?
    /// Every publisher's live state on the share, as last read.
    private var live = LiveState()
    /// The last problem recording state durably (nil: none).
    public private(set) var journalError: String?
    /// Keep-alive for the door pages, so they can tell a live kiosk from a dead connection.
    static let pingInterval: Duration = .seconds(15)
    /// The longest the kiosk sleeps without a pulse: how soon a stepped or newly set system clock
    /// is noticed.
    static let clockCheckInterval: Duration = .seconds(5)
    /// The longest the kiosk sleeps on a pulse (which looks at the clock every beat and rings the
    /// kiosk when it was stepped or its trust changed).
    static let longestSleep: Duration = .seconds(300)
    /// The kiosk's regular wake-up, when it has one (see `Pulse`).
    private let pulse: Pulse?

    public init(
        engine: RoomEngine, clock: any WallClock, options: DoorOptions, light: any OccupancyLight,
        clockTrust: ClockTrust?, logger: Logger, sync: StateSync? = nil, metrics: KioskMetrics? = nil,
        wake: Alarm? = nil, pulse: Pulse? = nil
    ) {
        self.pulse = pulse
        self.sync = sync
        self.wake = wake
        self.metrics = metrics
        self.engine = engine
        self.schoolTime = SchoolTime(timeZone: engine.timeZone)
        self.clock = clock
        self.options = options
        self.light = light
        self.clockTrust = clockTrust
        self.logger = logger
    }

    // MARK: - Events in

    /// Reduces an event now, and publishes whatever changed.
    @discardableResult
    public func handle(_ event: Event) async -> Answer {
        let now = clock.now()
        let answer = engine.handle(event, at: now)
        switch event {
        case .press, .bookings: break
        default:
            logger.info("event handled", metadata: ["event": "\(Self.describe(event))", "answer": "\(answer.word)"])
        }
        await publish(at: now)
        alarm.ring()
        return answer
    }

    /// A check-in press: the light acknowledges at once, whatever the answer.
    public func press(_ source: PressSource) async -> DoorView { await press(source, edge: nil) }

    /// A press from a GPIO button, with the kernel's timestamp of its first edge. `flashed`: the
    /// button has already flashed the light at the edge.
    public func press(_ source: PressSource, edge: UInt64?, flashed: Bool = false) async -> DoorView {
        if !flashed { await light.acknowledge(edge: edge) }
        metrics?.press(source)
        let answer = await handle(.press(source))
        var meta: Logger.Metadata = ["source": "\(source.rawValue)", "answer": "\(answer.word)"]
        if case .checkedIn(let r) = answer { meta["slot"] = "\(schoolTime.timeString(r.scheduledStart))" }
        logger.info("check-in press", metadata: meta)
        return lastView ?? engine.doorView(at: clock.now(), options: options)
    }

    /// The teacher's button let go before it was held: ends the session when nobody waits, else
    /// starts the next (one call: the room cannot change between the look and the event).
    @discardableResult
    public func teacherPress() async -> Answer {
        let inSession = engine.current != nil
        let waiting = !engine.waiting.isEmpty
        return await handle(inSession && !waiting ? .end : .start(id: nil))
    }

    /// New door options and rules (a configuration reload); the conferences and their state stay.
    public func reconfigure(options: DoorOptions, rules: Rules) async {
        self.options = options
        engine.rules = rules
        let now = clock.now()
        engine.advance(to: now)
        await publish(at: now)
        alarm.ring()
    }

    // MARK: - Views out

    public func door() -> DoorView { engine.doorView(at: clock.now(), options: options) }

    public func teacher() -> TeacherView { engine.teacherView(at: clock.now()) }

    public var state: RoomEngine { engine }

    /// The door view each time it changes, and a ping (nil) every `pingInterval`: for the pages'
    /// event streams (the kiosk pings only while one is open).
    public func updates() -> AsyncStream<DoorView?> {
        // The run loop sleeps past the next ping while nobody listens: wake it to plan one.
        alarm.ring()
        return broadcast.subscribe(initial: door())
    }

    public func teacherUpdates() -> AsyncStream<TeacherView?> {
        alarm.ring()
        return teacherBroadcast.subscribe(initial: teacher())
    }

    /// The door view each time it changes, never a ping: for the kiosk's own services.
    public func serviceUpdates() -> AsyncStream<DoorView?> { serviceBroadcast.subscribe(initial: door()) }

    /// A teacher's action, through the engine like any event; the engine's word for the answer.
    public func act(_ action: TeacherAction, id: String?, minutes: Int?) async -> String {
        let event: Event =
            switch action {
            case .start: .start(id: id)
            case .end: .end
            case .extend: .extend(minutes: minutes ?? StaffAssets.extensionMinutes)
            case .noShow: .markNoShow(id: id)
            case .checkIn: id.map { .checkIn(id: $0) } ?? .press(.office)
            case .undo: .undo
            }
        return await handle(event).word
    }

    /// One schedule event, applied in one call (atomically: no other event comes between its parts):
    /// the shared file as just read (every room's bookings for the caretaker, this room's for the
    /// engine, and the share's live state), or the file found unusable (the last good schedule stays,
    /// and the schedule fault is raised).
    public func apply(_ change: ScheduleChange) async {
        let now = clock.now()
        switch change {
        case .read(let school, let mine, let live):
            schoolBookings = school
            self.live = live
            metrics?.scheduleRead(ok: true)
            engine.handle(.bookings(mine), at: now)
            engine.handle(.fault(.schedule, nil), at: now)
        case .unusable(let why):
            metrics?.scheduleRead(ok: false)
            let event = Event.fault(.schedule, why)
            let answer = engine.handle(event, at: now)
            logger.info("event handled", metadata: ["event": "\(Self.describe(event))", "answer": "\(answer.word)"])
        }
        await publish(at: now)
        alarm.ring()
    }

    /// The whole school as last read, when, and why the file cannot be used now (nil: it can).
    public func school() -> (bookings: [Booking], readAt: Date?, problem: String?) {
        (schoolBookings, engine.bookingsReadAt, engine.faults[.schedule])
    }

    private func publish(at now: Date) async {
        publications &+= 1
        record()
        let view = engine.doorView(at: now, options: options)
        if view.light != lastView?.light {
            logger.info("light", metadata: ["state": "\(view.light.rawValue)"])
        }
        await light.show(view.light)
        if view.differs(from: lastView) {
            broadcast.send(view)
            serviceBroadcast.send(view)
        }
        lastView = view
        let teacherView = engine.teacherView(at: now)
        if teacherView.differs(from: lastTeacherView) { teacherBroadcast.send(teacherView) }
        lastTeacherView = teacherView
        observe(view)
    }

    /// Counts transitions, overruns and the light for the metrics.
    private func observe(_ view: DoorView) {
        guard let metrics else { return }
        let statuses = Dictionary(engine.conferences.map { ($0.id, $0.progress) }, uniquingKeysWith: { $1 })
        if let lastStatuses { metrics.transitions(from: lastStatuses, to: statuses) }
        lastStatuses = statuses
        metrics.light(view.light)
        if view.light == .overrun, let id = view.current?.id, !overrunCounted.contains(id) {
            overrunCounted.insert(id)
            metrics.overrun()
        }
    }

    /// Records what changed in the durable journal before anyone sees it acknowledged, and wakes
    /// the write-back.
    private func record() {
        guard let sync else { return }
        let changes = StateSync.changes(engine, journal: sync.journal, live: live, kiosk: sync.kiosk)
        guard !changes.isEmpty else { return }
        do {
            try sync.journal.record(changes, kiosk: sync.kiosk, at: clock.now())
            journalError = nil
            wake?.ring()
        } catch {
            journalError = "\(error)"
            logger.critical("cannot record state in the journal", metadata: ["why": "\(error)"])
        }
    }

    // MARK: - The service

    /// Sleeps until the next instant anything changes by time alone (or an event wakes it),
    /// checks the clock, publishes, and pings the door pages; ends on graceful shutdown.
    public func run() async throws {
        await checkClock()
        await publish(at: clock.now())
        watchClockOnPulse()
        var lastPing = ContinuousClock.now
        // A quiet room (see `RoomEngine.isQuiet`) shows the same until `due`: the loop then only
        // checks the clock and pings, and recomputes nothing (which cost time in proportion to the
        // room's bookings every few seconds). An event, a clock step or a change of the clock's
        // trust publishes, and that is seen here by `publications`.
        var due: Date?
        var quiet = false
        var seen = -1
        await withGracefulShutdownHandler {
            while !stopping.withLock({ $0 }) && !Task.isCancelled {
                // The clock first, so a clock just synchronised shows on the light and the door at once.
                await checkClock()
                let now = clock.now()
                if !(quiet && seen == publications && due.map({ now < $0 }) ?? true) {
                    engine.advance(to: now)
                    await publish(at: now)
                    seen = publications
                    due = engine.nextChange(after: now, options: options)
                    quiet = engine.isQuiet(at: now)
                }
                // Pings only while a page listens: an idle kiosk with no page open does not wake for them.
                let listening = broadcast.subscriberCount + teacherBroadcast.subscriberCount > 0
                if !listening {
                    lastPing = .now
                } else if ContinuousClock.now - lastPing >= Self.pingInterval {
                    broadcast.send(nil)
                    teacherBroadcast.send(nil)
                    lastPing = .now
                }
                var delay = pulse == nil ? Self.clockCheckInterval : Self.longestSleep
                if listening {
                    delay = min(delay, max(.milliseconds(1), Self.pingInterval - (ContinuousClock.now - lastPing)))
                }
                if let next = due {
                    let seconds = max(0.001, next.timeIntervalSince(now))
                    delay = min(delay, .milliseconds(Int64((seconds * 1000).rounded(.up))))
                }
                await alarm.sleep(for: delay)
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            self.alarm.ring()
        }
        broadcast.finish()
        teacherBroadcast.finish()
        serviceBroadcast.finish()
        logger.info("kiosk stopped")
    }

    /// On a pulse, the clock is looked at every beat there (cheaply, off the kiosk's queue), and
    /// the kiosk is rung only when the system clock was stepped or its trust changed; `checkClock`
    /// then does the rest here as before.
    private func watchClockOnPulse() {
        guard let pulse else { return }
        let watch = ClockWatch(clock: clock, trust: clockTrust, trusted: engine.clockTrusted)
        let alarm = alarm
        pulse.add { if watch.changed() { alarm.ring() } }
    }

    private func checkClock() async {
        if let mono = clock as? MonotonicWallClock, let step = mono.checkForStep() {
            logger.warning("the system clock was stepped", metadata: ["seconds": "\(Int(step))"])
            // What lay between the old and the new reading was not witnessed.
            engine.handle(.clockStepped, at: clock.now())
            await publish(at: clock.now())
        }
        guard let clockTrust else { return }
        let now = clock.now()
        let verdict = clockTrust.check(now: now)
        let trusted = verdict == .trusted
        if trusted != engine.clockTrusted {
            if case .untrusted(let why) = verdict {
                logger.error("clock not set: check-in is closed", metadata: ["why": "\(why)"])
            } else {
                logger.notice("clock synchronised: check-in open")
            }
            engine.handle(.clock(trusted: trusted), at: now)
            await publish(at: now)
        }
    }

    static func describe(_ event: Event) -> String {
        switch event {
        case .press(let s): "press(\(s.rawValue))"
        // Never a booking's id: the office's id column may hold pupil or national identity numbers.
        case .checkIn: "check-in"
        case .start(let id): id == nil ? "start(next)" : "start(chosen)"
        case .end: "end"
        case .extend(let m): "extend(\(m))"
        case .markNoShow(let id): id == nil ? "no-show(due)" : "no-show(chosen)"
        case .undo: "undo"
        case .bookings(let b): "bookings(\(b.count))"
        case .clock(let t): "clock(trusted: \(t))"
        case .clockStepped: "clock-stepped"
        case .fault(let s, let m): "fault(\(s.rawValue), \(m == nil ? "cleared" : "set"))"
        }
    }
}

/// What the schedule watcher found in one read of the shared file: one call into the kiosk.
public enum ScheduleChange: Sendable {
    /// The file as just read with the share's live state laid over it: the school's bookings (for
    /// the caretaker), this room's (for the engine), and the live state itself.
    case read(school: [Booking], mine: [Booking], live: LiveState)
    /// The file cannot be used now (why, in plain words); the last good schedule stays.
    case unusable(String)
}
