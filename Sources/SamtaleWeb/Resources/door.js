"use strict";
(function () {
  const body = document.body;
  // Everything the page needs from the service comes as data in the page itself (one JSON block,
  // written by Swift): the language's strings, the state symbols and the view at the moment the
  // page was served. No fetch is needed before the first paint, and nothing Swift is spliced in here.
  const DATA = JSON.parse(document.getElementById("samtale-data").textContent);
  const SYM = DATA.symbols;
  const STALE_DOWN_MS = 5000;      // the connection has been down this long
  const STALE_QUIET_MS = 40000;    // or nothing (not even a ping) for this long
  const S = DATA.strings;
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

  // The kiosk browser opens /?kiosk=1: no mouse pointer on the door.
  if (new URLSearchParams(location.search).has("kiosk")) body.classList.add("kiosk");
  shift();
  accept(DATA.view);
  connect();
  setInterval(() => {
    if (es && Date.now() - lastContact > STALE_QUIET_MS && es.readyState === EventSource.OPEN) connect();
    render();
  }, 1000);
  setInterval(shift, 60000);
})();
