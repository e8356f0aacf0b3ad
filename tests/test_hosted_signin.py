"""The hosted set-up end to end: scripts/hosted_demo.py brings up nginx (the deployment's location block),
the dashboard with the hosting config under /steppewatch/, and a local OIDC provider, all on 127.0.0.1;
Chromium signs in through the proxy as an editor and a viewer, and a colleague's shared link opens the
same view."""

from __future__ import annotations

import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from browser_support import ARTIFACTS, CHROMIUM, chromium

pytest.importorskip("oidc_provider_mock")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
              pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (scripts/setup.sh --tests)")]

from hosted_demo import HostedSite, hosted_site  # noqa: E402

SIGN_IN = "button:has-text('Sign in')"
VIEW = "?country=KAZ&type=visit"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostedSite]:
    with hosted_site(tmp_path_factory.mktemp("hosted")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as running:
        yield running


def signed_in_page(browser: Any, site: HostedSite, subject: str, path: str = "") -> Any:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(site.url + path)
    page.click(SIGN_IN, timeout=90_000)
    page.wait_for_url(f"{site.provider_url}/**", timeout=30_000)
    page.fill("input[name=sub]", subject)
    page.click("button:has-text('Authorize')")
    page.wait_for_url(f"{site.url}**", timeout=30_000)
    page.wait_for_selector("text=Signed in as", timeout=60_000)
    return page


def test_only_the_sign_in_is_served_before_signing_in(site: HostedSite) -> None:
    with pytest.raises(urllib.error.HTTPError) as metrics:
        urllib.request.urlopen(site.url + "_stcore/metrics", timeout=5)
    assert metrics.value.code == 404
    with urllib.request.urlopen(site.url + "_stcore/health", timeout=5) as health:
        assert health.status == 200


def test_an_editor_signs_in_through_the_proxy(site: HostedSite, browser: Any) -> None:
    page = signed_in_page(browser, site, "editor@example.org")
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    assert "(editor)" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.locator('[data-testid="stSidebarNav"] >> text=Ingest').click()
    page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "hosted_editor_ingest.png"), full_page=True)
    page.context.close()


def test_a_colleagues_shared_link_opens_the_same_view(site: HostedSite, browser: Any) -> None:
    page = signed_in_page(browser, site, "viewer@example.org", VIEW)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    assert page.url.startswith(site.url) and "country=KAZ" in page.url and "type=visit" in page.url
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "(viewer)" in sidebar and "Ingest" not in page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Kazakhstan" in sidebar  # the link's country filter is on
    page.screenshot(path=str(ARTIFACTS / "hosted_viewer_shared_link.png"), full_page=True)
    page.context.close()
