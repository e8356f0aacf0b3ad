"""bench/bench_extract.py still runs: its corpora build and its measurement works on this tree.

No baseline worktree and no timing thresholds: the benchmark itself is run by hand (bench/README.md).
"""

from __future__ import annotations

from bench_support import load_bench_script

be = load_bench_script("bench_extract", "bench_extract.py")


def test_measure_runs_on_three_generated_articles_of_this_tree() -> None:
    docs = be.synthetic_docs(3)
    assert docs == be.synthetic_docs(3)  # deterministic: both trees get the same input
    result = be.measure(docs, be.synthetic_docs(2, seed=1), passes=2)
    assert result["n"] == 3 and result["passes"] == 2
    assert len(result["whole_ms"]) == len(result["extract_ms"]) == 3
    assert all(t >= 0 for t in result["whole_ms"] + result["extract_ms"])
    assert result["words_per_article"] > 100 and result["mentions_per_article"] > 0


def test_real_corpora_read_as_documents() -> None:
    seeds = be.seed_docs()
    assert len(seeds) == 2 and all(d["text"].strip() for d in seeds)
    texts = be.visits_dev_dir()
    if texts is not None:
        docs = be.visits_dev_docs(texts)
        assert len(docs) == len(list(texts.glob("*.txt")))
        first = docs[0]
        assert first["meta"]["language"] == "en" and first["meta"]["title"] == first["text"].partition("\n")[0].strip()
        assert any(d["meta"].get("published") for d in docs)
