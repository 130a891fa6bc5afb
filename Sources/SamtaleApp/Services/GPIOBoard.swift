import Foundation
import Logging
import SamtaleCore
import SamtaleHardware
import SamtaleWeb
import ServiceLifecycle
import Synchronization

/// The real board: the check-in button and the light on GPIO lines through libgpiod, plus the
/// optional teacher button and teacher lamp. When a line cannot be had (missing, busy, no
/// permission) the kiosk shows a hardware fault with the reason, and it tries again every few
/// seconds, so a line freed later is picked up without a restart.
struct GPIOBoard: Service {
    let config: GPIOConfiguration
    let kiosk: Kiosk
    let light: CompositeLight
    let logger: Logger
    /// Press-to-light latency, when metrics are kept.
    let metrics: KioskMetrics?
    /// Whether the lines are held, for /healthz.
    var state: GPIOState?
    var retry: Duration = .seconds(5)

    struct Hardware {
        var button: GPIOButton
        var light: GPIOLight
        var teacherButton: GPIOButton?
        var teacherLamp: GPIOLight?

        func close() {
            button.close()
            teacherButton?.close()
            light.close()
            teacherLamp?.close()
        }
    }

    /// Acquires every configured line, or none (a partial set is released again).
    static func acquire(_ config: GPIOConfiguration, metrics: KioskMetrics? = nil) throws -> Hardware {
        let chip = try GPIOChip.open(config.chip)
        func button(_ w: GPIOConfiguration.ButtonWiring, _ role: String, flash: GPIOLight? = nil) throws -> GPIOButton {
            let line = try chip.input(
                w.line, consumer: "\(config.consumer)-\(role)", bias: w.bias, activeLow: w.activeLow)
            var onPress: (@Sendable (UInt64) -> Void)?
            if let flash {
                onPress = { edge in
                    flash.flash(edge: edge)
                    // The kernel stamps edges on CLOCK_MONOTONIC: press to light, as it was.
                    let now = monotonicNanoseconds()
                    if now >= edge, now - edge < 10_000_000_000 {
                        metrics?.pressToLight(nanoseconds: now - edge)
                    }
                }
            }
            return GPIOButton(
                line: line, bounce: .milliseconds(w.bounceMilliseconds), hold: .milliseconds(w.holdMilliseconds),
                realtimePriority: flash == nil ? 0 : Int32(config.realtimePriority),
                followInterrupt: flash != nil && config.followInterrupt, onPress: onPress)
        }
        func light(
            _ w: GPIOConfiguration.LightWiring, _ role: String, log: String?, patterns: [LightState: LightPattern] = [:]
        ) throws -> GPIOLight {
            // One request for all of the light's lines: a change sets them together.
            let wiring = w.lines.sorted { $0.key.rawValue < $1.key.rawValue }
            let lines = try chip.outputs(
                wiring.map(\.value), consumer: "\(config.consumer)-\(role)", activeLow: w.activeLow)
            return GPIOLight(
                kind: w.kind, channels: wiring.map(\.key), lines: lines,
                patterns: w.patterns.merging(patterns) { a, _ in a }, latencyLog: log)
        }
        // The light first, so that the button can flash it at the very edge of a press.
        let l = try light(config.light, "light", log: config.latencyLog)
        do {
            let b = try button(config.button, "button", flash: l)
            do {
                let tb = try config.teacherButton.map { try button($0, "teacher-button") }
                let tl = try config.teacherLight.map {
                    try light($0, "teacher-light", log: nil, patterns: Self.teacherPatterns)
                }
                return Hardware(button: b, light: l, teacherButton: tb, teacherLamp: tl)
            } catch {
                b.close()
                throw error
            }
        } catch {
            l.close()
            throw error
        }
    }

    /// The teacher lamp's cues, in the vocabulary of a single lamp's states.
    static let teacherPatterns: [LightState: LightPattern] = [
        .free: .off, .inSession: LightPattern([.lamp]), .endingSoon: LightPattern([.lamp], .blink),
        .overrun: LightPattern([.lamp], .blinkFast),
    ]

    static func teacherState(_ cue: TeacherCue) -> LightState {
        switch cue {
        case .none: .free
        case .fiveMinutes: .inSession
        case .oneMinute: .endingSoon
        case .overrun: .overrun
        }
    }

    func run() async throws {
        var lastError: String?
        while !Task.isCancelledOrShuttingDown {
            let hardware: Hardware
            do {
                hardware = try Self.acquire(config, metrics: metrics)
            } catch {
                let message = (error as? GPIOError)?.description ?? "\(error)"
                state?.set(acquired: false, problem: message)
                if message != lastError { logger.error("GPIO not available", metadata: ["why": "\(message)"]) }
                lastError = message
                await kiosk.handle(.fault(.hardware, message))
                try? await cancelWhenGracefulShutdown { try await LoopSleep.sleep(for: retry) }
                continue
            }
            logger.notice(
                "GPIO acquired",
                metadata: [
                    "chip": "\(config.chip)", "libgpiod": "\(GPIOChip.apiVersion)", "button": "\(config.button.line)",
                    "buttonThread": "\(hardware.button.scheduling)",
                ])
            state?.set(acquired: true, problem: nil)
            await kiosk.handle(.fault(.hardware, nil))
            await light.attach(hardware.light)
            await serve(hardware)
            hardware.close()
            logger.info("GPIO lines released")
            return
        }
    }

    private func serve(_ hw: Hardware) async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await event in hw.button.events {
                    if case .pressed(let edge) = event { _ = await kiosk.press(.button, edge: edge, flashed: true) }
                }
            }
            if let tb = hw.teacherButton {
                group.addTask {
                    var pending = false
                    for await event in tb.events {
                        switch event {
                        case .pressed: pending = true
                        case .held:
                            pending = false
                            await kiosk.handle(.extend(minutes: 5))
                        case .released:
                            guard pending else { continue }
                            pending = false
                            await kiosk.teacherPress()
                        }
                    }
                }
            }
            if let lamp = hw.teacherLamp {
                group.addTask {
                    for await view in await kiosk.serviceUpdates() {
                        if let view { await lamp.show(Self.teacherState(view.teacherCue)) }
                    }
                }
            }
            try? await gracefulShutdown()
            hw.button.close()
            hw.teacherButton?.close()
            group.cancelAll()
        }
    }
}
