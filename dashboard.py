"""Steppe Watch dashboard: page routing only (`streamlit run serve.py` serves it; `streamlit run dashboard.py` too).

The page files live in views/, not pages/: a folder named pages/ makes Streamlit run any
session that starts on a deep link (e.g. /article?article=...) in its legacy multipage mode,
without this router. No page icons: Material icons make the browser fetch a CDN favicon.
Access is decided before any page or data loads (components/signin.py): a visitor who must sign in
sees only the sign-in; the Ingest page exists only for editors.
"""

import streamlit as st

from components.run_log import timed_run
from components.signin import require_access

st.set_page_config(page_title="Steppe Watch", layout="wide")
access = require_access()
pages = st.navigation([
    st.Page("views/overview.py", title="Overview", default=True),
    st.Page("views/article.py", title="Article"),
    st.Page("views/stories.py", title="Stories"),
    *([st.Page("views/ingest.py", title="Ingest")] if access.can_edit else []),
    st.Page("views/watchlists.py", title="Watchlists"),
    st.Page("views/sources.py", title="Sources"),
    st.Page("views/quality.py", title="Quality"),
])
with timed_run():  # the run's time, when settings.RUN_TIMES_LOG asks for it
    pages.run()
