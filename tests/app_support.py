"""AppTest helpers shared by the app test modules: the app opened at a URL, and the URL it shows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


def app(**params: str) -> AppTest:
    """The dashboard as a visitor opens it with ``params`` in its URL (not yet run)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def url(at: AppTest) -> dict[str, str]:
    """The app's URL parameters, repeated keys comma-joined."""
    return {k: v if isinstance(v, str) else ",".join(v) for k, v in at.query_params.items()}
