"""Steppe Watch for hosting: `streamlit run serve.py` serves dashboard.py behind an HTTP guard.

The guard (components/http_guard.py) redirects deep paths such as /article/foo, which Streamlit
itself answers with a blank page, to their page, and answers /_stcore/metrics with 404 (Streamlit
has no option to turn it off). `streamlit run dashboard.py` still works, without the guard.
"""

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

from components.http_guard import HttpGuard


def _base_url_path() -> str:
    return str(config.get_option("server.baseUrlPath") or "")


app = st.App("dashboard.py", middleware=[Middleware(HttpGuard, base=_base_url_path)])
