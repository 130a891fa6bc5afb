import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle
import Synchronization

/// Writes this kiosk's heartbeat every 30 seconds and whenever the light changes.
struct HeartbeatService: Service {
    let heartbeats: Heartbeats
    let kiosk: Kiosk
    /// The kiosk's clock (when each heartbeat was written).
    let clock: any WallClock
    let name: String
    let room: String
    let syncStatus: SyncStatus?
    let logger: Logger
    static let interval: Duration = .seconds(30)

    func run() async throws {
        var failing = false
        var beaten: LightState?
        var lastBeat = ContinuousClock.now - Self.interval
        // The door as the kiosk last showed it (nil until its first view), and whether its
        // stream has ended (the kiosk stops first).
        let seen = Seen()
        let changed = Alarm()
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
            // A beat every `interval`, and at once when the light changes: one timer of its own
            // (the kiosk pings only while a page listens).
            while true {
                let (view, ended) = seen.state.withLock { ($0.view, $0.ended) }
                if ended { break }
                if let view, view.light != beaten || ContinuousClock.now - lastBeat >= Self.interval {
                    await beat(view, &failing)
                    beaten = view.light
                    lastBeat = .now
                }
                await changed.sleep(for: max(.milliseconds(1), Self.interval - (ContinuousClock.now - lastBeat)))
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

    /// Writes the heartbeat of `view` (the kiosk's last, not worked out anew: a view of a room's
    /// day costs in proportion to its bookings).
    private func beat(_ view: DoorView, _ failing: inout Bool) async {
        let health = KioskHealth(
            kiosk: name, room: room, at: clock.now(), light: view.light, faults: view.faults,
            clockTrusted: view.clockTrusted, lastWrite: syncStatus?.lastWrite, backlog: syncStatus?.backlog ?? 0,
            version: nil)
        let heartbeats = heartbeats
        // Off the cooperative pool: a share that hangs must not hold up the door.
        let failure: String? = await BlockingIO.run { () -> String? in
            do {
                try heartbeats.write(health)
                return nil
            } catch { return "\(error)" }
        }
        do {
            if let failure { throw HeartbeatFailure(description: failure) }
            if failing { logger.notice("heartbeat written again", metadata: ["folder": "\(heartbeats.folder)"]) }
            failing = false
        } catch {
            if !failing {
                logger.warning(
                    "cannot write the heartbeat on the share",
                    metadata: ["folder": "\(heartbeats.folder)", "why": "\(error)"])
            }
            failing = true
        }
    }
}
