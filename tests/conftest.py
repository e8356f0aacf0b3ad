"""Shared test set-up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from steppewatch import settings


@pytest.fixture(autouse=True)
def _whole_pages_in_one_run(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In-process app tests (AppTest) see each page whole in one run: the Overview's first-run deferral
    of what lies under the map needs a browser's timer (tests/test_app.py tests it; the browser
    tests run the server as users do, with it)."""
    monkeypatch.setattr(settings, "DEFER_BELOW_MAP_S", 0.0)
    yield
