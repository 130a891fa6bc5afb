import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleWeb
import ServiceLifecycle
import UnixSignals

/// Wires a kiosk: the engine's actor, the schedule watcher, the board, the web server, under one
/// ServiceGroup that shuts everything down cleanly on SIGINT or SIGTERM.
public struct KioskServer {
    public var configuration: KioskConfiguration
    public var demo: Bool
    public var engine: RoomEngine
    public var logger: Logger
    /// The one clock of the kiosk and its services (the configuration's, unless given).
    public var clock: MonotonicWallClock

    public init(
        configuration: KioskConfiguration, demo: Bool, engine: RoomEngine, logger: Logger,
        clock: MonotonicWallClock? = nil
    ) {
        self.clock = clock ?? configuration.makeClock()
        self.configuration = configuration
        self.demo = demo
        self.engine = engine
        self.logger = logger
    }

    /// The HTTP application for a kiosk (also what the tests drive).
    public static func application(
        kiosk: Kiosk, configuration: KioskConfiguration, demo: Bool, logger: Logger, readiness: Readiness? = nil,
        gpioState: GPIOState? = nil, syncStatus: SyncStatus? = nil, tokens: SlotTokens = .random(),
        metrics: KioskMetrics? = nil, clock: any WallClock = MonotonicWallClock()
    ) -> some ApplicationProtocol {
        let (router, _) = router(
            kiosk: kiosk, configuration: configuration, demo: demo, readiness: readiness, gpioState: gpioState,
            syncStatus: syncStatus, tokens: tokens, metrics: metrics, clock: clock)
        return KioskApplication(
            responder: router.buildResponder(),
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "samtale",
                availableConnectionsDelegate: MaximumAvailableConnections(
                    FileLimits.connectionLimit(wanted: configuration.maxConnections), logger: logger)),
            logger: logger,
            whenRunning: { channel in
                readiness?.mark(.http)
                logger.notice(
                    "door page served",
                    metadata: [
                        "url": "http://\(configuration.host):\(channel.localAddress?.port ?? configuration.port)/",
                        // Where Swift's tasks run (see `ProcessExecutor`): NIO's event loops in the
                        // samtale binary; libdispatch's global queues where the hook was taken.
                        "tasks": "\(ProcessExecutor.onEventLoops ? "NIO's event loops" : "Swift's global executor")",
                    ])
            })
    }

    /// The kiosk's router, and the table of its routes (what `/openapi.json` must describe).
    public static func router(
        kiosk: Kiosk, configuration: KioskConfiguration, demo: Bool, readiness: Readiness? = nil,
        gpioState: GPIOState? = nil, syncStatus: SyncStatus? = nil, tokens: SlotTokens = .random(),
        metrics: KioskMetrics? = nil, clock: any WallClock = MonotonicWallClock()
    ) -> (Router<KioskRequestContext>, RouteTable) {
        let streams = StreamLimiter(perClient: configuration.maxStreamsPerClient, total: configuration.maxStreams)
        var door = DoorRoutes<KioskRequestContext>(backend: kiosk, language: configuration.language, demo: demo)
        door.streams = streams
        door.tokens = tokens
        door.maxStreamDuration = configuration.maxStreamSeconds.map { .seconds($0) }
        door.now = { clock.now() }
        door.onAcknowledgementSent = { seconds in
            metrics?.pressToScreen(seconds: seconds)
        }
        door.health = {
            await Health.report(kiosk: kiosk, clock: clock, readiness: readiness, gpio: gpioState, sync: syncStatus)
        }
        var staff = StaffRoutes<KioskRequestContext>(
            backend: StaffService(
                kiosk: kiosk, configuration: configuration,
                heartbeats: configuration.schedulePath.map {
                    Heartbeats(schedulePath: $0, isFolder: ScheduleReader.isFolder($0))
                }, clock: clock),
            auth: configuration.auth, checker: CryptSecretChecker(), language: configuration.language,
            streams: streams, amberSeconds: configuration.teacherAmberSeconds,
            redSeconds: configuration.teacherRedSeconds,
            undoSeconds: configuration.rules.undoWindow.map { Int($0) } ?? StaffAssets.defaultUndoSeconds
        )
        staff.maxStreamDuration = configuration.maxStreamSeconds.map { .seconds($0) }
        staff.now = { clock.now() }
        return kioskRouter(
            context: KioskRequestContext.self,
            limiter: RateLimiter(rate: configuration.requestRate, burst: configuration.requestBurst)
        ) { router in
            door.add(to: router)
            staff.add(to: router)
            router.get("/metrics") { _, _ -> RawBody in
                metrics?.streams(streams.open)
                return RawBody(metrics?.exposition() ?? "", type: "text/plain; version=0.0.4; charset=utf-8")
            }
            OpenAPIDocument.add(to: router, demo: demo)
        }
    }

    /// Runs the kiosk until SIGTERM or SIGINT. `configPath`: the file to read again on SIGHUP.
    public func run(readKeyboard: Bool, configPath: String? = nil) async throws {
        // Trap SIGHUP before anything else, so a reload never kills the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let notifier = SystemdNotifier()
        let readiness = Readiness(needs: configuration.schedulePath == nil ? [.http] : [.http, .schedule])
        let board = SimulatedBoard()
        let light = CompositeLight()
        var sync: StateSync?
        let syncStatus = SyncStatus()
        if let path = configuration.schedulePath, !demo {
            let journal: StateJournal
            do {
                journal = try StateJournal(directory: configuration.stateDirectory)
            } catch {
                throw KioskConfiguration.Invalid(description: "\(error)")
            }
            if journal.skippedLines > 0 {
                logger.warning(
                    "journal lines that could not be read were skipped", metadata: ["lines": "\(journal.skippedLines)"])
            }
            sync = StateSync(
                writer: ScheduleFileWriter(path: path, reader: configuration.scheduleReader()),
                journal: journal, kiosk: configuration.kioskName, time: SchoolTime(timeZone: configuration.timeZone))
        }
        // The kiosk's collaborators, built once here and handed to each service that needs them
        // (nobody reaches them through the kiosk): the one clock (`self.clock`), the metrics, the write-back's alarm,
        // and what the watcher last read of the share.
        let metrics = KioskMetrics(room: configuration.room)
        let wake = Alarm()
        let share = ShareView()
        // The one regular wake-up of an idle kiosk: the share's glances and the clock's look, every poll.
        let pulse = Pulse(interval: .milliseconds(Int64(configuration.pollSeconds * 1000)))
        let kiosk = Kiosk(
            engine: engine, clock: clock, options: configuration.door, light: light,
            clockTrust: ClockTrust(requireSync: configuration.requireClockSync), logger: logger, sync: sync,
            metrics: metrics, wake: wake, pulse: pulse)
        let gpioState = configuration.gpio == nil ? nil : GPIOState()
        var services: [any Service] = [
            Self.application(
                kiosk: kiosk, configuration: configuration, demo: demo, logger: logger, readiness: readiness,
                gpioState: gpioState, syncStatus: sync == nil ? nil : syncStatus,
                tokens: demo
                    ? .random()
                    : SchoolSecret.tokens(
                        schedulePath: configuration.schedulePath,
                        isFolder: configuration.schedulePath.map(ScheduleReader.isFolder) ?? false, logger: logger),
                metrics: metrics, clock: clock)
        ]
        let heartbeats = configuration.schedulePath.map {
            Heartbeats(schedulePath: $0, isFolder: ScheduleReader.isFolder($0))
        }
        if let path = configuration.schedulePath {
            var watcher = ScheduleWatcher(
                path: path, room: configuration.room, reader: configuration.scheduleReader(),
                kiosk: kiosk, clock: clock,
                interval: .milliseconds(Int64(configuration.pollSeconds * 1000)), logger: logger,
                readiness: readiness, share: share, sync: sync, wake: wake, pulse: pulse)
            watcher.quietBeat = .milliseconds(Int64(configuration.quietSeconds * 1000))
            services.append(watcher)
        }
        if let sync, let path = configuration.schedulePath {
            services.append(
                ScheduleSyncService(
                    sync: sync, clock: clock, metrics: metrics, share: share, room: configuration.room,
                    logger: logger, status: syncStatus, wake: wake, heartbeats: heartbeats, pulse: pulse,
                    writesFile: !ScheduleReader.isFolder(path) && !path.lowercased().hasSuffix(".ics")))
        }
        if let heartbeats, !demo {
            services.append(
                HeartbeatService(
                    heartbeats: heartbeats, kiosk: kiosk, clock: clock,
                    name: configuration.kioskName, room: configuration.room, syncStatus: sync == nil ? nil : syncStatus,
                    logger: logger, pulse: pulse))
        }
        if let gpio = configuration.gpio {
            services.append(
                GPIOBoard(
                    config: gpio, kiosk: kiosk, light: light, logger: logger, metrics: metrics, state: gpioState))
        } else {
            if !demo {
                logger.warning(
                    "no gpio section in the configuration: the button and the light are simulated (check-in by the touch screen only)"
                )
            }
            await light.attach(board)
            services.append(TerminalBoard(board: board, kiosk: kiosk, readKeyboard: readKeyboard))
        }
        services.append(SystemdService(notifier: notifier, kiosk: kiosk, readiness: readiness, logger: logger))
        if let configPath {
            services.append(
                ReloadService(
                    path: configPath, kiosk: kiosk, notifier: notifier, logger: logger, running: configuration,
                    signals: hangups))
        }
        // Shut down in reverse order: the kiosk first (ending the SSE streams), the web server last.
        services.append(kiosk)
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        pulse.start()
        defer { pulse.stop() }
        try await group.run()
    }
}
