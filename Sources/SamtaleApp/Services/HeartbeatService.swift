import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle

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
        var lastLight: LightState?
        var lastBeat = ContinuousClock.now - Self.interval
        for await view in await kiosk.updates().cancelOnGracefulShutdown() {
            guard let view else {
                if ContinuousClock.now - lastBeat < Self.interval { continue }
                await beat(lastLight ?? .free, &failing)
                lastBeat = .now
                continue
            }
            // Pings come every 15 s; a beat at most every 30 s unless the light changed.
            if view.light == lastLight && ContinuousClock.now - lastBeat < Self.interval { continue }
            lastLight = view.light
            await beat(view.light, &failing)
            lastBeat = .now
        }
        // The kiosk's stream ends when it stops (it stops first): wait for our own turn.
        try? await gracefulShutdown()
    }

    private func beat(_ light: LightState, _ failing: inout Bool) async {
        let view = await kiosk.door()
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
