import Configuration
import SamtaleCore
import SamtaleHardware

/// How the button and lights are wired: the `gpio` section of the configuration (see
/// `Board/` for the Raspberry Pi 4, Raspberry Pi 5 and generic profiles).
public struct GPIOConfiguration: Sendable, Hashable {
    public struct ButtonWiring: Sendable, Hashable {
        public var line: String
        public var activeLow = true
        public var bias = GPIOBias.pullUp
        public var bounceMilliseconds = 30
        public var holdMilliseconds = 2000
    }
    public struct LightWiring: Sendable, Hashable {
        public var kind = LightKind.tower
        public var activeLow = false
        public var lines: [LightChannel: String] = [:]
        public var patterns: [LightState: LightPattern] = [:]
    }

    /// The chip's label (`pinctrl-bcm2711`, `pinctrl-rp1`), name or path.
    public var chip: String
    public var consumer = "samtale"
    public var button: ButtonWiring
    public var teacherButton: ButtonWiring?
    public var light: LightWiring
    /// A teacher-facing lamp inside the room (on at 5 minutes left, blinking the last minute).
    public var teacherLight: LightWiring?
    /// Where to log press-to-light timings (`edge <ns> set <ns>`), for the benchmark.
    public var latencyLog: String?
    /// The check-in button's thread asks for `SCHED_FIFO` at this priority (0: normal
    /// scheduling), so a press sets the light ahead of whatever else the kiosk is doing.
    public var realtimePriority = 10
    /// The check-in button's thread runs on the CPU of the kernel thread that handles its line's
    /// interrupt (and follows it), so that a press wakes it without crossing CPUs.
    public var followInterrupt = true

    static func from(_ config: ConfigReader, source: String, locate: (String) -> ConfigJSON.Position? = { _ in nil })
        throws
        -> GPIOConfiguration?
    {
        guard let chip = config.string(forKey: "gpio.chip") else { return nil }
        func bad(_ key: String, _ why: String) -> KioskConfiguration.Invalid {
            .init(source: source, key: key, position: locate(key), message: why)
        }
        func button(_ prefix: String) throws -> ButtonWiring? {
            guard let line = config.string(forKey: ConfigKey("\(prefix).line")) else { return nil }
            var b = ButtonWiring(line: line)
            b.activeLow = config.bool(forKey: ConfigKey("\(prefix).activeLow"), default: true)
            let bias = config.string(forKey: ConfigKey("\(prefix).bias"), default: "pull-up")
            guard let parsed = GPIOBias(rawValue: bias) else {
                throw bad("\(prefix).bias", "\"\(bias)\" is not one of pull-up, pull-down, disabled, as-is")
            }
            b.bias = parsed
            b.bounceMilliseconds = config.int(forKey: ConfigKey("\(prefix).bounceMs"), default: 30)
            b.holdMilliseconds = config.int(forKey: ConfigKey("\(prefix).holdMs"), default: 2000)
            guard (0...1000).contains(b.bounceMilliseconds) else {
                throw bad("\(prefix).bounceMs", "\(b.bounceMilliseconds) is outside 0…1000 ms")
            }
            return b
        }
        func light(_ prefix: String, defaultKind: LightKind) throws -> LightWiring? {
            var w = LightWiring()
            let kind = config.string(forKey: ConfigKey("\(prefix).kind"), default: defaultKind.rawValue)
            guard let k = LightKind(rawValue: kind) else {
                throw bad("\(prefix).kind", "\"\(kind)\" is not one of single, tower, rgb")
            }
            w.kind = k
            w.activeLow = config.bool(forKey: ConfigKey("\(prefix).activeLow"), default: false)
            if let single = config.string(forKey: ConfigKey("\(prefix).line")) { w.lines[.lamp] = single }
            for channel in k.channels {
                if let line = config.string(forKey: ConfigKey("\(prefix).lines.\(channel.rawValue)")) {
                    w.lines[channel] = line
                }
            }
            guard !w.lines.isEmpty else { return nil }
            let missing = k.channels.filter { w.lines[$0] == nil }
            if !missing.isEmpty {
                throw bad(
                    "\(prefix).lines",
                    "a \(k.rawValue) light needs lines for \(missing.map(\.rawValue).joined(separator: ", "))")
            }
            for state in LightState.allCases {
                guard let text = config.string(forKey: ConfigKey("\(prefix).patterns.\(state.rawValue)")) else {
                    continue
                }
                guard let p = LightPattern(parsing: text) else {
                    throw bad(
                        "\(prefix).patterns.\(state.rawValue)",
                        "\"\(text)\" is not a pattern like green, red+amber, red:blink, amber:blink-fast, lamp:pulse, off"
                    )
                }
                w.patterns[state] = p
            }
            return w
        }
        guard let b = try button("gpio.button") else {
            throw bad("gpio.button.line", "required with gpio.chip: the check-in button's line (e.g. GPIO17)")
        }
        guard let l = try light("gpio.light", defaultKind: .tower) else {
            throw bad("gpio.light.lines", "required with gpio.chip: the light's lines")
        }
        var g = GPIOConfiguration(chip: chip, button: b, light: l)
        g.consumer = config.string(forKey: "gpio.consumer", default: "samtale")
        g.teacherButton = try button("gpio.teacherButton")
        g.teacherLight = try light("gpio.teacherLight", defaultKind: .single)
        g.latencyLog = config.string(forKey: "gpio.latencyLog")
        g.realtimePriority = config.int(forKey: "gpio.realtimePriority", default: 10)
        guard (0...99).contains(g.realtimePriority) else {
            throw bad("gpio.realtimePriority", "\(g.realtimePriority) is outside 0…99 (0: normal scheduling)")
        }
        g.followInterrupt = config.bool(forKey: "gpio.followInterrupt", default: true)
        return g
    }
}
