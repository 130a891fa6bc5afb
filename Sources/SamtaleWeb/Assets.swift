/// The door page, its style and its script, served from the binary: nothing from the internet.
///
/// One page for every display a kiosk uses (800×480, 480×320, 1024×600, landscape and portrait):
/// sizes follow the viewport's smaller side, so nothing scrolls. State is always text and a symbol,
/// never colour alone; every string comes from the catalogue; the page says plainly when what it
/// shows may be out of date (no connection to the service, or a schedule file it cannot read).
enum Assets {
    static func doorHTML(language: Language, demo: Bool) -> String {
        let s = Catalogue.strings(language)
        let legend = ["free", "waiting", "in-session", "ending-soon", "overrun", "closed"].map { light in
            "<li><span class=\"sw sw-\(light)\" aria-hidden=\"true\">\(symbols[light]!)</span>\(s["legend." + light]!)</li>"
        }.joined()
        return """
            <!doctype html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(s["title"]!)</title>
            <link rel="stylesheet" href="/static/door.css">
            <script src="/static/door.js" defer></script>
            </head>
            <body data-lang="\(language.rawValue)" data-demo="\(demo)">
            <main id="door" class="light-closed">
              <header><div id="where"><span id="room"></span><span id="teachers"></span></div>
                <div id="when"><time id="clock">\(s["clockUnknown"]!)</time><span id="date"></span></div></header>
              <section id="banner" role="status" aria-live="polite"><span id="symbol" aria-hidden="true"></span>
                <span id="state-text"><span id="state"></span><span id="substate"><b id="countdown"></b><span id="subtext"></span></span></span></section>
              <section id="slots">
                <div id="current" class="row"><span class="label">\(s["now"]!)</span><span class="text"><b id="current-slot"></b></span></div>
                <div id="next" class="row"><span class="label">\(s["next"]!)</span><span class="text"><b id="next-slot"></b> <span id="next-note"></span></span></div>
                <div id="later" class="row"><span class="label">\(s["later"]!)</span><span class="text" id="later-slots"></span></div>
              </section>
              <section id="notice" hidden></section>
              <section id="action"><span id="instruction">\(s["pressOnArrival"]!)</span><button id="checkin" type="button" aria-label="\(s["checkInButtonLabel"]!)">\(s["checkInButton"]!)</button></section>
              <footer id="legend"><span class="label">\(s["legend.title"]!):</span><ul>\(legend)</ul></footer>
              <div id="ack" role="alert" hidden data-seq="0"></div>
            </main>
            <div id="night" hidden><time id="night-clock"></time><span id="night-room"></span><span id="night-text"></span></div>
            </body>
            </html>
            """
    }

    /// The symbol beside each state, so that no state is told by colour alone.
    static let symbols: [String: String] = [
        "free": "✓", "waiting": "◷", "in-session": "●", "ending-soon": "◐", "overrun": "!", "closed": "✕",
        "fault": "⚠", "stale": "?",
    ]

    static let css = #"""
        :root { --u:min(1vh, 1.5vw); --dx:0px; --dy:0px;
          --free:#0b6e2a; --waiting:#8a5a00; --in-session:#b3261e; --ending-soon:#9a3412; --overrun:#7f1d1d;
          --closed:#3c4043; --fault:#6b2fa3; --stale:#44474a; }
        @media (orientation: portrait) { :root { --u:min(0.72vh, 1.04vw); } }
        @media (orientation: portrait) and (min-aspect-ratio: 13/20) { :root { --u:min(0.66vh, 1vw); } }
        * { box-sizing:border-box; }
        html, body { margin:0; width:100%; height:100%; overflow:hidden; background:#fff; color:#111;
          font-family:"DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; }
        [hidden] { display:none !important; }
        body.kiosk, body.kiosk * { cursor:none !important; }
        main { position:fixed; inset:0; display:grid; gap:calc(1.4 * var(--u)) calc(3 * var(--u));
          grid-template-columns:minmax(0, 1fr) minmax(0, max-content); grid-template-rows:auto auto auto 1fr auto;
          grid-template-areas:"header header" "banner banner" "slots action" "notice action" "legend legend";
          padding:calc(2 * var(--u) + var(--dy)) calc(3 * var(--u) + 4px - var(--dx))
            calc(2 * var(--u) + 4px - var(--dy)) calc(3 * var(--u) + var(--dx)); }
        header { grid-area:header; display:flex; justify-content:space-between; align-items:flex-start; gap:calc(3 * var(--u));
          font-size:calc(6 * var(--u)); line-height:1.15; }
        #where { min-width:0; }
        #room { display:block; font-weight:700; overflow-wrap:anywhere; }
        #teachers { display:block; font-size:.6em; color:#333; overflow-wrap:anywhere; }
        #when { text-align:right; white-space:nowrap; }
        #clock { display:block; font-weight:700; font-variant-numeric:tabular-nums; }
        #date { display:block; font-size:.55em; color:#333; }
        #banner { grid-area:banner; display:flex; align-items:center; gap:calc(3 * var(--u)); color:#fff; background:var(--closed);
          padding:calc(1.6 * var(--u)) calc(3 * var(--u)); border-radius:calc(1.5 * var(--u)); }
        #symbol { flex:none; font-size:calc(12 * var(--u)); line-height:1.2; width:1.1em; text-align:center; font-weight:700; }
        #state-text { min-width:0; }
        #state { display:block; font-size:calc(11 * var(--u)); font-weight:700; line-height:1.15; overflow-wrap:anywhere; }
        #substate { display:block; font-size:calc(5.5 * var(--u)); line-height:1.2; margin-top:calc(.5 * var(--u));
          font-variant-numeric:tabular-nums; }
        .light-free #banner { background:var(--free); }
        .light-waiting #banner { background:var(--waiting); }
        .light-in-session #banner { background:var(--in-session); }
        .light-ending-soon #banner { background:var(--ending-soon); }
        .light-overrun #banner { background:var(--overrun); }
        .light-closed #banner { background:var(--closed); }
        .light-fault #banner { background:var(--fault); }
        main.stale #banner { background:var(--stale); outline:calc(.8 * var(--u)) dashed #111; outline-offset:calc(-.8 * var(--u)); }
        .light-overrun:not(.stale) #symbol { animation:blink 1s steps(2) infinite; }
        @keyframes blink { 50% { opacity:.25; } }
        #slots { grid-area:slots; align-self:start; display:grid; grid-template-columns:max-content 1fr; column-gap:calc(3 * var(--u));
          row-gap:calc(.6 * var(--u)); font-size:calc(5.2 * var(--u)); line-height:1.2; }
        .row { display:contents; }
        .label { font-weight:700; }
        .text { min-width:0; overflow-wrap:anywhere; }
        #next-note, #later-slots { color:#333; }
        #notice { grid-area:notice; align-self:start; background:#fff3cd; color:#3d2c00; border:calc(.5 * var(--u)) solid #8a5a00; border-radius:calc(1 * var(--u));
          padding:calc(1 * var(--u)) calc(2 * var(--u)); font-size:calc(4.2 * var(--u)); line-height:1.2; }
        #action { grid-area:action; max-width:40vw; display:flex; flex-direction:column; align-items:stretch;
          justify-content:flex-end; gap:calc(1.2 * var(--u)); text-align:center; font-size:calc(4.6 * var(--u));
          line-height:1.2; }
        #instruction { min-width:0; font-weight:700; }
        #checkin { flex:none; font:inherit; font-size:calc(6.5 * var(--u)); font-weight:700; min-height:max(48px, calc(13 * var(--u)));
          padding:0 calc(5 * var(--u)); border-radius:calc(1.5 * var(--u)); background:#0b57d0; color:#fff;
          border:calc(.5 * var(--u)) solid #062e6f; touch-action:manipulation; }
        #checkin:active { background:#083f9b; }
        #checkin:disabled { background:#5f6368; border-color:#3c4043; }
        footer { grid-area:legend; font-size:calc(3.2 * var(--u)); color:#222; line-height:1.45; }
        footer .label { margin-right:.6em; }
        footer ul { display:inline; margin:0; padding:0; list-style:none; }
        footer li { display:inline-block; white-space:nowrap; margin-right:1.1em; }
        .sw { display:inline-block; min-width:1.4em; margin-right:.3em; text-align:center; color:#fff; border-radius:.3em;
          font-weight:700; }
        .sw-free { background:var(--free); } .sw-waiting { background:var(--waiting); }
        .sw-in-session { background:var(--in-session); } .sw-ending-soon { background:var(--ending-soon); }
        .sw-overrun { background:var(--overrun); } .sw-closed { background:var(--closed); }
        #ack { position:fixed; inset:calc(8 * var(--u)) calc(5 * var(--u)); background:#111; color:#fff;
          border:calc(.8 * var(--u)) solid var(--free); border-radius:calc(2 * var(--u)); padding:calc(4 * var(--u));
          font-size:calc(7.5 * var(--u)); font-weight:700; line-height:1.2; display:flex; flex-direction:column;
          justify-content:center; gap:calc(2 * var(--u)); overflow-wrap:anywhere; }
        #ack.refused { border-color:#f2b705; }
        #ack small { font-size:.7em; font-weight:400; }
        body.night { background:#000; }
        body.night main { display:none; }
        #night { position:fixed; inset:0; display:flex; flex-direction:column; align-items:center; justify-content:center;
          gap:calc(2 * var(--u)); color:#a0a0a0; text-align:center;
          padding:calc(4 * var(--u) + 6 * var(--dy)) calc(4 * var(--u) + 24px - 6 * var(--dx))
            calc(4 * var(--u) + 24px - 6 * var(--dy)) calc(4 * var(--u) + 6 * var(--dx)); }
        #night-clock { font-size:calc(24 * var(--u)); font-variant-numeric:tabular-nums; line-height:1.2; }
        #night-room, #night-text { font-size:calc(5 * var(--u)); overflow-wrap:anywhere; }
        body.night-dark #night { display:none; }
        @media (orientation: portrait) {
          main { grid-template-columns:minmax(0, 1fr); grid-template-rows:auto auto auto auto 1fr auto;
            grid-template-areas:"header" "banner" "slots" "notice" "action" "legend"; }
          header { font-size:calc(6.5 * var(--u)); flex-wrap:wrap; gap:0; }
          #when { order:1; width:100%; display:flex; justify-content:space-between; align-items:baseline; }
          #where { order:2; width:100%; }
          #banner { padding:calc(1.2 * var(--u)) calc(2.5 * var(--u)); }
          #symbol { font-size:calc(9 * var(--u)); }
          #state { font-size:calc(9 * var(--u)); }
          #substate { font-size:calc(4.6 * var(--u)); }
          #slots { font-size:calc(5.4 * var(--u)); }
          #notice { font-size:calc(3.9 * var(--u)); }
          #action { max-width:none; align-self:end; font-size:calc(5.2 * var(--u)); }
          #checkin { min-height:max(48px, calc(13 * var(--u))); }
          footer { font-size:calc(3.4 * var(--u)); line-height:1.3; }
          footer ul { display:grid; grid-template-columns:1fr 1fr; gap:calc(.4 * var(--u)) calc(1.5 * var(--u)); }
          footer li { white-space:normal; margin:0; }
        }
        """#

    static var js: String {
        let symbolsJSON =
            "{" + symbols.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
            + "}"
        return #"""
            "use strict";
            (function () {
              const body = document.body;
              const lang = body.dataset.lang;
              const SYM = \#(symbolsJSON);
              const STALE_DOWN_MS = 5000;      // the connection has been down this long
              const STALE_QUIET_MS = 40000;    // or nothing (not even a ping) for this long
              let S = {};
              let view = null;
              let offset = null;               // the service's clock minus this page's, ms
              let lastContact = Date.now();    // this page's clock at the last message or ping
              let downSince = null;
              let ackSeq = 0;
              let failedUntil = 0;
              let wakeUntil = 0;
              let es = null;
              const $ = (id) => document.getElementById(id);
              const pad = (n) => String(n).padStart(2, "0");
              const fill = (key, vals) => (S[key] || "").replace(/\{(\w)\}/g, (_, k) => (vals && vals[k] !== undefined && vals[k] !== null) ? vals[k] : "");
              const hm = (iso) => iso ? iso.substring(11, 16) : "";
              const slot = (s) => hm(s.start) + "–" + hm(s.end) + (s.identify ? " (" + s.identify + ")" : "");
              const serverNow = () => Date.now() + (offset || 0);
              const setText = (id, t) => { const e = $(id); if (e.textContent !== t) e.textContent = t; };

              // The school's local time: the service's ISO times carry the school's offset.
              function zoneOffset() {
                const m = /([+-])(\d\d):(\d\d)$/.exec((view && view.now) || "");
                return m ? (m[1] === "-" ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10)) * 60000 : 0;
              }
              const local = (ms) => new Date(ms + zoneOffset());
              const clockText = (ms) => { const t = local(ms); return pad(t.getUTCHours()) + ":" + pad(t.getUTCMinutes()); };
              function dateText(ms) {
                const t = local(ms);
                return fill("date", { w: (S.weekdays || "").split(",")[t.getUTCDay()], d: t.getUTCDate(), M: (S.months || "").split(",")[t.getUTCMonth()] });
              }
              function age(ms) {
                const s = Math.max(0, Math.round(ms / 1000));
                if (s < 90) return fill("age.seconds", { n: s });
                const m = Math.round(s / 60);
                return m < 120 ? fill("age.minutes", { n: m }) : fill("age.hours", { n: Math.round(m / 60) });
              }

              function render() {
                if (!view) return;
                const now = Date.now();
                const stale = (downSince !== null && now - downSince > STALE_DOWN_MS) || now - lastContact > STALE_QUIET_MS;
                const light = view.light;
                const sNow = serverNow();
                const elapsed = Math.max(0, (sNow - Date.parse(view.now)) / 1000);
                $("door").className = "light-" + light + (stale ? " stale" : "");
                const night = !stale && view.night && now > wakeUntil ? view.night : null;
                body.classList.toggle("night", !!night);
                body.classList.toggle("night-dark", night === "dark");
                $("night").hidden = night !== "clock";
                const clock = view.clockTrusted ? clockText(sNow) : fill("clockUnknown");
                setText("clock", clock);
                setText("date", view.clockTrusted ? dateText(sNow) : "");
                setText("room", view.roomName || view.room);
                setText("teachers", (view.teachers || []).join(", "));
                if (night === "clock") {
                  setText("night-clock", clock);
                  setText("night-room", view.roomName || view.room);
                  const n = view.next;
                  setText("night-text", n ? fill("nightNext", { d: dateText(Date.parse(n.start)), t: hm(n.start) }) : fill("dayOver"));
                }

                const cur = view.current;
                let remaining = "";
                if (cur && !stale) {
                  const rem = (view.remainingSeconds || 0) - elapsed;
                  remaining = rem > 0 ? fill("remaining", { m: Math.ceil(rem / 60) })
                    : fill("overBy", { m: Math.max(1, Math.floor(((view.overrunSeconds || 0) + elapsed) / 60)) });
                }
                let state, sub;
                if (stale) {
                  state = fill("light.stale");
                  setText("symbol", SYM.stale);
                  sub = fill("staleDetail", { t: clockText(lastContact + (offset || 0)), a: age(now - lastContact) });
                } else {
                  state = fill("light." + light);
                  setText("symbol", SYM[light] || "");
                  const parts = [];
                  // The minutes left (or over) first: what a family in the corridor wants to know.
                  if (light === "in-session" || light === "ending-soon" || light === "overrun") parts.push(fill("pleaseWait"));
                  else if (light === "waiting") parts.push(fill("teacherWillCall"));
                  else if (light === "closed" && view.dayOver) parts.push(fill("dayOver"));
                  else if (light === "closed" && view.checkInOpensAt) parts.push(fill("checkInOpensAt", { o: hm(view.checkInOpensAt) }));
                  if (view.runningLateMinutes > 0 && light !== "closed") parts.push(fill("runningLate", { m: view.runningLateMinutes }));
                  sub = parts.join(" · ");
                }
                setText("state", state);
                setText("countdown", remaining);
                setText("subtext", (remaining && sub ? " · " : "") + sub);
                $("substate").hidden = !remaining && !sub;

                $("current").hidden = !cur && light === "closed";
                setText("current-slot", cur ? slot(cur) : fill("noConference"));
                const next = view.next;
                $("next").hidden = !next;
                if (next) {
                  setText("next-slot", slot(next));
                  const notes = [];
                  if (next.lateMinutes > 0 && next.expectedStart) notes.push(fill("expected", { t: hm(next.expectedStart) }) + ", " + fill("late", { m: next.lateMinutes }));
                  else notes.push(fill("onTime"));
                  if (next.waiting) notes.push(fill("familyWaiting"));
                  setText("next-note", notes.join(" · "));
                }
                const later = (view.upcoming || []).slice(1);
                $("later").hidden = later.length === 0;
                setText("later-slots", later.map((s) => hm(s.expectedStart || s.start)).join(", "));

                const notices = [];
                if (!view.clockTrusted) notices.push(fill("clockNotSet"));
                (view.faults || []).forEach((f) => {
                  if (f === "clock") return;
                  if (f === "schedule" && view.scheduleReadAt) notices.push(fill("scheduleOld", { t: hm(view.scheduleReadAt), a: age(sNow - Date.parse(view.scheduleReadAt)) }));
                  else notices.push(fill("fault." + f));
                });
                if (failedUntil > now) notices.push(fill("checkInFailed"));
                $("notice").hidden = notices.length === 0;
                setText("notice", notices.join(" · "));

                let instruction = "";
                let button = false;
                if (stale || !view.clockTrusted) instruction = fill("knock");
                else if (view.checkInOpen) { instruction = fill("pressOnArrival"); button = true; }
                else if (view.checkInOpensAt && light !== "closed") instruction = fill("checkInOpensAt", { o: hm(view.checkInOpensAt) });
                $("action").hidden = !instruction;
                setText("instruction", instruction);
                $("checkin").hidden = !button;

                const ack = view.acknowledgement;
                const showAck = !stale && !!ack && sNow - Date.parse(ack.at) < 9000;
                $("ack").hidden = !showAck;
                if (showAck) {
                  const vals = { s: hm(ack.slotStart), o: hm(ack.opensAt), t: hm(ack.expectedStart || ack.slotStart), n: ack.ahead };
                  const ok = ack.result === "checked-in" || ack.result === "already-checked-in";
                  const lines = [fill("ack." + ack.result, vals)];
                  if (ok) lines.push(fill("ack.ahead", vals));
                  if (ok && ack.ahead > 0) lines.push(fill("ack.aheadCount", vals));
                  const text = lines.join("\n");
                  if ($("ack").dataset.text !== text) {
                    $("ack").dataset.text = text;
                    $("ack").replaceChildren(...lines.map((l, i) => { const e = document.createElement(i ? "small" : "span"); e.textContent = (i ? "" : (ok ? "✓ " : "ℹ ")) + l; return e; }));
                  }
                  $("ack").classList.toggle("refused", !ok);
                }
              }

              // A slow pixel shift against burn-in: a few pixels, one step a minute.
              function shift() {
                const k = Math.floor(Date.now() / 60000);
                document.documentElement.style.setProperty("--dx", (k % 5) + "px");
                document.documentElement.style.setProperty("--dy", (Math.floor(k / 5) % 5) + "px");
              }

              function accept(v) {
                view = v;
                lastContact = Date.now();
                downSince = null;
                const o = Date.parse(v.now) - lastContact;
                // The service's times are whole seconds: keep the offset unless it moved for real.
                if (offset === null || Math.abs(o - offset) > 1500) offset = o;
                render();
                if (v.acknowledgement && !$("ack").hidden) $("ack").dataset.seq = String(++ackSeq);
              }

              function connect() {
                if (es) es.close();
                es = new EventSource("/events");
                es.onopen = () => { downSince = null; lastContact = Date.now(); };
                es.onmessage = (e) => { try { accept(JSON.parse(e.data)); } catch (err) { } };
                es.addEventListener("ping", () => { lastContact = Date.now(); downSince = null; });
                es.onerror = () => {
                  if (downSince === null) downSince = Date.now();
                  // EventSource retries by itself, unless the answer was not an event stream at all.
                  if (es.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
                };
              }

              $("checkin").addEventListener("click", () => {
                const b = $("checkin");
                b.disabled = true;
                setTimeout(() => { b.disabled = false; }, 1500);
                fetch("/api/checkin", { method: "POST" })
                  .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
                  .then(accept)
                  .catch(() => { failedUntil = Date.now() + 8000; render(); });
              });
              // A touch wakes a dark night screen for a minute.
              document.addEventListener("pointerdown", () => {
                if (view && view.night && Date.now() > wakeUntil) { wakeUntil = Date.now() + 60000; render(); }
              }, true);

              function boot() {
                fetch("/static/strings/" + lang + ".json").then((r) => r.json()).then((s) => {
                  S = s;
                  return fetch("/api/door").then((r) => r.json()).then(accept);
                }).then(connect, () => setTimeout(boot, 3000));
              }
              // The kiosk browser opens /?kiosk=1: no mouse pointer on the door.
              if (new URLSearchParams(location.search).has("kiosk")) body.classList.add("kiosk");
              shift();
              boot();
              setInterval(() => {
                if (es && Date.now() - lastContact > STALE_QUIET_MS && es.readyState === EventSource.OPEN) connect();
                render();
              }, 1000);
              setInterval(shift, 60000);
            })();
            """#
    }
}
