import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SamtaleCore
import Synchronization
import Testing

@testable import SamtaleWeb

@Suite("The door's public routes")
struct DoorRoutesTests {
    @Test(
        "the page is served in the configured language, with lang set, and ?lang= overrides it",
        arguments: Language.allCases)
    func page(language: Language) async throws {
        try await app(language: language).test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("<html lang=\"\(language.rawValue)\">"))
                #expect(body.contains(Catalogue.strings(language)["pressOnArrival"]!))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
                // No referrer to other sites, and an Origin with the pages' own POSTs (not "null").
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(!body.contains("<script>"), "no inline script")
            }
            try await client.execute(uri: "/?lang=da", method: .get) { response in
                #expect(String(buffer: response.body).contains("<html lang=\"da\">"))
            }
        }
    }

    @Test("/api/door has the status fields and no names")
    func apiDoor() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/door", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                for s in secrets { #expect(!body.contains(s)) }
                let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
                #expect(json["room"] as? String == "204")
                #expect(json["light"] as? String == "in-session")
                #expect(json["runningLateMinutes"] as? Int == 0)
                let current = json["current"] as! [String: Any]
                // A slot is named by an opaque token, never by the booking's id.
                let token = try #require(current["id"] as? String)
                #expect(token.count == 32 && token.allSatisfy({ ("a"..."p").contains($0) }) && token != "B0")
                #expect(current["start"] as? String == "2026-11-24T14:00:00+01:00")
                #expect(current["status"] as? String == "in session")
                #expect(current["identify"] as? String == "K0")
                let next = try #require((json["next"] as? [String: Any])?["id"] as? String)
                #expect(next.count == 32 && next != token && next != "B1")
                #expect(json.keys.contains("acknowledgement"))
            }
        }
    }

    @Test("a touch check-in answers with the acknowledgement; the demo press exists only in the demo")
    func checkIn() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/api/checkin", method: .post) { response in
                let json =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as! [String: Any]
                let ack = json["acknowledgement"] as! [String: Any]
                #expect(ack["result"] as? String == "checked-in")
                #expect(ack["source"] as? String == "touch")
                #expect(ack["slotStart"] as? String == "2026-11-24T14:20:00+01:00")
            }
            try await client.execute(uri: "/api/demo/press", method: .post) { response in
                #expect(response.status == .notFound)
            }
        }
        try await app(demo: true).test(.router) { client in
            try await client.execute(uri: "/api/demo/press", method: .post) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("/events streams the door view as server-sent events, with pings, and no names")
    func events() async throws {
        try await app(FakeBackend(updatesSent: 3)).test(.router) { client in
            try await client.execute(uri: "/events", method: .get) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                let body = String(buffer: response.body)
                #expect(body.hasPrefix("retry: "))
                #expect(body.components(separatedBy: "data: {").count - 1 == 2)
                #expect(body.contains("event: ping"))
                for s in secrets { #expect(!body.contains(s)) }
            }
        }
    }

    @Test("every language has every string")
    func catalogueComplete() {
        for (key, values) in Catalogue.entries {
            for lang in Language.allCases { #expect(values[lang]?.isEmpty == false, "\(key) in \(lang)") }
        }
    }

    @Test("the strings, styles and script are served by the service itself")
    func assets() async throws {
        try await app().test(.router) { client in
            for path in ["/static/door.css", "/static/door.js", "/static/strings/nb.json", "/static/strings/en.json"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(
                        !String(buffer: response.body).contains("http://")
                            && !String(buffer: response.body).contains("https://"))
                }
            }
            try await client.execute(uri: "/static/strings/xx.json", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/static/strings/..%2F..%2Fetc%2Fpasswd", method: .get) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test("/healthz tells ready from not ready")
    func healthz() async throws {
        try await app().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"ready\":true"))
            }
        }
    }
}
