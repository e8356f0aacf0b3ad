"""The part of a page below its first chart, drawn a moment later on a session's first run.

On a cold start the browser has one busy thread: it evaluates plotly.js (~1 s) and draws every element
it is sent. Sent at once, the timeline and the article list under the map are drawn before the map
(its shapes are fetched last), so the map appears about a second later. On a session's first run
``draw_below_now`` instead shows one line where they go and schedules a full rerun a moment later
(``settings.DEFER_BELOW_MAP_S``): a fragment with ``run_every`` whose first tick reruns the whole app,
so the timer ends with that run. Any other run draws the page at once, as does a first run when the
setting is 0.
"""

from __future__ import annotations

import streamlit as st

from steppewatch import settings

LOADING_TEXT = "Loading the timeline and the articles…"


def draw_below_now(key: str, first_run: bool) -> bool:
    """True when the part of the page below may be drawn in this run. False on a session's first run
    (``first_run``): a placeholder line is shown and a full rerun scheduled (widget state keyed by
    ``key``)."""
    state_key = f"{key}_below"
    delay = settings.DEFER_BELOW_MAP_S
    if not first_run or delay <= 0 or st.session_state.get(state_key):
        st.session_state[state_key] = True  # a user's action before the tick: draw it now
        return True
    st.session_state[state_key] = True
    ticks = {"n": 0}

    @st.fragment(run_every=delay)
    def _tick() -> None:  # inline in this run; its first rerun (the timer) reruns the app
        ticks["n"] += 1
        if ticks["n"] > 1:
            st.rerun(scope="app")
        st.caption(LOADING_TEXT)

    _tick()
    return False
