"use strict";
(function () {
  const body = document.body;
  const page = body.dataset.page;
  if (!page) return;
  // The page's data from the service (one JSON block, written by Swift): strings, symbols, limits.
  const DATA = JSON.parse(document.getElementById("samtale-data").textContent);
  const t = {};
  for (const k of Object.keys(DATA.strings)) if (k.startsWith("staff.")) t[k.slice(6)] = DATA.strings[k];
  // One placeholder syntax with the door and Swift: {m}, {s}, … filled from vals.
  const fill = (text, vals) => (text || "").replace(/\{(\w)\}/g, (_, k) => (vals && vals[k] !== undefined && vals[k] !== null) ? vals[k] : "");
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const $ = (id) => document.getElementById(id);
  const fmt = (iso) => iso ? new Date(iso).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", hour12: false }) : "";
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const symbols = DATA.symbols;
  const stateText = (s) => s === "closed" ? t.closedState : s === "waiting" ? t.waitingState : (t[s] || s);
  let lastSeen = Date.now();
  setInterval(() => { $("clock").textContent = fmt(new Date().toISOString()); $("stale").hidden = Date.now() - lastSeen < 45000; }, 1000);
  const post = (path) => fetch(path, { method: "POST", credentials: "same-origin", headers: { "X-Samtale-CSRF": csrf } });
  $("signout").addEventListener("click", () => post("/signout").then(() => location.assign("/")));

  if (page === "teacher") {
    const amber = DATA.amberSeconds, red = DATA.redSeconds;
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
      $("late").textContent = v.runningLateMinutes > 0 ? fill(t.late, { m: v.runningLateMinutes }) : t.onTime;
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
      if (b.dataset.action === "extend") path += "?minutes=" + DATA.extensionMinutes;
      post(path).then((r) => r.json().then((j) => {
        $("result").textContent = (r.ok ? t.done : t.refused + ": " + j.result) ;
        if (r.ok && b.dataset.action !== "undo") undoUntil = Date.now() + DATA.undoSeconds * 1000;
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
