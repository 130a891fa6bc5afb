import Foundation
import SamtaleApp
import SamtaleTestSupport
import SamtaleWeb
import Testing

@Suite("samtale setup on a terminal")
struct SetupInteractiveTests {
    @Test("it asks for what no option gave (under script(1), a real terminal), with the defaults in brackets")
    func asks() async throws {
        let dir = try TempDir()
        let csv = try dir.file("samtaler.csv", schedule)
        let config = dir.url.path + "/samtale.json"
        let command = [
            samtaleBinary.path, "setup", "--config", config, "--no-start", "--no-gpio", "--device-tree-model",
            dir.url.path + "/none", "--profiles-dir", repositoryRoot.appendingPathComponent("Board/profiles").path,
        ].map { "'\($0)'" }.joined(separator: " ")
        let result = await offPool { () -> (Int32, String) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            p.arguments = ["-qec", command, "/dev/null"]
            let input = Pipe()
            let out = Pipe()
            p.standardInput = input
            p.standardOutput = out
            p.standardError = out
            do { try p.run() } catch { return (-1, "\(error)") }
            input.fileHandleForWriting.write(Data("B12\nRom B12\nda\n\(csv)\n".utf8))
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            try? input.fileHandleForWriting.close()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(result.0 == 0, "\(result.1)")
        #expect(result.1.contains("Room (as the schedule file names it): "))
        #expect(result.1.contains("Language (nb, da, en) [nb]: "))
        let text = (try? String(contentsOfFile: config, encoding: .utf8)) ?? ""
        #expect(text.contains(#""room": "B12""#) && text.contains(#""roomName": "Rom B12""#))
        #expect(text.contains(#""timeZone": "Europe/Copenhagen""#) && text.contains(csv))
        #expect(!text.contains("gpio"))
    }
}
