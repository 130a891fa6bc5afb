import Foundation
import Hummingbird
import HummingbirdTesting
import SamtaleCore
import SamtaleTestSupport
import SamtaleWeb
import Testing

@testable import SamtaleApp

/// The kiosk's HTTP application as the service builds it (`KioskServer.application`), driven
/// in-process: the real `Kiosk` actor and engine, the real router with its middlewares and staff
/// routes, libcrypt for the PIN, a test clock. No binary, no socket.
@Suite("The kiosk's HTTP application in-process")
struct KioskAppTests {
    static let pin = "2468"

    func application(_ kiosk: Kiosk, clock: TestClock) -> some ApplicationProtocol {
        var configuration = KioskConfiguration()
        configuration.room = "204"
        configuration.language = .en
        configuration.auth.teacherPinHash = CryptSecretChecker.hash(Self.pin)
        return KioskServer.application(
            kiosk: kiosk, configuration: configuration, demo: false, logger: quiet, clock: clock)
    }

    @Test("a touch check-in moves the real kiosk; the door page's first paint shows it; nothing public names anyone")
    func door() async throws {
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock, bookings: [booking("A", at: 5), booking("B", at: 30)])
        try await application(kiosk, clock: clock).test(.router) { client in
            try await client.execute(uri: "/api/checkin", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"waitingCount\":1"))
            }
            #expect(await kiosk.door().waitingCount == 1, "the check-in reached the kiosk's engine")
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("\"waitingCount\":1"), "the first paint carries the current view")
                #expect(!page.contains("Pupil"), "no pupil's name on the door page")
            }
            for uri in ["/api/door", "/healthz", "/metrics"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(!String(buffer: response.body).contains("Pupil"), "\(uri) names nobody")
                }
            }
        }
    }

    @Test("the teacher signs in with the PIN (libcrypt), sees names, and an action reaches the kiosk")
    func teacher() async throws {
        let clock = TestClock(kioskNoon)
        let kiosk = makeKiosk(clock: clock, bookings: [booking("A", at: 0), booking("B", at: 30)])
        try await application(kiosk, clock: clock).test(.router) { client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            try await client.execute(
                uri: "/signin", method: .post, headers: form, body: ByteBuffer(string: "role=teacher&secret=1357")
            ) { #expect($0.status == .unauthorized, "a wrong PIN") }
            let cookie = try await client.execute(
                uri: "/signin", method: .post, headers: form,
                body: ByteBuffer(string: "role=teacher&secret=\(Self.pin)")
            ) { response in
                #expect(response.status == .seeOther)
                return String(try #require(response.headers[.setCookie]).prefix { $0 != ";" })
            }
            let csrf = try await client.execute(uri: "/teacher", method: .get, headers: [.cookie: cookie]) {
                response in
                let body = String(buffer: response.body)
                return String(try #require(body.split(whereSeparator: { !$0.isHexDigit }).first { $0.count == 64 }))
            }
            try await client.execute(uri: "/api/teacher", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Pupil A"), "the teacher sees names")
            }
            var change: HTTPFields = [.cookie: cookie]
            change[StaffSessionMiddleware<KioskRequestContext>.csrfHeader] = csrf
            let before = await kiosk.door().light
            try await client.execute(uri: "/api/teacher/start?id=A", method: .post, headers: change) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("done"))
            }
            let after = await kiosk.door().light
            #expect(before != after, "the conference started in the kiosk's engine (light \(before) to \(after))")
        }
    }
}
