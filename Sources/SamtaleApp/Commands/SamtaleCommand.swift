import ArgumentParser
import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb

extension Language: ExpressibleByArgument {}
extension NightMode: ExpressibleByArgument {}
extension Identify: ExpressibleByArgument {}
extension DateOrder: ExpressibleByArgument {}

/// `samtale`: the door kiosk for parent–teacher conferences.
@available(macOS 15, *)
public struct SamtaleCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "samtale",
        abstract: "The door kiosk for parent–teacher conferences.",
        subcommands: [
            Demo.self, Run.self, Check.self, Status.self, Checkin.self, Sync.self, GPIO.self, ReportCommand.self,
            HashSecret.self, Setup.self,
        ])

    public init() {}
}
