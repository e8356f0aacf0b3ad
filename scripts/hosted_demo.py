"""A signed-in Steppe Watch on this machine, as it is hosted: nginx in front (the location block of
deploy/nginx/steppewatch.conf, without TLS), the dashboard under /steppewatch/ with the hosting config
(deploy/streamlit/config.toml), and sign-in through a local OpenID Connect provider (oidc-provider-mock)
-- everything on 127.0.0.1.

    .venv/bin/python scripts/hosted_demo.py            # then open the URL it prints; Ctrl-C stops it

Sign in as ``editor@example.org`` (editor), any other ``@example.org`` address (viewer), or anything
else (refused). Needs nginx (``apt-get install nginx``) and the test requirements (the provider).
Its files (configs, secrets, logs, the store) go to ``--dir`` (default ``.hosted-demo/``, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX_DEPLOY = ROOT / "deploy" / "nginx" / "steppewatch.conf"
CONFIG_DEPLOY = ROOT / "deploy" / "streamlit" / "config.toml"
BASE = tomllib.loads(CONFIG_DEPLOY.read_text(encoding="utf-8"))["server"]["baseUrlPath"]
USERS = ({"sub": "editor@example.org", "email": "editor@example.org", "email_verified": True, "name": "Ed Editor"},
         {"sub": "viewer@example.org", "email": "viewer@example.org", "email_verified": True, "name": "Vera Viewer"})


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def deploy_location_block() -> str:
    """The ``location /BASE/ { ... }`` block of the deployment's nginx config, as it is there."""
    text = NGINX_DEPLOY.read_text(encoding="utf-8")
    match = re.search(rf"    location /{re.escape(BASE)}/ \{{.*?\n    \}}", text, re.S)
    if match is None:
        raise SystemExit(f"no 'location /{BASE}/' block in {NGINX_DEPLOY}")
    return match.group(0)


def nginx_config(proxy_port: int, app_port: int, prefix: Path) -> str:
    """nginx.conf for the demo: the deployment's proxying on a loopback port, no TLS, files in ``prefix``."""
    return f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/nginx-access.log;
    client_body_temp_path {prefix}/tmp-body;
    proxy_temp_path {prefix}/tmp-proxy;
    fastcgi_temp_path {prefix}/tmp-fastcgi;
    uwsgi_temp_path {prefix}/tmp-uwsgi;
    scgi_temp_path {prefix}/tmp-scgi;
    upstream steppewatch_app {{ server 127.0.0.1:{app_port}; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{proxy_port};
        server_name 127.0.0.1;
        client_max_body_size 20m;
        location = /{BASE}/_stcore/metrics {{ return 404; }}
{deploy_location_block()}
        location = / {{ return 302 /{BASE}/; }}
    }}
}}
"""


def secrets_toml(proxy_port: int, provider_port: int) -> str:
    """The app's secrets: OIDC through the local provider, an allowlist with one editor."""
    return f"""[access]
mode = "oidc"
viewers = ["example.org"]
editors = ["editor@example.org"]

[auth]
redirect_uri = "http://127.0.0.1:{proxy_port}/{BASE}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "steppewatch-demo"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"
"""


@dataclass
class HostedSite:
    """The running demo: its URL, the provider's, and the processes."""

    url: str
    provider_url: str
    app_port: int
    directory: Path
    processes: list[subprocess.Popen[bytes]]


def wait_for(url: str, procs: list[subprocess.Popen[bytes]], timeout: float) -> None:
    """Until ``url`` answers; raises when one of ``procs`` exits first or after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} ... exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer in {timeout:.0f} s")


def _start(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:  # the child keeps its own handle
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


@contextmanager
def hosted_site(directory: Path, proxy_port: int | None = None, db: Path | None = None,
                nginx: str | None = None) -> Iterator[HostedSite]:
    """Start provider, app and nginx (all on 127.0.0.1); stop them all on exit."""
    nginx = nginx or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed (apt-get install nginx)")
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("tmp-body", "tmp-proxy", "tmp-fastcgi", "tmp-uwsgi", "tmp-scgi"):
        (directory / sub).mkdir(exist_ok=True)
    proxy_port, app_port, provider_port = proxy_port or free_port(), free_port(), free_port()
    (directory / "secrets.toml").write_text(secrets_toml(proxy_port, provider_port), encoding="utf-8")
    (directory / "nginx.conf").write_text(nginx_config(proxy_port, app_port, directory.resolve()), encoding="utf-8")
    env = {**os.environ, "STEPPEWATCH_DB": str(db or directory / "steppewatch.db")}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(_start([sys.executable, "-m", "oidc_provider_mock", "--port", str(provider_port),
                                 *(a for user in USERS for a in ("--user-claims", json.dumps(user)))],
                                directory / "provider.log"))
        processes.append(_start([sys.executable, "-m", "streamlit", "run", "serve.py",
                                 "--server.port", str(app_port), "--secrets.files", str(directory / "secrets.toml"),
                                 *(a for name, value in _hosting_options().items() for a in (f"--{name}", value))],
                                directory / "streamlit.log", env))
        processes.append(_start([nginx, "-c", str((directory / "nginx.conf").resolve()), "-p", str(directory)],
                                directory / "nginx.log"))
        provider_url, url = f"http://127.0.0.1:{provider_port}", f"http://127.0.0.1:{proxy_port}/{BASE}/"
        wait_for(f"{provider_url}/.well-known/openid-configuration", processes, 30)
        wait_for(f"{url}_stcore/health", processes, 90)
        yield HostedSite(url=url, provider_url=provider_url, app_port=app_port, directory=directory,
                         processes=processes)
    finally:
        for proc in reversed(processes):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(10)


def _hosting_options() -> dict[str, str]:
    """deploy/streamlit/config.toml as command-line options, but the port (set per run)."""
    config = tomllib.loads(CONFIG_DEPLOY.read_text(encoding="utf-8"))
    return {f"{section}.{key}": str(value).lower() if isinstance(value, bool) else str(value)
            for section, values in config.items() for key, value in values.items()
            if f"{section}.{key}" != "server.port"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT / ".hosted-demo", help="configs, logs and the store")
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port on 127.0.0.1")
    args = parser.parse_args(argv)

    def stop(signum: int, frame: object) -> None:  # SIGTERM (systemd, timeout): stop the children too
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with hosted_site(args.dir, args.port) as site:
        print(f"Steppe Watch, signed in through nginx: {site.url}\n"
              f"  sign in as editor@example.org (editor), viewer@example.org (viewer), or any other name "
              f"(refused)\n  provider {site.provider_url}; logs in {args.dir}/. Ctrl-C stops it.", flush=True)
        try:
            while all(p.poll() is None for p in site.processes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
