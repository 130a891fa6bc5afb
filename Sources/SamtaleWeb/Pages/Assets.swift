import Foundation
import SamtaleCore

/// The door page, its style and its script (`Resources/door.html`, `door.css`, `door.js`), served
/// from the binary: nothing from the internet.
///
/// One page for every display a kiosk uses (800×480, 480×320, 1024×600, landscape and portrait):
/// sizes follow the viewport's smaller side, so nothing scrolls. State is always text and a symbol,
/// never colour alone; every string comes from the catalogue; the page says plainly when what it
/// shows may be out of date (no connection to the service, or a schedule file it cannot read).
///
/// The first response already shows the view of that moment (rendered here, the way the script
/// renders it), and carries the view, the strings and the symbols as one JSON block for the script:
/// the page is right before any script runs, and no fetch is needed before the live stream.
enum Assets {
    /// The symbol beside each state, on the door and on the staff pages alike, so that no state is
    /// told by colour alone and each symbol means one thing.
    static let symbols: [String: String] = [
        "free": "✓", "waiting": "◷", "in-session": "●", "ending-soon": "◐", "overrun": "!", "closed": "✕",
        "fault": "⚠", "stale": "?",
    ]

    /// The states the door's legend explains, in its order.
    static let legendStates = ["free", "waiting", "in-session", "ending-soon", "overrun", "closed"]

    static let css = String(decoding: PackageResources.door_css, as: UTF8.self)
    static let js = String(decoding: PackageResources.door_js, as: UTF8.self)

    /// What the door's script reads from the page: the same view `/api/door` answers with.
    struct PageData: Encodable {
        var strings: [String: String]
        var symbols: [String: String]
        var view: DoorView
    }

    /// The door page for `view` (already published: slot tokens, no names). `encoder` writes
    /// times as `/api/door` does (the school's local time with its offset).
    static func doorPage(language: Language, demo: Bool, view: DoorView, encoder: JSONEncoder) -> String {
        let strings = Catalogue.strings(language)
        let block = HTML.jsonBlock(PageData(strings: strings, symbols: symbols, view: view), encoder: encoder)
        // The page's script reads the view as JSON (times as the school's local ISO text): the
        // first paint reads the very same text, so both show the same.
        let json = (try? encoder.encode(view)).flatMap { try? JSONDecoder().decode(FirstPaint.View.self, from: $0) }
        var values =
            json.map { FirstPaint(view: $0, language: language).values }
            ?? FirstPaint(view: .init(room: view.room, light: view.light.rawValue), language: language).values
        values["lang"] = language.rawValue
        values["demo"] = demo ? "true" : "false"
        let legend = legendStates.map { light in
            "<li><span class=\"sw sw-\(light)\" aria-hidden=\"true\">\(HTMLText.escape(symbols[light] ?? ""))</span>"
                + "\(HTMLText.escape(Catalogue.text("legend." + light, language)))</li>"
        }.joined()
        return Template.door.render(language, values: values, markup: ["data": block, "legend": legend])
    }

    /// The door's first paint: what `render()` in door.js shows for a view while the connection
    /// is fresh (the script takes over at once, and from then on on every event and every second).
    struct FirstPaint {
        /// The part of `/api/door`'s JSON the first paint shows.
        struct View: Decodable {
            struct Slot: Decodable {
                var start: String?
                var end: String?
                var identify: String?
                var expectedStart: String?
                var lateMinutes: Int?
                var waiting: Bool?
            }
            var room: String
            var roomName: String? = nil
            var teachers: [String]? = nil
            var now: String? = nil
            var light: String
            var current: Slot? = nil
            var next: Slot? = nil
            var upcoming: [Slot]? = nil
            var runningLateMinutes: Int? = nil
            var remainingSeconds: Int? = nil
            var overrunSeconds: Int? = nil
            var checkInOpen: Bool? = nil
            var dayOver: Bool? = nil
            var clockTrusted: Bool? = nil
            var faults: [String]? = nil
            var scheduleReadAt: String? = nil
            var night: String? = nil
            var checkInOpensAt: String? = nil
        }

        let view: View
        let language: Language

        func s(_ key: String, _ values: [Character: String] = [:]) -> String {
            Catalogue.text(key, language, values)
        }

        /// "14:05" from "2026-11-24T14:05:00+01:00" (the school's local time), as door.js's `hm`.
        static func hm(_ iso: String?) -> String {
            guard let iso, iso.count >= 16 else { return "" }
            return String(Array(iso)[11..<16])
        }

        static func slot(_ slot: View.Slot) -> String {
            hm(slot.start) + "–" + hm(slot.end) + (slot.identify.map { " (\($0))" } ?? "")
        }

        /// "tirsdag 24. november" from the local date of an ISO time.
        func date(_ iso: String?) -> String {
            guard let iso, iso.count >= 10 else { return "" }
            let parts = iso.prefix(10).split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return "" }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
            guard let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
            else { return "" }
            let weekday = calendar.component(.weekday, from: day) - 1
            let weekdays = s("weekdays").split(separator: ",").map(String.init)
            let months = s("months").split(separator: ",").map(String.init)
            return s(
                "date",
                [
                    "w": weekdays.indices.contains(weekday) ? weekdays[weekday] : "",
                    "d": String(parts[2]),
                    "M": months.indices.contains(parts[1] - 1) ? months[parts[1] - 1] : "",
                ])
        }

        func age(seconds: Int) -> String {
            let sec = max(0, seconds)
            if sec < 90 { return s("age.seconds", ["n": String(sec)]) }
            let m = Int((Double(sec) / 60).rounded())
            return m < 120
                ? s("age.minutes", ["n": String(m)]) : s("age.hours", ["n": String(Int((Double(m) / 60).rounded()))])
        }

        static func seconds(_ iso: String?) -> Double? {
            guard let iso else { return nil }
            return ISO8601DateFormatter().date(from: iso)?.timeIntervalSince1970
        }

        var values: [String: String] {
            var v: [String: String] = [:]
            let light = view.light
            let trusted = view.clockTrusted ?? false
            v["bodyClass"] = view.night.map { $0 == "dark" ? "night night-dark" : "night" } ?? ""
            v["nightHidden"] = view.night == "clock" ? "" : " hidden"
            v["lightClass"] = "light-" + light
            v["symbol"] = symbols[light] ?? ""
            v["state"] = s("light." + light)
            v["room"] = view.roomName ?? view.room
            v["teachers"] = (view.teachers ?? []).joined(separator: ", ")
            v["clock"] = trusted ? Self.hm(view.now) : s("clockUnknown")
            v["date"] = trusted ? date(view.now) : ""
            let next = view.next
            v["nightText"] = next.map { s("nightNext", ["d": date($0.start), "t": Self.hm($0.start)]) } ?? s("dayOver")

            var remaining = ""
            if view.current != nil {
                let rem = view.remainingSeconds ?? 0
                remaining =
                    rem > 0
                    ? s("remaining", ["m": String((rem + 59) / 60)])
                    : s("overBy", ["m": String(max(1, (view.overrunSeconds ?? 0) / 60))])
            }
            var parts: [String] = []
            if ["in-session", "ending-soon", "overrun"].contains(light) {
                parts.append(s("pleaseWait"))
            } else if light == "waiting" {
                parts.append(s("teacherWillCall"))
            } else if light == "closed" && view.dayOver == true {
                parts.append(s("dayOver"))
            } else if light == "closed", let opens = view.checkInOpensAt {
                parts.append(s("checkInOpensAt", ["o": Self.hm(opens)]))
            }
            let late = view.runningLateMinutes ?? 0
            if late > 0 && light != "closed" { parts.append(s("runningLate", ["m": String(late)])) }
            let sub = parts.joined(separator: " · ")
            v["countdown"] = remaining
            v["subtext"] = (!remaining.isEmpty && !sub.isEmpty ? " · " : "") + sub
            v["substateHidden"] = remaining.isEmpty && sub.isEmpty ? " hidden" : ""

            v["currentHidden"] = view.current == nil && light == "closed" ? " hidden" : ""
            v["currentSlot"] = view.current.map(Self.slot) ?? s("noConference")
            v["nextHidden"] = next == nil ? " hidden" : ""
            v["nextSlot"] = next.map(Self.slot) ?? ""
            var notes: [String] = []
            if let next {
                if let lateMinutes = next.lateMinutes, lateMinutes > 0, let expected = next.expectedStart {
                    notes.append(s("expected", ["t": Self.hm(expected)]) + ", " + s("late", ["m": String(lateMinutes)]))
                } else {
                    notes.append(s("onTime"))
                }
                if next.waiting == true { notes.append(s("familyWaiting")) }
            }
            v["nextNote"] = notes.joined(separator: " · ")
            let later = (view.upcoming ?? []).dropFirst()
            v["laterHidden"] = later.isEmpty ? " hidden" : ""
            v["laterSlots"] = later.map { Self.hm($0.expectedStart ?? $0.start) }.joined(separator: ", ")

            var notices: [String] = []
            if !trusted { notices.append(s("clockNotSet")) }
            for fault in view.faults ?? [] where fault != "clock" {
                if fault == "schedule", let read = view.scheduleReadAt {
                    let ageSeconds = (Self.seconds(view.now) ?? 0) - (Self.seconds(read) ?? 0)
                    notices.append(
                        s("scheduleOld", ["t": Self.hm(read), "a": age(seconds: Int(ageSeconds.rounded()))]))
                } else {
                    notices.append(s("fault." + fault))
                }
            }
            v["noticeHidden"] = notices.isEmpty ? " hidden" : ""
            v["notice"] = notices.joined(separator: " · ")

            var instruction = ""
            var button = false
            if !trusted {
                instruction = s("knock")
            } else if view.checkInOpen == true {
                instruction = s("pressOnArrival")
                button = true
            } else if let opens = view.checkInOpensAt, light != "closed" {
                instruction = s("checkInOpensAt", ["o": Self.hm(opens)])
            }
            v["actionHidden"] = instruction.isEmpty ? " hidden" : ""
            v["instruction"] = instruction
            v["checkinHidden"] = button ? "" : " hidden"
            return v
        }
    }
}
