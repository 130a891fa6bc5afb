import Foundation
import SamtaleTestSupport
import Testing

/// Two days as the kiosks leave the file: state columns at the end, local times, the office's `avlyst`.
private let recordedSchedule = """
    Dato;Fra;Til;Rom;Kontaktlærer;Elev;Foresatte;status;checked_in;started;ended;kiosk
    24.11.2026;14:00;14:20;204;Kari Lærer;Hemmelig Elevnavn;Hemmelig Foresatt;done;13:55;14:02;14:25;rom204
    24.11.2026;14:20;14:40;204;Kari Lærer;Annen Elev;Annen Foresatt;no-show;;;;rom204
    24.11.2026;14:40;15:00;204;Kari Lærer;Tredje Elev;Tredje Foresatt;avlyst;;;;
    24.11.2026;15:00;15:20;204;Kari Lærer;Fjerde Elev;Fjerde Foresatt;done;14:58;15:00;15:17;rom204
    25.11.2026;09:00;09:15;B12;Lise Lærer;Femte Elev;Femte Foresatt;done;08:50;09:00;09:20;b12

    """
private let pupilsAndGuardians = ["Hemmelig", "Elevnavn", "Foresatt", "Annen", "Tredje", "Fjerde", "Femte"]

// 204 on the 24th: waits 7 and 2 min; 23 and 17 min in session; 5 min past 14:20; 60 min planned
// (the cancelled one left out); the room's day 14:00–15:20 = 80 min, so 40 / 80 = 50 %.
// B12 on the 25th: waited 10, 20 min in session, 5 past 09:15, its day 15 min: 133.3 %.
private let kariRow = "2026-11-24,204,Kari Lærer,4,2,1,1,0,2,4.5,1,5,5.0,60,40,2,80,50.0"
private let liseRow = "2026-11-25,B12,Lise Lærer,1,1,0,0,0,1,10.0,1,5,5.0,15,20,1,15,133.3"

@Suite("samtale report")
struct ReportCommandTests {
    @Test("text, CSV and HTML from a file the kiosks wrote, with no pupil's or guardian's name")
    func threeFormats() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", recordedSchedule)
        let zone = ["--time-zone", "Europe/Oslo"]

        let text = try await samtale(["report", "--schedule", path] + zone)
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.components(separatedBy: "\n")
        #expect(lines[0] == "Conference report, 2026-11-24 to 2026-11-25 (Europe/Oslo)")
        let kari = try #require(lines.first { $0.hasPrefix("2026-11-24  204 ") })
        #expect(kari.contains("Kari Lærer") && kari.contains(" 4.5 ") && kari.hasSuffix("  50%"))
        let total = try #require(lines.first { $0.hasPrefix("Total ") })
        #expect(total.hasSuffix("  63%"))  // 60 / 95

        let csv = try await samtale(["report", "--schedule", path, "--format", "csv"] + zone)
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.components(separatedBy: "\r\n")
        #expect(rows.count == 4 && rows[0].hasPrefix("date,room,teacher,booked,held,no_shows,cancelled,"))
        #expect(rows[1] == kariRow)
        #expect(rows[2] == liseRow)

        let htmlPath = dir.url.appendingPathComponent("report.html").path
        let html = try await samtale(["report", "--schedule", path, "--format", "html", "--output", htmlPath] + zone)
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.isEmpty)
        let page = try String(contentsOfFile: htmlPath, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg") && !page.contains("<script"))
        #expect(page.contains("<td>Kari Lærer</td>"))

        for output in [text.stdout, csv.stdout, page] {
            for name in pupilsAndGuardians { #expect(!output.contains(name), "\(name)") }
        }
    }

    @Test("--from, --to and --room pick days and rooms; DD.MM.YYYY works too")
    func range() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", recordedSchedule)
        let one = try await samtale([
            "report", "--schedule", path, "--format", "csv", "--time-zone", "Europe/Oslo", "--from", "24.11.2026",
            "--to", "2026-11-24",
        ])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.components(separatedBy: "\r\n").dropFirst() == [kariRow, ""])
        let room = try await samtale([
            "report", "--schedule", path, "--format", "csv", "--time-zone", "Europe/Oslo", "--room", "B12",
        ])
        #expect(room.stdout.components(separatedBy: "\r\n").dropFirst() == [liseRow, ""])
    }

    @Test("a file with no state columns yet: zeros held and a note")
    func nothingRecorded() async throws {
        let dir = try TempDir()
        let plain = "Dato;Fra;Til;Rom;Kontaktlærer;Elev\n24.11.2026;14:00;14:20;204;Kari Lærer;Hemmelig Elevnavn\n"
        let path = try dir.file("s.csv", plain)
        let r = try await samtale(["report", "--schedule", path, "--time-zone", "Europe/Oslo"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Note: Nothing has been recorded"))
        let csv = try await samtale(["report", "--schedule", path, "--time-zone", "Europe/Oslo", "--format", "csv"])
        #expect(csv.stdout.contains("\r\n2026-11-24,204,Kari Lærer,1,0,0,0,1,0,,0,0,,20,0,0,20,0.0\r\n"))
    }

    @Test("bad input: a missing file exits 1 naming it; bad options name the option")
    func badInput() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", recordedSchedule)
        let missing = try await samtale(["report", "--schedule", dir.url.path + "/nope.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.csv") && missing.stderr.contains("does not exist"))
        let cases: [([String], String)] = [
            (["--from", "32.13.2026"], "--from \"32.13.2026\""),
            (["--to", "2026-02-30"], "--to \"2026-02-30\""),
            (["--from", "2026-11-25", "--to", "2026-11-24"], "--to 2026-11-24 is before --from 2026-11-25"),
            (["--format", "pdf"], "pdf"),
            (["--room", "999"], "no conference in room \"999\""),
            (["--time-zone", "Mars/Olympus"], "Mars/Olympus"),
        ]
        for (options, message) in cases {
            let r = try await samtale(["report", "--schedule", path] + options)
            #expect(r.status != 0, "\(options)")
            #expect(r.stderr.contains(message), "\(options): \(r.stderr)")
        }
        let help = try await samtale(["report", "--help"])
        #expect(help.status == 0 && help.stdout.contains("OVERVIEW:") && help.stdout.contains("--format"))
    }
}
