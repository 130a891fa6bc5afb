"""A small client for the Chrome DevTools protocol over --remote-debugging-pipe (fds 3 and 4,
NUL-separated JSON): Python's standard library only, no websocket, no downloads."""

import fcntl
import json
import os
import queue
import subprocess
import tempfile
import threading
import shutil


class CDPError(Exception):
    pass


def _high_fd(fd):
    """A copy of fd numbered 10 or above, so that placing the pipe on 3 and 4 never clobbers it."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


class Browser:
    """Debian's Chromium, headless, driven over a pipe."""

    def __init__(self, executable="chromium", extra_args=()):
        commands_r, commands_w = (_high_fd(fd) for fd in os.pipe())
        events_r, events_w = (_high_fd(fd) for fd in os.pipe())
        self.profile = tempfile.mkdtemp(prefix="samtale-chromium-")

        def place_fds():
            os.dup2(commands_r, 3)
            os.dup2(events_w, 4)

        args = [
            executable, "--headless=new", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
            "--disable-gpu", "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--hide-scrollbars", "--mute-audio", "--force-color-profile=srgb", "--user-data-dir=" + self.profile,
            *extra_args,
        ]
        if os.geteuid() == 0:
            args.append("--no-sandbox")
        args.append("about:blank")
        self.proc = subprocess.Popen(
            args, preexec_fn=place_fds, pass_fds=(3, 4), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(commands_r)
        os.close(events_w)
        self._out = os.fdopen(commands_w, "wb", buffering=0)
        self._in = events_r
        self._next_id = 0
        self._lock = threading.Lock()
        self._waiting = {}
        self._events = {}  # sessionId -> queue of events
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self._in, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._lock:
                    for q in self._waiting.values():
                        q.put({"error": {"message": "the browser went away"}})
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self._lock:
                        q = self._waiting.pop(msg["id"], None)
                    if q:
                        q.put(msg)
                else:
                    with self._lock:
                        q = self._events.setdefault(msg.get("sessionId"), queue.Queue())
                    q.put(msg)

    def send(self, method, params=None, session=None, timeout=30):
        """Sends a command and waits for its answer."""
        return self.wait(self.post(method, params, session), timeout)

    def post(self, method, params=None, session=None):
        """Sends a command; `wait` collects its answer."""
        with self._lock:
            self._next_id += 1
            mid = self._next_id
            q = queue.Queue()
            self._waiting[mid] = q
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._out.write(json.dumps(msg).encode() + b"\0")
        return (mid, q, method)

    def wait(self, handle, timeout=30):
        mid, q, method = handle
        try:
            msg = q.get(timeout=timeout)
        except queue.Empty:
            raise CDPError(f"{method}: no answer in {timeout} s")
        if "error" in msg:
            raise CDPError(f"{method}: {msg['error'].get('message')}")
        return msg.get("result", {})

    def events(self, session):
        with self._lock:
            return self._events.setdefault(session, queue.Queue())

    def new_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, target, session)

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser, target, session):
        self.browser = browser
        self.target = target
        self.session = session
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method, params=None, timeout=30):
        return self.browser.send(method, params, self.session, timeout)

    def post(self, method, params=None):
        return self.browser.post(method, params, self.session)

    def size(self, width, height):
        self.send("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False,
            "screenOrientation": {"type": "portraitPrimary" if height > width else "landscapePrimary",
                                  "angle": 0 if height > width else 90}})

    def navigate(self, url, timeout=20):
        events = self.browser.events(self.session)
        while not events.empty():
            events.get_nowait()
        self.send("Page.navigate", {"url": url})
        import time
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                ev = events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if ev.get("method") == "Page.loadEventFired":
                return
        raise CDPError(f"{url}: not loaded in {timeout} s")

    def eval(self, expression, timeout=30):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                      timeout)
        if "exceptionDetails" in r:
            raise CDPError(f"page script failed: {r['exceptionDetails'].get('exception', {}).get('description') or r['exceptionDetails']}")
        return r.get("result", {}).get("value")

    def screenshot(self, path):
        import base64
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.browser.send("Target.closeTarget", {"targetId": self.target}, timeout=5)
        except Exception:
            pass
