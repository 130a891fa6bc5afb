import Foundation
import SamtaleCore

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

    static func report(kiosk: Kiosk, readiness: Readiness?, gpio: GPIOState?) async -> (ready: Bool, json: Data) {
        let view = await kiosk.door()
        var reasons: [String] = []
        let scheduleLoaded = view.scheduleReadAt != nil
        if !scheduleLoaded { reasons.append("the schedule file has not been read") }
        if view.faults.contains("schedule") { reasons.append("the schedule file cannot be used now") }
        if let gpio, !gpio.acquired { reasons.append("the GPIO lines are not held") }
        if !view.clockTrusted { reasons.append("the clock is not synchronised") }
        if let readiness, !readiness.isReady { reasons.append("starting") }
        let report = Report(
            ready: reasons.isEmpty, scheduleLoaded: scheduleLoaded, gpioAcquired: gpio?.acquired,
            clockTrusted: view.clockTrusted, faults: view.faults, reasons: reasons)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (report.ready, (try? encoder.encode(report)) ?? Data("{}".utf8))
    }
}
