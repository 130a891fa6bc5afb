import SamtaleCore
import SamtaleSchedule
import SamtaleWeb

/// What `samtale setup` decides, without touching the machine: the board from its device-tree
/// model, the defaults that follow from the answers, and the configuration written from a board
/// profile (or an existing configuration) with the answers filled in. Pure.
public enum SetupPlan {
    public enum Board: Sendable, Hashable {
        case raspberryPi4, raspberryPi5
        case unknown

        /// `/proc/device-tree/model`'s text (NUL-terminated): "Raspberry Pi 5 Model B Rev 1.0",
        /// "Raspberry Pi 4 Model B Rev 1.5", "Raspberry Pi 400 Rev 1.0", "Raspberry Pi Compute Module 4 …".
        public init(deviceTreeModel: String?) {
            let m = (deviceTreeModel ?? "").lowercased()
            if m.hasPrefix("raspberry pi 5") || m.hasPrefix("raspberry pi compute module 5")
                || m.hasPrefix("raspberry pi 500")
            {
                self = .raspberryPi5
            } else if m.hasPrefix("raspberry pi 4") || m.hasPrefix("raspberry pi compute module 4")
                || m.hasPrefix("raspberry pi 400")
            {
                self = .raspberryPi4
            } else {
                self = .unknown
            }
        }

        /// The board profile (`Board/profiles/NAME.json`) for it.
        public var profile: String {
            switch self {
            case .raspberryPi4: "raspberry-pi-4"
            case .raspberryPi5: "raspberry-pi-5"
            case .unknown: "generic"
            }
        }
    }

    public static let profiles = ["raspberry-pi-4", "raspberry-pi-5", "generic"]

    /// The model text without its trailing NUL and spaces.
    public static func cleanModel(_ raw: String) -> String {
        String(raw.unicodeScalars.filter { $0 != "\0" }).trimmingSpaces
    }

    /// `rom204` for room 204, `roma104` for A104: lower case letters, digits and dashes.
    public static func kioskName(room: String) -> String {
        let kept = room.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        return "rom" + String(String.UnicodeScalarView(kept))
    }

    /// The school's time zone when none is given: Norway's for nb, Denmark's for da; for en the
    /// machine's own (an English-language school can be anywhere).
    public static func timeZone(language: Language, system: String) -> String {
        switch language {
        case .nb: "Europe/Oslo"
        case .da: "Europe/Copenhagen"
        case .en: system
        }
    }

    /// The answers given (options or prompts); nil: not given, keep what the file has.
    public struct Answers: Sendable, Hashable {
        public var room: String?
        public var roomName: String?
        public var language: Language?
        public var schedule: String?
        public var kioskName: String?
        public var timeZone: String?
        public var chip: String?
        public var buttonLine: String?
        public var teacherButtonLine: String?
        /// A single lamp's line.
        public var lightLine: String?
        /// A red–amber–green tower's lines.
        public var redLine: String?
        public var amberLine: String?
        public var greenLine: String?
        public var teacherLightLine: String?
        /// No GPIO: check-in by the touch screen only.
        public var noGPIO = false
        public init() {}
    }

    public struct Outcome: Sendable {
        public var document: ConfigJSON
        /// What was decided on the way, in plain words (a dropped gpio section, say).
        public var notes: [String]
        /// Keys still missing or holding a placeholder; the setup cannot write such a file.
        public var missing: [String]
    }

    /// The configuration: `base` (a board profile, or the configuration already there) with the
    /// answers filled in. Defaults follow from the answers (the kiosk's name from the room, the
    /// time zone from the language) only where the answer was given or the base has none.
    public static func configuration(base: ConfigJSON, answers a: Answers, systemTimeZone: String) -> Outcome {
        var d = base
        var notes: [String] = []
        func text(_ path: [String]) -> String? {
            if case .string(let s)? = d.node(at: path)?.value { return s }
            return nil
        }
        let oldRoom = text(["kiosk", "room"])
        let oldLanguage = text(["kiosk", "language"])
        if let room = a.room, room != oldRoom {
            d.set(["kiosk", "room"], .string(room))
            // The old room's name and kiosk name belong to the old room (the profile's example).
            d.remove(["kiosk", "roomName"])
            d.set(["kiosk", "name"], .string(kioskName(room: room)))
        }
        if let name = a.kioskName { d.set(["kiosk", "name"], .string(name)) }
        if let roomName = a.roomName { d.set(["kiosk", "roomName"], .string(roomName)) }
        if let language = a.language, language.rawValue != oldLanguage || text(["school", "timeZone"]) == nil {
            d.set(["kiosk", "language"], .string(language.rawValue))
            d.set(["school", "timeZone"], .string(timeZone(language: language, system: systemTimeZone)))
        }
        if let tz = a.timeZone { d.set(["school", "timeZone"], .string(tz)) }
        if let schedule = a.schedule { d.set(["schedule", "path"], .string(schedule)) }

        // The wiring.
        if a.noGPIO {
            d.remove(["gpio"])
        } else {
            if let chip = a.chip { d.set(["gpio", "chip"], .string(chip)) }
            if let line = a.buttonLine { d.set(["gpio", "button", "line"], .string(line)) }
            if let line = a.teacherButtonLine { d.set(["gpio", "teacherButton", "line"], .string(line)) }
            if a.redLine != nil || a.amberLine != nil || a.greenLine != nil {
                let old = d.node(at: ["gpio", "light", "lines"])
                var lines: [ConfigJSON.Member] = []
                for (color, given) in [("red", a.redLine), ("amber", a.amberLine), ("green", a.greenLine)] {
                    let kept: String? = {
                        if case .object(let m)? = old?.value, let v = m.first(where: { $0.key == color }),
                            case .string(let s) = v.node.value
                        {
                            return s
                        }
                        return nil
                    }()
                    if let v = given ?? kept {
                        lines.append(.init(key: color, keyPosition: .init(line: 0, column: 0), node: .init(.string(v))))
                    }
                }
                if text(["gpio", "light", "kind"]) != "tower" { d.remove(["gpio", "light", "patterns"]) }
                d.set(["gpio", "light", "kind"], .string("tower"))
                d.remove(["gpio", "light", "line"])
                d.set(["gpio", "light", "lines"], .object(lines))
            } else if let line = a.lightLine {
                if text(["gpio", "light", "kind"]) != "single" { d.remove(["gpio", "light", "patterns"]) }
                d.set(["gpio", "light", "kind"], .string("single"))
                d.remove(["gpio", "light", "lines"])
                d.set(["gpio", "light", "line"], .string(line))
            }
            if let line = a.teacherLightLine {
                d.set(["gpio", "teacherLight", "kind"], .string("single"))
                d.remove(["gpio", "teacherLight", "lines"])
                d.set(["gpio", "teacherLight", "line"], .string(line))
            }
            let placeholders = d.placeholders(under: ["gpio"])
            if !placeholders.isEmpty {
                notes.append(
                    "the profile's GPIO lines are not set (\(placeholders.joined(separator: ", "))): no GPIO for now, check-in by the touch screen only; give --chip and the line options (samtale gpio list names them) and run samtale setup again"
                )
                d.remove(["gpio"])
            }
        }
        var missing = d.placeholders(under: [])
        for path in ConfigSchema.required where text(path)?.isEmpty ?? true {
            missing.append(path.joined(separator: "."))
        }
        return Outcome(document: d, notes: notes, missing: missing)
    }
}

extension ConfigJSON {
    /// Sets the value at a key path, making the objects on the way; a new key goes last.
    public mutating func set(_ path: [String], _ value: Value) {
        root = Self.setting(root, path[...], value)
    }

    static func setting(_ node: Node, _ path: ArraySlice<String>, _ value: Value) -> Node {
        guard let key = path.first else { return Node(value, at: node.position) }
        var members: [Member] = []
        if case .object(let m) = node.value { members = m }
        if let i = members.firstIndex(where: { $0.key == key }) {
            members[i].node = setting(members[i].node, path.dropFirst(), value)
        } else {
            members.append(
                Member(key: key, keyPosition: node.position, node: setting(Node(.object([])), path.dropFirst(), value)))
        }
        return Node(.object(members), at: node.position)
    }

    /// Removes the key at a path (nothing when it is not there).
    public mutating func remove(_ path: [String]) {
        root = Self.removing(root, path[...])
    }

    static func removing(_ node: Node, _ path: ArraySlice<String>) -> Node {
        guard let key = path.first, case .object(var members) = node.value else { return node }
        if path.count == 1 {
            members.removeAll { $0.key == key }
        } else if let i = members.firstIndex(where: { $0.key == key }) {
            members[i].node = removing(members[i].node, path.dropFirst())
        }
        return Node(.object(members), at: node.position)
    }

    /// The key paths under `path` whose text still says CHANGE-ME (a profile's placeholder).
    public func placeholders(under path: [String]) -> [String] {
        guard let start = node(at: path) else { return [] }
        var out: [String] = []
        func walk(_ n: Node, _ p: [String]) {
            switch n.value {
            case .string(let s) where s.hasPrefix("CHANGE-ME"): out.append(p.joined(separator: "."))
            case .object(let members): for m in members { walk(m.node, p + [m.key]) }
            default: break
            }
        }
        walk(start, path)
        return out
    }
}
