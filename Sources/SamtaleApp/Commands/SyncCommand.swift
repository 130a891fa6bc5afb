import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleSchedule

extension SamtaleCommand {
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write a kiosk's journal into the schedule file (what the service does by itself when the file is writable)."
        )

        @OptionGroup var file: KioskFileOptions

        func run() throws {
            let tz = try file.zone.resolve()
            let sync = try file.sync(timeZone: tz)
            var shared = "published on the share"
            do {
                try sync.publish(rooms: [], at: SystemClock().now())
            } catch {
                shared = "not published on the share (\(error.description))"
            }
            do {
                let n = try sync.catchUp()
                print("\(n) booking\(n == 1 ? "" : "s") written to \(file.schedule); the journal \(shared)")
            } catch {
                print("not written: \(error.description); the journal \(shared) (\(sync.journal.directory))")
                throw ExitCode(1)
            }
        }
    }
}
