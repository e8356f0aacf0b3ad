"""The command line: ``python -m steppewatch ingest | export | eval | watch``."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from steppewatch import settings

if TYPE_CHECKING:
    from steppewatch.store import Store

EXPORT_QUERIES: dict[str, str] = {
    "articles": (
        "SELECT id, origin, url, source, title, byline, dateline, language, published,"
        " published_precision, published_evidence, focus_country, story_id, derived_from,"
        " derived_kind, ingested_at, extractor_version FROM articles ORDER BY published, id"),
    "mentions": (
        'SELECT article_id, kind, text, iso3, entity_id, value, start, "end", in_caption, role'
        " FROM mentions ORDER BY article_id, start"),
    "people": "SELECT article_id, entity_id, name, role, country FROM people ORDER BY article_id, name",
    "events": (
        "SELECT event_id, type, mode, actor, actor_country, host_country, counterpart, participants, place, date,"
        " date_end, date_precision, status, format, article_id, story_id, trip_id, evidence,"
        " evidence_start, evidence_end, confidence FROM events ORDER BY date, article_id, evidence_start"),
    "stories": (
        "SELECT story_id, title, first_seen, last_seen, n_articles, n_independent, languages"
        " FROM stories ORDER BY first_seen, story_id"),
}


class ProgressBar:
    """A one-line progress display on stderr: items done, last status."""

    def __init__(self, stream: object = sys.stderr) -> None:
        self.stream = stream
        self.done = 0
        self._closed = False
        self.counts: dict[str, int] = {}

    def __call__(self, origin: str, status: str) -> None:
        self.done += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        bar = "#" * min(30, self.done % 31)
        summary = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        name = Path(origin).name[-40:]
        print(f"\r[{bar:<30}] {self.done} items ({summary}) {name:<40}", end="",
              file=self.stream, flush=True)  # type: ignore[call-overload]

    def close(self) -> None:
        """End the bar's line (once; again does nothing)."""
        if self.done and not self._closed:
            print(file=self.stream, flush=True)  # type: ignore[call-overload]
        self._closed = True


class DaskSetupError(Exception):
    """``--dask`` could not start or reach a cluster (message for the user)."""


@contextlib.contextmanager
def _mapper(spec: str | None) -> Iterator[object]:
    """None (clean and extract here), or a Dask cluster's mapper for ``--dask SPEC``."""
    if not spec:
        yield None
        return
    from steppewatch.ingest.distributed import ClusterError, dask_mapper  # dask is imported only here

    stack = contextlib.ExitStack()
    try:
        mapper = stack.enter_context(dask_mapper(spec))
    except (ValueError, RuntimeError, OSError) as exc:  # bad spec, dask missing, no scheduler there
        raise DaskSetupError(f"--dask {spec}: {exc}") from exc
    with stack:
        try:
            yield mapper
        except ClusterError as exc:  # committed batches stay; the same command resumes
            raise DaskSetupError(f"--dask {spec}: {exc}") from exc


def _cmd_ingest(args: argparse.Namespace) -> int:
    from steppewatch.pipeline import ingest_paths
    from steppewatch.store import open_store

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"not found: {p}", file=sys.stderr)
    bar = ProgressBar()
    try:
        with _mapper(args.dask) as mapper, open_store(args.db) as store:
            summary = ingest_paths(store, [p for p in args.paths if Path(p).exists()], on_item=bar,
                                   mapper=mapper, batch_size=args.batch_size)  # type: ignore[arg-type]
    except DaskSetupError as exc:
        bar.close()
        print(exc, file=sys.stderr)
        return 2
    finally:  # also on Ctrl-C: the message that follows starts a line of its own
        bar.close()
    for failure in summary.failed:
        print(f"failed: {failure.origin}: {failure.reason}")
    print(summary.line() + (f", missing {len(missing)}" if missing else ""))
    _send_alerts(args.db)
    if missing and not (summary.ingested or summary.unchanged or summary.failed):
        return 2
    return 1 if summary.failed else 0  # scripts and cron see that some items failed (each one is listed above)


def _send_alerts(db: str) -> None:
    """Send what the watchlists' outbox holds (after an ingest); a line only when something happened."""
    from steppewatch.alerts import default_senders, deliver_alerts
    from steppewatch.store import open_store

    with open_store(db) as store:
        report = deliver_alerts(store, default_senders())
    if report.sent or report.retrying or report.given_up:
        print(report.line())
        for alert_id, channel, target, reason in report.retrying + report.given_up:
            print(f"  alert {alert_id} to {channel} {target}: {reason}", file=sys.stderr)


def _cmd_alerts(args: argparse.Namespace) -> int:
    from steppewatch.alerts import (
        WatchlistError,
        add_watchlist,
        alert_counts,
        remove_watchlist,
        watchlists,
    )
    from steppewatch.query.filters import Filters
    from steppewatch.store import open_store

    with open_store(args.db) as store:
        if args.action == "add":
            filters, warnings = Filters.from_link(args.filter)
            for warning in warnings:
                print(warning, file=sys.stderr)
            try:
                saved = add_watchlist(store, args.name, filters, args.email or (), args.webhook, created_by="cli")
            except WatchlistError as exc:
                print(f"not saved: {exc}", file=sys.stderr)
                return 2
            print(f"saved watchlist {saved.name!r} ({saved.query}); its Atom feed: alerts/{saved.feed_token}.atom")
        elif args.action == "remove":
            if not remove_watchlist(store, args.name):
                print(f"no watchlist named {args.name!r}", file=sys.stderr)
                return 2
            print(f"removed watchlist {args.name!r}")
        elif args.action == "list":
            counts = alert_counts(store)
            for w in watchlists(store):
                channels = ", ".join([*w.emails, *([w.webhook] if w.webhook else [])]) or "Atom feed only"
                n = counts.get(w.watchlist_id, (0, ""))[0]
                print(f"{w.name}\t{w.query}\t{channels}\t{n} alerts\talerts/{w.feed_token}.atom")
    if args.action == "send":
        _send_alerts(args.db)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from steppewatch.store import open_store

    if not Path(args.db).exists():
        print(f"no store at {args.db}", file=sys.stderr)
        return 2
    with open_store(args.db, read_only=True) as store:
        if args.url is not None:
            rows = _view_rows(store, args.db, args.what, args.url)
            if rows is None:
                return 2
        else:
            rows = store.rows(_export_sql(store, args.what))
    if args.format == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        columns = list(rows[0]) if rows else _columns(args.what)
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


def _view_rows(store: Store, db: str, what: str, link: str) -> list[dict[str, object]] | None:
    """The events or articles of the view a dashboard link shows (all of them: the page draws the latest
    2,000 events), in the columns of the page's own download; None (and a message) for other tables."""
    from steppewatch.query import readmodel
    from steppewatch.query.filters import Filters

    if what not in {"events", "articles"}:
        print("--url selects events or articles (the dashboard's filters apply to those)", file=sys.stderr)
        return None
    filters, warnings = Filters.from_link(link)
    for warning in warnings:
        print(warning, file=sys.stderr)
    model = readmodel.current(db, store.con)
    if filters.search:
        from steppewatch.query.search import StoreSearch

        model.search_source = StoreSearch.on(store.con)
        if not model.search_source.available():
            print("search unavailable: the store has no search index yet (the next ingest builds it);"
                  " no article matches the search", file=sys.stderr)
    if what == "events":
        frame = readmodel.visit_timeline(model, store, filters, limit=max(model.n_events, 1))
    else:
        frame = readmodel.articles_page(model, store, filters, limit=max(model.n_articles, 1))
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _export_sql(store: Store, what: str) -> str:
    """The export query; a store older than events.mode, opened read-only (so not migrated), reads it as NULL."""
    sql = EXPORT_QUERIES[what]
    if what == "events" and not store.has_column("events", "mode"):
        sql = sql.replace(" mode,", " NULL AS mode,", 1)
    return sql


def _columns(what: str) -> list[str]:
    select = EXPORT_QUERIES[what].split("SELECT ", 1)[1].split(" FROM ", 1)[0]
    return [c.strip().strip('"') for c in select.split(",")]


def _cmd_eval(args: argparse.Namespace) -> int:
    from steppewatch.evaluation import find_visits_dev, format_table, run_eval

    gold = Path(args.gold)
    if not gold.is_dir():
        print(f"no gold folder at {gold}", file=sys.stderr)
        return 2
    visits = Path(args.visits) if args.visits else find_visits_dev(gold)
    if visits is not None and not (visits / "gold.json").is_file():
        print(f"no visits_dev gold.json in {visits}", file=sys.stderr)
        return 2
    scores = run_eval(gold, Path(args.seeds) if args.seeds else None, visits_dir=visits)
    if args.json:
        for s in scores:
            print(json.dumps(s.as_row()))
    else:
        print(format_table(scores))
        if visits is not None:
            print(f"visits_dev gold: {visits}")
    if not args.no_save:
        _save_eval(args.db, scores)
    return 0


def _save_eval(db: str, scores: list[object]) -> None:
    """Record the run in the store so the dashboard's Quality page shows it (never fatal)."""
    import sqlite3

    from steppewatch.evaluation import record_run
    from steppewatch.store import open_store

    try:
        with open_store(db) as store:
            record_run(store, scores)  # type: ignore[arg-type]
    except (OSError, sqlite3.Error) as exc:
        print(f"note: eval results not recorded in {db}: {exc}", file=sys.stderr)


def _cmd_reprocess(args: argparse.Namespace) -> int:
    from steppewatch.pipeline import reprocess_stale
    from steppewatch.store import open_store

    if not Path(args.db).exists():
        print(f"no store at {args.db}", file=sys.stderr)
        return 2
    bar = ProgressBar()
    try:
        with _mapper(args.dask) as mapper, open_store(args.db) as store:
            n = reprocess_stale(store, on_item=bar, mapper=mapper)  # type: ignore[arg-type]
    except DaskSetupError as exc:
        bar.close()
        print(exc, file=sys.stderr)
        return 2
    finally:
        bar.close()
    print(f"re-extracted {n} articles with extractor {settings.EXTRACTOR_VERSION}")
    return 0


def _cmd_watch(args: argparse.Namespace) -> int:
    from steppewatch.ingest.watch import load_feeds, parse_duration, watch
    from steppewatch.store import open_store

    try:
        feeds = load_feeds(args.feeds)
        every_s = parse_duration(args.every)
    except (OSError, ValueError) as exc:
        print(f"cannot read feed list {args.feeds}: {exc}", file=sys.stderr)
        return 2
    if not feeds:
        print(f"no [[feed]] entries in {args.feeds}", file=sys.stderr)
        return 2
    with open_store(args.db) as store:
        try:
            watch(store, feeds, every_s=every_s, once=args.once)
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0


def _add_dask_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dask", default=None, metavar="local:N|tcp://HOST:PORT",
                        help="clean and extract on Dask: a local cluster of N worker processes, or an existing"
                             " scheduler (needs requirements-distributed.txt; the store is written here only)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m steppewatch",
                                     description="Steppe Watch: news about Central Asia, processed.")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="ingest text/HTML/JSONL/CSV/feed files and folders",
                            epilog="exit status: 0 all items stored or unchanged, 1 some items failed (each is "
                                   "listed; the others are stored), 2 nothing to ingest or the store unusable")
    ingest.add_argument("paths", nargs="+", help="files or folders")
    ingest.add_argument("--db", default=str(settings.DB_PATH), help="store file (default: %(default)s)")
    _add_dask_argument(ingest)
    ingest.add_argument("--batch-size", type=int, default=None, metavar="N",
                        help="items per transaction (default: 200, or 2 s of work)")
    ingest.set_defaults(func=_cmd_ingest)
    export = sub.add_parser("export", help="write stored rows to stdout")
    export.add_argument("--db", default=str(settings.DB_PATH), help="store file (default: %(default)s)")
    export.add_argument("--what", choices=sorted(EXPORT_QUERIES), required=True)
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--url", metavar="LINK", default=None,
                        help="only the events or articles of the view this dashboard link (or its query string, "
                             "e.g. 'country=KAZ&type=visit&from=2023-01-01') shows, in the page's download columns")
    export.set_defaults(func=_cmd_export)
    evaluate = sub.add_parser("eval", help="score extraction against gold sets")
    evaluate.add_argument("--gold", default=str(settings.PROJECT_ROOT / "tests" / "fixtures"),
                          help="folder with seeds_gold.json / petr2_gsr_validation.xml / visits_dev/"
                               " (default: %(default)s)")
    evaluate.add_argument("--seeds", default=None, help="folder with the seed articles (default: data/samples)")
    evaluate.add_argument("--visits", default=None,
                          help="visits_dev folder (gold.json + texts/; default: GOLD/visits_dev, else"
                               " ../shared/eval/visits_dev beside the checkout)")
    evaluate.add_argument("--json", action="store_true", help="one JSON line per score")
    evaluate.add_argument("--db", default=str(settings.DB_PATH),
                          help="store that records the run for the Quality page (default: %(default)s)")
    evaluate.add_argument("--no-save", action="store_true", help="do not record the run in the store")
    evaluate.set_defaults(func=_cmd_eval)
    reprocess = sub.add_parser("reprocess", help="re-extract articles stored by an older extractor version")
    reprocess.add_argument("--db", default=str(settings.DB_PATH), help="store file (default: %(default)s)")
    _add_dask_argument(reprocess)
    reprocess.set_defaults(func=_cmd_reprocess)
    watch = sub.add_parser("watch", help="poll RSS/Atom feeds and ingest the linked pages")
    watch.add_argument("--feeds", required=True, help="TOML feed list ([[feed]] name, url, every, timeout_s)")
    watch.add_argument("--db", default=str(settings.DB_PATH), help="store file (default: %(default)s)")
    watch.add_argument("--every", default="15m", help="time between rounds (default: %(default)s)")
    watch.add_argument("--once", action="store_true", help="run one round, then exit")
    watch.set_defaults(func=_cmd_watch)
    alerts = sub.add_parser("alerts", help="watchlists (saved filters) and the alerts of new stories matching them")
    alerts.add_argument("action", choices=["list", "add", "remove", "send"],
                        help="list the watchlists; add or remove one; send what is due (ingest and watch do it too)")
    alerts.add_argument("name", nargs="?", help="the watchlist's name (add, remove)")
    alerts.add_argument("--filter", default="", help="add: the filter as the dashboard's URL query, e.g."
                                                     " 'country=KAZ&type=visit'")
    alerts.add_argument("--email", action="append", help="add: a recipient (repeat for more)")
    alerts.add_argument("--webhook", default=None, help="add: an http(s) URL that receives each alert as JSON")
    alerts.add_argument("--db", default=str(settings.DB_PATH), help="store file (default: %(default)s)")
    alerts.set_defaults(func=_cmd_alerts)
    return parser


INTERRUPTED = ("interrupted: what was committed is kept and nothing is half-written;"
               " run the same command again to finish")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback (the store is consistent at any point)
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except BrokenPipeError:  # `export ... | head`: the reader has what it wanted; no traceback
        import os

        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
