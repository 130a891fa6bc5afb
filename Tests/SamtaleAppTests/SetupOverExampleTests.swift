import Foundation
import SamtaleApp
import SamtaleTestSupport
import SamtaleWeb
import Testing

@Suite("samtale setup over a packaged example")
struct SetupOverExampleTests {
    @Test("an explicit --profile writes from the profile over an existing configuration, keeping it as .bak")
    func profileOverExample() async throws {
        let dir = try TempDir()
        let config = dir.url.path + "/samtale.json"
        let example = try Data(contentsOf: repositoryRoot.appendingPathComponent("Systemd/samtale.json.example"))
        try example.write(to: URL(fileURLWithPath: config))
        let csv = try dir.file("samtaler.csv", schedule)
        let r = try await samtale([
            "setup", "--config", config, "--room", "204", "--schedule", csv, "--profile", "generic", "--yes",
            "--no-start", "--chip", "samtale-sim", "--button-line", "BUTTON", "--light-line", "LAMP",
            "--profiles-dir", repositoryRoot.appendingPathComponent("Board/profiles").path,
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let text = (try? String(contentsOfFile: config, encoding: .utf8)) ?? ""
        #expect(text.contains(#""chip": "samtale-sim""#) && !text.contains("pinctrl-bcm2711"))
        #expect(text.contains(#""line": "LAMP""#) && text.contains(#""waiting": "lamp:pulse""#))
        #expect(FileManager.default.contents(atPath: config + ".bak") == example)
    }
}
