import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle
import Synchronization

/// Writes this kiosk's heartbeat every 30 seconds and whenever the light changes. On a pulse the
/// regular beat is written on the pulse's thread, at the beat it falls on (no timer, no hop to
/// the thread pool of its own: the pulse's thread is the one that waits on the share anyway);
/// a change of the light is written at once from here.
struct HeartbeatService: Service {
    let heartbeats: Heartbeats
    let kiosk: Kiosk
    /// The kiosk's clock (when each heartbeat was written).
    let clock: any WallClock
    let name: String
    let room: String
    let syncStatus: SyncStatus?
    let logger: Logger
    var pulse: Pulse?
    /// How often the heartbeat is rewritten with nothing changed (the tests shorten it).
    var interval: Duration = .seconds(30)

    func run() async throws {
        // The door as the kiosk last showed it (nil until its first view), and whether its
        // stream has ended (the kiosk stops first).
        let seen = Seen()
        let changed = Alarm()
        let writer = Writer(service: self)
        if let pulse {
            pulse.add(every: interval) {
                if let view = seen.state.withLock({ $0.ended ? nil : $0.view }) { writer.beat(view, due: true) }
            }
        }
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await view in await kiosk.serviceUpdates().cancelOnGracefulShutdown() {
                    guard let view else { continue }
                    if seen.state.withLock({ s in
                        defer { s.view = view }
                        return s.view?.light != view.light
                    }) {
                        changed.ring()
                    }
                }
                seen.state.withLock { $0.ended = true }
                changed.ring()
            }
            // At once when the light changes; every `interval` by a timer of its own only without
            // a pulse (the kiosk pings only while a page listens).
            while true {
                let (view, ended) = seen.state.withLock { ($0.view, $0.ended) }
                if ended { break }
                if let view, writer.needsBeat(view, timed: pulse == nil) {
                    let writer = writer
                    await BlockingIO.run { writer.beat(view, due: false) }
                }
                await changed.sleep(for: pulse == nil ? writer.untilDue() : .seconds(86_400))
            }
        }
        // The kiosk's stream ends when it stops (it stops first): wait for our own turn.
        try? await gracefulShutdown()
    }

    /// The door as the kiosk last showed it (its light, faults and the clock's trust: every change
    /// of them is sent), and whether its stream has ended.
    final class Seen: Sendable {
        let state = Mutex<(view: DoorView?, ended: Bool)>((nil, false))
    }

    /// Writes the heartbeats, from the pulse's thread or the thread pool (blocking I/O), one at a
    /// time; remembers the last one's light and time, and whether writing fails.
    final class Writer: Sendable {
        private struct State {
            var beaten: LightState?
            var last: ContinuousClock.Instant?
            var failing = false
        }
        private let state = Mutex(State())
        /// Held while a heartbeat is written (the pulse's and a light change's never overlap).
        private let writing = Mutex(())
        let service: HeartbeatService

        init(service: HeartbeatService) { self.service = service }

        /// Whether `view` needs a heartbeat now: its light changed (or none was written yet), or,
        /// `timed`, the last is `interval` old.
        func needsBeat(_ view: DoorView, timed: Bool) -> Bool {
            state.withLock { s in
                guard let last = s.last else { return true }
                return view.light != s.beaten || (timed && ContinuousClock.now - last >= service.interval)
            }
        }

        /// How long until the next timed heartbeat is due (at least 1 ms).
        func untilDue() -> Duration {
            state.withLock { s in
                guard let last = s.last else { return .milliseconds(1) }
                return max(.milliseconds(1), service.interval - (ContinuousClock.now - last))
            }
        }

        /// Writes the heartbeat of `view` (the kiosk's last, not worked out anew: a view of a room's
        /// day costs in proportion to its bookings). `due`: the pulse's regular beat, skipped when
        /// a light change wrote one less than half an interval ago.
        func beat(_ view: DoorView, due: Bool) {
            writing.withLock { _ in
                if due,
                    let last = state.withLock({ $0.last }), ContinuousClock.now - last < service.interval / 2
                {
                    return
                }
                let health = KioskHealth(
                    kiosk: service.name, room: service.room, at: service.clock.now(), light: view.light,
                    faults: view.faults, clockTrusted: view.clockTrusted, lastWrite: service.syncStatus?.lastWrite,
                    backlog: service.syncStatus?.backlog ?? 0, version: nil)
                let failure: String?
                do {
                    try service.heartbeats.write(health)
                    failure = nil
                } catch { failure = "\(error)" }
                let wasFailing = state.withLock { s in
                    defer {
                        s.failing = failure != nil
                        s.beaten = view.light
                        s.last = .now
                    }
                    return s.failing
                }
                let folder = service.heartbeats.folder
                if let failure {
                    if !wasFailing {
                        service.logger.warning(
                            "cannot write the heartbeat on the share",
                            metadata: ["folder": "\(folder)", "why": "\(failure)"])
                    }
                } else if wasFailing {
                    service.logger.notice("heartbeat written again", metadata: ["folder": "\(folder)"])
                }
            }
        }
    }
}
