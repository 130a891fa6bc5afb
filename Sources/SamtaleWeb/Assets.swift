/// The door page, its style and its script, served from the binary: nothing from the internet.
enum Assets {
    static func doorHTML(language: Language, demo: Bool) -> String {
        let s = Catalogue.strings(language)
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
              <header><span id="room"></span><span id="teachers"></span><time id="clock"></time></header>
              <section id="banner" role="status" aria-live="polite"><span id="symbol" aria-hidden="true"></span><span id="state"></span></section>
              <section id="current"><span id="current-label" class="label"></span><span id="current-slot"></span><span id="remaining"></span></section>
              <section id="next"><span class="label">\(s["next"]!)</span><span id="next-slot"></span><span id="next-note"></span></section>
              <section id="later"><span class="label">\(s["later"]!)</span><span id="later-slots"></span></section>
              <section id="notice" hidden></section>
              <section id="action"><span id="instruction">\(s["pressOnArrival"]!)</span><button id="checkin" type="button">\(s["checkInButton"]!)</button></section>
              <footer id="legend">\(s["legend"]!)</footer>
              <div id="ack" role="alert" hidden></div>
            </main>
            </body>
            </html>
            """
    }

    static let css = """
        :root { --free:#0b6e2a; --waiting:#8a5a00; --session:#b3261e; --closed:#3c4043; --fault:#6b2fa3; }
        * { box-sizing: border-box; }
        html, body { margin:0; height:100%; overflow:hidden; background:#fff; color:#111;
          font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; }
        main { height:100vh; display:flex; flex-direction:column; padding:2vh 3vw; gap:1.2vh; }
        header { display:flex; gap:2vw; align-items:baseline; font-size:5vh; font-weight:700; }
        header #teachers { font-weight:400; flex:1; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
        header time { font-variant-numeric: tabular-nums; }
        #banner { display:flex; align-items:center; gap:2vw; color:#fff; padding:1.5vh 2vw; border-radius:1vh;
          font-size:9vh; font-weight:700; line-height:1.1; }
        .light-free #banner { background:var(--free); }
        .light-waiting #banner { background:var(--waiting); }
        .light-in-session #banner, .light-ending-soon #banner, .light-overrun #banner { background:var(--session); }
        .light-closed #banner { background:var(--closed); }
        .light-fault #banner { background:var(--fault); }
        .light-overrun #symbol { animation: blink 1s steps(2) infinite; }
        @keyframes blink { 50% { opacity:.2; } }
        section { font-size:5.5vh; display:flex; gap:2vw; align-items:baseline; flex-wrap:wrap; }
        .label { font-weight:700; min-width:14vw; }
        #remaining { font-weight:700; font-variant-numeric: tabular-nums; }
        #next-note, #later-slots { color:#333; }
        #notice { background:#fff3cd; color:#3d2c00; border:0.4vh solid #8a5a00; padding:1vh 2vw; font-size:4.5vh; }
        #action { margin-top:auto; justify-content:space-between; flex-wrap:nowrap; font-size:5vh; }
        #checkin { font-size:6vh; font-weight:700; padding:1.5vh 4vw; min-height:12vh; min-width:28vw; border-radius:1.5vh;
          background:#0b57d0; color:#fff; border:none; }
        #checkin:active { background:#083f9b; }
        footer { font-size:3vh; color:#333; }
        #ack { position:fixed; inset:10vh 6vw; background:#111; color:#fff; border-radius:2vh; padding:4vh 4vw;
          font-size:7vh; font-weight:700; display:flex; flex-direction:column; justify-content:center; gap:2vh; }
        #ack[hidden] { display:none; }
        #ack small { font-size:5vh; font-weight:400; }
        @media (orientation: portrait) {
          header { font-size:3.5vh; flex-wrap:wrap; }
          #banner { font-size:6vh; }
          section { font-size:3.8vh; }
          #action { flex-direction:column; align-items:stretch; gap:1vh; font-size:3.5vh; }
          #checkin { font-size:4.5vh; min-height:9vh; }
          footer { font-size:2.2vh; }
          #ack { font-size:5vh; }
        }
        """

    static let js = """
        "use strict";
        (function () {
          const lang = document.body.dataset.lang;
          const symbols = { "free": "✓", "waiting": "…", "in-session": "●", "ending-soon": "◐", "overrun": "!", "closed": "✕", "fault": "⚠" };
          let S = {};
          let view = null;
          let offset = 0;            // server clock minus this page's clock, ms
          let lastMessage = Date.now();
          const $ = (id) => document.getElementById(id);
          const fill = (key, vals) => (S[key] || key).replace(/\\{(\\w)\\}/g, (_, k) => (vals && vals[k] !== undefined) ? vals[k] : "");
          const hm = (iso) => iso ? iso.substring(11, 16) : "";
          const slot = (s) => hm(s.start) + "–" + hm(s.end) + (s.identify ? " (" + s.identify + ")" : "");
          const serverNow = () => Date.now() + offset;

          function render() {
            if (!view) return;
            const main = $("door");
            main.className = "light-" + view.light;
            $("room").textContent = view.roomName || view.room;
            $("teachers").textContent = (view.teachers || []).join(", ");
            $("clock").textContent = localTime();
            $("symbol").textContent = symbols[view.light] || "";
            let state = fill("light." + view.light);
            if (view.light === "in-session" || view.light === "ending-soon" || view.light === "overrun") state += " – " + fill("pleaseWait");
            if (view.dayOver && view.light === "closed") state = fill("light.closed") + " – " + fill("dayOver");
            $("state").textContent = state;
            const elapsed = Math.max(0, (serverNow() - Date.parse(view.now)) / 1000);
            if (view.current) {
              $("current-label").textContent = fill("now");
              $("current-slot").textContent = slot(view.current);
              const rem = view.remainingSeconds - elapsed;
              if (rem > 0) $("remaining").textContent = fill("remaining", { m: Math.ceil(rem / 60) });
              else $("remaining").textContent = fill("overBy", { m: Math.floor((view.overrunSeconds + elapsed) / 60) });
            } else {
              $("current-label").textContent = fill("now");
              $("current-slot").textContent = fill("noConference");
              $("remaining").textContent = "";
            }
            const next = view.next;
            $("next").hidden = !next;
            if (next) {
              $("next-slot").textContent = slot(next);
              let note = next.lateMinutes > 0 ? fill("expected", { t: hm(next.expectedStart) }) + ", " + fill("late", { m: next.lateMinutes }) : fill("onTime");
              if (next.waiting) note += " · " + fill("familyWaiting");
              $("next-note").textContent = note;
            }
            const later = (view.upcoming || []).slice(1);
            $("later").hidden = later.length === 0;
            $("later-slots").textContent = later.map((s) => hm(s.expectedStart || s.start)).join(", ");
            const notices = [];
            if (!view.clockTrusted) notices.push(fill("clockNotSet"));
            (view.faults || []).forEach((f) => { if (f !== "clock") notices.push(fill("fault." + f)); });
            if (Date.now() - lastMessage > 45000) notices.push(fill("stale", { t: hm(view.now) }));
            $("notice").hidden = notices.length === 0;
            $("notice").textContent = notices.join(" · ");
            const ack = view.acknowledgement;
            const showAck = ack && (serverNow() - Date.parse(ack.at)) < 8000;
            $("ack").hidden = !showAck;
            if (showAck) {
              const vals = { s: hm(ack.slotStart), o: hm(ack.opensAt), t: hm(ack.expectedStart) };
              $("ack").replaceChildren(document.createTextNode(fill("ack." + ack.result, vals)));
              if (ack.result === "checked-in" || ack.result === "already-checked-in") {
                const small = document.createElement("small");
                small.textContent = fill("ack.ahead", vals);
                $("ack").appendChild(small);
              }
            }
          }

          function localTime() {
            // The school's local time: the server's ISO time carries the school's offset.
            const base = Date.parse(view.now);
            const m = /([+-])(\\d\\d):(\\d\\d)$/.exec(view.now);
            const off = m ? (m[1] === "-" ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10)) : 0;
            const t = new Date(serverNow() + off * 60000);
            return String(t.getUTCHours()).padStart(2, "0") + ":" + String(t.getUTCMinutes()).padStart(2, "0");
          }

          function accept(v) {
            view = v;
            lastMessage = Date.now();
            offset = Date.parse(v.now) - Date.now();
            render();
          }

          function connect() {
            const es = new EventSource("/events");
            es.onmessage = (e) => { try { accept(JSON.parse(e.data)); } catch (err) { } };
            es.addEventListener("ping", () => { lastMessage = Date.now(); });
            es.onerror = () => { /* EventSource reconnects by itself */ };
          }

          $("checkin").addEventListener("click", () => {
            fetch("/api/checkin", { method: "POST" }).then((r) => r.json()).then(accept).catch(() => {});
          });

          fetch("/static/strings/" + lang + ".json").then((r) => r.json()).then((s) => {
            S = s;
            return fetch("/api/door").then((r) => r.json()).then(accept);
          }).catch(() => {}).finally(connect);
          setInterval(render, 1000);
        })();
        """
}
