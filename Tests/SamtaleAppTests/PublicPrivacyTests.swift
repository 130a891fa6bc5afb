import Foundation
import Hummingbird
import Logging
import SamtaleCore
import SamtaleHardware
import SamtaleTestSupport
import SamtaleWeb
import Testing

@testable import SamtaleApp

#if canImport(Glibc)
    import Glibc
#endif

/// A schedule full of names, whose ids (when it has an id column) are 11-digit national identity numbers.
enum PrivacyKiosk {
    static let names = ["Ingrid Hemmeligsen", "Bjørn Fortroligsen", "Astrid Skjultvedt", "Sindre Løynesen"]
    static let identityNumbers = ["12345678901", "23456789012", "34567890123", "45678901234"]
}

/// Starts `samtale run` on a share that already holds the school's secret (or none).
func kioskOnShare(
    rows: [(startOffsetMinutes: Int, minutes: Int, pupil: String)], idColumn: [String]?, secret: String?,
    now: Date = Date()
) async throws -> RunningKiosk {
    // The share is built first (RunningKiosk starts the kiosk at once), so the kiosk finds the secret.
    let dir = try TempDir()
    let share = dir.url.path + "/share"
    try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
    if let secret {
        try FileManager.default.createDirectory(atPath: share + "/.samtale", withIntermediateDirectories: true)
        _ = try dir.file("share/.samtale/secret", secret + "\n")
    }
    // The times from `now` to the minute, so that kiosks started a moment apart get the same file.
    let f = DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    f.locale = Locale(identifier: "en_US_POSIX")
    var lines = ["Dato;Fra;Varighet;Rom;Elev;Foresatte"]
    for r in rows {
        let start = now.addingTimeInterval(TimeInterval(r.startOffsetMinutes * 60))
        f.dateFormat = "dd.MM.yyyy;HH:mm"
        lines.append("\(f.string(from: start));\(r.minutes);204;\(r.pupil);Guro Foresattsen")
    }
    if let idColumn {
        lines[0] += ";id"
        for i in 1..<lines.count { lines[i] += ";\(idColumn[i - 1])" }
    }
    let schedule = share + "/samtaler.csv"
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: schedule))
    let port = freePort()
    let config = KioskConfig(schedule: schedule, stateDirectory: dir.path + "/state", port: port)
    let configPath = try dir.file("samtale.json", config.json)
    let server = try Server(["run", "--config", configPath], port: port)
    #expect(await server.ready(), "\(server.log)")
    return RunningKiosk(dir: dir, share: share, schedule: schedule, server: server, port: port)
}

/// The slot tokens the door publishes, in order (current, then upcoming).
func publishedTokens(_ k: RunningKiosk) async -> [String] {
    guard let door = await k.door() else { return [] }
    var out: [String] = []
    if let c = door["current"] as? [String: Any], let id = c["id"] as? String { out.append(id) }
    for s in door["upcoming"] as? [[String: Any]] ?? [] { if let id = s["id"] as? String { out.append(id) } }
    return out
}

/// Every public route's raw response (GET, HEAD, wrong methods, unknown paths, a check-in, events).
func everyPublicResponse(port: Int) async -> [String: String] {
    var out: [String: String] = [:]
    let gets = [
        "/", "/?lang=en", "/?lang=da", "/api/door", "/healthz", "/metrics", "/openapi.json", "/static/door.js",
        "/static/door.css", "/static/strings/nb.json", "/static/strings/xx.json", "/static/staff.js",
        "/static/staff.css", "/signin", "/signin?as=caretaker", "/nope", "/api/teacher", "/teacher", "/caretaker",
        "/api/caretaker", "/teacher/events", "/%ZZ", "/api/door?x=%C3%28",
    ]
    for path in gets {
        out["GET \(path)"] = await exchange("GET", port: port, path).raw
        out["HEAD \(path)"] = await exchange("HEAD", port: port, path).raw
    }
    for (method, path) in [
        ("POST", "/api/checkin"), ("POST", "/signin"), ("POST", "/api/teacher/start"), ("PUT", "/api/door"),
        ("DELETE", "/"), ("POST", "/healthz"), ("PATCH", "/events"), ("POST", "/signout"),
    ] {
        out["\(method) \(path)"] = await exchange(method, port: port, path).raw
    }
    out["GET /events"] = await rawHTTP(
        port: port, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n", until: { $0.contains("\"room\"") })
    return out
}

@Suite("Nothing public can be tied to a child", .serialized)
struct PublicPrivacyTests {
    static let secretA = String(repeating: "a1", count: 32)
    static let secretB = String(repeating: "b2", count: 32)
    static let rows: [(startOffsetMinutes: Int, minutes: Int, pupil: String)] = zip(
        [-5, 15, 35, 55], PrivacyKiosk.names
    ).map { (startOffsetMinutes: $0, minutes: 20, pupil: $1) }

    @Test(
        "A schedule whose ids are national identity numbers: no 11-digit number, no name, no id on any public route",
        arguments: [true, false])
    func noIdentityOnPublicRoutes(withIDs: Bool) async throws {
        let k = try await kioskOnShare(
            rows: Self.rows, idColumn: withIDs ? PrivacyKiosk.identityNumbers : nil, secret: Self.secretA)
        #expect(await exchange("POST", port: k.port, "/api/checkin").status == 200)
        let tokens = await publishedTokens(k)
        #expect(tokens.count >= 3, "every slot shown is published with a token: \(tokens)")
        for t in tokens { #expect(t.count == 32 && t.allSatisfy({ ("a"..."p").contains($0) }), "\(t)") }
        for (route, raw) in await everyPublicResponse(port: k.port) {
            #expect(raw.contains("HTTP/1.1"), "\(route) answered")
            let runs = raw.split { !$0.isASCII || !$0.isNumber }.filter { $0.count == 11 }
            #expect(runs.isEmpty, "\(route) carries an 11-digit number: \(runs)")
            for id in PrivacyKiosk.identityNumbers { #expect(!raw.contains(id), "\(route) echoes the id \(id)") }
            for part in (PrivacyKiosk.names + ["Guro Foresattsen"]).flatMap({ $0.split(separator: " ") }) {
                #expect(!raw.contains(part), "\(route) shows \(part)")
            }
        }
        #expect(await k.server.terminate() == 0)
        // The log at info level (what the kiosk printed) names nobody either.
        let log = k.server.log
        for id in PrivacyKiosk.identityNumbers { #expect(!log.contains(id), "the log echoes \(id)") }
    }

    @Test("A pupil's name changed: only that slot's token changes, and only under the secret; two schools differ")
    func tokensNeedTheSecret() async throws {
        // The same file on two kiosks of one school: the same tokens.
        let now = Date()
        let a1 = try await kioskOnShare(rows: Self.rows, idColumn: nil, secret: Self.secretA, now: now)
        let a2 = try await kioskOnShare(rows: Self.rows, idColumn: nil, secret: Self.secretA, now: now)
        let tokensA1 = await publishedTokens(a1)
        let tokensA2 = await publishedTokens(a2)
        #expect(tokensA1.count == 3, "the door shows three slots: \(tokensA1)")
        #expect(tokensA1 == tokensA2, "one school's kiosks agree on the tokens")
        // Another school with the same file and another secret: every token differs.
        let b = try await kioskOnShare(rows: Self.rows, idColumn: nil, secret: Self.secretB, now: now)
        let tokensB = await publishedTokens(b)
        #expect(tokensB.count == 3)
        #expect(Set(tokensB).isDisjoint(with: tokensA1), "\(tokensA1) \(tokensB)")
        // One pupil's name changed: the rest of the door is the same; without an id column, that
        // slot's token is a keyed digest, so only a holder of the secret could check a name.
        var renamed = Self.rows
        renamed[2].pupil = "Helt Annen Elev"
        let c = try await kioskOnShare(rows: renamed, idColumn: nil, secret: Self.secretA, now: now)
        let tokensC = await publishedTokens(c)
        try #require(tokensC.count == 3 && tokensA1.count == 3)
        #expect(tokensC[0] == tokensA1[0] && tokensC[1] == tokensA1[1], "the other slots keep their tokens")
        #expect(tokensC[2] != tokensA1[2], "the renamed pupil's slot has another token (a keyed digest of it)")
        func stripped(_ k: RunningKiosk) async -> String {
            var door = await k.door() ?? [:]
            // What moves with the clock (the two kiosks are asked a moment apart), and the tokens.
            let moving: Set<String> = ["id", "expectedStart", "lateMinutes"]
            for key in ["now", "remainingSeconds", "overrunSeconds", "scheduleReadAt", "runningLateMinutes"] {
                door[key] = nil
            }
            for key in ["current", "next"] {
                if let s = door[key] as? [String: Any] { door[key] = s.filter { !moving.contains($0.key) } }
            }
            door["upcoming"] = (door["upcoming"] as? [[String: Any]])?.map { s in s.filter { !moving.contains($0.key) }
            }
            return String(
                decoding: try! JSONSerialization.data(withJSONObject: door, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(await stripped(a1) == stripped(c), "apart from the keyed tokens, a name changes nothing public")
        // With ids in the file, a name change changes nothing public at all.
        let d1 = try await kioskOnShare(
            rows: Self.rows, idColumn: PrivacyKiosk.identityNumbers, secret: Self.secretA, now: now)
        let d2 = try await kioskOnShare(
            rows: renamed, idColumn: PrivacyKiosk.identityNumbers, secret: Self.secretA, now: now)
        #expect(await publishedTokens(d1) == publishedTokens(d2))
        for k in [a1, a2, b, c, d1, d2] { #expect(await k.server.terminate() == 0) }
    }

    @Test("The first kiosk creates the school's secret on the share: 64 hex digits, mode 0640, folder 0750")
    func secretCreatedOnShare() async throws {
        let k = try await kioskOnShare(rows: Self.rows, idColumn: nil, secret: nil)
        let path = k.share + "/.samtale/secret"
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.count == 64 && text.allSatisfy(\.isHexDigit), "\(text)")
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o640, "mode \(String(st.st_mode & 0o777, radix: 8))")
        #expect(
            stat(k.share + "/.samtale", &st) == 0 && st.st_mode & 0o777 == 0o750,
            "folder mode \(String(st.st_mode & 0o777, radix: 8))")
        let before = await publishedTokens(k)
        #expect(await k.server.terminate() == 0)
        // A restart reads the same secret: the same tokens.
        let again = try Server(["run", "--config", k.dir.url.path + "/samtale.json"], port: k.port)
        #expect(await again.ready())
        #expect(await publishedTokens(k) == before)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(text))
        #expect(await again.terminate() == 0)
    }

    @Test("Eight kiosks creating the secret at once agree on one")
    func secretRace() async throws {
        let dir = try TempDir()
        let path = dir.url.path + "/.samtale/secret"
        let outcomes = await withTaskGroup(of: Result<[UInt8], SchoolSecret.Failure>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await offPool {
                        Result { try SchoolSecret.loadOrCreate(at: path) }.mapError { $0 as! SchoolSecret.Failure }
                    }
                }
            }
            var all: [Result<[UInt8], SchoolSecret.Failure>] = []
            for await r in group { all.append(r) }
            return all
        }
        let results = outcomes.compactMap { try? $0.get() }
        #expect(results.count == 8 && results.allSatisfy { $0.count == 32 }, "\(outcomes)")
        #expect(Set(results).count == 1, "one secret for all")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path + "/.samtale")
        #expect(leftovers == ["secret"], "no temporary files left: \(leftovers)")
    }

    @Test(
        "A share that cannot hold the secret: a key of the kiosk's own; a secret that is not hex is refused, its path named"
    )
    func secretFallback() async throws {
        let dir = try TempDir()
        // `.samtale` is a file: nothing can be created under it (even by root).
        _ = try dir.file(".samtale", "not a folder")
        let logger = Logger(label: "test")
        let tokens = SchoolSecret.tokens(schedulePath: dir.url.path + "/s.csv", isFolder: false, logger: logger)
        #expect(tokens.token("x").count == 32)
        #expect(throws: SchoolSecret.Failure.self) {
            try SchoolSecret.loadOrCreate(at: dir.url.path + "/.samtale/secret")
        }
        // A secret file that is not hex is refused with its path named.
        let bad = try dir.file("bad", "not hex at all\n")
        #expect {
            try SchoolSecret.read(bad)
        } throws: { error in
            "\(error)".contains(bad) && "\(error)".contains("hex")
        }
    }
}
