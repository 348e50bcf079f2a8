"""Open a report in real headless Chromium and check it (DevTools protocol over a pipe, stdlib only).

    python -m valuechain.report.browser results/report.html --screenshot /tmp/report.png

Chromium is started with ``--remote-debugging-pipe``: commands go to its fd 3 and answers come back on
fd 4 as NUL-terminated JSON, so no websocket library and no open port are needed. The check records
every request the page makes (``Network.requestWillBeSent``), every console message, exception and
browser log entry (CSP violations included), asks Chromium which fonts it really used for Korean text
(``CSS.getPlatformFontsForNode``), reads DOM facts with ``Runtime.evaluate`` and takes a screenshot.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
]


def find_chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class CDPError(RuntimeError):
    pass


class Browser:
    """A headless Chromium driven through the DevTools pipe."""

    def __init__(self, exe: str | None = None, timeout: float = 60.0):
        exe = exe or find_chromium()
        if not exe:
            raise FileNotFoundError("chromium not found (apt-get install -y chromium)")
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="vc-chromium-")
        to_child_r, self._w = os.pipe()
        self._r, from_child_w = os.pipe()

        def fds():  # runs in the child: Chromium expects the pipe on fds 3 (in) and 4 (out)
            a, b = os.dup(to_child_r), os.dup(from_child_w)  # above 4, so neither dup2 clobbers the other
            os.dup2(a, 3)  # dup2 makes the copies inheritable (os.pipe fds are close-on-exec)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._next = 0
        self._lock = threading.Lock()
        self._cv = threading.Condition()
        self._answers: dict[int, dict] = {}
        self.events: list[dict] = []
        self._closed = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(target=lambda: self._stderr.extend(iter(self.proc.stderr.readline, b"")), daemon=True).start()

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cv:
                    self._closed = True
                    self._cv.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw.decode("utf-8"))
                with self._cv:
                    if "id" in msg:
                        self._answers[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self._cv.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        with self._lock:
            self._next += 1
            mid = self._next
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        try:
            os.write(self._w, json.dumps(msg).encode("utf-8") + b"\0")
        except BrokenPipeError as e:
            raise CDPError(
                f"chromium is gone ({method}): " + b"".join(self._stderr[-20:]).decode("utf-8", "replace")
            ) from e
        deadline = time.monotonic() + self.timeout
        with self._cv:
            while mid not in self._answers:
                if self._closed:
                    raise CDPError(
                        f"chromium closed the pipe during {method}: "
                        + b"".join(self._stderr[-20:]).decode("utf-8", "replace")
                    )
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CDPError(f"timeout waiting for {method}")
                self._cv.wait(left)
            ans = self._answers.pop(mid)
        if "error" in ans:
            raise CDPError(f"{method}: {ans['error']}")
        return ans.get("result", {})

    def wait_event(self, method: str, session: str | None = None, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._cv:
            while True:
                for ev in self.events:
                    if ev.get("method") == method and (session is None or ev.get("sessionId") == session):
                        return ev
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise CDPError(f"no {method} event")
                self._cv.wait(left)

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                try:
                    self.timeout = 5
                    self.send("Browser.close")
                except CDPError:
                    pass
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
        finally:
            for fd in (self._w, self._r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass
class PageCheck:
    url: str
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    blocked: dict[str, str] = field(default_factory=dict)  # URL -> why Chromium refused it (csp, ...)
    console: list[dict] = field(default_factory=list)  # {"level", "text"}
    exceptions: list[str] = field(default_factory=list)
    fonts: dict[str, list[dict]] = field(default_factory=dict)  # selector -> platform fonts used
    dom: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # results of the caller's ``scripts``
    screenshot: bytes = b""

    @property
    def outside_requests(self) -> list[str]:
        """Requests for anything but this very file and inline data: URLs."""
        return [
            u
            for u in self.requests
            if not (u == self.url or u.split("#")[0] == self.url or u.startswith(("data:", "about:")))
        ]

    @property
    def errors(self) -> list[str]:
        return [c["text"] for c in self.console if c["level"] in ("error", "assert")] + self.exceptions


# DOM facts the tests compare with the tables; computed in the page, returned as JSON
DOM_PROBE = r"""
(() => {
  const out = {reviews: {}, title: document.title, injected: {}, fontsStatus: document.fonts.status,
               fontFaces: Array.from(document.fonts).map(f => [f.family, f.weight, f.status])};
  for (const d of document.querySelectorAll('details.review')) {
    const marks = d.querySelectorAll('.doc mark.ent');
    const ids = new Set(Array.from(marks).map(m => m.getAttribute('data-m')));
    out.reviews[d.getAttribute('data-review')] = {marks: marks.length, distinct: ids.size,
      text: (d.querySelector('.doc') || {textContent: ''}).textContent};
  }
  out.injected.script = Array.from(document.scripts).filter(s => /alert/.test(s.textContent) && !s.type).length;
  out.injected.img = document.querySelectorAll('img').length;
  out.injected.onerror = document.querySelectorAll('[onerror],[onload],[onclick]').length;
  out.injected.alertCalled = !!window.__alerted;
  out.bodyText = document.body.innerText;
  out.sortable = document.querySelectorAll('table.sortable').length;
  out.svg = document.querySelectorAll('svg.fig').length;
  return JSON.stringify(out);
})()
"""
FONT_SELECTORS = [
    "header.top .ko",
    "details.review summary .t",
    ".doc",
    "mark.ent",
    "svg.chain text.lt",
    "svg.chain text.ct",
    "svg.net text",
    "#entities td",
]


def check_page(
    path: str | Path,
    screenshot: bool = True,
    width: int = 1280,
    height: int = 900,
    full_page: bool = True,
    exe: str | None = None,
    scripts: dict[str, str] | None = None,
) -> PageCheck:
    """Load ``path`` and collect requests, console output, fonts, DOM facts, ``scripts`` results, a screenshot."""
    url = Path(path).resolve().as_uri()
    res = PageCheck(url)
    with Browser(exe) as b:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for dom in ("Page", "Runtime", "Network", "Log", "DOM", "CSS"):
            b.send(f"{dom}.enable", session=sid)
        # any alert() reaching the page would set this flag before the page's own scripts run
        b.send(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": "window.alert = function(){ window.__alerted = true; };"},
            session=sid,
        )
        b.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=sid,
        )
        b.send("Page.navigate", {"url": url}, session=sid)
        b.wait_event("Page.loadEventFired", session=sid)
        b.send(
            "Runtime.evaluate",
            {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
            session=sid,
        )
        time.sleep(0.3)  # let late console messages arrive
        probe = b.send("Runtime.evaluate", {"expression": DOM_PROBE, "returnByValue": True}, session=sid)
        res.dom = json.loads(probe["result"]["value"])
        root = b.send("DOM.getDocument", {"depth": -1, "pierce": False}, session=sid)["root"]["nodeId"]
        for sel in FONT_SELECTORS:
            node = b.send("DOM.querySelector", {"nodeId": root, "selector": sel}, session=sid).get("nodeId")
            if node:
                res.fonts[sel] = b.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session=sid)["fonts"]
        if screenshot:
            params = {"format": "png"}
            if full_page:
                m = b.send("Page.getLayoutMetrics", session=sid)
                size = m.get("cssContentSize") or m["contentSize"]
                params.update(
                    captureBeyondViewport=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(size["height"], 16000), "scale": 1},
                )
            res.screenshot = base64.b64decode(b.send("Page.captureScreenshot", params, session=sid)["data"])
        for name, expr in (scripts or {}).items():  # last: they may change the page
            r = b.send(
                "Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True}, session=sid
            )
            res.extra[name] = r.get("result", {}).get("value", r.get("exceptionDetails"))
        time.sleep(0.1)
        urls: dict[str, str] = {}
        for ev in list(b.events):
            m, p = ev.get("method"), ev.get("params", {})
            if m == "Network.requestWillBeSent":
                res.requests.append(p["request"]["url"])
                urls[p["requestId"]] = p["request"]["url"]
            elif m == "Network.loadingFailed" and p.get("requestId") in urls:
                res.blocked[urls[p["requestId"]]] = p.get("blockedReason") or p.get("errorText", "failed")
            elif m == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
                res.console.append({"level": p.get("type", ""), "text": text})
            elif m == "Log.entryAdded":
                e = p["entry"]
                res.console.append({"level": e.get("level", ""), "text": f"[{e.get('source')}] {e.get('text', '')}"})
            elif m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                res.exceptions.append(d.get("exception", {}).get("description") or d.get("text", "exception"))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report")
    ap.add_argument("--screenshot", help="write a full-page PNG here")
    ap.add_argument("--width", type=int, default=1280)
    a = ap.parse_args(argv)
    res = check_page(a.report, screenshot=bool(a.screenshot), width=a.width)
    if a.screenshot:
        Path(a.screenshot).write_bytes(res.screenshot)
    print(
        json.dumps(
            {
                "outside_requests": res.outside_requests,
                "errors": res.errors,
                "fonts": res.fonts,
                "marks": {k: v["marks"] for k, v in res.dom["reviews"].items()},
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return 1 if res.outside_requests or res.errors else 0


if __name__ == "__main__":
    sys.exit(main())
