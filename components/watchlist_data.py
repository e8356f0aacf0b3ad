"""The Watchlists page's data: watchlists, their alerts and deliveries as display frames, and the two
writes (save, delete). Small tables, read fresh on every run (a watchlist changes outside ingests)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from components.data import db_path, read_store
from components.sidebar import describe, view_link
from steppewatch.alerts import (
    Watchlist,
    add_watchlist,
    alert_counts,
    delivery_rows,
    recent_alerts,
    remove_watchlist,
    watchlists,
)
from steppewatch.query.filters import Filters
from steppewatch.store import open_store

WATCHLIST_COLUMNS = ["name", "filter", "view", "e-mail", "webhook", "alerts", "last alert", "Atom feed"]
ALERT_COLUMNS = ["time", "watchlist", "story", "reports", "sources", "open"]
DELIVERY_COLUMNS = ["watchlist", "story", "channel", "to", "status", "attempts", "last error", "next try",
                    "sent"]


def all_watchlists() -> list[Watchlist]:
    """Every watchlist, by name (none when the store does not exist yet)."""
    if not db_path().exists():
        return []
    with read_store() as store:
        return watchlists(store)


def watchlist_table(items: Iterable[Watchlist], show_targets: bool) -> pd.DataFrame:
    """One row per watchlist; targets (addresses, webhook URLs) only for editors."""
    with read_store() as store:
        counts = alert_counts(store)
    rows = []
    for w in items:
        n, last = counts.get(w.watchlist_id, (0, None))
        rows.append({
            "name": w.name, "filter": describe(w.filters).removeprefix("Filtered to "),
            "view": view_link(w.filters),
            "e-mail": ", ".join(w.emails) if show_targets else _count(len(w.emails), "recipient"),
            "webhook": (w.webhook or "") if show_targets else ("set" if w.webhook else ""),
            "alerts": n, "last alert": last, "Atom feed": f"alerts/{w.feed_token}.atom"})
    table = pd.DataFrame(rows, columns=WATCHLIST_COLUMNS)
    table["last alert"] = pd.to_datetime(table["last alert"], utc=True)
    return table


def _count(n: int, what: str) -> str:
    return "" if not n else f"{n} {what}{'s' if n != 1 else ''}"


def alerts_table(limit: int = 100) -> pd.DataFrame:
    """The latest alerts of every watchlist, newest first, with a link to each story."""
    if not db_path().exists():
        return pd.DataFrame(columns=ALERT_COLUMNS)
    with read_store() as store:
        alerts = recent_alerts(store, limit)
    return pd.DataFrame([{"time": a.created_at, "watchlist": a.watchlist, "story": a.title,
                          "reports": a.n_articles, "sources": a.sources,
                          "open": view_link(Filters(story=a.story_id), "stories")} for a in alerts],
                        columns=ALERT_COLUMNS)


def deliveries_table(limit: int = 200) -> pd.DataFrame:
    """Deliveries with their state (editors: they name the recipients)."""
    if not db_path().exists():
        return pd.DataFrame(columns=DELIVERY_COLUMNS)
    with read_store() as store:
        rows = delivery_rows(store, limit)
    return pd.DataFrame([{"watchlist": r["watchlist"], "story": r["story_id"], "channel": r["channel"],
                          "to": r["target"], "status": r["status"], "attempts": r["attempts"],
                          "last error": r["last_error"], "next try": r["next_try_at"] if r["status"] == "pending"
                          else None, "sent": r["sent_at"]} for r in rows], columns=DELIVERY_COLUMNS)


def split_addresses(text: str) -> list[str]:
    """Addresses typed into one field, separated by commas, semicolons or spaces."""
    return [part for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()]


def save_watchlist(name: str, filters: Filters, emails: str, webhook: str, created_by: str | None) -> Watchlist:
    """Save a watchlist (raises WatchlistError with the reason)."""
    with open_store(db_path()) as store:
        return add_watchlist(store, name, filters, split_addresses(emails), webhook or None, created_by)


def delete_watchlist(name: str) -> bool:
    """Delete a watchlist with its alerts; False when it was already gone."""
    with open_store(db_path()) as store:
        return remove_watchlist(store, name)
