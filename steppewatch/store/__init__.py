"""The embedded store (SQLite in WAL mode): the only writer of articles, mentions and events."""

from steppewatch.store.db import SCHEMA_VERSION, Store, open_store

__all__ = ["SCHEMA_VERSION", "Store", "open_store"]
