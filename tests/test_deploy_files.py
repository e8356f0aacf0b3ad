"""The deployment files (deploy/) fit the app and each other: every Streamlit option of the hosting
config exists, the proxy carries websockets and uploads as large as the app takes, the units start what
the README starts, and the app really serves under the proxy's path with that config."""

from __future__ import annotations

import re
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
DEPLOY = ROOT / "deploy"
CONFIG = tomllib.loads((DEPLOY / "streamlit" / "config.toml").read_text(encoding="utf-8"))
NGINX = (DEPLOY / "nginx" / "steppewatch.conf").read_text(encoding="utf-8")
APP_UNIT = (DEPLOY / "systemd" / "steppewatch@.service").read_text(encoding="utf-8")
WATCH_UNIT = (DEPLOY / "systemd" / "steppewatch-watch.service").read_text(encoding="utf-8")


def _options() -> dict[str, object]:
    return {f"{section}.{key}": value for section, values in CONFIG.items() for key, value in values.items()}


def test_every_hosting_option_is_one_streamlit_knows() -> None:
    from streamlit import config

    unknown = [name for name in _options() if name not in config._config_options_template]
    assert unknown == []


def test_the_proxy_carries_websockets_and_the_uploads_the_app_takes() -> None:
    base = CONFIG["server"]["baseUrlPath"]
    location = re.search(rf"location /{base}/ \{{(.*?)\}}", NGINX, re.S)
    assert location, f"no location /{base}/ in the nginx config"
    body = location.group(1)
    assert "proxy_set_header Upgrade $http_upgrade" in body and "proxy_http_version 1.1" in body
    assert "proxy_set_header Connection $connection_upgrade" in body
    limit = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert limit and int(limit.group(1)) == CONFIG["server"]["maxUploadSize"]
    timeout = re.search(r"proxy_read_timeout (\d+)s;", body)
    assert timeout and int(timeout.group(1)) > CONFIG["server"]["websocketPingInterval"]
    assert f"location = /{base}/_stcore/metrics {{ return 404; }}" in NGINX
    ports = {int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+);", NGINX)}
    assert CONFIG["server"]["port"] in ports and len(ports) == 2  # two processes, sticky upstream
    assert re.search(r"upstream steppewatch_app \{\s*hash \$remote_addr consistent;", NGINX)


def test_the_units_start_what_the_readme_starts() -> None:
    from steppewatch.cli import build_parser

    assert "streamlit run serve.py --server.port %i" in APP_UNIT and (ROOT / "serve.py").exists()
    assert "streamlit run serve.py" in (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"ExecStart=\S+/python -m steppewatch (.+)", WATCH_UNIT)
    assert command
    args = build_parser().parse_args(command.group(1).split())
    assert args.command == "watch" and args.every == "15m"
    assert "KillSignal=SIGINT" in WATCH_UNIT  # watch stops cleanly on Ctrl-C


def test_the_example_secrets_are_a_complete_sign_in_once_filled_in() -> None:
    from components.access_policy import Outcome, decide_access, read_access_config, role_for

    example = tomllib.loads((DEPLOY / "streamlit" / "secrets.example.toml").read_text(encoding="utf-8"))
    config = read_access_config(example)
    assert config.problems == () and config.auth_problems == () and config.mode == "oidc"
    assert example["auth"]["redirect_uri"].endswith(f"/{CONFIG['server']['baseUrlPath']}/oauth2callback")
    assert (role_for("analyst@example.org", config), role_for("someone@example.org", config)) == ("editor", "viewer")
    # loopback, as the hosting config listens, and still signed in: mode oidc (and a proxy forwards anyway)
    decision = decide_access(config, server_address=CONFIG["server"]["address"], headers={}, user={})
    assert decision.outcome is Outcome.SIGN_IN
    assert "secrets.toml" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_the_hosted_demo_proxies_as_the_deployment_does() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from hosted_demo import deploy_location_block, nginx_config

    block = deploy_location_block()
    assert block in NGINX and "proxy_set_header X-Forwarded-For" in block  # what turns auto sign-in on
    assert block in nginx_config(8080, 8501, Path("/tmp/x"))


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError:  # not listening yet
        return 0, b""


def test_the_app_serves_under_the_proxy_path_with_the_hosting_config(tmp_path: Path) -> None:
    import time

    from browser_support import start_app

    # each option as Streamlit's environment variable (server.baseUrlPath: STREAMLIT_SERVER_BASE_URL_PATH);
    # port and address: the test's own free loopback port
    env = {"STREAMLIT_" + re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).replace(".", "_").upper():
           str(value).lower() if isinstance(value, bool) else str(value)
           for name, value in _options().items() if name not in {"server.port", "server.address"}}
    env["STEPPEWATCH_DB"] = str(tmp_path / "s.db")
    app = start_app(env, tmp_path / "app.log")
    base = app.url("/" + CONFIG["server"]["baseUrlPath"])
    try:
        deadline = time.monotonic() + 90
        while _get(base + "/_stcore/health") != (200, b"ok"):
            if app.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"no health answer under {base}:\n{app.log_tail()}")
            time.sleep(0.2)
        assert _get(base + "/_stcore/metrics")[0] == 404
        status, shapes = _get(base + "/app/static/central_asia.geojson")
        assert status == 200 and b'"KAZ"' in shapes
        assert _get(base + "/")[0] == 200
    finally:
        app.stop()


def test_the_uploader_takes_exactly_what_the_server_keeps() -> None:
    from steppewatch import settings

    local = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text(
        encoding="utf-8"))
    limit_mb = settings.MAX_DOCUMENT_BYTES // (1024 * 1024)
    assert local["server"]["maxUploadSize"] == CONFIG["server"]["maxUploadSize"] == limit_mb
