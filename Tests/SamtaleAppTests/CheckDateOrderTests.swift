import Foundation
import SamtaleTestSupport
import Testing

/// An English-style file whose dates alone cannot tell day from month.
private let ambiguous = """
    date,start,end,room,pupil
    3/4/2026,02:00:00 PM,02:20:00 PM,101,Hemmelig Elevnavn
    3/5/2026 10:00,10:00,10:20,101,Annen Elev

    """

private func listing(_ stdout: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
}

private func starts(_ json: [String: Any]) -> [String] {
    (json["conferences"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
}

@Suite("samtale check: which of a date's numbers is the day")
struct CheckDateOrderTests {
    @Test("check --json lists every conference's line, start and end, the notice, the order and why; no names")
    func jsonListing() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", ambiguous)
        let nb = try await samtale(["check", path, "--json", "--time-zone", "Europe/Oslo"])
        #expect(nb.status == 0, "\(nb.stdout)\(nb.stderr)")
        for n in ["Hemmelig", "Elevnavn", "Annen"] { #expect(!nb.stdout.contains(n)) }
        let j = try listing(nb.stdout)
        #expect(starts(j) == ["2026-04-03T14:00", "2026-05-03T10:00"])
        let conferences = try #require(j["conferences"] as? [[String: Any]])
        #expect(conferences.map { $0["line"] as? Int } == [2, 3])
        #expect(conferences.first?["end"] as? String == "2026-04-03T14:20")
        let order = try #require(j["dateOrder"] as? [String: Any])
        #expect(order["order"] as? String == "day-first")
        #expect(order["basis"] as? String == "setting")
        let problems = try #require(j["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["severity"] as? String == "notice")
        #expect(problems.first?["line"] as? Int == 2)
        #expect(problems.first?["column"] as? String == "date")

        let en = try await samtale(["check", path, "--json", "--language", "en", "--time-zone", "Europe/Oslo"])
        #expect(starts(try listing(en.stdout)) == ["2026-03-04T14:00", "2026-03-05T10:00"])
        let forced = try await samtale([
            "check", path, "--json", "--language", "en", "--date-order", "day-first", "--time-zone", "Europe/Oslo",
        ])
        #expect(starts(try listing(forced.stdout)) == ["2026-04-03T14:00", "2026-05-03T10:00"])
        #expect(
            (try listing(forced.stdout)["dateOrder"] as? [String: Any])?["reason"] as? String
                == "--date-order day-first was given")
    }

    @Test("check says which reading it took and why, and still finds no problem")
    func textOutput() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", ambiguous)
        let r = try await samtale(["check", path, "--language", "en", "--time-zone", "Europe/Oslo"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("dates: read month first (the school's language is en"))
        #expect(r.stdout.contains("notice: line 2, column \"date\": "))
        #expect(r.stdout.contains("\"3/4/2026\" could be 4 March 2026 or 3 April 2026"))
        #expect(r.stdout.contains("days: 2026-03-04 … 2026-03-05"))
        // A notice is not a problem: the file is fine as it is.
        #expect(r.stdout.contains("no problems found"))
    }

    @Test("the configuration's language and schedule.dateOrder decide, and a wrong value is refused")
    func configuration() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", ambiguous)
        let en = try dir.file(
            "en.json", #"{"kiosk": {"room": "101", "language": "en"}, "schedule": {"path": "\#(path)"}}"#)
        let r = try await samtale(["check", path, "--json", "--config", en, "--time-zone", "Europe/Oslo"])
        #expect(starts(try listing(r.stdout)) == ["2026-03-04T14:00", "2026-03-05T10:00"])
        let british = try dir.file(
            "gb.json",
            #"{"kiosk": {"room": "101", "language": "en"}, "schedule": {"path": "\#(path)", "dateOrder": "day-first"}}"#
        )
        let gb = try await samtale(["check", path, "--json", "--config", british, "--time-zone", "Europe/Oslo"])
        let j = try listing(gb.stdout)
        #expect(starts(j) == ["2026-04-03T14:00", "2026-05-03T10:00"])
        #expect(
            (j["dateOrder"] as? [String: Any])?["reason"] as? String
                == "the configuration's schedule.dateOrder is day-first")
        let wrong = try dir.file(
            "bad.json", #"{"kiosk": {"room": "101"}, "schedule": {"path": "\#(path)", "dateOrder": "ymd"}}"#)
        let bad = try await samtale(["check", path, "--config", wrong])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("schedule.dateOrder") && bad.stderr.contains("day-first, month-first"))
        // The quiet pulse's beat (a local file) likewise: a number of seconds above 0.
        let still = try dir.file(
            "still.json", #"{"kiosk": {"room": "101"}, "schedule": {"path": "\#(path)", "quietSeconds": 0}}"#)
        let never = try await samtale(["check", path, "--config", still])
        #expect(never.status != 0)
        #expect(never.stderr.contains("schedule.quietSeconds") && never.stderr.contains("above 0"), "\(never.stderr)")
    }

    @Test("the kiosk logs which reading it took (a notice), and the order in its schedule loaded line")
    func kioskLogs() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", ambiguous.replacingOccurrences(of: ",101,", with: ",204,"))
        let port = freePort()
        var kiosk = KioskConfig(schedule: path, stateDirectory: dir.path + "/state", port: port)
        kiosk.pollSeconds = nil
        kiosk.timeZone = "Europe/Oslo"
        let config = try dir.file("samtale.json", kiosk.json)
        let server = try Server(["run", "--config", config], port: port)
        #expect(await server.ready())
        #expect(await server.terminate() == 0)
        let log = server.log
        #expect(log.contains("schedule file notice"), "\(log)")
        #expect(log.contains("read month first (3/4/2026 is 4 March 2026) because the school's language is en"))
        #expect(log.contains("dates=month-first (the school's language is en"))
        for n in ["Hemmelig", "Elevnavn", "Annen"] { #expect(!log.contains(n)) }
    }
}
