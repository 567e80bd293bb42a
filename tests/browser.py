"""Open an HTML file in headless Chromium (Debian's `chromium`) and report what happened.

No Python dependencies: Chromium is driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`: the browser reads commands on fd 3 and writes replies and events on
fd 4, each a JSON message ended by a NUL byte). That gives what scanning stderr cannot:
uncaught exceptions, console errors and warnings by level, failed loads, and every network
request the page tries (a self-contained report makes none: only file:, data: and about: URLs),
plus a full-page screenshot, the rendered DOM, and print-to-PDF with print CSS.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # a report that reaches for the network fails loudly
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def chromium() -> str | None:
    """The browser's path, or None when it is not installed (`make browser` installs it)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass(frozen=True)
class Rendered:
    screenshot: Path  # PNG of the whole page at the given width
    errors: tuple[str, ...]  # exceptions, console errors/warnings, failed loads, network requests
    dom: str  # document.documentElement.outerHTML after load
    height: int  # CSS pixels of the full page
    pdf: Path | None = None
    probe: Any = None  # the value of the `probe` expression, evaluated after load


def _onto_3_and_4(read_end: int, write_end: int) -> None:
    """In the child: the pipe ends become fds 3 and 4 (copies first, so neither clobbers the other)."""
    r, w = os.dup(read_end), os.dup(write_end)
    os.dup2(r, 3)
    os.dup2(w, 4)


class _Pipe:
    """A DevTools-protocol session over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: str, timeout: float) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The child must see the read end as fd 3 and the write end as fd 4.
        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(3, 4),
            preexec_fn=lambda: _onto_3_and_4(to_browser_r, from_browser_w),
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.stderr: list[str] = []

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace").rstrip())

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                self._inbox.put(None)
                return
            buf += chunk
            *messages, buf = buf.split(b"\0")
            for m in messages:
                self._inbox.put(json.loads(m))

    def _get(self) -> dict[str, Any]:
        try:
            msg = self._inbox.get(timeout=self.timeout)
        except queue.Empty:
            raise TimeoutError(f"chromium did not answer within {self.timeout}s") from None
        if msg is None:
            raise RuntimeError("chromium closed the pipe:\n" + "\n".join(self.stderr[-20:]))
        return msg

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._get()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for e in self.events:
            if e.get("method") == method:
                return e
        while True:
            e = self._get()
            self.events.append(e)
            if e.get("method") == method:
                return e

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)


def _problems(events: list[dict[str, Any]]) -> list[str]:
    out = []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            out.append("exception: " + (d.get("exception", {}).get("description") or d.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            out.append(f"console.{p['type']}: {args}")
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            entry = p["entry"]
            out.append(f"log {entry['level']}: {entry.get('text', '')} {entry.get('url', '')}".rstrip())
        elif method == "Network.requestWillBeSent":
            url = p.get("request", {}).get("url", "")
            if not url.startswith(LOCAL_SCHEMES):
                out.append(f"network request: {url}")
        elif method == "Network.loadingFailed" and not p.get("canceled"):
            out.append(f"load failed: {p.get('errorText', '')}")
    return out


def render(
    html: Path,
    out_dir: Path | None = None,
    width: int = 1400,
    height: int = 2000,
    full_page: bool = True,
    pdf: bool = False,
    probe: str | None = None,
    timeout: float = 60.0,
) -> Rendered:
    """Load `html` in headless Chromium at `width` CSS pixels; screenshot (the whole page, or the
    first `height` pixels), the DOM after load, every error, optionally a PDF (print CSS, A4), and
    optionally the JSON-able value of a JavaScript expression (`probe`), e.g. an element's box."""
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (make browser)")
    html = Path(html).resolve()
    out = Path(out_dir) if out_dir else html.parent
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="normscope-chromium-") as profile:
        b = _Pipe(binary, profile, timeout)
        try:
            target = b.send("Target.createTarget", url="about:blank")["targetId"]
            s = b.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                b.send(f"{domain}.enable", s)
            b.send(
                "Emulation.setDeviceMetricsOverride", s, width=width, height=height, deviceScaleFactor=1, mobile=False
            )
            b.events.clear()  # about:blank's own events
            b.send("Page.navigate", s, url=html.as_uri())
            b.wait_for("Page.loadEventFired")
            b.send("Runtime.evaluate", s, expression="document.fonts.ready", awaitPromise=True)
            dom = b.send("Runtime.evaluate", s, expression="document.documentElement.outerHTML", returnByValue=True)
            page_h = b.send(
                "Runtime.evaluate", s, expression="document.documentElement.scrollHeight", returnByValue=True
            )
            full_h = int(page_h["result"]["value"])
            probed = None
            if probe is not None:
                probed = b.send("Runtime.evaluate", s, expression=probe, returnByValue=True)["result"].get("value")
            shot: dict[str, Any] = {"format": "png"}
            if full_page:
                shot |= {
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": full_h, "scale": 1},
                }
            png = out / f"{html.stem}.png"
            png.write_bytes(base64.b64decode(b.send("Page.captureScreenshot", s, **shot)["data"]))
            pdf_path = None
            if pdf:
                pdf_path = out / f"{html.stem}.pdf"
                data = b.send("Page.printToPDF", s, printBackground=True, paperWidth=8.27, paperHeight=11.69)["data"]
                pdf_path.write_bytes(base64.b64decode(data))
            errors = _problems(b.events)
        finally:
            b.close()
    return Rendered(png, tuple(errors), str(dom["result"]["value"]), full_h, pdf_path, probed)


def ink(png: Path, box: tuple[int, int, int, int] | None = None, near: tuple[int, int, int] | None = None) -> float:
    """Share of pixels in `box` (left, top, right, bottom) that are not white, or, given `near`,
    that are within a small distance of that colour. Needs Pillow."""
    import numpy as np
    from PIL import Image

    with Image.open(png) as im:
        rgb = im.convert("RGB")
        if box is not None:
            rgb = rgb.crop(box)
        px = np.asarray(rgb, dtype=np.int32).reshape(-1, 3)
    if not len(px):
        return 0.0
    if near is None:
        hits = px.min(axis=1) < 245
    else:
        hits = ((px - np.array(near)) ** 2).sum(axis=1) < 40**2
    return float(hits.mean())
