"""Sign-in and roles: the pure policy (who is allowed, with which role, when sign-in is on) and every
page through the entry file with no user, an unlisted user, a viewer and an editor (AppTest)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from store_factory import build_store  # noqa: E402

from components.access_policy import (  # noqa: E402
    AccessConfig,
    Outcome,
    decide_access,
    read_access_config,
    role_for,
    sign_in_required,
)
from components.sources_view import redact_feed_urls  # noqa: E402
from steppewatch import settings  # noqa: E402

APP = str(ROOT / "dashboard.py")
PAGES = ["views/overview.py", "views/article.py", "views/stories.py", "views/ingest.py", "views/watchlists.py",
         "views/sources.py",
         "views/quality.py"]
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
        "client_id": "steppewatch", "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration"}
ACCESS = {"mode": "oidc", "viewers": ["example.org", "guest@partner.org"], "editors": ["editor@example.org"]}
SECRETS = {"auth": AUTH, "access": ACCESS}
VIEWER = {"is_logged_in": True, "email": "viewer@example.org", "name": "Vera Viewer", "email_verified": True}
EDITOR = {"is_logged_in": True, "email": "editor@example.org", "name": "Ed Editor"}
LOOPBACK = "127.0.0.1"


def policy(**access: Any) -> AccessConfig:
    return read_access_config({"auth": AUTH, "access": {**ACCESS, **access}})


# -- the pure policy ---------------------------------------------------------------------------
@pytest.mark.parametrize(("email", "role"), [
    ("editor@example.org", "editor"),
    ("Editor@Example.ORG", "editor"),  # addresses compare without case
    ("viewer@example.org", "viewer"),  # the domain entry
    ("guest@partner.org", "viewer"),  # an address entry
    ("other@partner.org", None),  # the address entry does not open its domain
    ("eve@sub.example.org", None),  # a domain is exactly that domain
    ("eve@example.org.evil.com", None),
    ("eve@evil-example.org", None),
    ("example.org", None),  # not an address
    ("", None),
    (None, None),
])
def test_role_from_the_allowlist(email: str | None, role: str | None) -> None:
    assert role_for(email, policy()) == role


def test_domain_forms_and_the_wildcard() -> None:
    assert role_for("a@example.org", policy(viewers=["@example.org"], editors=[])) == "viewer"
    assert role_for("anyone@anywhere.net", policy(viewers=["*"], editors=[])) == "viewer"
    assert role_for("anyone@anywhere.net", policy(viewers=[], editors=["*"])) == "editor"


@pytest.mark.parametrize(("mode", "address", "headers", "required"), [
    ("auto", "127.0.0.1", {}, False),  # a laptop: streamlit run with the repository's config
    ("auto", "localhost", {}, False),
    ("auto", "::1", {}, False),
    ("auto", None, {}, True),  # Streamlit's default: every interface
    ("auto", "0.0.0.0", {}, True),
    ("auto", "192.168.1.5", {}, True),
    ("auto", "127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, True),  # behind a reverse proxy
    ("auto", "127.0.0.1", {"forwarded": "for=203.0.113.9"}, True),
    ("off", "0.0.0.0", {"X-Forwarded-For": "203.0.113.9"}, False),
    ("oidc", "127.0.0.1", {}, True),
    ("proxy", "127.0.0.1", {}, True),
])
def test_when_sign_in_is_required(mode: str, address: str | None, headers: dict[str, str],
                                  required: bool) -> None:
    assert sign_in_required(mode, address, headers) is required


def test_a_laptop_is_open_and_a_proxied_request_is_not() -> None:
    config = read_access_config({})  # no secrets at all, the default mode
    assert decide_access(config, server_address=LOOPBACK, headers={}, user={}).outcome is Outcome.OPEN
    assert decide_access(config, server_address=LOOPBACK, headers={}, user={}).can_edit
    proxied = decide_access(config, server_address=LOOPBACK, headers={"X-Forwarded-For": "203.0.113.9"},
                            user={})
    assert proxied.outcome is Outcome.MISCONFIGURED and not proxied.allowed
    assert any("no [auth] section" in d for d in proxied.details)


def test_oidc_outcomes() -> None:
    config = policy()
    decide = lambda user: decide_access(config, server_address=LOOPBACK, headers={}, user=user)  # noqa: E731
    assert decide({}).outcome is Outcome.SIGN_IN
    assert decide({"is_logged_in": False, "email": "editor@example.org"}).outcome is Outcome.SIGN_IN
    viewer = decide(VIEWER)
    assert (viewer.outcome, viewer.role, viewer.can_edit, viewer.name) == (Outcome.GRANTED, "viewer", False,
                                                                           "Vera Viewer")
    editor = decide(EDITOR)
    assert (editor.role, editor.can_edit) == ("editor", True)
    unlisted = decide({"is_logged_in": True, "email": "eve@evil.net"})
    assert unlisted.outcome is Outcome.REFUSED and "eve@evil.net" in unlisted.message
    unverified = decide({**EDITOR, "email_verified": False})
    assert unverified.outcome is Outcome.REFUSED and "not verified" in unverified.message


def test_incomplete_settings_keep_the_app_closed() -> None:
    def problems(secrets: dict[str, Any]) -> tuple[str, ...]:
        decision = decide_access(read_access_config(secrets), server_address=LOOPBACK, headers={},
                                 user=EDITOR)
        assert decision.outcome is Outcome.MISCONFIGURED and not decision.allowed
        return decision.details

    assert any("[auth] cookie_secret" in p for p in problems(
        {"auth": {k: v for k, v in AUTH.items() if k != "cookie_secret"}, "access": ACCESS}))
    assert any("no [auth] section" in p for p in problems({"access": ACCESS}))
    assert any("lists no viewers or editors" in p for p in problems({"auth": AUTH, "access": {"mode": "oidc"}}))
    assert any("is not one of" in p for p in problems({"auth": AUTH, "access": {**ACCESS, "mode": "sso"}}))
    assert any("neither an e-mail address nor a domain" in p
               for p in problems({"auth": AUTH, "access": {**ACCESS, "viewers": ["not a domain"]}}))
    named = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"], "corp": {
        k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}}
    unnamed = problems({"auth": named, "access": ACCESS})  # the provider's table is not named in [access]
    assert any("[auth.corp]) in [access] provider" in p for p in unnamed)
    ok = decide_access(read_access_config({"auth": named, "access": {**ACCESS, "provider": "corp"}}),
                       server_address=LOOPBACK, headers={}, user={})
    assert (ok.outcome, ok.provider) == (Outcome.SIGN_IN, "corp")


def test_trusted_proxy_mode() -> None:
    config = read_access_config({"access": {**ACCESS, "mode": "proxy"}})  # no [auth] needed
    header = {"X-Forwarded-Email": "Editor@example.org", "X-Forwarded-For": "203.0.113.9"}
    granted = decide_access(config, server_address=LOOPBACK, headers=header, user={})
    assert (granted.outcome, granted.role, granted.mode) == (Outcome.GRANTED, "editor", "proxy")
    assert decide_access(config, server_address=LOOPBACK, headers={"x-forwarded-email": "v@example.org"},
                         user={}).role == "viewer"
    # st.user is not trusted in proxy mode, only the proxy's header
    missing = decide_access(config, server_address=LOOPBACK, headers={}, user=EDITOR)
    assert missing.outcome is Outcome.REFUSED and "X-Forwarded-Email" in missing.message
    # anyone could send the header to an app that listens beyond loopback
    exposed = decide_access(config, server_address="0.0.0.0", headers=header, user={})
    assert exposed.outcome is Outcome.MISCONFIGURED and any("loopback" in d for d in exposed.details)
    other = read_access_config({"access": {**ACCESS, "mode": "proxy", "proxy_header": "X-Auth-Request-Email"}})
    assert decide_access(other, server_address=LOOPBACK, headers=header, user={}).outcome is Outcome.REFUSED


def test_viewers_see_feed_sites_not_feed_urls() -> None:
    status = pd.DataFrame([{"name": "Wire", "url": "https://user:pw@feeds.example.org/rss?key=SECRET",
                            "last_error": "HTTP 403 for https://feeds.example.org/rss?key=SECRET", "note": None}])
    shown = redact_feed_urls(status).iloc[0]
    assert shown["url"] == "https://feeds.example.org/"
    assert "SECRET" not in shown["last_error"] and "https://feeds.example.org/" in shown["last_error"]
    assert "SECRET" in status.iloc[0]["url"]  # the input is left alone


# -- every page through the entry file ---------------------------------------------------------
@pytest.fixture(scope="module", autouse=True)
def test_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = build_store(tmp_path_factory.mktemp("access") / "store.db")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "DB_PATH", path)
        yield path


def visit(page: str, user: dict[str, Any] | None, secrets: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(SECRETS if secrets is None else secrets)
    at.user = dict(user) if user is not None else {"is_logged_in": False}
    at.query_params["country"] = "KAZ"  # a shared link's filters
    at.run()
    assert not at.exception, at.exception
    if page != PAGES[0]:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def shows_data(at: AppTest) -> bool:
    """True when anything of the store reached the page: numbers, tables, charts, article text."""
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return bool(at.metric or at.dataframe or at.get("plotly_chart") or at.get("file_uploader")
                or any("Kazakhstan" in t or "Astana" in t for t in texts))


def buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


@pytest.mark.parametrize("page", PAGES)
def test_no_page_and_no_write_without_sign_in(page: str) -> None:
    at = visit(page, None)
    assert not shows_data(at), page
    assert "Sign in" in buttons(at)
    assert [t.value for t in at.title] == ["Steppe Watch"]


@pytest.mark.parametrize("page", PAGES)
def test_an_unlisted_account_is_refused_on_every_page(page: str) -> None:
    at = visit(page, {"is_logged_in": True, "email": "eve@evil.net", "name": "Eve"})
    assert not shows_data(at)
    assert any("eve@evil.net is not on this instance's list" in w.value.replace("\\", "") for w in at.warning)
    assert "Sign out" in buttons(at) and "Sign in" not in buttons(at)


@pytest.mark.parametrize("page", PAGES)
def test_missing_sign_in_settings_close_the_app(page: str) -> None:
    at = visit(page, EDITOR, secrets={"access": ACCESS})  # oidc mode, no [auth]
    assert not shows_data(at)
    assert at.error and any("[auth]" in m.value.replace("\\", "") for m in at.markdown)


def test_a_viewer_reads_but_cannot_write() -> None:
    at = visit(PAGES[0], VIEWER)
    assert shows_data(at) and at.query_params["country"] == "KAZ"  # the shared link's view
    assert any("Vera Viewer" in c.value and "viewer" in c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError, match="Known pages"):  # no Ingest in a viewer's navigation
        visit("views/ingest.py", VIEWER)
    page_alone = AppTest.from_file(str(ROOT / "views" / "ingest.py"), default_timeout=60)  # its own guard
    page_alone.secrets.update(SECRETS)
    page_alone.user = dict(VIEWER)
    page_alone.run()
    assert not page_alone.get("file_uploader") and not page_alone.exception
    assert any("Only editors can upload" in i.value for i in page_alone.info)
    quality = visit("views/quality.py", VIEWER)
    assert "Run evaluation now" not in buttons(quality)
    assert any("Only editors can run the evaluation" in c.value for c in quality.caption)


def test_an_editor_can_upload_and_run_the_evaluation() -> None:
    ingest = visit("views/ingest.py", EDITOR)
    assert ingest.get("file_uploader") and "Ingest" in [t.value for t in ingest.title]
    quality = visit("views/quality.py", EDITOR)
    assert not any("Only editors" in c.value for c in quality.caption)


@pytest.mark.parametrize("page", PAGES)
def test_a_signed_in_editor_sees_every_page(page: str) -> None:
    at = visit(page, EDITOR)
    assert not at.error, [e.value for e in at.error]
    assert "Sign in" not in buttons(at) and "Sign out" in buttons(at)


def test_no_secrets_on_a_laptop_opens_everything_without_sign_in() -> None:
    at = visit("views/ingest.py", None, secrets={})
    assert at.get("file_uploader") and "Sign in" not in buttons(at)
    assert not at.sidebar.caption or not any("Signed in" in c.value for c in at.sidebar.caption)


def test_an_editor_saves_the_current_view_as_a_watchlist_and_a_viewer_only_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "DB_PATH", build_store(tmp_path / "watch.db"))
    at = visit("views/watchlists.py", EDITOR)  # the shared link's filter: country=KAZ
    assert not at.exception and "Save watchlist" in {b.label for b in at.get("form_submit_button")} | {
        b.label for b in at.button}
    at.text_input(key="wl_name").input("Kazakhstan <b>watch</b>")
    at.text_input(key="wl_emails").input("desk@example.org; analyst@example.org")
    at.text_input(key="wl_webhook").input("javascript:alert(1)")
    at.get("form_submit_button")[0].click().run()
    assert any("webhook must be an http" in e.value for e in at.error)  # nothing saved, the reason shown
    at.text_input(key="wl_webhook").input("")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception and any("Saved watchlist" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert list(table["name"]) == ["Kazakhstan <b>watch</b>"]  # plain table text, never markup
    assert table.iloc[0]["filter"] == "Kazakhstan" and "country=KAZ" in table.iloc[0]["view"]
    assert table.iloc[0]["e-mail"] == "desk@example.org, analyst@example.org"  # as typed

    viewer = visit("views/watchlists.py", VIEWER)
    assert not viewer.get("form_submit_button") and "Delete it and its alerts" not in buttons(viewer)
    seen = viewer.dataframe[0].value
    assert seen.iloc[0]["e-mail"] == "2 recipients"  # the addresses are the editors' to see
    assert "Deliveries" not in [h.value for h in viewer.subheader]


def test_trusted_proxy_mode_on_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from components import signin

    proxy = {"access": {**ACCESS, "mode": "proxy"}}  # no [auth]: the proxy signs people in
    monkeypatch.setattr(signin, "request_headers", lambda: {"X-Forwarded-Email": "editor@example.org",
                                                             "X-Forwarded-For": "203.0.113.9"})
    for page in PAGES:
        at = visit(page, {"is_logged_in": False}, secrets=proxy)
        assert not at.error and "Sign in" not in buttons(at) and "Sign out" not in buttons(at), page
        assert any("(editor)" in c.value for c in at.sidebar.caption)
    monkeypatch.setattr(signin, "request_headers", lambda: {"X-Forwarded-For": "203.0.113.9"})
    refused = visit(PAGES[0], EDITOR, secrets=proxy)  # a st.user cookie does not count in proxy mode
    assert not shows_data(refused) and any("X-Forwarded-Email" in w.value.replace("\\", "") for w in refused.warning)

