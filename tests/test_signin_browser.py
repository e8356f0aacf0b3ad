"""Sign-in end to end in Chromium: the dashboard (serve.py) signs visitors in through a real OpenID
Connect provider on 127.0.0.1 (the oidc-provider-mock package), keeps a shared link's view across the
sign-in, shows a viewer no Ingest page, refuses an unlisted account, and signs out."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from browser_support import ARTIFACTS, CHROMIUM, ROOT, AppServer, chromium, free_port, start_app
from hosted_demo import wait_for

pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")

VIEWER = {"sub": "viewer@example.org", "email": "viewer@example.org", "email_verified": True,
          "name": "Vera Viewer"}
SHARED_QUERY = "?country=KAZ&from=2023-01-01&type=visit"
SIGN_IN = "button:has-text('Sign in')"


@dataclass
class SignInSite:
    app: AppServer
    provider: str  # the provider's base URL


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInSite]:
    """A provider and the dashboard on 127.0.0.1, the dashboard in OIDC mode with an allowlist."""
    tmp = tmp_path_factory.mktemp("signin")
    provider_port, app_port = free_port(), free_port()
    provider_url = f"http://127.0.0.1:{provider_port}"
    ARTIFACTS.mkdir(exist_ok=True)
    provider_log = open(ARTIFACTS / "signin_provider.log", "wb")  # noqa: SIM115 - closed below
    provider = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(provider_port),
         "--user-claims", json.dumps(VIEWER)], stdout=provider_log, stderr=subprocess.STDOUT)
    secrets = tmp / "secrets.toml"
    secrets.write_text(f"""
[access]
mode = "oidc"
viewers = ["example.org"]
editors = ["editor@example.org"]

[auth]
redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"
cookie_secret = "{'c0ffee' * 8}"
client_id = "steppewatch"
client_secret = "not-a-real-secret"
server_metadata_url = "{provider_url}/.well-known/openid-configuration"
""", encoding="utf-8")
    env = {"STEPPEWATCH_DB": str(tmp / "steppewatch.db"), "STEPPEWATCH_SAMPLES": str(ROOT / "data" / "samples")}
    app = start_app(env, ARTIFACTS / "signin_streamlit.log", port=app_port, options={"secrets.files": str(secrets)})
    try:
        wait_for(f"{provider_url}/.well-known/openid-configuration", [provider], 30)
        app.wait_healthy(90)
        yield SignInSite(app=app, provider=provider_url)
    finally:
        app.stop()
        provider.terminate()
        provider.wait(10)
        provider_log.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as running:
        yield running


def main_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text(timeout=30_000)


def sign_in(page: Any, site: SignInSite, subject: str) -> None:
    """Click "Sign in", name ``subject`` on the provider's form, come back to the app."""
    page.click(SIGN_IN, timeout=60_000)
    page.wait_for_url(f"{site.provider}/**", timeout=30_000)
    page.fill("input[name=sub]", subject)
    page.click("button:has-text('Authorize')")
    page.wait_for_url(f"{site.app.base}/**", timeout=30_000)


def test_a_shared_link_survives_the_sign_in_and_a_viewer_cannot_ingest(site: SignInSite, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(site.app.url("/" + SHARED_QUERY))
    page.wait_for_selector(SIGN_IN, timeout=60_000)
    before = main_text(page)
    assert "Articles" not in before and "Kazakhstan" not in before  # nothing of the store before sign-in
    sign_in(page, site, VIEWER["sub"])
    page.wait_for_selector("text=Signed in as", timeout=60_000)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    # the shared link's view, after the sign-in
    assert all(p in page.url for p in ("country=KAZ", "from=2023-01-01", "type=visit"))
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Vera Viewer" in sidebar and "(viewer)" in sidebar
    assert "Ingest" not in page.locator('[data-testid="stSidebarNav"]').inner_text()
    page.screenshot(path=str(ARTIFACTS / "signin_viewer_shared_link.png"), full_page=True)

    other = context.new_page()  # the same link in another tab: signed in already (the cookie)
    other.goto(site.app.url("/" + SHARED_QUERY))
    other.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    assert other.locator(SIGN_IN).count() == 0 and "country=KAZ" in other.url
    other.goto(site.app.url("/ingest"))  # the editors' page by its path
    other.wait_for_selector("text=Signed in as", timeout=60_000)
    assert other.locator('[data-testid="stFileUploader"]').count() == 0

    page.click("button:has-text('Sign out')")  # the provider ends its session too (OIDC RP-initiated logout)
    page.wait_for_url(f"{site.provider}/**", timeout=30_000)
    page.click("button:has-text('End session')")
    page.wait_for_selector(SIGN_IN, timeout=60_000)
    assert "Articles" not in main_text(page)
    context.close()


def test_an_unlisted_account_is_refused(site: SignInSite, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.app.url("/stories"))
    sign_in(page, site, "someone@elsewhere.net")
    page.wait_for_selector("text=is not on this instance", timeout=60_000)
    text = main_text(page)
    assert "someone@elsewhere.net" in text and "Stories" not in text
    page.screenshot(path=str(ARTIFACTS / "signin_refused.png"))
    context.close()
