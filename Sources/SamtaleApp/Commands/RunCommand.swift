import ArgumentParser
import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb

extension SamtaleCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the kiosk service as it runs on a board (under systemd).")

        @Option(help: "The configuration file (JSON).") var config = "/etc/samtale/samtale.json"

        func run() async throws {
            let logger = makeLogger()
            let (configuration, warnings) = try await KioskConfiguration.loadChecked(path: config)
            for w in warnings { logger.warning("\(ConfigurationError.line(config, w))") }
            let clock = configuration.makeClock()
            let engine = RoomEngine(
                room: configuration.room, rules: configuration.rules, timeZone: configuration.timeZone,
                at: clock.now())
            try await KioskServer(
                configuration: configuration, demo: false, engine: engine, logger: logger, clock: clock
            )
            .run(readKeyboard: false, configPath: config)
        }
    }
}
