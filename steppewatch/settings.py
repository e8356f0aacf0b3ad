"""One settings module with documented defaults (read by the CLI and the dashboard alike).

Every value can be overridden by an environment variable named ``STEPPEWATCH_<NAME>``.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _env(name: str, default: str) -> str:
    return os.environ.get(f"STEPPEWATCH_{name}", default)


# Where the embedded SQLite store lives. The dashboard and the CLI default to the same file.
DB_PATH: Path = Path(_env("DB", str(PROJECT_ROOT / "data" / "steppewatch.db")))

# Sample articles ingested automatically when the dashboard starts on an empty store.
SAMPLES_DIR: Path = Path(_env("SAMPLES", str(PROJECT_ROOT / "data" / "samples")))

# Country shapes for the map (built by scripts/make_region.py from Natural Earth 1:10m). The app serves
# the file itself (``server.enableStaticServing``) and the map refers to it by URL, so a browser loads
# the shapes once (then revalidates) instead of receiving them inside every redraw of the map.
REGION_GEOJSON: Path = PROJECT_ROOT / "static" / "central_asia.geojson"
# The same file as the browser asks for it: relative to the page (works under a server.baseUrlPath).
REGION_GEOJSON_URL: str = "app/static/central_asia.geojson"

# Bytes read from one file, page or upload before it is rejected (checked before parsing).
MAX_DOCUMENT_BYTES: int = int(_env("MAX_DOCUMENT_BYTES", str(20 * 1024 * 1024)))

# Bytes a compressed input may expand to before it is rejected.
MAX_DECOMPRESSED_BYTES: int = int(_env("MAX_DECOMPRESSED_BYTES", str(40 * 1024 * 1024)))

# Characters of cleaned text kept per article (longer texts are truncated, with a note).
MAX_TEXT_CHARS: int = int(_env("MAX_TEXT_CHARS", "200000"))

# Wall-clock limit, in seconds, for HTML extraction of one document (runs in a worker process).
EXTRACTION_TIMEOUT_S: float = float(_env("EXTRACTION_TIMEOUT_S", "20"))

# Seconds a writer or reader waits for the SQLite lock before giving up.
DB_BUSY_TIMEOUT_S: float = float(_env("DB_BUSY_TIMEOUT_S", "30"))

# Two articles whose events share a signature within this many days may join one story.
STORY_WINDOW_DAYS: int = int(_env("STORY_WINDOW_DAYS", "3"))
# A story's reports span at most this many days (first to last publication day): reports of a meeting
# repeated every few days (a ministers' round of talks, a series of forums) chain day by day into one
# story otherwise, months long, and every new report of it re-clusters the whole chain.
STORY_MAX_SPAN_DAYS: int = int(_env("STORY_MAX_SPAN_DAYS", "7"))

# Sentences longer than this many characters get no visit/meeting rules (real news sentences are
# far shorter; a page of text without sentence punctuation would otherwise cost quadratic time).
MAX_EVENT_SENTENCE_CHARS: int = int(_env("MAX_EVENT_SENTENCE_CHARS", "1500"))

# Version of the extraction rules: stored with each article so stale rows can be re-processed.
EXTRACTOR_VERSION: str = "2026.12.06-3"

# Version of the id/dedup key function (content normalisation) stored with each article.
DEDUP_KEY_VERSION: str = "2"

# Above this many matching events the timeline shows monthly counts per visitor instead of one
# marker per event (the single events come back when the filters narrow the view, or on a click).
TIMELINE_DETAIL_MAX: int = int(_env("TIMELINE_DETAIL_MAX", "300"))
# The timeline draws one row per visitor (the person, or their country when no person is named), the
# busiest first: this many rows, and a "N more rows" button that adds as many again (kept in the URL).
TIMELINE_ROWS: int = int(_env("TIMELINE_ROWS", "12"))
# On a session's first run the Overview draws its map first and what is under it (timeline, article
# list) this many seconds later, in a rerun: the browser's one busy thread draws the map a second
# sooner (components/deferred.py). 0: everything at once.
DEFER_BELOW_MAP_S: float = float(_env("DEFER_BELOW_MAP_S", "1.0"))

# The summarised timeline counts by month while the view spans at most this many months, else by
# quarter, else by year (columns per row: thousands of bubbles are unreadable and slow to draw).
TIMELINE_SUMMARY_MAX_PERIODS: int = int(_env("TIMELINE_SUMMARY_MAX_PERIODS", "36"))

# Sign-in for the dashboard (components/access_policy.py): "auto" asks visitors to sign in whenever the
# server can be reached from another machine (it listens beyond loopback, or a reverse proxy forwards
# the request) and not on a laptop; "oidc" (st.login) or "proxy" (a trusted header) always; "off" never.
# [access] mode in .streamlit/secrets.toml overrides it; the allowlist and roles are there too.
ACCESS_MODE: str = _env("ACCESS", "auto")

# Alerts of watchlists (steppewatch/alerts.py). E-mail goes out through this SMTP server (none: e-mail
# deliveries wait, with the reason, until one is set); the password is read from the environment only.
SMTP_HOST: str = _env("SMTP_HOST", "")
SMTP_PORT: int = int(_env("SMTP_PORT", "25"))
SMTP_FROM: str = _env("SMTP_FROM", "steppewatch@localhost")
SMTP_USER: str = _env("SMTP_USER", "")
SMTP_PASSWORD: str = _env("SMTP_PASSWORD", "")
SMTP_STARTTLS: bool = _env("SMTP_STARTTLS", "0").lower() in ("1", "true", "yes")
# Seconds a webhook may take to answer.
WEBHOOK_TIMEOUT_S: float = float(_env("WEBHOOK_TIMEOUT_S", "10"))
# A failed delivery is tried again after this many seconds, four times longer after each failure (at most
# 6 h), and given up after ALERT_MAX_ATTEMPTS tries.
ALERT_RETRY_S: float = float(_env("ALERT_RETRY_S", "60"))
ALERT_MAX_ATTEMPTS: int = int(_env("ALERT_MAX_ATTEMPTS", "8"))
# The dashboard's public address (https://HOST/steppewatch/), for links in alerts; empty: no links.
APP_URL: str = _env("APP_URL", "")

# Seconds between the dashboard server's memory sweeps (a full garbage collection, then free heap pages
# back to the system: components/memory.py); 0: none. Streamlit's collection after every run is off.
MEMORY_SWEEP_S: float = float(_env("MEMORY_SWEEP_S", "30"))
# A file to which every sweep appends where the memory is (RSS, glibc heap in use and free, sessions) as
# JSON lines, before and after it; empty: none. For diagnosing the server's memory (bench/README).
MEMORY_STATS_LOG: str = _env("MEMORY_STATS_LOG", "")
# A file to which the dashboard appends each run's wall and CPU time as a JSON line (components/run_log.py;
# bench/load_test.py reads it); empty: none.
RUN_TIMES_LOG: str = _env("RUN_TIMES_LOG", "")
# glibc malloc arenas of the dashboard server (each session's script runs on its own thread; more arenas
# scatter freed memory over more heaps); 0: glibc's default (8 per core).
MALLOC_ARENAS: int = int(_env("MALLOC_ARENAS", "2"))
# Blocks of this many bytes or more come from the system one by one and go back to it when freed (glibc
# M_MMAP_THRESHOLD). glibc otherwise raises the threshold after each large free, and a crowd's large
# temporaries (data frames, serialised figures) then stay in the heap, scattered; 0 leaves glibc's default.
MALLOC_MMAP_THRESHOLD: int = int(_env("MALLOC_MMAP_THRESHOLD", str(128 * 1024)))

# Rows per page in tables.
PAGE_SIZE: int = int(_env("PAGE_SIZE", "50"))
