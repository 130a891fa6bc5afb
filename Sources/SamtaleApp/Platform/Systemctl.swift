import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleWeb

/// `systemctl`, or the program `SAMTALE_SYSTEMCTL` names (the tests' fake).
struct Systemctl {
    var path: String

    static func find() -> Systemctl? {
        if let fake = ProcessInfo.processInfo.environment["SAMTALE_SYSTEMCTL"], !fake.isEmpty {
            return Systemctl(path: fake)
        }
        // Without systemd as PID 1 (a container) systemctl cannot start anything.
        guard FileManager.default.fileExists(atPath: "/run/systemd/system") else { return nil }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for d in dirs + ["/usr/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(d)/systemctl") {
            return Systemctl(path: "\(d)/systemctl")
        }
        return nil
    }

    func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return (127, "\(path): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
