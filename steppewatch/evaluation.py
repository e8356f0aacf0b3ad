"""Score the pipeline against gold sets: seed facts, PETR2 sentences (CAMEO codings) and the
visits_dev texts (visits, meetings and countries in official texts).

``python -m steppewatch eval [--gold DIR] [--json]`` prints precision, recall and F1 per field.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from steppewatch import settings
from steppewatch.extract import Extractor, default_extractor
from steppewatch.models import IngestFailure, ProcessedArticle, RawDocument
from steppewatch.store.db import Store

log = logging.getLogger(__name__)

CAMEO_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
NON_COUNTRIES = {"IGO", "NGO", "IMG", "ISM", "---", "", "MNC", "UIS"}
VISIT_CODES = {"042", "043"}
MEETING_CODES = {"040", "044", "046"}


@dataclass
class Score:
    """Precision, recall and F1 of one field on one gold set."""

    gold_set: str
    field: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_row(self) -> dict[str, object]:
        return {**asdict(self), "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3)}


def cameo_country(code: str | None) -> str | None:
    c = (code or "")[:3].upper()
    c = CAMEO_FIXES.get(c, c)
    return None if c in NON_COUNTRIES or not re.fullmatch(r"[A-Z]{3}", c) else c


@dataclass
class PetrSentence:
    id: str
    date: str | None
    text: str
    actors: set[str]
    visits: set[tuple[str, str]]
    meetings: set[frozenset[str]]

    @property
    def contacts(self) -> set[frozenset[str]]:
        """Country pairs in a visit or a meeting, either way round (CAMEO codes the most specific
        verb: talks held during a visit are coded as talks, so both count as one contact)."""
        return {frozenset(v) for v in self.visits} | self.meetings


def load_petr2(path: Path) -> list[PetrSentence]:
    """Sentences with the country part of their source/target codes and their visits/meetings."""
    raw = path.read_text(encoding="utf-8")
    out: list[PetrSentence] = []
    for attrs, body in re.findall(r"<Sentence ([^>]*)/?>(.*?)</Sentence>", raw, re.S):
        sid = re.search(r'id="([^"]*)"', attrs)
        date = re.search(r'date="(\d{8})"', attrs)
        text_match = re.search(r"<Text>(.*?)</Text>", body, re.S)
        text = " ".join(text_match.group(1).split()) if text_match else ""
        if not sid or not text:
            continue
        actors: set[str] = set()
        visits: set[tuple[str, str]] = set()
        meetings: set[frozenset[str]] = set()
        for coding in re.findall(r"<EventCoding ([^>]*)/>", body):
            d = dict(re.findall(r'(\w+)="([^"]*)"', coding))
            src, tgt = cameo_country(d.get("sourcecode")), cameo_country(d.get("targetcode"))
            actors |= {c for c in (src, tgt) if c}
            code = d.get("eventcode", "")
            if src and tgt and src != tgt:
                if code == "042":
                    visits.add((src, tgt))
                elif code == "043":
                    visits.add((tgt, src))
                elif code in MEETING_CODES:
                    meetings.add(frozenset((src, tgt)))
        iso_date = f"{date[1][:4]}-{date[1][4:6]}-{date[1][6:]}" if date else None
        out.append(PetrSentence(sid.group(1), iso_date, text, actors, visits, meetings))
    return out


def actor_countries(processed: ProcessedArticle) -> set[str]:
    """Countries the product sees acting: people's countries, country mentions in the actor role,
    and the visitor, host and participants of its events."""
    found = {m.iso3 for m in processed.mentions if m.iso3 and (m.kind == "person" or m.role == "actor")}
    for e in processed.events:
        found |= {c for c in (e.actor_country, e.host_country, *e.participants) if c}
    return found - {"SUN"}


def eval_petr2(path: Path, extractor: Extractor) -> list[Score]:
    from steppewatch.pipeline import process

    actors = Score("petr2", "actor countries", 0, 0, 0)
    visits = Score("petr2", "visits", 0, 0, 0)
    meetings = Score("petr2", "meetings", 0, 0, 0)
    contacts = Score("petr2", "visits+meetings", 0, 0, 0)
    for s in load_petr2(path):
        processed = process(RawDocument(f"petr2:{s.id}", s.text.encode(), {"published": s.date or ""}),
                            extractor)
        found = actor_countries(processed)
        actors.tp += len(s.actors & found)
        actors.fn += len(s.actors - found)
        # precision over countries that gold could have coded: predicted countries of coded sentences
        if s.actors:
            actors.fp += len(found - s.actors)
        predicted_visits = {(e.actor_country, e.host_country) for e in processed.events
                            if e.type == "visit" and e.actor_country and e.host_country}
        visits.tp += len(predicted_visits & s.visits)
        visits.fp += len(predicted_visits - s.visits)
        visits.fn += len(s.visits - predicted_visits)
        predicted_meetings = {frozenset((a, b)) for e in processed.events if e.type == "meeting"
                              for a in e.participants for b in e.participants if a < b}
        meetings.tp += len(predicted_meetings & s.meetings)
        meetings.fp += len(predicted_meetings - s.meetings)
        meetings.fn += len(s.meetings - predicted_meetings)
        predicted_contacts = {frozenset(v) for v in predicted_visits} | predicted_meetings
        contacts.tp += len(predicted_contacts & s.contacts)
        contacts.fp += len(predicted_contacts - s.contacts)
        contacts.fn += len(s.contacts - predicted_contacts)
    return [actors, visits, meetings, contacts]


def _close(a: str | None, b: str, tol: int) -> bool:
    try:
        return a is not None and abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b)).days) <= tol
    except ValueError:
        return False


def eval_seeds(gold_path: Path, seeds_dir: Path) -> list[Score]:
    """Ingest the seed articles into a temporary store and compare with their gold facts."""
    from steppewatch.pipeline import ingest_paths
    from steppewatch.store import open_store

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    scores = {name: Score("seeds", name, 0, 0, 0) for name in
              ("country mentions", "people", "visits", "meetings", "published date", "stories")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "seeds"
        folder.mkdir()
        for g in gold["articles"]:
            (folder / g["file"]).write_bytes((seeds_dir / g["file"]).read_bytes())
        with open_store(Path(tmp) / "store.db") as store:
            ingest_paths(store, [folder])
            by_file = {Path(str(r["origin"])).name: r for r in store.rows("SELECT * FROM articles")}
            for g in gold["articles"]:
                a = by_file.get(g["file"])
                aid = a["id"] if a else None
                found = {r["iso3"] for r in store.rows(
                    "SELECT DISTINCT iso3 FROM mentions WHERE article_id = ? AND iso3 IS NOT NULL", (aid,))}
                want = set(g["countries"])
                s = scores["country mentions"]
                s.tp += len(want & found)
                s.fn += len(want - found)
                s.fp += len(found & set(g["must_not"]))
                people = {(r["name"], r["role"], r["country"]) for r in store.rows(
                    "SELECT name, role, country FROM people WHERE article_id = ?", (aid,))}
                for p in g["people"]:
                    hit = (p["name"], p["role"], p["country"]) in people
                    scores["people"].tp += hit
                    scores["people"].fn += not hit
                ok = bool(a) and _close(a["published"], g["published"], g["published_tolerance_days"])
                scores["published date"].tp += ok
                scores["published date"].fn += not ok
            for ge in gold["events"]:
                for file in ge["in"]:
                    a = by_file.get(file)
                    events = store.rows("SELECT * FROM events WHERE article_id = ? AND type = ?",
                                        (a["id"] if a else None, ge["type"]))
                    hit = any(
                        e["actor_country"] == ge["actor_country"] and e["host_country"] == ge["host_country"]
                        and _close(e["date"], ge["date"], ge.get("date_tolerance_days", 0))
                        and (ge["type"] != "visit" or e["status"] == ge["status"])
                        and (not ge.get("match_any") or any(w.lower() in json.dumps(e).lower()
                                                            for w in ge["match_any"]))
                        for e in events)
                    s = scores["visits" if ge["type"] == "visit" else "meetings"]
                    s.tp += hit
                    s.fn += not hit
            n_visits = store.rows("SELECT count(*) AS n FROM events WHERE type = 'visit'")[0]["n"]
            gold_visits = sum(len(ge["in"]) for ge in gold["events"] if ge["type"] == "visit")
            scores["visits"].fp += max(0, int(n_visits) - gold_visits)
            story_ids = {r["story_id"] for r in store.rows("SELECT story_id FROM articles")}
            one = len(story_ids) == 1 and len(by_file) == len(gold["articles"])
            scores["stories"].tp += one
            scores["stories"].fn += not one
    return list(scores.values())


# -- visits_dev: visits, meetings and countries in official texts ---------------------------------
VISITS_DEV = "visits_dev"
VISITS_FIELDS = ("visits", "explicit visits", "dated visits", "meetings", "countries")
LIVE_STATUSES = ("occurred", "planned")  # historical, cancelled and postponed are left out on both sides
IN_PERSON_MODES = ("in_person", "unspecified", None)  # gold meetings that count (no phone or video)
KREMLIN_PREFIX = "kr-"
# the outside check that defines these rules; eval_visits must give exactly its numbers
VISITS_CHECK = "../shared/checks/visits_eval.py"


@dataclass
class SetScore(Score):
    """A visits_dev score. ``kind`` is ``prf`` (precision, recall, F1), ``recall`` (recall only: the
    field has no false positives, e.g. explicit visits) or ``count`` (``tp`` texts scored, ``fn``
    texts that failed). In ``as_row`` a metric with an empty denominator is None, not 1.0."""

    kind: str = "prf"

    def as_row(self) -> dict[str, object]:
        row = super().as_row()
        del row["kind"]
        if self.kind != "prf" or self.tp + self.fp == 0:
            row["precision"] = None
        if self.kind == "count" or self.tp + self.fn == 0:
            row["recall"] = None
        if row["precision"] is None or row["recall"] is None:
            row["f1"] = None
        return row


def subset_gold_set(subset: str) -> str:
    """The ``gold_set`` of a visits_dev subset's rows: ``visits_dev`` for all texts, else
    ``visits_dev:kr``, ``visits_dev:rest``, ``visits_dev:hard:phone``, ..."""
    return VISITS_DEV if subset == "all" else f"{VISITS_DEV}:{subset}"


def visits_dev_subset(gold_set: str) -> str | None:
    """The subset a ``gold_set`` names (``all``, ``kr``, ``hard:phone``, ...), or None for other gold sets."""
    if gold_set == VISITS_DEV:
        return "all"
    prefix = f"{VISITS_DEV}:"
    return gold_set[len(prefix):] if gold_set.startswith(prefix) else None


def visits_dev_document(gold_dir: Path, article: dict[str, Any]) -> RawDocument | IngestFailure:
    """One gold text as the bulk JSONL row visits_eval.py ingests (url or ``https://dev.invalid/ID``,
    source[:60], the first line as title, published, language, the whole file as text), read by the
    same bulk reader as ``ingest``."""
    from steppewatch.ingest.readers import documents_from_upload

    text = (gold_dir / article["file"]).read_text(encoding="utf-8")
    row = {"url": article.get("url") or f"https://dev.invalid/{article['id']}",
           "source": (article.get("source") or "")[:60], "title": text.partition("\n")[0].strip(),
           "published": article.get("published"), "language": article.get("language") or "en", "text": text}
    docs = documents_from_upload(f"{article['id']}.jsonl", (json.dumps(row, ensure_ascii=False) + "\n").encode())
    return docs[0] if docs else IngestFailure(article["id"], "no document")


@dataclass
class _Found:
    """What the product found in one text, in the terms visits_eval.py reads from ``export``."""

    visits: set[tuple[str | None, str | None]]
    dated: set[tuple[str | None, str | None, str]]
    meetings: list[frozenset[str]]
    countries: set[str]


def _found(processed: ProcessedArticle | None) -> _Found:
    found = _Found(set(), set(), [], set())
    if processed is None:
        return found
    # export --what mentions: kind is the mention's own kind, so place mentions do not count
    found.countries = {m.iso3 for m in processed.mentions if m.iso3 and m.kind == "country"}
    for e in processed.events:
        kind, status = str(e.type or "").lower(), str(e.status or "").lower()
        if status not in LIVE_STATUSES:
            continue
        if kind == "visit":
            found.visits.add((e.actor_country, e.host_country))
            found.dated.add((e.actor_country, e.host_country, str(e.date or "")[:10]))
        elif kind == "meeting":  # remote contacts are type "call": no meetings here
            # participants round-trip through the store's comma-separated column
            parts = {c.strip() for c in ",".join(e.participants).replace(";", ",").split(",")}
            found.meetings.append(frozenset(c for c in parts | {e.actor_country} if c))
    return found


def _score_text(gold: dict[str, Any], found: _Found) -> Counter[str]:
    """tp/fp/fn of one text under the visits_eval.py rules (see ``eval_visits``)."""
    t: Counter[str] = Counter()
    visits = [v for v in gold["visits"] if v["status"] in LIVE_STATUSES]
    gv = {(v["visitor_country"], v["host_country"]) for v in visits}
    ge = {(v["visitor_country"], v["host_country"]) for v in visits if v.get("explicit", True)}
    t["vtp"], t["vfp"], t["vfn"] = len(gv & found.visits), len(found.visits - gv), len(gv - found.visits)
    t["etp"], t["efn"] = len(ge & found.visits), len(ge - found.visits)
    for v in gold["visits"]:
        if v["status"] == "occurred" and v.get("explicit", True) and len(str(v.get("date") or "")) == 10:
            t["dn"] += 1
            t["dtp"] += (v["visitor_country"], v["host_country"], v["date"]) in found.dated
    left = [frozenset(m["countries"]) for m in gold["meetings"]
            if m["status"] in LIVE_STATUSES and m.get("mode") in IN_PERSON_MODES]
    hit = 0
    for meeting in found.meetings:
        if meeting in left:
            left.remove(meeting)
            hit += 1
    t["mtp"], t["mfp"], t["mfn"] = hit, len(found.meetings) - hit, len(left)
    gc, pc = set(gold["countries"]) - {"SUN"}, found.countries - {"SUN"}
    t["ctp"], t["cfp"], t["cfn"] = len(gc & pc), len(pc - gc), len(gc - pc)
    return t


def _subset_scores(subset: str, t: Counter[str]) -> list[Score]:
    gold_set = subset_gold_set(subset)
    return [SetScore(gold_set, "texts", t["texts"], 0, t["missing"], kind="count"),
            SetScore(gold_set, "visits", t["vtp"], t["vfp"], t["vfn"]),
            SetScore(gold_set, "explicit visits", t["etp"], 0, t["efn"], kind="recall"),
            SetScore(gold_set, "dated visits", t["dtp"], 0, t["dn"] - t["dtp"], kind="recall"),
            SetScore(gold_set, "meetings", t["mtp"], t["mfp"], t["mfn"]),
            SetScore(gold_set, "countries", t["ctp"], t["cfp"], t["cfn"])]


def text_subsets(article: dict[str, Any]) -> list[str]:
    """The subsets one gold text counts in: ``all``, ``kr`` (Kremlin) or ``rest`` (US Government),
    and each of its ``hard:*`` tags."""
    source = "kr" if str(article["id"]).startswith(KREMLIN_PREFIX) else "rest"
    return ["all", source, *sorted({t for t in article.get("tags", []) if str(t).startswith("hard:")})]


def eval_visits(gold_dir: Path, extractor: Extractor | None = None) -> list[Score]:
    """Score visits, meetings and countries on a visits_dev-style gold set, in process (no store).

    Each text goes through ``pipeline.process`` as the bulk row ``visits_eval.py`` ingests, and is
    scored by that check's rules, summed over texts:

    - **visits**: (visitor country, host country) pairs per text, status occurred or planned on both sides;
    - **explicit visits**: recall of those pairs over gold visits the text states (``explicit``);
    - **dated visits**: recall of occurred explicit gold visits with a full date, matched with the
      found visit's ``date[:10]``;
    - **meetings**: the country set of each found ``meeting`` (participants plus the actor's country;
      remote contacts are type ``call`` and do not count) against gold occurred/planned meetings in
      person or of unspecified mode, matched as multisets;
    - **countries**: ISO3 of country mentions (not places) per text, the Soviet Union left out.

    Returns, for all texts and then for the subsets ``kr`` and ``rest`` and each ``hard:*`` tag (see
    ``subset_gold_set``), a ``texts`` count row and one row per field of ``VISITS_FIELDS``.
    """
    from steppewatch.pipeline import process

    extractor = extractor or default_extractor()
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))["articles"]
    totals: dict[str, Counter[str]] = {"all": Counter(), "kr": Counter(), "rest": Counter()}
    for article in gold:
        doc = visits_dev_document(gold_dir, article)
        processed: ProcessedArticle | None = None
        if isinstance(doc, RawDocument):
            try:
                processed = process(doc, extractor)
            except Exception:  # scored as found nothing, and counted as missing (as the CLI check does)
                log.exception("visits_dev: %s could not be processed", article["id"])
        else:
            log.warning("visits_dev: %s could not be read: %s", article["id"], doc.reason)
        t = _score_text(article, _found(processed))
        t["texts" if processed is not None else "missing"] += 1
        for subset in text_subsets(article):
            totals.setdefault(subset, Counter()).update(t)
    order = ["all", "kr", "rest", *sorted(k for k in totals if k.startswith("hard:"))]
    return [s for subset in order for s in _subset_scores(subset, totals[subset])]


VISITS_MATRIX_COLUMNS = ("subset", "texts", "visits P", "visits R", "visits F1", "explicit R", "dated R",
                         "meetings P", "meetings R", "meetings F1", "countries P", "countries R", "countries F1")
_MATRIX_CELLS = {"visits P": ("visits", "precision"), "visits R": ("visits", "recall"),
                 "visits F1": ("visits", "f1"), "explicit R": ("explicit visits", "recall"),
                 "dated R": ("dated visits", "recall"), "meetings P": ("meetings", "precision"),
                 "meetings R": ("meetings", "recall"), "meetings F1": ("meetings", "f1"),
                 "countries P": ("countries", "precision"), "countries R": ("countries", "recall"),
                 "countries F1": ("countries", "f1")}


def visits_matrix(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """visits_dev rows (as from ``Score.as_row`` or the store) as one row per subset (all, kr, rest,
    hard:*) with the columns of ``VISITS_MATRIX_COLUMNS``; a metric that is undefined is None."""
    by_subset: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        subset = visits_dev_subset(str(r["gold_set"]))
        if subset is not None:
            by_subset.setdefault(subset, {})[str(r["field"])] = r
    out = []
    for subset, fields in by_subset.items():
        texts = fields.get("texts", {}).get("tp")
        line: dict[str, Any] = {"subset": subset, "texts": None if texts is None else int(texts)}
        for column, (field, metric) in _MATRIX_CELLS.items():
            value = fields.get(field, {}).get(metric)
            line[column] = None if value is None or value != value else float(value)  # NaN from pandas
        out.append(line)
    return out


def run_eval(gold_dir: Path, seeds_dir: Path | None = None, extractor: Extractor | None = None,
             visits_dir: Path | None = None) -> list[Score]:
    """Every gold set found in ``gold_dir`` (seeds_gold.json, petr2_gsr_validation.xml, visits_dev/),
    with visits_dev read from ``visits_dir`` instead when given."""
    extractor = extractor or default_extractor()
    scores: list[Score] = []
    seeds_gold = gold_dir / "seeds_gold.json"
    if seeds_gold.exists():
        seeds = seeds_dir or (gold_dir / "seeds" if (gold_dir / "seeds").is_dir() else settings.SAMPLES_DIR)
        scores += eval_seeds(seeds_gold, seeds)
    petr = gold_dir / "petr2_gsr_validation.xml"
    if petr.exists():
        scores += eval_petr2(petr, extractor)
    visits = visits_dir or gold_dir / VISITS_DEV
    if (visits / "gold.json").exists():
        scores += eval_visits(visits, extractor)
    return scores


def find_visits_dev(gold_dir: Path) -> Path | None:
    """The visits_dev folder ``eval`` scores: ``gold_dir/visits_dev`` (the bundled copy in
    tests/fixtures by default), else ``../shared/eval/visits_dev`` beside the checkout; None if neither."""
    for folder in (gold_dir / VISITS_DEV, settings.PROJECT_ROOT.parent / "shared" / "eval" / VISITS_DEV):
        if (folder / "gold.json").is_file():
            return folder
    return None


def record_run(store: Store, scores: list[Score]) -> str:
    """Record one evaluation run in the store under the current extractor version; its run id."""
    return store.save_eval_run([s.as_row() for s in scores], settings.EXTRACTOR_VERSION)


def _cell(value: object, width: int = 6) -> str:
    return f"{value:{width}.3f}" if isinstance(value, float) else f"{'-':>{width}}"


def format_table(scores: list[Score]) -> str:
    """The scores as a text table; visits_dev subsets (kr, rest, hard:*) in a second table below."""
    lines = [f"{'gold set':<10} {'field':<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    rows = [s.as_row() for s in scores]
    for s, r in zip(scores, rows, strict=True):
        if visits_dev_subset(s.gold_set) not in (None, "all") or getattr(s, "kind", "prf") == "count":
            continue
        fp = f"{s.fp:5d}" if getattr(s, "kind", "prf") == "prf" else f"{'-':>5}"
        lines.append(f"{s.gold_set:<10} {s.field:<18} {_cell(r['precision'])} {_cell(r['recall'])} "
                     f"{_cell(r['f1'])} {s.tp:5d} {fp} {s.fn:5d}")
    lines.append(f"extractor {settings.EXTRACTOR_VERSION}, {dt.date.today().isoformat()}")
    matrix = visits_matrix(rows)
    if matrix:
        texts = {m["subset"]: m["texts"] for m in matrix}
        width = max(len(str(m["subset"])) for m in matrix)
        failed = sum(s.fn for s in scores if s.gold_set == VISITS_DEV and s.field == "texts")
        lines += ["", f"visits_dev: {texts.get('all')} texts ({texts.get('kr', 0)} kr = Kremlin, "
                  f"{texts.get('rest', 0)} rest = US Government)"
                  + (f", {failed} more could not be processed (scored as found nothing)" if failed else "")
                  + "; by subset and hard case:",
                  " ".join([f"{'subset':<{width}}", f"{'texts':>5}", *(f"{c:>{max(6, len(c))}}"
                                                                    for c in VISITS_MATRIX_COLUMNS[2:])])]
        for m in matrix:
            lines.append(" ".join([f"{m['subset']:<{width}}", f"{m['texts'] or 0:5d}",
                                   *(_cell(m[c], max(6, len(c))) for c in VISITS_MATRIX_COLUMNS[2:])]))
    return "\n".join(lines)
