import Foundation
import SamtaleCore
import SamtaleSchedule

/// `/healthz`: ready or not, and why — the schedule loaded, the GPIO lines held, the clock
/// synchronised, the web server up. Public: it names no person, and no message that could.
enum Health {
    struct Report: Codable {
        var ready: Bool
        var scheduleLoaded: Bool
        var gpioAcquired: Bool?
        var clockTrusted: Bool
        var faults: [String]
        var reasons: [String]
    }

    static func report(
        kiosk: Kiosk, clock: any WallClock, readiness: Readiness?, gpio: GPIOState?, sync: SyncStatus? = nil
    ) async -> (ready: Bool, json: Data) {
        let view = await kiosk.door()
        var reasons: [String] = []
        let scheduleLoaded = view.scheduleReadAt != nil
        if !scheduleLoaded { reasons.append("the schedule file has not been read") }
        if view.faults.contains("schedule") { reasons.append("the schedule file cannot be used now") }
        if let gpio, !gpio.acquired { reasons.append("the GPIO lines are not held") }
        if !view.clockTrusted { reasons.append("the clock is not synchronised") }
        if let readiness, !readiness.isReady { reasons.append("starting") }
        let ready = reasons.isEmpty
        // Worth a look, though the door works: these do not make the kiosk unready.
        if let sync {
            for twin in sync.twins {
                reasons.append("another kiosk, \(twin), serves this room too (they share one state)")
            }
            let now = clock.now()
            if let lock = sync.lock, lock.isStale(at: now) {
                reasons.append(
                    "the schedule file has been \(lock.describe(at: now, time: kiosk.schoolTime.timeString)); it may be left over from a crashed spreadsheet"
                )
            }
        }
        let report = Report(
            ready: ready, scheduleLoaded: scheduleLoaded, gpioAcquired: gpio?.acquired,
            clockTrusted: view.clockTrusted, faults: view.faults, reasons: reasons)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (report.ready, (try? encoder.encode(report)) ?? Data("{}".utf8))
    }
}
