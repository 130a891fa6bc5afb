import Foundation
import SamtaleTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A kiosk with a teacher PIN and a caretaker token, and a schedule full of distinctive names.
struct StaffKiosk {
    static let pin = "4711"
    static let token = "caretaker-token-8f3a9c1e"
    static let names = ["Ingrid Hemmeligsen", "Bjørn Fortroligsen", "Astrid Skjultvedt", "Guro Foresattsen"]

    let kiosk: RunningKiosk

    static func start(httpExtra: String = "") async throws -> StaffKiosk {
        let pinHash = try await hashSecret(pin)
        let tokenHash = try await hashSecret(token)
        #expect(pinHash.hasPrefix("$y$"), "hash-secret printed \(pinHash)")
        let auth = """
            "auth": {"teacherPins": {"204": "\(pinHash)"}, "caretakerTokens": ["\(tokenHash)"], "maxFailures": 5,
                     "lockoutSeconds": 60}
            """
        let kiosk = try await RunningKiosk.start(
            rows: [(-5, 20, names[0]), (15, 20, names[1]), (35, 20, names[2])], extraConfig: auth,
            httpExtra: httpExtra, guardian: names[3])
        #expect(await kiosk.server.ready())
        return StaffKiosk(kiosk: kiosk)
    }

    var port: Int { kiosk.port }

    func signIn(_ role: String, _ secret: String) async -> Exchange {
        await exchange(
            "POST", port: port, "/signin", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "role=\(role)&secret=\(secret)")
    }

    /// Signs in and returns the session cookie and the page's CSRF token.
    func session(_ role: String, _ secret: String) async throws -> (cookie: String, csrf: String) {
        let r = await signIn(role, secret)
        #expect(r.status == 303, "sign-in: \(r.raw.prefix(300))")
        let cookie = try #require(r.cookie("samtale_session"))
        let page = await exchange("GET", port: port, "/\(role)", headers: ["Cookie": "samtale_session=\(cookie)"])
        #expect(page.status == 200)
        let marker = "name=\"csrf-token\" content=\""
        let start = try #require(page.body.range(of: marker))
        let csrf = String(page.body[start.upperBound...].prefix { $0 != "\"" })
        return (cookie, csrf)
    }
}
