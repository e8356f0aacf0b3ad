"""Score the pipeline against gold sets: seed facts and PETR2 sentences (CAMEO codings).

``python -m steppewatch eval [--gold DIR] [--json]`` prints precision, recall and F1 per field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from steppewatch import settings
from steppewatch.extract import Extractor, default_extractor
from steppewatch.models import ProcessedArticle, RawDocument
from steppewatch.store.db import Store

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


def run_eval(gold_dir: Path, seeds_dir: Path | None = None, extractor: Extractor | None = None) -> list[Score]:
    """Every gold set found in ``gold_dir``."""
    extractor = extractor or default_extractor()
    scores: list[Score] = []
    seeds_gold = gold_dir / "seeds_gold.json"
    if seeds_gold.exists():
        seeds = seeds_dir or (gold_dir / "seeds" if (gold_dir / "seeds").is_dir() else settings.SAMPLES_DIR)
        scores += eval_seeds(seeds_gold, seeds)
    petr = gold_dir / "petr2_gsr_validation.xml"
    if petr.exists():
        scores += eval_petr2(petr, extractor)
    return scores


def record_run(store: Store, scores: list[Score]) -> str:
    """Record one evaluation run in the store under the current extractor version; its run id."""
    return store.save_eval_run([s.as_row() for s in scores], settings.EXTRACTOR_VERSION)


def format_table(scores: list[Score]) -> str:
    lines = [f"{'gold set':<8} {'field':<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for s in scores:
        lines.append(f"{s.gold_set:<8} {s.field:<18} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                     f"{s.tp:5d} {s.fp:5d} {s.fn:5d}")
    lines.append(f"extractor {settings.EXTRACTOR_VERSION}, {dt.date.today().isoformat()}")
    return "\n".join(lines)
