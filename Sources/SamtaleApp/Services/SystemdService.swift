import Foundation
import Logging
import SamtaleCore
import SamtaleWeb
import ServiceLifecycle
import Synchronization

/// Tells systemd that the kiosk is ready, what it is doing (`STATUS=`, the line `systemctl status`
/// shows), that it is alive (`WATCHDOG=1`, only while the kiosk's actor answers), and that it is
/// stopping. Does nothing when not started by systemd.
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let kiosk: Kiosk
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        await readiness.wait()
        let first = await kiosk.door()
        await notifier.send(["READY": "1", "STATUS": first.summary(kiosk.schoolTime)])
        logger.info(
            "ready (told systemd)", metadata: ["watchdog": "\(notifier.watchdogInterval.map { "\($0)" } ?? "off")"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var last = ""
                for await view in await kiosk.serviceUpdates().cancelOnGracefulShutdown() {
                    guard let view else { continue }
                    let line = view.summary(kiosk.schoolTime)
                    if line != last {
                        await notifier.send(["STATUS": line])
                        last = line
                    }
                }
            }
            if let interval = notifier.watchdogInterval {
                group.addTask {
                    // Ping at half the interval, and only after the kiosk's actor has answered: a
                    // kiosk stuck in an event stops the pings and systemd restarts it.
                    while !Task.isCancelled && !Task.isShuttingDownGracefully {
                        _ = await kiosk.door()
                        await notifier.send(["WATCHDOG": "1"])
                        try? await cancelWhenGracefulShutdown { try await LoopSleep.sleep(for: interval / 2) }
                    }
                }
            }
            await group.waitForAll()
        }
        await notifier.send(["STOPPING": "1", "STATUS": "stopping"])
    }
}
