import Foundation
import SamtaleCore

/// The staff pages: sign-in, the teacher's and the caretaker's. Served by the kiosk itself (nothing
/// from the internet); scripts from /static/staff.js only (the CSP allows no inline script).
public enum StaffAssets {
    public enum Message: Equatable {
        case wrong
        case locked(seconds: Int)
        case closed
    }

    /// The staff pages' strings, per language.
    public static func strings(_ language: Language) -> [String: String] {
        switch language {
        case .nb:
            [
                "signinTeacher": "Logg inn som lærer", "signinCaretaker": "Logg inn som vaktmester",
                "pin": "PIN for rommet", "token": "Tilgangskode", "signin": "Logg inn",
                "wrong": "Feil kode.", "locked": "For mange forsøk. Prøv igjen om %d sekunder.",
                "closed": "Denne siden er ikke satt opp på denne kiosken.", "remaining": "Igjen",
                "overrun": "Over tiden", "late": "Rommet ligger %d min etter", "onTime": "I rute",
                "now": "Nå", "waiting": "Venter", "next": "Neste", "nobody": "Ingen",
                "since": "siden", "interpreter": "Tolk", "start": "Start neste", "end": "Avslutt",
                "extend": "+5 min", "noShow": "Møtte ikke", "checkIn": "Sjekk inn", "undo": "Angre",
                "signout": "Logg ut", "room": "Rom", "state": "Tilstand", "current": "Pågår",
                "lateCol": "Forsinket", "held": "Holdt", "noShows": "Ikke møtt", "kiosks": "Kiosker",
                "lastSeen": "Sist sett", "attention": "Trenger tilsyn", "fine": "OK", "noKiosk": "Rom uten kiosk",
                "stale": "Ingen kontakt med kiosken", "done": "Utført", "refused": "Ikke utført",
                "free": "Ledig", "in-session": "Samtale pågår", "ending-soon": "Snart ferdig",
                "closedState": "Stengt", "fault": "Feil", "waitingState": "Familie venter",
                "scheduleProblem": "Timeplanfilen", "school": "Hele skolen",
            ]
        case .da:
            [
                "signinTeacher": "Log ind som lærer", "signinCaretaker": "Log ind som pedel",
                "pin": "PIN for lokalet", "token": "Adgangskode", "signin": "Log ind",
                "wrong": "Forkert kode.", "locked": "For mange forsøg. Prøv igen om %d sekunder.",
                "closed": "Denne side er ikke sat op på denne kiosk.", "remaining": "Tilbage",
                "overrun": "Over tiden", "late": "Lokalet er %d min forsinket", "onTime": "Til tiden",
                "now": "Nu", "waiting": "Venter", "next": "Næste", "nobody": "Ingen",
                "since": "siden", "interpreter": "Tolk", "start": "Start næste", "end": "Afslut",
                "extend": "+5 min", "noShow": "Udeblev", "checkIn": "Tjek ind", "undo": "Fortryd",
                "signout": "Log ud", "room": "Lokale", "state": "Tilstand", "current": "I gang",
                "lateCol": "Forsinket", "held": "Afholdt", "noShows": "Udeblevet", "kiosks": "Kiosker",
                "lastSeen": "Sidst set", "attention": "Kræver opsyn", "fine": "OK", "noKiosk": "Lokaler uden kiosk",
                "stale": "Ingen forbindelse til kiosken", "done": "Udført", "refused": "Ikke udført",
                "free": "Ledig", "in-session": "Samtale i gang", "ending-soon": "Snart færdig",
                "closedState": "Lukket", "fault": "Fejl", "waitingState": "Familie venter",
                "scheduleProblem": "Skemafilen", "school": "Hele skolen",
            ]
        case .en:
            [
                "signinTeacher": "Sign in as the teacher", "signinCaretaker": "Sign in as a caretaker",
                "pin": "The room's PIN", "token": "Access token", "signin": "Sign in",
                "wrong": "Wrong code.", "locked": "Too many tries. Try again in %d seconds.",
                "closed": "This page is not set up on this kiosk.", "remaining": "Remaining",
                "overrun": "Overrun", "late": "The room runs %d min late", "onTime": "On time",
                "now": "Now", "waiting": "Waiting", "next": "Next", "nobody": "Nobody",
                "since": "since", "interpreter": "Interpreter", "start": "Start next", "end": "End",
                "extend": "+5 min", "noShow": "No-show", "checkIn": "Check in", "undo": "Undo",
                "signout": "Sign out", "room": "Room", "state": "State", "current": "Now",
                "lateCol": "Late", "held": "Held", "noShows": "No-shows", "kiosks": "Kiosks",
                "lastSeen": "Last seen", "attention": "Needs attention", "fine": "OK",
                "noKiosk": "Rooms without a kiosk",
                "stale": "No contact with the kiosk", "done": "Done", "refused": "Not done",
                "free": "Free", "in-session": "In session", "ending-soon": "Ending soon",
                "closedState": "Closed", "fault": "Fault", "waitingState": "Family waiting",
                "scheduleProblem": "The schedule file", "school": "The whole school",
            ]
        }
    }

    static func escape(_ s: String) -> String { HTMLText.escape(s) }

    static func stringsAttribute(_ language: Language) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: strings(language), options: [.sortedKeys])) ?? Data()
        return escape(String(decoding: data, as: UTF8.self))
    }

    static func head(_ language: Language, _ title: String, csrf: String?) -> String {
        """
        <!doctype html>
        <html lang="\(language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        \(csrf.map { "<meta name=\"csrf-token\" content=\"\(escape($0))\">" } ?? "")
        <title>\(escape(title))</title>
        <link rel="stylesheet" href="/static/staff.css">
        </head>
        """
    }

    public static func signIn(language: Language, role: StaffRole, message: Message?) -> String {
        let t = strings(language)
        let title = role == .teacher ? t["signinTeacher"]! : t["signinCaretaker"]!
        let label = role == .teacher ? t["pin"]! : t["token"]!
        let note: String =
            switch message {
            case .none: ""
            case .wrong: "<p class=\"message\" role=\"alert\">\(t["wrong"]!)</p>"
            case .locked(let s):
                "<p class=\"message\" role=\"alert\">\(t["locked"]!.replacingOccurrences(of: "%d", with: "\(s)"))</p>"
            case .closed: "<p class=\"message\" role=\"alert\">\(t["closed"]!)</p>"
            }
        let input =
            role == .teacher
            ? "<input id=\"secret\" name=\"secret\" type=\"password\" inputmode=\"numeric\" autocomplete=\"current-password\" required maxlength=\"64\" autofocus>"
            : "<input id=\"secret\" name=\"secret\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"256\" autofocus>"
        return head(language, title, csrf: nil) + """
            <body class="signin">
            <main>
            <h1>\(escape(title))</h1>
            \(note)
            <form method="post" action="/signin">
            <input type="hidden" name="role" value="\(role.rawValue)">
            <label for="secret">\(escape(label))</label>
            \(input)
            <button type="submit">\(escape(t["signin"]!))</button>
            </form>
            </main>
            </body>
            </html>
            """
    }

    public static func teacherPage(language: Language, csrf: String, amberSeconds: Int, redSeconds: Int) -> String {
        let t = strings(language)
        return head(language, "Samtale", csrf: csrf) + """
            <body class="teacher" data-page="teacher" data-amber="\(amberSeconds)" data-red="\(redSeconds)" data-strings="\(stringsAttribute(language))">
            <header><h1 id="room"></h1><span id="clock"></span><button id="signout" class="quiet">\(escape(t["signout"]!))</button></header>
            <p id="stale" class="stale" hidden>\(escape(t["stale"]!))</p>
            <section id="timer" class="timer green"><div id="timerLabel">\(escape(t["remaining"]!))</div><div id="countdown">–</div><div id="late"></div></section>
            <section class="people">
            <div><h2>\(escape(t["now"]!))</h2><div id="current" class="slot"></div></div>
            <div><h2>\(escape(t["waiting"]!))</h2><ul id="waiting"></ul></div>
            <div><h2>\(escape(t["next"]!))</h2><div id="next" class="slot"></div></div>
            </section>
            <nav class="actions">
            <button data-action="start">\(escape(t["start"]!))</button>
            <button data-action="end">\(escape(t["end"]!))</button>
            <button data-action="extend">\(escape(t["extend"]!))</button>
            <button data-action="no-show">\(escape(t["noShow"]!))</button>
            <button data-action="check-in">\(escape(t["checkIn"]!))</button>
            <button data-action="undo" id="undo" disabled>\(escape(t["undo"]!))</button>
            </nav>
            <p id="result" role="status" aria-live="polite"></p>
            <script src="/static/staff.js"></script>
            </body>
            </html>
            """
    }

    public static func caretakerPage(language: Language, csrf: String) -> String {
        let t = strings(language)
        return head(language, "Samtale", csrf: csrf) + """
            <body class="caretaker" data-page="caretaker" data-strings="\(stringsAttribute(language))">
            <header><h1>\(escape(t["school"]!))</h1><span id="clock"></span><button id="signout" class="quiet">\(escape(t["signout"]!))</button></header>
            <p id="stale" class="stale" hidden>\(escape(t["stale"]!))</p>
            <p id="scheduleProblem" class="stale" hidden></p>
            <table><thead><tr><th>\(escape(t["room"]!))</th><th>\(escape(t["state"]!))</th><th>\(escape(t["current"]!))</th><th>\(escape(t["next"]!))</th><th>\(escape(t["lateCol"]!))</th><th>\(escape(t["waiting"]!))</th><th>\(escape(t["held"]!))</th><th>\(escape(t["noShows"]!))</th></tr></thead><tbody id="rooms"></tbody></table>
            <h2>\(escape(t["kiosks"]!))</h2>
            <table><thead><tr><th>Kiosk</th><th>\(escape(t["room"]!))</th><th>\(escape(t["lastSeen"]!))</th><th>\(escape(t["attention"]!))</th></tr></thead><tbody id="kiosks"></tbody></table>
            <p id="noKiosk"></p>
            <script src="/static/staff.js"></script>
            </body>
            </html>
            """
    }

    public static let css = """
        :root { color-scheme: light; --green: #0b6b2b; --amber: #8a5300; --red: #a10f0f; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 18px/1.4 system-ui, "DejaVu Sans", sans-serif; color: #111; background: #f6f6f4; }
        header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; background: #1d2b3a; color: #fff; }
        header h1 { font-size: 1.3rem; margin: 0; flex: 1; }
        button { font: inherit; padding: .7rem 1rem; min-height: 48px; border-radius: .4rem; border: 2px solid #1d2b3a; background: #fff; color: #1d2b3a; cursor: pointer; }
        button:disabled { opacity: .45; cursor: default; }
        button.quiet { background: transparent; color: #fff; border-color: #fff; min-height: 36px; padding: .3rem .7rem; }
        .signin main { max-width: 24rem; margin: 10vh auto; padding: 1.5rem; background: #fff; border-radius: .6rem; }
        .signin label, .signin input, .signin button { display: block; width: 100%; margin-top: .6rem; }
        .signin input { font-size: 1.6rem; padding: .5rem; letter-spacing: .2em; }
        .message { color: var(--red); font-weight: 600; }
        .stale { background: #fff3cd; color: #5c3d00; padding: .5rem 1rem; margin: 0; font-weight: 600; }
        .timer { margin: 1rem; padding: 1rem; border-radius: .8rem; text-align: center; color: #fff; }
        .timer.green { background: var(--green); } .timer.amber { background: var(--amber); } .timer.red { background: var(--red); }
        .timer.idle { background: #4a5563; }
        #countdown { font-size: clamp(3rem, 18vw, 9rem); font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.1; }
        #timerLabel, #late { font-size: 1.3rem; }
        .people { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; margin: 0 1rem; }
        .people h2 { font-size: 1rem; text-transform: uppercase; letter-spacing: .05em; color: #444; margin: .2rem 0; }
        .slot, .people ul { background: #fff; border-radius: .5rem; padding: .6rem .8rem; margin: 0; min-height: 3rem; list-style: none; }
        .who { font-weight: 700; font-size: 1.2rem; } .meta { color: #333; }
        .actions { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem; }
        .actions button { flex: 1 1 8rem; }
        #result { margin: 0 1rem 1rem; min-height: 1.4em; }
        table { border-collapse: collapse; margin: 1rem; width: calc(100% - 2rem); background: #fff; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
        .state::before { content: attr(data-symbol) " "; }
        .attention { color: var(--red); font-weight: 600; }
        .caretaker h2, .caretaker > p { margin: 1rem; }
        @media (max-width: 480px) { body { font-size: 16px; } .actions button { flex: 1 1 45%; } table { font-size: 14px; } }
        """

    public static let js = #"""
        "use strict";
        (function () {
          const body = document.body;
          const page = body.dataset.page;
          if (!page) return;
          const t = JSON.parse(body.dataset.strings || "{}");
          const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
          const $ = (id) => document.getElementById(id);
          const fmt = (iso) => iso ? new Date(iso).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", hour12: false }) : "";
          const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
          const symbols = { "free": "○", "waiting": "◐", "in-session": "●", "ending-soon": "◔", "overrun": "▲", "closed": "■", "fault": "✕" };
          const stateText = (s) => s === "closed" ? t.closedState : s === "waiting" ? t.waitingState : (t[s] || s);
          let lastSeen = Date.now();
          setInterval(() => { $("clock").textContent = fmt(new Date().toISOString()); $("stale").hidden = Date.now() - lastSeen < 45000; }, 1000);
          const post = (path) => fetch(path, { method: "POST", credentials: "same-origin", headers: { "X-Samtale-CSRF": csrf } });
          $("signout").addEventListener("click", () => post("/signout").then(() => location.assign("/")));

          if (page === "teacher") {
            const amber = Number(body.dataset.amber), red = Number(body.dataset.red);
            let view = null, received = 0, undoUntil = 0;
            const person = (s, withSince) => {
              const d = el("div");
              if (!s) { d.append(el("span", "meta", t.nobody)); return d; }
              d.append(el("div", "who", s.pupil));
              if (s.guardians && s.guardians.length) d.append(el("div", "meta", s.guardians.join(", ")));
              let meta = fmt(s.start) + "–" + fmt(s.end);
              if (s.kind) meta += " · " + s.kind;
              d.append(el("div", "meta", meta));
              if (s.interpreter) d.append(el("div", "meta", t.interpreter + ": " + s.interpreter));
              if (withSince && s.checkedIn) d.append(el("div", "meta", t.since + " " + fmt(s.checkedIn)));
              return d;
            };
            const tick = () => {
              if (!view) return;
              const elapsed = Math.floor((Date.now() - received) / 1000);
              const timer = $("timer");
              let cls = "idle", label = t.remaining, text = "–";
              if (view.light === "overrun" || view.overrunSeconds > 0) {
                const s = (view.overrunSeconds || 0) + elapsed; cls = "red"; label = t.overrun;
                text = "+" + Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
              } else if (view.remainingSeconds != null) {
                const s = Math.max(0, view.remainingSeconds - elapsed);
                cls = s <= red ? "red" : s <= amber ? "amber" : "green";
                text = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
              }
              timer.className = "timer " + cls;
              $("timerLabel").textContent = label;
              $("countdown").textContent = text;
              $("undo").disabled = Date.now() > undoUntil;
            };
            const render = (v) => {
              view = v; received = Date.now(); lastSeen = received;
              $("room").textContent = t.room + " " + v.room;
              $("late").textContent = v.runningLateMinutes > 0 ? t.late.replace("%d", v.runningLateMinutes) : t.onTime;
              $("current").replaceChildren(person(v.current, false));
              $("next").replaceChildren(person(v.next, false));
              const list = $("waiting"); list.replaceChildren();
              if (!v.waiting.length) list.append(el("li", "meta", t.nobody));
              for (const w of v.waiting) { const li = el("li"); li.append(person(w, true)); list.append(li); }
              tick();
            };
            document.querySelectorAll("button[data-action]").forEach((b) => b.addEventListener("click", () => {
              let path = "/api/teacher/" + b.dataset.action;
              if (b.dataset.action === "check-in" && view && view.next) path += "?id=" + encodeURIComponent(view.next.id);
              post(path).then((r) => r.json().then((j) => {
                $("result").textContent = (r.ok ? t.done : t.refused + ": " + j.result) ;
                if (r.ok && b.dataset.action !== "undo") undoUntil = Date.now() + 10000;
                if (b.dataset.action === "undo") undoUntil = 0;
                tick();
              })).catch(() => { $("result").textContent = t.stale; });
            }));
            setInterval(tick, 1000);
            const connect = () => {
              const es = new EventSource("/teacher/events");
              es.onmessage = (e) => render(JSON.parse(e.data));
              es.addEventListener("ping", () => { lastSeen = Date.now(); });
              es.onerror = () => { if (es.readyState === EventSource.CLOSED) setTimeout(connect, 3000); };
            };
            connect();
          }

          if (page === "caretaker") {
            const render = (v) => {
              lastSeen = Date.now();
              const rooms = $("rooms"); rooms.replaceChildren();
              for (const r of v.rooms) {
                const s = r.status, tr = el("tr");
                tr.append(el("td", null, s.room));
                const st = el("td", "state", s.served === false ? t.noKiosk : stateText(s.light)); st.dataset.symbol = symbols[s.light] || ""; tr.append(st);
                tr.append(el("td", null, s.current ? fmt(s.current.start) + "–" + fmt(s.current.end) : "–"));
                tr.append(el("td", null, s.next ? fmt(s.next.expectedStart || s.next.start) : "–"));
                tr.append(el("td", null, s.runningLateMinutes > 0 ? s.runningLateMinutes + " min" : "–"));
                tr.append(el("td", null, String(s.waitingCount)));
                tr.append(el("td", null, String(r.held)));
                tr.append(el("td", null, String(r.noShows)));
                rooms.append(tr);
              }
              const kiosks = $("kiosks"); kiosks.replaceChildren();
              for (const k of v.kiosks) {
                const tr = el("tr");
                tr.append(el("td", null, k.health.kiosk));
                tr.append(el("td", null, k.health.room));
                tr.append(el("td", null, fmt(k.health.at)));
                tr.append(el("td", k.attention.length ? "attention" : null, k.attention.length ? k.attention.join("; ") : t.fine));
                kiosks.append(tr);
              }
              $("noKiosk").textContent = v.roomsWithoutKiosk.length ? t.noKiosk + ": " + v.roomsWithoutKiosk.join(", ") : "";
              const p = $("scheduleProblem");
              p.hidden = !v.scheduleProblem && !v.openBy;
              p.textContent = [v.scheduleProblem, v.openBy].filter(Boolean).map((x) => t.scheduleProblem + ": " + x).join(" · ");
            };
            const load = () => fetch("/api/caretaker", { credentials: "same-origin" })
              .then((r) => { if (r.status === 401) { location.assign("/signin?as=caretaker"); return null; } return r.json(); })
              .then((v) => { if (v) render(v); }).catch(() => {});
            load(); setInterval(load, 5000);
          }
        })();
        """#
}
