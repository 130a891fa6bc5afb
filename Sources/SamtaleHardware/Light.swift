import Dispatch
import Foundation
import SamtaleCore
import Synchronization

/// A light on GPIO output lines: a single lamp or relay, a red-amber-green tower, or an RGB LED.
/// Steady patterns set the lines and nothing runs; blinking runs a Dispatch timer only while it
/// blinks. The lines are one request: every change sets them all with one call.
public final class GPIOLight: OccupancyLight, Sendable {
    public let kind: LightKind
    /// The channels in the order of the request's lines.
    private let channels: [LightChannel]
    private let lines: GPIOOutputs
    /// The lines' values for the acknowledgement flash (every channel on), worked out once: the
    /// press's path sets them and does nothing else before.
    private let flashValues: [Bool]
    private let patterns: [LightState: LightPattern]
    private let queue = DispatchQueue(label: "samtale.light")
    private let latencyLog: FileHandle?
    private struct State: @unchecked Sendable {
        var state: LightState?
        var pattern = LightPattern.off
        var timer: (any DispatchSourceTimer)?
        var phaseOn = true
        var flashUntil: DispatchTime?
    }
    private let current = Mutex(State())
    /// How long the acknowledgement flash lasts.
    public static let flash: DispatchTimeInterval = .milliseconds(200)

    /// - Parameter latencyLog: when set, each acknowledgement appends `edge <ns> set <ns>` (the
    ///   press's kernel edge timestamp, and CLOCK_MONOTONIC right after the lines were set).
    public init(
        kind: LightKind, channels: [LightChannel], lines: GPIOOutputs, patterns: [LightState: LightPattern] = [:],
        latencyLog: String? = nil
    ) {
        precondition(channels.count == lines.lines.count, "one channel per line")
        self.kind = kind
        self.channels = channels
        self.lines = lines
        let lit = kind.outputs(for: Set(kind.channels))
        self.flashValues = channels.map { lit.contains($0) }
        var all: [LightState: LightPattern] = [:]
        for s in LightState.allCases { all[s] = patterns[s] ?? kind.defaultPattern(s) }
        self.patterns = all
        if let latencyLog {
            _ = FileManager.default.createFile(atPath: latencyLog, contents: nil)
            self.latencyLog = FileHandle(forWritingAtPath: latencyLog)
        } else {
            self.latencyLog = nil
        }
    }

    public func pattern(for state: LightState) -> LightPattern { patterns[state] ?? .off }

    private func write(_ on: Set<LightChannel>) {
        let outputs = kind.outputs(for: on)
        try? lines.set(channels.map { outputs.contains($0) })
    }

    private func write(values: [Bool]) {
        try? lines.set(values)
    }

    public func show(_ state: LightState) async {
        let pattern = self.pattern(for: state)
        queue.sync {
            let changed = current.withLock { s -> Bool in
                guard s.state != state else { return false }
                s.state = state
                s.pattern = pattern
                return true
            }
            if changed { start(pattern) }
        }
    }

    /// Shows `pattern` (on `queue`): steady at once, blinking on a timer.
    private func start(_ pattern: LightPattern) {
        let flashing = current.withLock { s -> Bool in
            s.timer?.cancel()
            s.timer = nil
            s.phaseOn = true
            if let until = s.flashUntil, until > .now() { return true }
            return false
        }
        if flashing { return }  // the flash restores the pattern when it ends
        write(pattern.channels)
        guard let periods = pattern.rhythm.periods else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(periods.on))
        timer.setEventHandler { [weak self] in self?.toggle() }
        current.withLock { $0.timer = timer }
        timer.activate()
    }

    private func toggle() {
        let (pattern, on, timer) = current.withLock { s -> (LightPattern, Bool, (any DispatchSourceTimer)?) in
            s.phaseOn.toggle()
            return (s.pattern, s.phaseOn, s.timer)
        }
        guard let periods = pattern.rhythm.periods, let timer else { return }
        write(on ? pattern.channels : [])
        timer.schedule(deadline: .now() + .milliseconds(on ? periods.on : periods.off))
    }

    /// A short flash of every channel, at once: the press was seen.
    public func acknowledge(edge: UInt64?) async { flash(edge: edge) }

    /// The flash, from any thread, synchronously (a GPIO button calls it at the press's edge).
    ///
    /// The lines are set first, under nothing but the request's own lock: no hop onto the light's
    /// queue (where a pattern change or a blink may be running), no allocation, before the lamp is
    /// lit. The bookkeeping follows on the queue, which sets the lines again, in case a pattern
    /// change slipped in between.
    public func flash(edge: UInt64?) {
        write(values: flashValues)
        let set = monotonicNanoseconds()
        queue.sync {
            let until = DispatchTime.now() + Self.flash
            current.withLock { s in
                s.timer?.cancel()
                s.timer = nil
                s.flashUntil = until
            }
            write(values: flashValues)
            if let edge, let latencyLog {
                latencyLog.write(Data("edge \(edge) set \(set)\n".utf8))
            }
            queue.asyncAfter(deadline: until) { [weak self] in
                guard let self else { return }
                // A newer press's flash restores the pattern itself when it ends.
                let pattern = current.withLock { s -> LightPattern? in
                    guard s.flashUntil == until else { return nil }
                    s.flashUntil = nil
                    return s.pattern
                }
                if let pattern { start(pattern) }
            }
        }
    }

    /// Turns everything off and releases the lines.
    public func close() {
        queue.sync {
            current.withLock { s in
                s.timer?.cancel()
                s.timer = nil
            }
            write([])
        }
        lines.release()
    }
}
