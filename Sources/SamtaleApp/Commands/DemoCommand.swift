import ArgumentParser
import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb

extension SamtaleCommand {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the whole kiosk on a simulated board, with a sample day (or your schedule file).",
            discussion: """
                Serves the door page at http://127.0.0.1:PORT/. Press Enter in the terminal (or POST \
                /api/demo/press) to press the check-in button; the light's state is printed here and shown on \
                the page. Ctrl-C stops it.
                """)

        @Option(help: "The HTTP port.") var port = 8080
        @Option(help: "The address to listen on.") var host = "127.0.0.1"
        @Option(help: "A schedule file (CSV) to use instead of the sample day.") var schedule: String?
        @Option(help: "The room to show (with --schedule).") var room: String?
        @Option(help: "The door's language: nb, da or en.") var language: Language = .nb
        @Option(
            help: "Start the demo's clock at this local time, YYYY-MM-DDTHH:MM (default: now); it runs on from there.")
        var at: String?
        @Option(help: "Outside conference hours: dark, clock or off.") var night: NightMode = .clock
        @Option(help: "The door shows how the room is named (default: the room).") var roomName: String?
        @Option(help: "The door's identification of a family: none, code or initials.") var identify: Identify = .none
        @OptionGroup var zone: TimeZoneOption

        func validate() throws {
            if schedule != nil && room == nil {
                throw ValidationError("--schedule needs --room: which room does this kiosk serve?")
            }
        }

        func run() async throws {
            let logger = makeLogger()
            var config = KioskConfiguration()
            config.timeZone = try zone.resolve()
            config.host = host
            config.port = port
            config.language = language
            config.dateOrder = zone.dateOrder
            config.requireClockSync = false
            config.kioskName = "demo"
            let now = try Status.instant(at, SchoolTime(timeZone: config.timeZone))
            config.clockOffset = at == nil ? 0 : now.timeIntervalSince(SystemClock().now())
            config.door.night = night
            config.door.identify = identify
            let engine: RoomEngine
            if let schedule, let room {
                config.room = room
                config.schedulePath = schedule
                let loaded = config.scheduleReader().read(path: schedule)
                guard loaded.isUsable else {
                    throw ValidationError("\(schedule): \(loaded.problems.map(\.description).joined(separator: "\n"))")
                }
                if !loaded.bookings.contains(where: { $0.room == room }) {
                    let rooms = Set(loaded.bookings.map(\.room)).sorted().joined(separator: ", ")
                    throw ValidationError("\(schedule) has no conference in room \"\(room)\"; its rooms are: \(rooms)")
                }
                engine = RoomEngine(room: room, rules: config.rules, timeZone: config.timeZone, at: now)
                config.roomName = roomName
                config.door.roomName = roomName
            } else {
                config.room = "204"
                config.roomName = "Rom 204"
                config.door.roomName = "Rom 204"
                engine = DemoDay.engine(room: config.room, rules: config.rules, now: now, timeZone: config.timeZone)
            }
            print(
                "Samtale demo: door page at http://\(host):\(port)/  (Enter = press the check-in button, Ctrl-C = stop)"
            )
            try await KioskServer(configuration: config, demo: true, engine: engine, logger: logger)
                .run(readKeyboard: isatty(0) != 0)
        }
    }
}
