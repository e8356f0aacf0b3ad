"""Who may see and change what on a hosted instance: the access policy, as pure functions.

The policy is read from ``.streamlit/secrets.toml`` (git-ignored; an example is in docs/deploy.md)::

    [access]
    mode = "auto"          # auto | oidc | proxy | off  (default: settings.ACCESS_MODE)
    viewers = ["example.org", "guest@partner.org"]   # read and export
    editors = ["analyst@example.org"]                 # also upload, run evaluations, manage watchlists
    proxy_header = "X-Forwarded-Email"                # proxy mode: the header the reverse proxy sets
    provider = "google"                               # oidc mode: a named provider under [auth]

    [auth]                 # Streamlit's own st.login settings (OIDC)
    redirect_uri = "https://news.example.org/steppewatch/oauth2callback"
    cookie_secret = "..."
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://accounts.example.org/.well-known/openid-configuration"

An allowlist entry is an e-mail address (``alice@example.org``), a domain (``example.org`` or
``@example.org``: every address at exactly that domain) or ``*`` (anyone the provider signs in).
Editors are viewers too. A missing or broken setting never opens the app: it is refused with a message
that says what to fix (fail closed).

``auto`` turns sign-in on whenever the dashboard can be reached from another machine: the server
listens on an address other than loopback, or the request came through a reverse proxy (it carries a
forwarding header). On a laptop (``streamlit run`` on 127.0.0.1, the repository's config) it is off.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

Role = Literal["viewer", "editor"]
MODES = ("auto", "oidc", "proxy", "off")
DEFAULT_PROXY_HEADER = "X-Forwarded-Email"
# Headers a reverse proxy adds: a request that carries one did not come straight from this machine.
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host")
# What st.login needs in [auth] (flat, or in a provider's sub-table): Streamlit's own list.
AUTH_SHARED_KEYS = ("redirect_uri", "cookie_secret")
AUTH_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
SECRETS_HELP = "see docs/deploy.md, \"Sign-in\""


class Outcome(Enum):
    """What the entry file does with a visitor."""

    OPEN = "open"  # no sign-in (auth off): full access
    GRANTED = "granted"  # signed in and on the allowlist
    SIGN_IN = "sign_in"  # not signed in yet: offer st.login
    REFUSED = "refused"  # signed in (or named by the proxy) but not allowed
    MISCONFIGURED = "misconfigured"  # sign-in is required but cannot work: say what to fix


@dataclass(frozen=True)
class AccessConfig:
    """The ``[access]`` table, checked; ``problems`` lists what is wrong with it (or with ``[auth]``)."""

    mode: str = "auto"
    viewers: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    proxy_header: str = DEFAULT_PROXY_HEADER
    provider: str | None = None
    problems: tuple[str, ...] = ()
    auth_problems: tuple[str, ...] = ()  # what st.login would miss in [auth] (matters in oidc mode only)


@dataclass(frozen=True)
class Access:
    """The decision for one visitor: what the app shows and allows."""

    outcome: Outcome
    role: Role | None = None
    email: str | None = None
    name: str | None = None
    auth_on: bool = False
    mode: str = "off"  # the mode in effect: off | oidc | proxy
    provider: str | None = None
    message: str = ""
    details: tuple[str, ...] = field(default=())

    @property
    def allowed(self) -> bool:
        """True when the pages may be shown."""
        return self.outcome in (Outcome.OPEN, Outcome.GRANTED)

    @property
    def can_edit(self) -> bool:
        """True when uploads, evaluation runs, feeds and watchlists are allowed."""
        return self.allowed and self.role == "editor"


def _entries(value: Any, key: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        problems.append(f"[access] {key} must be a list of e-mail addresses or domains")
        return ()
    entries = tuple(v.strip().lower() for v in value if v.strip())
    for entry in entries:
        if entry != "*" and (" " in entry or entry.count("@") > 1 or "." not in entry.split("@")[-1]):
            problems.append(f"[access] {key}: {entry!r} is neither an e-mail address nor a domain")
    return entries


def _auth_problems(auth: Any, provider: str | None) -> list[str]:
    """What st.login would miss in ``[auth]`` (empty when it can start a sign-in)."""
    if not isinstance(auth, Mapping) or not auth:
        return [f"sign-in is required but .streamlit/secrets.toml has no [auth] section ({SECRETS_HELP})"]
    missing = [f"[auth] {key}" for key in AUTH_SHARED_KEYS if not auth.get(key)]
    table = auth.get(provider) if provider else auth
    where = f"[auth.{provider}]" if provider else "[auth]"
    if not isinstance(table, Mapping):
        missing.append(where)
    else:
        missing += [f"{where} {key}" for key in AUTH_PROVIDER_KEYS if not table.get(key)]
    if not missing:
        return []
    named = [name for name, value in auth.items() if isinstance(value, Mapping)]
    hint = (f"; or name the provider to use ({', '.join(f'[auth.{n}]' for n in named)}) in [access] provider"
            if named and not provider else "")
    return [f"sign-in is required but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing "
            f"in .streamlit/secrets.toml{hint} ({SECRETS_HELP})"]


def read_access_config(secrets: Mapping[str, Any], default_mode: str = "auto") -> AccessConfig:
    """The access policy from the secrets (``[access]`` and ``[auth]``), checked but not yet applied."""
    problems: list[str] = []
    table = secrets.get("access") or {}
    if not isinstance(table, Mapping):
        problems.append("[access] must be a table")
        table = {}
    mode = str(table.get("mode", default_mode) or default_mode).strip().lower()
    if mode not in MODES:
        problems.append(f"[access] mode = {mode!r} is not one of {', '.join(MODES)}")
    header = table.get("proxy_header", DEFAULT_PROXY_HEADER)
    if not isinstance(header, str) or not header.strip():
        problems.append("[access] proxy_header must name a header")
        header = DEFAULT_PROXY_HEADER
    provider = table.get("provider")
    if provider is not None and not isinstance(provider, str):
        problems.append("[access] provider must be the name of a table under [auth]")
        provider = None
    auth = secrets.get("auth")
    return AccessConfig(mode=mode, viewers=_entries(table.get("viewers"), "viewers", problems),
                        editors=_entries(table.get("editors"), "editors", problems),
                        proxy_header=header.strip(), provider=provider or None, problems=tuple(problems),
                        auth_problems=tuple(_auth_problems(auth, provider or None)))


def is_loopback(address: str | None) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if not address:
        return False  # Streamlit's default: every interface
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted and str(value).strip():
            return str(value).strip()
    return None


def sign_in_required(mode: str, server_address: str | None, headers: Mapping[str, str]) -> bool:
    """Whether this request must be signed in: always in oidc/proxy mode, never when off, and in auto
    mode when the server is reachable from elsewhere or the request was forwarded by a proxy."""
    if mode == "off":
        return False
    if mode in ("oidc", "proxy"):
        return True
    return not is_loopback(server_address) or any(_header(headers, h) for h in FORWARDING_HEADERS)


def _matches(email: str, entries: tuple[str, ...]) -> bool:
    domain = email.rsplit("@", 1)[-1]
    return any(e == "*" or e == email or (e.lstrip("@") == domain and "@" not in e.lstrip("@"))
               for e in entries)


def role_for(email: str | None, config: AccessConfig) -> Role | None:
    """The role the allowlist gives an e-mail address (editors first), or None when it is not listed."""
    if not email or "@" not in email:
        return None
    email = email.strip().lower()
    if _matches(email, config.editors):
        return "editor"
    if _matches(email, config.viewers):
        return "viewer"
    return None


def decide_access(config: AccessConfig, *, server_address: str | None, headers: Mapping[str, str],
                  user: Mapping[str, Any]) -> Access:
    """The decision for one visitor: ``user`` is ``st.user`` as a dict, ``headers`` the request's."""
    if config.mode not in MODES:
        return Access(Outcome.MISCONFIGURED, auth_on=True, message="Sign-in is misconfigured.",
                      details=config.problems)
    if not sign_in_required(config.mode, server_address, headers):
        return Access(Outcome.OPEN, role="editor", mode="off")
    mode = "proxy" if config.mode == "proxy" else "oidc"
    problems = list(config.problems)
    if mode == "proxy" and not is_loopback(server_address):
        problems.append("proxy mode trusts the identity header of every request, so the app must listen on "
                        "loopback only (server.address = \"127.0.0.1\") with the proxy as the only way in")
    if mode == "oidc":
        problems += config.auth_problems
    if not config.viewers and not config.editors:
        problems.append("sign-in is on but [access] lists no viewers or editors: nobody could use the app")
    if problems:
        return Access(Outcome.MISCONFIGURED, auth_on=True, mode=mode, message="Sign-in is required on this "
                      "server, but it is not set up: the dashboard stays closed until it is.",
                      details=tuple(problems))
    if mode == "proxy":
        email = _header(headers, config.proxy_header)
        name = None
        if email is None:
            return Access(Outcome.REFUSED, auth_on=True, mode=mode, message=f"The reverse proxy did not say "
                          f"who you are (no {config.proxy_header} header): open the dashboard through its "
                          "sign-in.")
    else:
        if not user.get("is_logged_in"):
            return Access(Outcome.SIGN_IN, auth_on=True, mode=mode, provider=config.provider,
                          message="Sign in to open Steppe Watch.")
        email = str(user.get("email") or "") or None
        name = str(user.get("name") or "") or None
        if user.get("email_verified") is False:
            return Access(Outcome.REFUSED, auth_on=True, mode=mode, email=email, name=name,
                          message=f"The address {email} is not verified by your sign-in provider.")
    role = role_for(email, config)
    if role is None:
        return Access(Outcome.REFUSED, auth_on=True, mode=mode, email=email, name=name,
                      message=f"{email or 'Your account'} is not on this instance's list of users. Ask its "
                              "administrator to add you.")
    return Access(Outcome.GRANTED, role=role, email=email, name=name, auth_on=True, mode=mode)

