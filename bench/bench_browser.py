"""What a user waits for in Chromium: a cold start to the first map, and a map click to the redrawn page.

The dashboard runs as ``streamlit run serve.py`` (as the README starts it) on a given store (``--db``; its
read-model snapshot is what a cold start loads: the writers leave one beside the store). Debian's
Chromium, driven by Playwright (never a downloaded browser), then:

1. with the browser already open (its own launch is not counted), starts the server, opens ``/`` as soon
   as it answers its health check, and waits for the 11 country shapes of the map with data (the grey
   placeholder of a first run does not count): **cold start -> first chart** is the time from starting
   the server process to those shapes drawn (polled every 25 ms);
2. clicks the map's countries in turn (Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan, Turkmenistan,
   ...): **click -> redrawn** is the time from the click to the page showing that country's view
   ("Filtered to <country>" with the map and the timeline rendered and the app idle), polled every 25 ms;
   from the eighth click on, countries come round again and their views come from the caches (reported
   apart as repeat clicks);
3. sets "Published from" to five dates in turn (typed into the field, applied when it loses focus):
   **date change -> redrawn** is the time from the field losing focus to the page showing the new date
   with the map drawn and the app idle.

    .venv/bin/python bench/bench_browser.py --db bench/out/stores/replicated-1000000-from-5000.db --clicks 20

Prints one JSON line (also written to bench/out/browser.json).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DRAWN_PATHS_JS,
    drawn_paths,
    percentile,
    start_app,
)

OUT = ROOT / "bench" / "out"
COUNTRIES = [("KAZ", "Kazakhstan"), ("UZB", "Uzbekistan"), ("KGZ", "Kyrgyzstan"), ("TJK", "Tajikistan"),
             ("TKM", "Turkmenistan"), ("AFG", "Afghanistan"), ("MNG", "Mongolia")]

CENTER_JS = """(code) => {
  for (const p of document.querySelectorAll('path.choroplethlocation')) {
    const d = p.__data__;
    if (d && (d.loc === code || (d.properties && d.properties.iso3 === code))) {
      const r = p.getBoundingClientRect();
      if (r.width > 4 && r.height > 4) return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
  }
  return null;
}"""
# The map with data is drawn (the first run's grey placeholder does not count: see DRAWN_PATHS_JS)
MAP_READY_JS = f"() => ({DRAWN_PATHS_JS})() >= 11"
# "Published from" set in the sidebar (after the clicks: within the last clicked country's view)
DATES = ("2021-01-01", "2022-06-01", "2023-03-15", "2020-09-01", "2024-02-01")
IDLE_JS = "() => document.querySelector('[data-testid=\"stStatusWidget\"]') === null"
# A view is on screen: its filter line holds ``needle`` ("Filtered to <country>", "<day> to"), the map
# is drawn and the app is not running.
SHOWN_JS = """(needle) => {
  const text = document.body.innerText;
  const drawn = Array.from(document.querySelectorAll('path.choroplethlocation'))
    .filter(p => (p.getAttribute('d') || '').length > 10).length;
  const running = document.querySelector('[data-testid="stStatusWidget"]') !== null;
  return text.includes(needle) && drawn >= 11 && !running;
}"""


def run(db: Path, clicks: int, log: Path, dates: bool = True) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {"db": str(db)}
    samples: list[float] = []
    date_samples: list[float] = []
    firsts: list[float] = []  # a country's first click: its view computed
    repeats: list[float] = []  # clicks on a country seen before: its view from the caches
    with sync_playwright() as pw:
        # the user's browser is open before the server starts (its own start-up is not the app's)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        app = start_app({"STEPPEWATCH_DB": str(db)}, log)
        try:
            result["health_s"] = app.wait_healthy(300)
            opened = time.monotonic()
            page.goto(app.url("/"))
            page.wait_for_function(MAP_READY_JS, timeout=300_000, polling=25)
            now = time.monotonic()
            result["cold_start_to_map_s"] = now - app.started_at
            result["page_open_to_map_s"] = now - opened
            result["shapes"] = drawn_paths(page)
            page.wait_for_function(IDLE_JS, timeout=300_000, polling=25)  # the first run has finished
            page.wait_for_timeout(1500)
            for i in range(clicks):
                code, name = COUNTRIES[i % len(COUNTRIES)]
                point = page.evaluate(CENTER_JS, code)
                if point is None:
                    continue
                t0 = time.monotonic()
                page.mouse.click(point["x"], point["y"])
                page.wait_for_function(SHOWN_JS, arg=f"Filtered to {name}", timeout=120_000, polling=25)
                samples.append(time.monotonic() - t0)
                (repeats if i >= len(COUNTRIES) else firsts).append(samples[-1])
                page.wait_for_timeout(300)
            for day in DATES if dates else ():
                page.click('[aria-label="year, Published from"]')
                page.keyboard.type(day.replace("-", ""))
                page.keyboard.press("Escape")
                t0 = time.monotonic()
                page.click("h1")  # the field loses focus: the new date applies
                page.wait_for_function(SHOWN_JS, arg=f"{day} to", timeout=120_000, polling=25)
                date_samples.append(time.monotonic() - t0)
                page.wait_for_timeout(300)
        finally:
            app.stop()
            browser.close()
    result["clicks"] = len(samples)
    if samples:
        result["click_p50_ms"] = 1000 * statistics.median(samples)
        result["click_p95_ms"] = 1000 * percentile(samples, 0.95)
        result["click_max_ms"] = 1000 * max(samples)
    for name, values in (("first_click", firsts), ("repeat_click", repeats), ("date_change", date_samples)):
        if values:
            result[f"{name}_p50_ms"] = 1000 * statistics.median(values)
            result[f"{name}_p95_ms"] = 1000 * percentile(values, 0.95)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="the store the dashboard reads")
    parser.add_argument("--clicks", type=int, default=14)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    result = run(args.db.resolve(), args.clicks, OUT / "browser_app.log")
    (OUT / "browser.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
