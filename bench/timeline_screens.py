"""Screenshots of the Overview's timeline on a large store, in Chromium: the default view, the view with
"Show N more rows" clicked, and how long each took to draw.

    .venv/bin/python bench/timeline_screens.py --db COPY_OF_A_STORE --name 100k

Writes ``artifacts/timeline_<name>.png`` and ``artifacts/timeline_<name>_more_rows.png`` and prints the rows
drawn. Give it a copy of a store: the app writes its read-model snapshot beside the store it opens.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser_support import ARTIFACTS, chromium, start_app, wait_for_map, wait_until_idle
from test_timeline_browser import TIMELINE_JS, VIEWPORT


def _rows(page: object, timeout_s: float = 120) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = page.evaluate(TIMELINE_JS)  # type: ignore[attr-defined]
        if found and found["rows"]:
            return list(found["rows"])
        page.wait_for_timeout(250)  # type: ignore[attr-defined]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--name", required=True, help="suffix of the screenshots' names (e.g. 100k)")
    args = parser.parse_args(argv)
    ARTIFACTS.mkdir(exist_ok=True)
    app = start_app({"STEPPEWATCH_DB": str(args.db)}, ARTIFACTS / f"timeline_{args.name}_streamlit.log")
    result: dict[str, object] = {}
    try:
        app.wait_healthy(900)
        with chromium() as browser:
            page = browser.new_page(viewport=VIEWPORT)
            start = time.monotonic()
            page.goto(app.url("/"))
            wait_for_map(page, 11, 300)
            rows = _rows(page)
            result["first_view_s"] = round(time.monotonic() - start, 2)
            result["rows"] = rows
            wait_until_idle(page, 120)
            page.screenshot(path=str(ARTIFACTS / f"timeline_{args.name}.png"), full_page=True)
            more = page.get_by_role("button", name="more rows")
            if more.count():
                start = time.monotonic()
                more.click()
                page.wait_for_url("**rows=**", timeout=60_000)
                wait_until_idle(page, 120)
                grown = _rows(page)
                result["more_rows_s"] = round(time.monotonic() - start, 2)
                result["rows_after_more"] = len(grown)
                page.screenshot(path=str(ARTIFACTS / f"timeline_{args.name}_more_rows.png"), full_page=True)
            page.close()
    finally:
        app.stop()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
