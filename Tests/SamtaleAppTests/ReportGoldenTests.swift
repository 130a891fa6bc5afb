import Foundation
import Testing

/// `Tests/Golden/report/`: a schedule the kiosks wrote (several days, rooms and teachers, a team,
/// cancellations in three words, a session never ended, names to quote and escape, rooms that sort
/// by number and by letters with and without accents) and what `samtale report` printed for it in
/// each format. The output must stay byte for byte the same.
private let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Golden/report")

@Suite("samtale report, byte for byte")
struct ReportGoldenTests {
    @Test("text, CSV and HTML are what they were", arguments: [("text", "txt"), ("csv", "csv"), ("html", "html")])
    func sameBytes(format: String, suffix: String) async throws {
        let schedule = golden.appendingPathComponent("schedule.csv").path
        let expected = try String(
            contentsOf: golden.appendingPathComponent("report.\(suffix)"), encoding: .utf8)
        let run = try await samtale([
            "report", "--schedule", schedule, "--time-zone", "Europe/Oslo", "--format", format,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        if run.stdout != expected {
            let got = run.stdout.components(separatedBy: "\n")
            let want = expected.components(separatedBy: "\n")
            let line =
                zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            Issue.record(
                """
                report.\(suffix) differs first on line \(line + 1):
                  expected: \(line < want.count ? want[line] : "(end)")
                  got:      \(line < got.count ? got[line] : "(end)")
                """)
        }
    }
}
