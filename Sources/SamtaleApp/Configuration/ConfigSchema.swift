/// Every key `samtale.json` may hold, with the kind of value it takes: a wrong kind is named
/// with its key path and position (`gpio.button.bounceMs: expected a number, found "30"`)
/// instead of being read as its default without a word. Pure.
///
/// Unknown keys are warnings, not errors: a key a newer version knows (after a downgrade) or a
/// note such as `"_comment"` must not stop a kiosk. A near miss of a known key is named with it
/// ("scheduel": did you mean "schedule"?), and when the near miss leaves a required key out,
/// the error for the required key names it too.
public enum ConfigSchema {
    public indirect enum Expect: Sendable {
        case text
        /// Text that is one of these words.
        case oneOf([String])
        case integer(ClosedRange<Int>?)
        case number
        case bool
        case textList
        case object([(String, Expect)])
        /// An object whose keys are free (a room's name), each value of one kind.
        case map(Expect)
    }

    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public enum Severity: String, Sendable, Hashable, Codable { case error, warning }
        public var severity: Severity
        /// The dotted key path (`gpio.button.bounceMs`); empty: the whole file.
        public var key: String
        public var position: ConfigJSON.Position?
        public var message: String
        public var description: String {
            (severity == .warning ? "warning: " : "") + (key.isEmpty ? message : "\(key): \(message)")
        }
    }

    static let button: Expect = .object([
        ("line", .text), ("activeLow", .bool), ("bias", .oneOf(["pull-up", "pull-down", "disabled", "as-is"])),
        ("bounceMs", .integer(0...1000)), ("holdMs", .integer(0...60000)),
    ])
    static let lightStates = ["free", "waiting", "in-session", "ending-soon", "overrun", "closed", "fault"]
    static let light: Expect = .object([
        ("kind", .oneOf(["single", "tower", "rgb"])), ("activeLow", .bool), ("line", .text),
        ("lines", .object(["red", "amber", "green", "blue", "lamp"].map { ($0, .text) })),
        ("patterns", .object(lightStates.map { ($0, .text) })),
    ])

    /// The configuration's keys (see the README's configuration section).
    public static let root: Expect = .object([
        (
            "kiosk",
            .object([("name", .text), ("room", .text), ("roomName", .text), ("language", .oneOf(["nb", "da", "en"]))])
        ),
        (
            "schedule",
            .object([
                ("path", .text), ("pollSeconds", .number), ("quietSeconds", .number),
                ("dateOrder", .oneOf(["day-first", "month-first"])),
            ])
        ),
        ("state", .object([("directory", .text)])),
        ("school", .object([("timeZone", .text), ("rooms", .textList)])),
        (
            "http",
            .object([
                ("host", .text), ("port", .integer(1...65535)), ("requestsPerSecond", .number),
                ("requestBurst", .number),
                ("maxStreamsPerClient", .integer(nil)), ("maxStreams", .integer(nil)),
                ("maxStreamSeconds", .integer(nil)),
                ("maxConnections", .integer(nil)),
            ])
        ),
        (
            "display",
            .object([
                ("identify", .oneOf(["none", "code", "initials"])), ("showTeachers", .bool),
                ("night", .oneOf(["dark", "clock", "off"])), ("nightQuietMinutes", .integer(0...1440)),
            ])
        ),
        (
            "rules",
            .object([
                ("checkInOpensMinutes", .integer(0...180)), ("noShowMinutes", .integer(1...120)),
                ("assumedEndGraceMinutes", .integer(0...120)), ("endingSoonMinutes", .integer(0...60)),
                ("autoStart", .bool), ("earlyStart", .bool), ("undoSeconds", .integer(0...3600)),
            ])
        ),
        ("clock", .object([("requireSync", .bool)])),
        (
            "gpio",
            .object([
                ("chip", .text), ("consumer", .text), ("latencyLog", .text), ("realtimePriority", .integer(0...99)),
                ("followInterrupt", .bool),
                ("button", button),
                ("teacherButton", button), ("light", light), ("teacherLight", light),
            ])
        ),
        (
            "auth",
            .object([
                ("teacherPins", .map(.text)), ("caretakerTokens", .textList), ("sessionHours", .integer(1...24 * 30)),
                ("maxFailures", .integer(1...1000)), ("lockoutSeconds", .integer(1...86400)),
            ])
        ),
        ("teacher", .object([("amberMinutes", .integer(0...120)), ("redMinutes", .integer(0...120))])),
    ])

    /// The keys a kiosk cannot run without.
    public static let required: [[String]] = [["kiosk", "room"], ["schedule", "path"]]

    /// Every problem in a parsed configuration: wrong kinds and values (errors), required keys
    /// missing (errors), unknown keys (warnings).
    public static func problems(in document: ConfigJSON) -> [Problem] {
        var out: [Problem] = []
        check(document.root, against: root, path: [], into: &out)
        for path in required where document.node(at: path) == nil {
            let key = path.joined(separator: ".")
            var message =
                path == ["kiosk", "room"]
                ? "required: the room this kiosk serves, as the schedule file names it"
                : "required: the schedule file (CSV) on the school's share"
            // A near miss of the section or the key is named: the likely reason it is missing.
            let near = out.first { w in
                guard w.severity == .warning else { return false }
                return (!w.key.contains(".") && w.message.contains("did you mean \"\(path[0])\""))
                    || (w.key.hasPrefix(path[0] + ".") && w.message.contains("did you mean \"\(path[1])\""))
            }
            if let near { message += " (the file has \"\(near.key)\": a typo?)" }
            out.append(Problem(severity: .error, key: key, position: nil, message: message))
        }
        return out
    }

    static func check(_ node: ConfigJSON.Node, against expect: Expect, path: [String], into out: inout [Problem]) {
        let key = path.joined(separator: ".")
        func wrong(_ what: String) {
            var found = "found \(node.value.shown)"
            if case .string = node.value { found = "found \(node.value.shown) (in quotes: text)" }
            out.append(
                Problem(severity: .error, key: key, position: node.position, message: "expected \(what), \(found)"))
        }
        switch expect {
        case .text:
            guard case .string = node.value else {
                if case .number(let t, _) = node.value {
                    out.append(
                        Problem(
                            severity: .error, key: key, position: node.position,
                            message: "expected text in double quotes, found the number \(t) (write \"\(t)\")"))
                    return
                }
                return wrong("text in double quotes")
            }
        case .oneOf(let words):
            guard case .string(let s) = node.value else { return wrong("one of \(words.joined(separator: ", "))") }
            if !words.contains(s) {
                out.append(
                    Problem(
                        severity: .error, key: key, position: node.position,
                        message: "\(node.value.shown) is not one of \(words.joined(separator: ", "))"))
            }
        case .integer(let range):
            guard case .number(let text, let d) = node.value else { return wrong("a whole number") }
            guard d.rounded() == d, abs(d) < 1e15 else {
                out.append(
                    Problem(
                        severity: .error, key: key, position: node.position,
                        message: "expected a whole number, found \(text)"))
                return
            }
            if let range, !range.contains(Int(d)) {
                out.append(
                    Problem(
                        severity: .error, key: key, position: node.position,
                        message: "\(text) is outside \(range.lowerBound)…\(range.upperBound)"))
            }
        case .number:
            guard case .number = node.value else { return wrong("a number") }
        case .bool:
            guard case .bool = node.value else { return wrong("true or false") }
        case .textList:
            guard case .array(let items) = node.value else { return wrong("a list of text in [ … ]") }
            for (n, item) in items.enumerated() {
                check(item, against: .text, path: path.dropLast() + ["\(path.last ?? "")[\(n)]"], into: &out)
            }
        case .map(let each):
            guard case .object(let members) = node.value else { return wrong("an object { … }") }
            for m in members { check(m.node, against: each, path: path + [m.key], into: &out) }
        case .object(let known):
            guard case .object(let members) = node.value else { return wrong("an object { … }") }
            for m in members {
                if let e = known.first(where: { $0.0 == m.key })?.1 {
                    check(m.node, against: e, path: path + [m.key], into: &out)
                } else if !m.key.hasPrefix("_") {
                    let names = known.map(\.0)
                    let near = names.min { distance($0, m.key) < distance($1, m.key) }
                    var message = "unknown key, ignored"
                    if let near, distance(near, m.key) <= max(2, near.count / 3) {
                        message += " (did you mean \"\(near)\"?)"
                    } else {
                        message += " (known here: \(names.joined(separator: ", ")))"
                    }
                    out.append(
                        Problem(
                            severity: .warning, key: (path + [m.key]).joined(separator: "."), position: m.keyPosition,
                            message: message))
                }
            }
        }
    }

    /// Edit distance (insertions, deletions, substitutions, swaps of neighbours), case-insensitive.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased())
        let y = Array(b.lowercased())
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
