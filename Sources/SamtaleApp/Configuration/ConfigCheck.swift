import Foundation
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleWeb

/// `samtale check --config FILE` with no schedule argument: the configuration checked without
/// starting anything (no GPIO, no HTTP, no writes), and the schedule file it names when it can be
/// reached. Also the check `samtale setup` runs.
///
/// Exit status: 0 the configuration is usable (warnings allowed, among them a schedule file that
/// cannot be reached: a board whose share is not mounted yet is not misconfigured); 1 the
/// configuration has an error, or the schedule file was read and cannot be used as it is.
public struct ConfigCheck: Encodable, Sendable {
    public struct Problem: Encodable, Sendable, Hashable {
        public var severity: String
        /// The key's dotted path; empty: the whole file.
        public var key: String
        public var line: Int?
        public var column: Int?
        public var message: String
    }
    public struct Kiosk: Encodable, Sendable {
        public var name: String
        public var room: String
        public var roomName: String?
        public var language: String
        public var timeZone: String
        public var doorURL: String
    }
    public struct ScheduleFile: Encodable, Sendable {
        public var path: String
        public var reachable: Bool
        public var usable: Bool
        public var conferences: Int
        /// Conferences in this kiosk's room.
        public var roomConferences: Int
        public var problems: [ScheduleProblem]
    }
    public struct Wiring: Encodable, Sendable {
        public var chip: String
        public var button: String
        public var teacherButton: String?
        public var lightKind: String
        public var lightLines: [String: String]
        public var teacherLight: [String: String]?
    }

    public var config: String
    public var valid: Bool
    public var kiosk: Kiosk?
    public var schedule: ScheduleFile?
    public var gpio: Wiring?
    public var problems: [Problem]

    enum CodingKeys: String, CodingKey { case config, valid, kiosk, schedule, gpio, problems }
    /// The configuration read (nil when it has an error).
    public var configuration: KioskConfiguration?

    public var exitCode: Int32 { !valid || (schedule.map { $0.reachable && !$0.usable } ?? false) ? 1 : 0 }

    /// Checks the configuration at `path`, and the schedule file it names if it can be reached.
    public static func run(path: String) async -> ConfigCheck {
        var report = ConfigCheck(config: path, valid: false, problems: [])
        func add(_ p: ConfigSchema.Problem) {
            report.problems.append(
                Problem(
                    severity: p.severity.rawValue, key: p.key, line: p.position?.line, column: p.position?.column,
                    message: p.message))
        }
        let loaded: (configuration: KioskConfiguration, warnings: [ConfigSchema.Problem])
        do {
            loaded = try await KioskConfiguration.loadChecked(path: path)
        } catch let e as ConfigurationError {
            e.problems.forEach(add)
            return report
        } catch {
            report.problems.append(Problem(severity: "error", key: "", message: "\(error)"))
            return report
        }
        let c = loaded.configuration
        loaded.warnings.forEach(add)
        report.valid = true
        report.configuration = c
        let host = c.host == "0.0.0.0" || c.host == "::" ? "127.0.0.1" : c.host
        report.kiosk = Kiosk(
            name: c.kioskName, room: c.room, roomName: c.roomName, language: c.language.rawValue,
            timeZone: c.timeZone.identifier, doorURL: "http://\(host.contains(":") ? "[\(host)]" : host):\(c.port)/")
        if let g = c.gpio {
            report.gpio = Wiring(
                chip: g.chip, button: g.button.line, teacherButton: g.teacherButton?.line,
                lightKind: g.light.kind.rawValue,
                lightLines: Dictionary(uniqueKeysWithValues: g.light.lines.map { ($0.key.rawValue, $0.value) }),
                teacherLight: g.teacherLight.map { t in
                    Dictionary(uniqueKeysWithValues: t.lines.map { ($0.key.rawValue, $0.value) })
                })
        }
        if let path = c.schedulePath {
            var file = ScheduleFile(
                path: path, reachable: false, usable: false, conferences: 0, roomConferences: 0, problems: [])
            if FileManager.default.fileExists(atPath: path) {
                file.reachable = true
                let s = c.scheduleReader().read(path: path)
                file.usable = !s.hasErrors
                file.conferences = s.bookings.count
                file.roomConferences = s.bookings.filter { $0.room == c.room }.count
                file.problems = s.problems
                if s.isUsable && file.roomConferences == 0 {
                    let rooms = Set(s.bookings.map(\.room)).sorted().joined(separator: ", ")
                    report.problems.append(
                        Problem(
                            severity: "warning", key: "kiosk.room",
                            message:
                                "the schedule file has no conference in room \(c.room) (its rooms: \(rooms.isEmpty ? "none" : rooms)): check the spelling"
                        ))
                }
            } else {
                let folder = (path as NSString).deletingLastPathComponent
                let why =
                    FileManager.default.fileExists(atPath: folder)
                    ? "the folder \(folder) has no such file"
                    : "the folder \(folder) does not exist: is the share mounted?"
                report.problems.append(
                    Problem(
                        severity: "warning", key: "schedule.path",
                        message:
                            "the schedule file \(path) cannot be reached (\(why)); the kiosk shows a fault until it can read the file"
                    ))
            }
            report.schedule = file
        }
        return report
    }

    /// The report in plain words, one fact or problem a line.
    public func text() -> [String] {
        var out: [String] = []
        func where_(_ p: Problem) -> String {
            "\(config)\(p.line.map { ":\($0)" } ?? "")\(p.column.map { ":\($0)" } ?? "")"
        }
        if let k = kiosk {
            out.append("\(config): kiosk \(k.name) for room \(k.room)\(k.roomName.map { " (\"\($0)\")" } ?? "")")
            out.append("language: \(k.language); time zone: \(k.timeZone); door page: \(k.doorURL)")
        } else {
            out.append("\(config): cannot be used")
        }
        if let g = gpio {
            let lights = g.lightLines.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            var line = "GPIO: chip \(g.chip); button \(g.button)"
            if let t = g.teacherButton { line += "; teacher button \(t)" }
            line += "; light (\(g.lightKind)) \(lights)"
            if let t = g.teacherLight { line += "; teacher light \(t.values.sorted().joined(separator: ", "))" }
            out.append(line)
        } else if valid {
            out.append("GPIO: none (no gpio section: check-in by the touch screen only)")
        }
        if let s = schedule {
            if !s.reachable {
                out.append("schedule: \(s.path) (not reachable)")
            } else {
                out.append(
                    "schedule: \(s.path): \(s.conferences) conference\(s.conferences == 1 ? "" : "s"), \(s.roomConferences) in this kiosk's room\(s.usable ? "" : "; cannot be used as it is")"
                )
                for p in s.problems { out.append("\(s.path): \(p)") }
            }
        }
        for p in problems {
            out.append(
                "\(where_(p)): \(p.severity == "warning" ? "warning: " : "")\(p.key.isEmpty ? "" : "\(p.key): ")\(p.message)"
            )
        }
        if problems.isEmpty && (schedule?.problems.allSatisfy { $0.severity == .notice } ?? true) {
            out.append("no problems found")
        }
        return out
    }
}
