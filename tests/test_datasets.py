"""The labelled data sets in models/ point at clauses that segmentation still produces."""

from __future__ import annotations

import json

from conftest import CORPORA, ROOT, processed

SEARCH = ROOT / "models" / "search" / "queries.jsonl"
PAIRS = sorted((ROOT / "models" / "compare").glob("pairs*.jsonl"))


def corpus_ids(slugs: set[str]) -> set[str]:
    by_slug = {}
    for pdf in sorted(CORPORA.glob("*.pdf")):
        doc, seg = processed(pdf.name)
        by_slug[doc.slug] = {c.id for c in seg.clauses}
    assert slugs <= set(by_slug), slugs - set(by_slug)
    return set().union(*(by_slug[s] for s in slugs))


def test_search_queries_name_existing_clauses():
    rows = [json.loads(line) for line in SEARCH.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 60 and {r["lang"] for r in rows} == {"en", "zh"}
    wanted = {cid for r in rows for cid in r["relevant"]}
    assert len({cid.split(":")[0] for cid in wanted}) >= 5
    missing = wanted - corpus_ids({cid.split(":")[0] for cid in wanted})
    assert not missing


def test_comparison_pairs_name_existing_clauses():
    rows = [json.loads(line) for path in PAIRS for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 80 and sum(1 for r in rows if not r["articles"]) >= 10
    assert len({r["source"] for r in rows}) == len(rows), "a clause is labelled twice"
    assert all((r["relation"] == "none") == (not r["articles"]) for r in rows)
    assert len({r["source_doc"] for r in rows}) >= 4 and {r["lang"] for r in rows} == {"en", "zh"}
    wanted = {r["source"] for r in rows} | {a for r in rows for a in r["articles"]}
    missing = wanted - corpus_ids({cid.split(":")[0] for cid in wanted})
    assert not missing
