import Foundation
import SamtaleTestSupport
import Testing

/// `samtale run` on a schedule in a temporary "share", with the conferences placed around now.
struct RunningKiosk {
    let dir: TempDir
    let share: String
    let schedule: String
    let server: Server
    let port: Int

    static func start(
        rows: [(startOffsetMinutes: Int, minutes: Int, pupil: String)], environment: [String: String] = [:],
        roomName: String = "Room 204", extraConfig: String = "", httpExtra: String = "", guardian: String? = nil
    ) async throws -> RunningKiosk {
        let dir = try TempDir()
        let share = dir.url.path + "/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        let schedule = share + "/samtaler.csv"
        try Data(csv(rows, guardian: guardian).utf8).write(to: URL(fileURLWithPath: schedule))
        let port = freePort()
        var config = KioskConfig(schedule: schedule, stateDirectory: dir.path + "/state", port: port)
        config.roomName = roomName
        config.http = httpExtra
        config.extra = extraConfig
        let configPath = try dir.file("samtale.json", config.json)
        let server = try Server(["run", "--config", configPath], port: port, environment: environment)
        return RunningKiosk(dir: dir, share: share, schedule: schedule, server: server, port: port)
    }

    static func csv(_ rows: [(startOffsetMinutes: Int, minutes: Int, pupil: String)], guardian: String? = nil) -> String
    {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        let now = Date()
        // A length, not an end time: a conference placed around now may run past midnight.
        var text = guardian == nil ? "Dato;Fra;Varighet;Rom;Elev\n" : "Dato;Fra;Varighet;Rom;Elev;Foresatte\n"
        for r in rows {
            let s = now.addingTimeInterval(TimeInterval(r.startOffsetMinutes * 60))
            f.dateFormat = "dd.MM.yyyy"
            let day = f.string(from: s)
            f.dateFormat = "HH:mm"
            text += "\(day);\(f.string(from: s));\(r.minutes);204;\(r.pupil)\(guardian.map { ";" + $0 } ?? "")\n"
        }
        return text
    }

    func door() async -> [String: Any]? {
        guard let r = await http("GET", port: port, "/api/door") else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
    }

    var file: String { (try? String(contentsOfFile: schedule, encoding: .utf8)) ?? "" }
}
