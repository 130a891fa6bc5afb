import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle
import UnixSignals

/// `systemctl reload samtale` (SIGHUP): reads the configuration file again and applies what can
/// change while the kiosk runs — the door's options (room name, teachers shown, identification)
/// and the rules — keeping every check-in and session. Keys that need a restart (the room, the
/// schedule file, the HTTP address, the GPIO lines, the language) are named in the log. A file
/// that no longer reads leaves the running configuration as it is.
struct ReloadService: Service {
    let path: String
    let kiosk: Kiosk
    let notifier: SystemdNotifier
    let logger: Logger
    let running: KioskConfiguration
    /// Set up before the service group runs, so that a SIGHUP never kills the process.
    let signals: UnixSignalsSequence

    func run() async throws {
        var active = running
        for await _ in signals.cancelOnGracefulShutdown() {
            await notifier.send(["RELOADING": "1", "MONOTONIC_USEC": "\(SystemdNotifier.monotonicMicroseconds())"])
            do {
                let new = try await KioskConfiguration.load(path: path)
                let later = active.keysNeedingRestart(new)
                await kiosk.reconfigure(options: new.door, rules: new.rules)
                active.door = new.door
                active.rules = new.rules
                var meta: Logger.Metadata = ["file": "\(path)"]
                if !later.isEmpty { meta["needs restart"] = "\(later.joined(separator: ", "))" }
                logger.notice("configuration reloaded", metadata: meta)
            } catch {
                logger.error(
                    "configuration not reloaded: the running one stays",
                    metadata: ["file": "\(path)", "why": "\(error)"])
            }
            await notifier.send(["READY": "1", "STATUS": (await kiosk.door()).summary(kiosk.schoolTime)])
        }
    }
}

extension KioskConfiguration {
    /// The keys whose new values take effect only at the next start.
    func keysNeedingRestart(_ new: KioskConfiguration) -> [String] {
        var keys: [String] = []
        if new.room != room { keys.append("kiosk.room") }
        if new.kioskName != kioskName { keys.append("kiosk.name") }
        if new.language != language { keys.append("kiosk.language") }
        if new.schedulePath != schedulePath { keys.append("schedule.path") }
        if new.pollSeconds != pollSeconds { keys.append("schedule.pollSeconds") }
        if new.quietSeconds != quietSeconds { keys.append("schedule.quietSeconds") }
        if new.dateOrder != dateOrder { keys.append("schedule.dateOrder") }
        if new.stateDirectory != stateDirectory { keys.append("state.directory") }
        if new.timeZone != timeZone { keys.append("school.timeZone") }
        if new.host != host || new.port != port { keys.append("http") }
        if new.requireClockSync != requireClockSync { keys.append("clock.requireSync") }
        if new.gpio != gpio { keys.append("gpio") }
        return keys
    }
}
