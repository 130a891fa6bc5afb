import SamtaleCore

/// The coloured channels a light can have.
public enum LightChannel: String, Sendable, Hashable, CaseIterable, Codable {
    case red, amber, green, blue, lamp
}

/// What a light does: which channels are on, steady or blinking.
public struct LightPattern: Sendable, Hashable, CustomStringConvertible {
    public enum Rhythm: String, Sendable, Hashable, CaseIterable {
        /// On all the time.
        case steady
        /// 0.5 s on, 0.5 s off.
        case blink
        /// 0.15 s on, 0.15 s off.
        case blinkFast = "blink-fast"
        /// A short flash every 2 s.
        case pulse

        /// (on, off) in milliseconds, nil when steady.
        public var periods: (on: Int, off: Int)? {
            switch self {
            case .steady: nil
            case .blink: (500, 500)
            case .blinkFast: (150, 150)
            case .pulse: (150, 1850)
            }
        }
    }

    public var channels: Set<LightChannel>
    public var rhythm: Rhythm

    public init(_ channels: Set<LightChannel>, _ rhythm: Rhythm = .steady) {
        self.channels = channels
        self.rhythm = rhythm
    }

    public static let off = LightPattern([])

    /// `off`, `red`, `red+amber`, `red:blink`, `amber:blink-fast`, `lamp:pulse`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = parts.first else { return nil }
        if first == "off" {
            self = .off
            return
        }
        var channels = Set<LightChannel>()
        for name in first.split(separator: "+") {
            guard let c = LightChannel(rawValue: String(name)) else { return nil }
            channels.insert(c)
        }
        let rhythm = parts.count > 1 ? Rhythm(rawValue: parts[1]) : .steady
        guard let rhythm else { return nil }
        self.init(channels, rhythm)
    }

    public var description: String {
        channels.isEmpty
            ? "off"
            : channels.map(\.rawValue).sorted().joined(separator: "+")
                + (rhythm == .steady ? "" : ":\(rhythm.rawValue)")
    }
}

/// The kinds of light a school wires, each with its own default patterns.
public enum LightKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// One lamp (or a relay): on means busy.
    case single
    /// A red-amber-green tower.
    case tower
    /// An RGB LED (amber is red and green together).
    case rgb

    /// The channels this kind has.
    public var channels: [LightChannel] {
        switch self {
        case .single: [.lamp]
        case .tower: [.red, .amber, .green]
        case .rgb: [.red, .green, .blue]
        }
    }

    /// The default pattern for each state; a configuration can change any of them.
    public func defaultPattern(_ state: LightState) -> LightPattern {
        switch (self, state) {
        case (.single, .free), (.single, .closed): .off
        case (.single, .waiting): LightPattern([.lamp], .pulse)
        case (.single, .inSession), (.single, .endingSoon): LightPattern([.lamp])
        case (.single, .overrun): LightPattern([.lamp], .blink)
        case (.single, .fault): LightPattern([.lamp], .blinkFast)
        case (.tower, .free): LightPattern([.green])
        case (.tower, .waiting): LightPattern([.amber])
        case (.tower, .inSession): LightPattern([.red])
        case (.tower, .endingSoon): LightPattern([.red, .amber])
        case (.tower, .overrun): LightPattern([.red], .blink)
        case (.tower, .closed): .off
        case (.tower, .fault): LightPattern([.amber], .blinkFast)
        case (.rgb, .free): LightPattern([.green])
        case (.rgb, .waiting): LightPattern([.red, .green])
        case (.rgb, .inSession): LightPattern([.red])
        case (.rgb, .endingSoon): LightPattern([.red], .pulse)
        case (.rgb, .overrun): LightPattern([.red], .blink)
        case (.rgb, .closed): .off
        case (.rgb, .fault): LightPattern([.blue], .blinkFast)
        }
    }

    /// Maps a pattern's channels onto this kind's channels (amber on an RGB LED is red + green).
    public func outputs(for channels: Set<LightChannel>) -> Set<LightChannel> {
        switch self {
        case .single: channels.isEmpty ? [] : [.lamp]
        case .tower: channels.intersection([.red, .amber, .green])
        case .rgb:
            channels.contains(.amber)
                ? channels.subtracting([.amber]).union([.red, .green]).intersection([.red, .green, .blue])
                : channels.intersection([.red, .green, .blue])
        }
    }
}
