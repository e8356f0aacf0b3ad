"""Sign-in and roles in the app: the entry file asks ``require_access()`` before any page or data loads.

The decision itself is pure (components/access_policy.py); this module reads what it needs from
Streamlit (the secrets, ``st.user``, the request's headers, the server's address) and shows the sign-in,
refusal or set-up message when the visitor may not go on.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit import config

from components.access_policy import Access, Outcome, decide_access, read_access_config
from components.article_view import escape_markdown as md
from steppewatch import settings

log = logging.getLogger(__name__)


def _secrets() -> tuple[dict[str, Any], str | None]:
    """The secrets as a plain dict, and the reason when the file exists but cannot be read."""
    try:
        return st.secrets.to_dict(), None
    except FileNotFoundError:
        return {}, None
    except Exception as exc:  # a TOML error: reported, and the app stays closed if sign-in is needed
        return {}, f".streamlit/secrets.toml cannot be read: {type(exc).__name__}: {str(exc)[:200]}"


def request_headers() -> Mapping[str, str]:
    """The headers of the request that opened this session (empty outside a server)."""
    try:
        return {key: value for key, value in st.context.headers.items()}
    except Exception:
        return {}


def _user() -> dict[str, Any]:
    try:
        return st.user.to_dict()
    except Exception:
        return {}


def current_access() -> Access:
    """This visitor's access (pure decision over the secrets, ``st.user``, headers and server address)."""
    secrets, unreadable = _secrets()
    policy = read_access_config(secrets, settings.ACCESS_MODE)
    if unreadable:
        policy = dataclasses.replace(policy, problems=(*policy.problems, unreadable))
    return decide_access(policy, server_address=config.get_option("server.address"),
                         headers=request_headers(), user=_user())


def _identity_sidebar(access: Access, key: str) -> None:
    """Who is signed in, with which role, and (OIDC) a sign-out button, at the top of the sidebar."""
    with st.sidebar:
        st.caption(f"Signed in as **{md(access.name or access.email or '?')}** ({access.role})")
        if access.mode == "oidc" and st.button("Sign out", key=f"{key}_sign_out"):
            st.logout()


def require_access(key: str = "acc") -> Access:
    """The visitor's access; when they may not see the pages, shows why (and how to sign in) and stops
    the run, so no page and no data is loaded for them."""
    access = current_access()
    if access.allowed:
        if access.auth_on:
            _identity_sidebar(access, key)
        return access
    st.title("Steppe Watch")
    if access.outcome is Outcome.SIGN_IN:
        st.markdown(access.message)
        if st.button("Sign in", key=f"{key}_sign_in", type="primary"):
            st.login(access.provider) if access.provider else st.login()
    elif access.outcome is Outcome.REFUSED:
        st.warning(md(access.message))
        if access.mode == "oidc" and st.button("Sign out", key=f"{key}_sign_out"):
            st.logout()
    else:
        log.warning("sign-in misconfigured: %s", "; ".join(access.details))
        st.error(md(access.message))
        st.markdown("\n".join(f"- {md(detail)}" for detail in access.details))
    st.stop()
    return access  # not reached: st.stop() ends the run


def require_editor(what: str) -> Access:
    """Stops a page (or the part of it that writes) for a visitor who is not an editor."""
    access = current_access()
    if not access.can_edit:
        st.info(f"Only editors can {what}. Ask the administrator of this instance for the editor role.")
        st.stop()
    return access
