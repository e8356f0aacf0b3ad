"""bench/bench_ingest_cpu.py still runs: its equivalence documents and output dump work on this tree.

No baseline worktree and no timing thresholds: the benchmark itself is run by hand.
"""

from __future__ import annotations

import json

from bench_support import load_bench_script

bic = load_bench_script("bench_ingest_cpu", "bench_ingest_cpu.py")


def test_check_documents_cover_every_corpus_and_an_undated_copy() -> None:
    tagged = bic.check_docs(3)
    tags = {tag for tag, _ in tagged}
    assert {"synthetic", "seeds", "multilingual", "multilingual-no-language", "synthetic-undated"} <= tags
    undated = [d for tag, d in tagged if tag.endswith("-undated")]
    assert undated and all("published" not in d["meta"] for d in undated)


def test_dump_gives_one_json_line_per_document_with_the_fingerprint() -> None:
    docs = [*[d for _, d in bic.check_docs(2)][:2], {"origin": "empty", "text": "", "meta": {}}]
    lines = bic.dump_outputs(docs)
    assert len(lines) == 3
    first, empty = json.loads(lines[0]), json.loads(lines[2])
    assert len(first["fingerprint"]) == 16 and first["article"]["text"] and first["mentions"]
    assert "error" in empty  # an empty file fails the same way in both trees
    assert bic.dump_outputs(docs) == lines  # deterministic
