"""The dashboard's read model, persisted once per data version (see ``readmodel``).

``after_ingest(store)`` is called by every writer (ingest, reprocess, watch) after its last commit, so
that a cold start of the dashboard loads the snapshot instead of rebuilding it from SQLite. The snapshot
is patched from the store's change journal (only the articles the writer touched are read again), so a
small ingest into a large store stays small.
"""

from __future__ import annotations

import logging

from steppewatch.store.db import Store

log = logging.getLogger(__name__)


def after_ingest(store: Store) -> None:
    """Write the read-model snapshot for the store's current data version (never raises)."""
    try:
        from steppewatch.query.readmodel import write_snapshot

        write_snapshot(store)
    except Exception:  # the store of record is committed; a missing snapshot is only rebuilt later
        log.exception("read-model snapshot not written")
