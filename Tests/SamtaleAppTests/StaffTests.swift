import Foundation
import SamtaleTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Teachers and caretakers: signed in, and nobody else let in", .serialized)
struct StaffTests {
    @Test("Every protected route refuses without credentials, with wrong ones, and with the wrong role")
    func protectedRoutes() async throws {
        let k = try await StaffKiosk.start()
        let gets = ["/api/teacher", "/teacher/events", "/api/caretaker"]
        for path in gets {
            for cookie in [nil, "samtale_session=" + String(repeating: "a", count: 64), "samtale_session=x"] {
                let r = await exchange("GET", port: k.port, path, headers: cookie.map { ["Cookie": $0] } ?? [:])
                #expect(r.status == 401, "\(path) with \(cookie ?? "no cookie"): \(r.status)")
            }
        }
        for page in ["/teacher", "/caretaker"] {
            let r = await exchange("GET", port: k.port, page)
            #expect(r.status == 303 && (r.headers["location"] ?? "").hasPrefix("/signin"), "\(page): \(r.status)")
        }
        for action in ["start", "end", "extend", "no-show", "check-in", "undo"] {
            let r = await exchange("POST", port: k.port, "/api/teacher/\(action)")
            #expect(r.status == 401, "\(action) without a session: \(r.status)")
        }
        // Wrong secrets.
        #expect(await k.signIn("teacher", "0000").status == 401)
        #expect(await k.signIn("caretaker", "not-the-token").status == 401)
        #expect(await k.signIn("teacher", StaffKiosk.token).status == 401, "the caretaker's token is no teacher PIN")
        // A teacher's session does not open the caretaker's view, and the other way round.
        let teacher = try await k.session("teacher", StaffKiosk.pin)
        let caretaker = try await k.session("caretaker", StaffKiosk.token)
        let t = ["Cookie": "samtale_session=\(teacher.cookie)"]
        let c = ["Cookie": "samtale_session=\(caretaker.cookie)"]
        #expect(await exchange("GET", port: k.port, "/api/caretaker", headers: t).status == 401)
        #expect(await exchange("GET", port: k.port, "/api/teacher", headers: c).status == 401)
        #expect(await exchange("GET", port: k.port, "/api/teacher", headers: t).status == 200)
        #expect(await exchange("GET", port: k.port, "/api/caretaker", headers: c).status == 200)
        // The session cookie is HttpOnly and SameSite=Strict.
        let r = await k.signIn("teacher", StaffKiosk.pin)
        let setCookie = r.headers["set-cookie"] ?? ""
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), "\(setCookie)")
        // Signed out, the session is gone.
        let out = await exchange(
            "POST", port: k.port, "/signout", headers: t.merging(["X-Samtale-CSRF": teacher.csrf]) { $1 })
        #expect(out.status == 200)
        #expect(await exchange("GET", port: k.port, "/api/teacher", headers: t).status == 401)
        #expect(await k.kiosk.server.terminate() == 0)
    }

    @Test("The teacher sees names and acts through the engine; the action reaches the schedule file")
    func teacherActions() async throws {
        let k = try await StaffKiosk.start()
        let s = try await k.session("teacher", StaffKiosk.pin)
        let auth = ["Cookie": "samtale_session=\(s.cookie)"]
        let view = await exchange("GET", port: k.port, "/api/teacher", headers: auth)
        #expect(view.body.contains(StaffKiosk.names[0]) && view.body.contains(StaffKiosk.names[3]), "\(view.body)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(view.body.utf8)) as? [String: Any])
        let next = try #require(json["next"] as? [String: Any])
        let id = try #require(next["id"] as? String)

        // Without the CSRF token, refused; with it, done.
        let bare = await exchange("POST", port: k.port, "/api/teacher/check-in?id=\(id)", headers: auth)
        #expect(bare.status == 403)
        let wrong = await exchange(
            "POST", port: k.port, "/api/teacher/check-in?id=\(id)",
            headers: auth.merging(["X-Samtale-CSRF": String(repeating: "0", count: 64)]) { $1 })
        #expect(wrong.status == 403)
        let done = await exchange(
            "POST", port: k.port, "/api/teacher/check-in?id=\(id)",
            headers: auth.merging(["X-Samtale-CSRF": s.csrf]) { $1 })
        #expect(done.status == 200, "\(done.raw.prefix(400))")
        #expect(done.body.contains("\"done\""))
        // The check-in is in the schedule file, like a kiosk's own.
        let written = await eventually { k.kiosk.file.contains("waiting") || k.kiosk.file.contains("in session") }
        #expect(written, "the file: \(k.kiosk.file)")
        // Extend, then undo within the window.
        let extend = await exchange(
            "POST", port: k.port, "/api/teacher/extend", headers: auth.merging(["X-Samtale-CSRF": s.csrf]) { $1 })
        #expect(extend.status == 200 || extend.status == 409)
        let undo = await exchange(
            "POST", port: k.port, "/api/teacher/undo", headers: auth.merging(["X-Samtale-CSRF": s.csrf]) { $1 })
        #expect(undo.status == 200, "\(undo.body)")
        #expect(await k.kiosk.server.terminate() == 0)
    }

    @Test("A forged cross-site POST is refused, whatever it carries")
    func crossSite() async throws {
        let k = try await StaffKiosk.start()
        let s = try await k.session("teacher", StaffKiosk.pin)
        let base = ["Cookie": "samtale_session=\(s.cookie)", "X-Samtale-CSRF": s.csrf]
        for forged in [["Origin": "http://evil.example"], ["Sec-Fetch-Site": "cross-site"], ["Origin": "null"]] {
            let r = await exchange("POST", port: k.port, "/api/teacher/end", headers: base.merging(forged) { $1 })
            #expect(r.status == 403, "\(forged): \(r.status)")
            let c = await exchange("POST", port: k.port, "/api/checkin", headers: forged)
            #expect(c.status == 403, "check-in \(forged): \(c.status)")
            let signIn = await exchange(
                "POST", port: k.port, "/signin",
                headers: forged.merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 },
                body: "role=teacher&secret=\(StaffKiosk.pin)")
            #expect(signIn.status == 403)
        }
        // The same request from the page's own origin goes through.
        let ok = await exchange(
            "POST", port: k.port, "/api/teacher/end",
            headers: base.merging(["Origin": "http://127.0.0.1:\(k.port)", "Sec-Fetch-Site": "same-origin"]) { $1 })
        #expect(ok.status == 200 || ok.status == 409, "\(ok.raw.prefix(300))")
        #expect(await k.kiosk.server.terminate() == 0)
    }

    @Test("A PIN brute force is locked out after a handful of tries, even for the right PIN")
    func bruteForce() async throws {
        let k = try await StaffKiosk.start()
        var statuses: [Int] = []
        for guess in 0..<8 { statuses.append(await k.signIn("teacher", String(format: "%04d", 1000 + guess)).status) }
        #expect(statuses.prefix(5).allSatisfy { $0 == 401 }, "\(statuses)")
        #expect(statuses.dropFirst(5).allSatisfy { $0 == 429 }, "\(statuses)")
        let right = await k.signIn("teacher", StaffKiosk.pin)
        #expect(right.status == 429, "the right PIN during the lockout: \(right.status)")
        #expect(Int(right.headers["retry-after"] ?? "") ?? 0 > 0)
        #expect(right.cookie("samtale_session") == nil)
        #expect(await k.kiosk.server.terminate() == 0)
    }

    @Test("Public routes carry no name, for a schedule full of them; /metrics and /healthz answer")
    func publicRoutesCarryNoNames() async throws {
        let k = try await StaffKiosk.start()
        #expect(await exchange("POST", port: k.port, "/api/checkin").status == 200)
        let paths = [
            "/", "/?lang=en", "/?lang=da", "/api/door", "/healthz", "/metrics", "/static/door.js", "/static/door.css",
            "/static/strings/nb.json", "/static/staff.js", "/signin", "/signin?as=caretaker", "/nope", "/api/teacher",
            "/teacher", "/caretaker", "/api/caretaker",
        ]
        for path in paths {
            let r = await exchange("GET", port: k.port, path)
            for name in StaffKiosk.names {
                for part in name.split(separator: " ") {
                    #expect(!r.raw.contains(part), "\(path) shows \(part)")
                }
            }
        }
        let events = await rawHTTP(
            port: k.port, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n", until: { $0.contains("\"room\"") })
        #expect(events.contains("\"room\""))
        for name in StaffKiosk.names { #expect(!events.contains(name.split(separator: " ")[1])) }
        let posts = ["/api/checkin", "/signin", "/api/teacher/start"]
        for path in posts {
            let r = await exchange("POST", port: k.port, path)
            for name in StaffKiosk.names { #expect(!r.raw.contains(name.split(separator: " ")[1]), "\(path)") }
        }
        let metrics = await exchange("GET", port: k.port, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("samtale_checkins_total{room=\"204\"} 1"), "\(metrics.body.prefix(3000))")
        #expect(metrics.body.contains("samtale_button_presses_total{room=\"204\",source=\"touch\"} 2"))
        let light = try #require(await k.kiosk.door()?["light"] as? String)
        #expect(metrics.body.contains("samtale_room_state{room=\"204\",state=\"\(light)\"} 1"), "\(light)")
        #expect(metrics.body.contains("samtale_room_state{room=\"204\",state=\"closed\"} 0"))
        let health = await exchange("GET", port: k.port, "/healthz")
        #expect(health.status == 200, "\(health.body)")
        #expect(health.body.contains("\"scheduleLoaded\":true"))
        #expect(await k.kiosk.server.terminate() == 0)
    }

    @Test("The caretaker sees every room and every kiosk's health, without names")
    func caretaker() async throws {
        let k = try await StaffKiosk.start()
        let s = try await k.session("caretaker", StaffKiosk.token)
        var body = ""
        let seen = await eventually {
            body = await exchange(
                "GET", port: k.port, "/api/caretaker", headers: ["Cookie": "samtale_session=\(s.cookie)"]
            ).body
            return body.contains("\"kiosk\":\"rom204\"")
        }
        #expect(seen, "no heartbeat of this kiosk: \(body)")
        #expect(body.contains("\"room\":\"204\""))
        #expect(body.contains("\"roomsWithoutKiosk\":[]"))
        for name in StaffKiosk.names { #expect(!body.contains(name.split(separator: " ")[1])) }
        #expect(await k.kiosk.server.terminate() == 0)
    }

    @Test("A plain secret in the configuration is refused at start, naming the key")
    func plainSecretRefused() async throws {
        let dir = try TempDir()
        let schedule = try dir.file("s.csv", "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;Kari\n")
        let config = try dir.file(
            "c.json",
            """
            {"kiosk": {"room": "204"}, "schedule": {"path": "\(schedule)"}, "auth": {"teacherPins": {"204": "4711"}}}
            """)
        let run = try await samtale(["run", "--config", config])
        #expect(run.status != 0)
        #expect(run.stderr.contains("auth.teacherPins.204") && run.stderr.contains("hash-secret"), "\(run.stderr)")
    }

    @Test("200 clients on /events, and the door page still answers")
    func manyStreams() async throws {
        // One address opens them all here: its request burst and stream limits are raised for the test.
        let k = try await StaffKiosk.start(httpExtra: #", "maxStreamsPerClient": 300, "requestBurst": 1000"#)
        let port = k.port
        let report = await offPool { () -> (opened: Int, doorStatus: Int, doorSeconds: Double) in
            var fds: [Int32] = []
            defer { for fd in fds { close(fd) } }
            for _ in 0..<200 {
                guard let fd = connectLoopback(port: port) else { continue }
                _ = "GET /events HTTP/1.1\r\nHost: x\r\n\r\n".withCString { send(fd, $0, strlen($0), 0) }
                fds.append(fd)
            }
            // Every stream gets its first view.
            var opened = 0
            var buffer = [UInt8](repeating: 0, count: 8192)
            for fd in fds {
                var got = ""
                let deadline = Date().addingTimeInterval(hangDeadline)
                while !got.contains("\"room\"") && Date() < deadline {
                    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    guard poll(&pfd, 1, 100) > 0 else { continue }
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n <= 0 { break }
                    got += String(decoding: buffer[0..<n], as: UTF8.self)
                }
                if got.contains("\"room\"") { opened += 1 }
            }
            let start = Date()
            let door = rawHTTPBlocking(
                port: port, "GET /api/door HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", until: { _ in false },
                timeout: hangDeadline)
            let seconds = Date().timeIntervalSince(start)
            return (opened, door.hasPrefix("HTTP/1.1 200") ? 200 : 0, seconds)
        }
        print("200 event streams: \(report.opened) open; /api/door answered in \(Int(report.doorSeconds * 1000)) ms")
        #expect(report.opened == 200)
        #expect(report.doorStatus == 200)
        #expect(await k.kiosk.server.terminate() == 0)
    }
}
