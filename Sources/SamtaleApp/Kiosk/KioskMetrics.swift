import Foundation
import Prometheus
import SamtaleCore

/// The kiosk's metrics, for `/metrics` (Prometheus text format, via swift-prometheus). Counts,
/// states and latencies only: no names, no ids.
public final class KioskMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let states: [LightState: Gauge]
    private let checkIns: Counter
    private let sessionsStarted: Counter
    private let sessionsEnded: Counter
    private let overruns: Counter
    private let noShows: Counter
    private let presses: [PressSource: Counter]
    private let scheduleReads: Counter
    private let scheduleReadFailures: Counter
    private let scheduleWrites: Counter
    private let scheduleWriteFailures: Counter
    private let journalBacklog: Gauge
    private let eventStreams: Gauge
    private let pressToLight: DurationHistogram
    private let pressToScreen: DurationHistogram

    public init(room: String) {
        let r = registry
        let labels = [("room", room)]
        func name(_ n: String, _ help: String, unit: String? = nil) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "samtale", metricName: n, unitName: unit ?? "", helpText: help)
        }
        func counter(_ n: String, _ help: String, _ extra: [(String, String)] = []) -> Counter {
            r.makeCounter(descriptor: name(n, help, unit: "total"), labels: labels + extra)
        }
        let stateName = name("room_state", "1 for the room's light state now, 0 for the others")
        states = Dictionary(
            uniqueKeysWithValues: LightState.allCases.map {
                ($0, r.makeGauge(descriptor: stateName, labels: labels + [("state", $0.rawValue)]))
            })
        checkIns = counter("checkins", "Families checked in")
        sessionsStarted = counter("sessions_started", "Conferences started")
        sessionsEnded = counter("sessions_ended", "Conferences ended")
        overruns = counter("overruns", "Conferences that ran past their end")
        noShows = counter("no_shows", "Conferences marked no-show")
        presses = Dictionary(
            uniqueKeysWithValues: [PressSource.button, .touch, .office].map {
                ($0, counter("button_presses", "Check-in presses, by source", [("source", $0.rawValue)]))
            })
        scheduleReads = counter("schedule_reads", "Schedule file reads that could be used")
        scheduleReadFailures = counter("schedule_read_failures", "Schedule file reads that could not be used")
        scheduleWrites = counter("schedule_writes", "State written into the schedule file")
        scheduleWriteFailures = counter("schedule_write_failures", "Attempts to write the schedule file that failed")
        journalBacklog = r.makeGauge(
            descriptor: name("journal_backlog", "Changes recorded but not yet in the schedule file"), labels: labels)
        eventStreams = r.makeGauge(
            descriptor: name("event_streams", "Open event streams (door and teacher pages)"), labels: labels)
        let buckets: [Duration] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1),
        ]
        pressToLight = r.makeDurationHistogram(
            descriptor: name(
                "press_to_light", "From the button's edge (kernel timestamp) to the light set", unit: "seconds"),
            labels: labels, buckets: buckets)
        pressToScreen = r.makeDurationHistogram(
            descriptor: name(
                "press_to_screen", "From a press to its acknowledgement sent to the door pages", unit: "seconds"),
            labels: labels, buckets: buckets)
    }

    /// The Prometheus text exposition.
    public func exposition() -> String { registry.emitToString() }

    func light(_ state: LightState) {
        for (s, g) in states { g.set(s == state ? 1.0 : 0.0) }
    }

    func press(_ source: PressSource) { presses[source]?.increment() }
    func overrun() { overruns.increment() }
    func scheduleRead(ok: Bool) { (ok ? scheduleReads : scheduleReadFailures).increment() }
    func scheduleWrite(ok: Bool) { (ok ? scheduleWrites : scheduleWriteFailures).increment() }
    func backlog(_ n: Int) { journalBacklog.set(Double(n)) }
    func streams(_ n: Int) { eventStreams.set(Double(n)) }
    func pressToLight(nanoseconds: UInt64) { pressToLight.record(.nanoseconds(Int64(nanoseconds))) }
    func pressToScreen(seconds: TimeInterval) { pressToScreen.record(.nanoseconds(Int64(max(0, seconds) * 1e9))) }

    /// Counts what changed between two states of the room's conferences (by id): each check-in,
    /// start, end and no-show once, however many happened between two looks.
    func transitions(from old: [String: ConferenceProgress], to new: [String: ConferenceProgress]) {
        for (id, now) in new {
            let before = old[id] ?? ConferenceProgress()
            if before.checkedIn == nil && now.checkedIn != nil { checkIns.increment() }
            if before.started == nil && now.started != nil { sessionsStarted.increment() }
            if before.ended == nil && now.ended != nil && now.started != nil { sessionsEnded.increment() }
            if before.phase != .noShow && now.phase == .noShow { noShows.increment() }
        }
    }
}
