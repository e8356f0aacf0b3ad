"""Helpers for the real-browser tests: start the dashboard on a loopback port, drive the
Steppe Watch CLI, record network traffic and errors seen by Chromium, and find map shapes.

Used by ``tests/test_browser.py``; nothing here talks to any host but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = ("127.0.0.1", "localhost")
MAP_SELECTOR = "path.choroplethlocation"
# The hostile article's markdown image points at the discard port on loopback: any request to
# it means the payload was rendered as an image.
PIXEL_PORT = 9

# JS: centre of the map path whose plotly datum is Kazakhstan (null when not drawn yet).
KAZ_CENTER_JS = """() => {
  for (const p of document.querySelectorAll('path.choroplethlocation')) {
    const d = p.__data__;
    if (d && (d.loc === 'KAZ' || (d.properties && JSON.stringify(d.properties).includes('KAZ')))) {
      const r = p.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
  }
  return null;
}"""

# JS: number of map paths that have real geometry (a non-trivial "d" attribute).
# Country paths with geometry, in maps that show data: the placeholder sent on a session's first run
# (grey shapes, components/map_placeholder.py) has no colour bar and does not count.
DRAWN_PATHS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
  .filter(plot => plot.querySelector('g.colorbar'))
  .flatMap(plot => Array.from(plot.querySelectorAll('path.choroplethlocation')))
  .filter(p => (p.getAttribute('d') || '').length > 10).length"""


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (headless, the project's flags), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (closed again before returning)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli(*args: str, env: Mapping[str, str] | None = None, timeout: float = 120) -> str:
    """Run ``python -m steppewatch ARGS`` from the repo root; return stdout (raise on failure)."""
    done = subprocess.run([sys.executable, "-m", "steppewatch", *args], cwd=ROOT, env=dict(env or os.environ),
                          capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"steppewatch {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def export_articles(db: Path, env: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """All stored articles (metadata rows) as dicts, via ``steppewatch export``."""
    out = cli("export", "--what", "articles", "--db", str(db), env=env)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


HOSTILE_TITLE = ('Hostile <script>window.__xss=1</script> report <img src=x onerror="window.__xss=2"> '
                 "![x](http://127.0.0.1:9/pixel.png)")
HOSTILE_BODY = ("ASTANA, Kazakhstan - President Kassym-Jomart Tokayev spoke in Astana on March 5, 2023. "
                '<script>window.__xss=1</script> The statement <img src=x onerror="window.__xss=2"> was '
                "published with an image ![x](http://127.0.0.1:9/pixel.png) and Kazakhstan said nothing new.")


def write_hostile_article(path: Path) -> Path:
    """Write a plain-text article whose title (first line) and body carry script, img and
    markdown-image payloads; return the path."""
    path.write_text(f"{HOSTILE_TITLE}\n\n{HOSTILE_BODY}\n", encoding="utf-8")
    return path


@dataclass
class AppServer:
    """A ``streamlit run serve.py`` (or ``dashboard.py``) subprocess bound to 127.0.0.1."""

    proc: subprocess.Popen[bytes]
    port: int
    started_at: float
    log_path: Path
    log_file: IO[bytes]
    healthy_after_s: float | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def wait_healthy(self, timeout: float = 60) -> float:
        """Poll /_stcore/health until it answers; return seconds since process start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("/_stcore/health"), timeout=1) as resp:
                    if resp.status == 200:
                        self.healthy_after_s = time.monotonic() - self.started_at
                        return self.healthy_after_s
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"streamlit not healthy after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        self.log_file.flush()
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate the server (kill after 10 s) and close its log."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log_file.close()


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` quantile of ``values`` (0.95: the p95 the benches report); not empty."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def start_app(env_overrides: Mapping[str, str], log_path: Path, script: str = "serve.py", *,
              port: int | None = None, options: Mapping[str, str] | None = None) -> AppServer:
    """Start the dashboard as a subprocess on a loopback port (free unless given; not yet healthy):
    ``serve.py``, as the README starts it (``dashboard.py`` is the same app without the HTTP guard and
    the warm-up). ``options``: more Streamlit options (``{"secrets.files": path}``)."""
    port = port or free_port()
    env = {**os.environ, **env_overrides}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = open(log_path, "wb")  # noqa: SIM115 - closed by AppServer.stop
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false",
         *(arg for name, value in (options or {}).items() for arg in (f"--{name}", value))],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    return AppServer(proc=proc, port=port, started_at=started, log_path=log_path, log_file=log_file)


def is_external(url: str) -> bool:
    """True for a request that leaves the machine (not loopback, not data:/blob:)."""
    if url.startswith(("data:", "blob:", "about:")):
        return False
    return urlparse(url).hostname not in LOCAL_HOSTS


def hits_pixel_port(url: str) -> bool:
    """True for a request to the hostile article's image host (127.0.0.1:9)."""
    parsed = urlparse(url)
    try:
        return parsed.hostname in LOCAL_HOSTS and parsed.port == PIXEL_PORT
    except ValueError:
        return False


@dataclass
class Recorder:
    """Every request URL, console error and page error seen by one browser context."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def attach(self, context: Any) -> None:
        """Listen on a Playwright BrowserContext (covers every page opened in it)."""
        context.on("request", lambda req: self.requests.append(req.url))
        context.on("page", self._watch_page)
        context.on("response", lambda resp: self.failed_responses.append(f"{resp.status} {resp.url}")
                   if resp.status >= 400 else None)

    def _watch_page(self, page: Any) -> None:
        page.on("console", lambda msg: self.console_errors.append(f"{page.url}: {msg.text[:300]}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda err: self.page_errors.append(f"{page.url}: {str(err)[:300]}"))

    def mark(self) -> tuple[int, int, int]:
        """Current lengths, to look only at what happens after this point."""
        return len(self.requests), len(self.console_errors), len(self.page_errors)

    def external_since(self, mark: tuple[int, int, int] = (0, 0, 0)) -> list[str]:
        return [u for u in self.requests[mark[0]:] if is_external(u)]

    def pixel_since(self, mark: tuple[int, int, int] = (0, 0, 0)) -> list[str]:
        return [u for u in self.requests[mark[0]:] if hits_pixel_port(u)]

    def page_errors_since(self, mark: tuple[int, int, int] = (0, 0, 0)) -> list[str]:
        return self.page_errors[mark[2]:]


def drawn_paths(page: Any) -> int:
    """Number of map country paths with geometry on ``page``."""
    return int(page.evaluate(DRAWN_PATHS_JS))


def wait_for_map(page: Any, minimum: int = 11, timeout_s: float = 60) -> int:
    """Wait until at least ``minimum`` country paths are drawn; return the count (may be less
    than ``minimum`` on timeout, so the caller's assertion shows the real number)."""
    deadline = time.monotonic() + timeout_s
    count = 0
    while time.monotonic() < deadline:
        count = drawn_paths(page)
        if count >= minimum:
            return count
        page.wait_for_timeout(250)
    return count


def wait_for_text(page: Any, needle: str, timeout_s: float = 30) -> bool:
    """Wait until ``needle`` is part of the page's visible text."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if needle in page.inner_text("body"):
            return True
        page.wait_for_timeout(250)
    return False


def wait_until_idle(page: Any, timeout_s: float = 20, quiet_s: float = 1.0) -> None:
    """Wait until Streamlit's "running" indicator has been absent for ``quiet_s`` seconds."""
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        now = time.monotonic()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= quiet_s:
            return
        page.wait_for_timeout(150)


def write_timings(timings: Mapping[str, Any], path: Path | None = None) -> Path:
    """Write the timing measurements as JSON under artifacts/ and return the path."""
    path = path or ARTIFACTS / "browser_timings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(timings), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
