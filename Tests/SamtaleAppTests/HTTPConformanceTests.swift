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

@Suite("HTTP as clients expect it")
struct HTTPConformanceTests {
    func router(demo: Bool) -> (Router<KioskRequestContext>, RouteTable) {
        let engine = RoomEngine(room: "204", timeZone: TimeZone(identifier: "UTC")!, at: Date())
        let kiosk = Kiosk(
            engine: engine, clock: MonotonicWallClock(), options: DoorOptions(), light: CompositeLight(),
            clockTrust: nil, logger: Logger(label: "test"))
        var configuration = KioskConfiguration()
        configuration.room = "204"
        return KioskServer.router(kiosk: kiosk, configuration: configuration, demo: demo)
    }

    @Test(
        "/openapi.json describes exactly the routes the router has (no route missing, none invented)",
        arguments: [false, true])
    func documentMatchesRouter(demo: Bool) throws {
        let (router, _) = router(demo: demo)
        let real = Set(router.routes.map { RouteTable.Route(method: $0.method.rawValue, path: $0.path.description) })
        let documented = Set(OpenAPIDocument.operations(demo: demo))
        #expect(real.count > 15)
        #expect(
            real.subtracting(documented).isEmpty,
            "routes missing from the document: \(real.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(real).isEmpty,
            "operations the router lacks: \(documented.subtracting(real).sorted())")
        #expect(documented.contains(.init(method: "POST", path: "/api/demo/press")) == demo)
        let object = try #require(
            try JSONSerialization.jsonObject(with: OpenAPIDocument.json(demo: demo)) as? [String: Any])
        #expect(object["openapi"] as? String == "3.1.0")
    }

    @Test(
        "HEAD answers wherever GET does, with its headers and no body; a wrong method is 405 with Allow; errors are JSON"
    )
    func headAnd405() async throws {
        let k = try await kioskOnShare(rows: PublicPrivacyTests.rows, idColumn: nil, secret: nil)
        for path in [
            "/", "/api/door", "/healthz", "/metrics", "/openapi.json", "/static/door.js", "/signin", "/events",
        ] {
            // /events stays open: its headers and first view are enough.
            let opened: @Sendable (String) -> Bool = { path == "/events" && $0.contains("\"room\"") }
            let get = await exchange("GET", port: k.port, path, until: opened)
            let head = await exchange("HEAD", port: k.port, path)
            #expect(head.status == get.status, "HEAD \(path): \(head.status)")
            #expect(head.body.isEmpty, "HEAD \(path) has no body")
            #expect(head.headers["content-type"] == get.headers["content-type"], "HEAD \(path)")
            if path != "/events" && path != "/metrics" && path != "/api/door" && path != "/healthz" {
                #expect(head.headers["content-length"] == get.headers["content-length"], "HEAD \(path)")
            }
        }
        for (method, path, allow) in [
            ("PUT", "/api/door", "GET, HEAD"), ("DELETE", "/", "GET, HEAD"), ("GET", "/api/checkin", "POST"),
            ("POST", "/events", "GET, HEAD"), ("PUT", "/signin", "GET, HEAD, POST"),
            ("GET", "/api/teacher/start", "POST"),
        ] {
            let r = await exchange(method, port: k.port, path)
            #expect(r.status == 405, "\(method) \(path): \(r.status)")
            #expect(r.headers["allow"] == allow, "\(method) \(path): \(r.headers)")
            #expect(r.headers["content-type"]?.hasPrefix("application/json") == true)
            let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            #expect(json?.keys.sorted() == ["error"], "\(r.body)")
        }
        // HEAD on a path that does not exist, or that has no GET: the headers only.
        for (path, status) in [("/nope", 404), ("/api/checkin", 405)] {
            let head = await exchange("HEAD", port: k.port, path)
            #expect(head.status == status && head.body.isEmpty, "HEAD \(path): \(head.raw)")
        }
        for path in ["/nope", "/static/strings/xx.json", "/api/door/x"] {
            let r = await exchange("GET", port: k.port, path)
            #expect(r.status == 404, "\(path)")
            #expect(r.headers["content-security-policy"] != nil)
            let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            #expect(json?["error"] as? String == "not found", "\(path): \(r.body)")
        }
        // A body over the limit is the JSON error too.
        let big = await exchange(
            "POST", port: k.port, "/signin", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "secret=" + String(repeating: "x", count: 8000))
        #expect(big.status == 413, "\(big.raw.prefix(300))")
        #expect(big.body.hasPrefix("{\"error\":"), "\(big.body)")
        #expect(await k.server.terminate() == 0)
    }
}
