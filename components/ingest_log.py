"""The ingest log as the app shows it: no server paths.

Stored origins are absolute paths for files read by the CLI (``/srv/in/bulk.jsonl#row3``),
``upload:NAME`` for uploads and URLs for feed items and bulk rows; a colleague looking at the
log sees the file name, the uploaded name or the URL. Reasons lose the folders of any absolute
path they quote (``Permission denied: '/srv/in/a.txt'`` -> ``'a.txt'``). The store keeps everything.
Pure functions (no Streamlit), so they are unit-tested directly.
"""

from __future__ import annotations

import re

import pandas as pd

UPLOAD_PREFIX = "upload:"
URL_PREFIXES = ("http://", "https://")
# The folders of an absolute path that starts a word ("/srv/in/" in " '/srv/in/a.txt'"), never
# the path of a URL ("https://host/a/" is preceded by a host character).
_PATH_FOLDERS = re.compile(r"""(?<![^\s'"(=])(?:[A-Za-z]:)?[/\\](?:[^/\\\s'"]+[/\\])+""")


def shown_origin(origin: object) -> str:
    """What the log shows for a stored origin: a URL as is, an upload's name, a path's file name."""
    if origin is None or (isinstance(origin, float) and origin != origin):  # None / NaN
        return ""
    text = str(origin)
    if text.startswith(URL_PREFIXES):
        return text
    if text.startswith(UPLOAD_PREFIX):
        text = text[len(UPLOAD_PREFIX):]
    return re.split(r"[/\\]", text)[-1]


def shown_reason(reason: object) -> object:
    """``reason`` with the folders of any absolute path in it removed (other values as they are)."""
    return _PATH_FOLDERS.sub("", reason) if isinstance(reason, str) else reason


def shown_log(frame: pd.DataFrame, origin_column: str = "origin") -> pd.DataFrame:
    """A copy of an ingest log or result table with ``origin_column`` and ``reason`` as shown."""
    shown = frame.copy()
    if origin_column in shown.columns:
        shown[origin_column] = [shown_origin(o) for o in shown[origin_column]]
    if "reason" in shown.columns:
        shown["reason"] = [shown_reason(r) for r in shown["reason"]]
    return shown


def failures_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that failed first (in their order), then the others: a long upload's failures stay in sight."""
    if "status" not in frame.columns or frame.empty:
        return frame
    failed = frame["status"].eq("failed")
    return pd.concat([frame[failed], frame[~failed]], ignore_index=True)


def progress_text(file_no: int, files: int, name: str, done: int, total: int) -> str:
    """The Ingest page's progress line: "File 1 of 2 (bulk.jsonl): 200 of 300 items"."""
    return f"File {file_no} of {files} ({shown_origin(name)}): {done:,} of {total:,} items"
