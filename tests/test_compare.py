"""Comparison on real documents: the CAC measures (Chinese) against the AI Act (English)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.compare import normative_clauses
from pipeline.concepts import load_concepts
from pipeline.relation import relate
from pipeline.theme_taxonomy import theme_names

CAC = "cac-interim-measures-genai-services-2023-zh"


def by_ref(comparison, ref):
    return next(a for a in comparison.alignments if a.source.ref == ref)


def test_labelling_article_finds_article_50(comparison):
    # 第十二条: providers shall label generated images and videos (deep synthesis rules) —
    # the AI Act's marking and deep-fake disclosure duties are Article 50.
    a = by_ref(comparison, "第十二条")
    assert any(m.ref == "Article 50" for m in a.matches[:3]), [m.ref for m in a.matches]


def test_every_normative_clause_is_compared_once(comparison):
    refs = [a.source.ref for a in comparison.alignments]
    assert len(refs) == len(set(a.source.id for a in comparison.alignments))
    assert "第十二条" in refs and "第四条第（一）项" in refs
    assert all(a.source.obligation in ("mandatory", "prohibited", "recommended") for a in comparison.alignments)
    for a in comparison.alignments:
        scores = [m.score for m in a.matches]
        assert scores == sorted(scores, reverse=True)
        assert all(s >= comparison.threshold for s in scores)
        assert all(m.relation in ("equivalent", "narrower", "broader", "partial") for m in a.matches)


def test_coverage_both_ways_is_consistent(comparison):
    reached = {u.ref for u in comparison.target_units if u.reached_by}
    matched = {m.ref for a in comparison.alignments for m in a.matches}
    assert reached == matched
    gaps = [u for u in comparison.target_units if not u.reached_by]
    assert 0 < len(gaps) < len(comparison.target_units)
    assert "Chapter XII — Penalties" in {u.chapter for u in gaps}  # a Chinese service rule sets no fines
    assert any(a.matches for a in comparison.alignments)
    assert 0.0 < comparison.matched_share <= 1.0
    assert set(comparison.source_profile) == set(theme_names())
    by_theme = comparison.gaps_by_theme()
    assert by_theme and all(0 <= gap <= n for n, gap in by_theme.values())
    assert sum(gap for _, gap in by_theme.values()) >= sum(1 for u in gaps if u.themes)


def test_relation_rules():
    concepts = load_concepts()
    text = "Providers shall ensure that AI-generated content is marked in a machine-readable format."
    found = concepts.find(text)
    assert found, "the lexicon finds concepts in an AI Act sentence"
    same = relate(text, found, "mandatory", text, found, "mandatory", True)
    assert same.type == "equivalent"
    wider = text + " They shall also keep logs, perform risk management and register the system."
    assert relate(text, found, "mandatory", wider, concepts.find(wider), "mandatory", True).type == "narrower"
    assert relate(wider, concepts.find(wider), "mandatory", text, found, "mandatory", True).type == "broader"
    assert relate(text, found, "recommended", text, found, "mandatory", True).type == "partial"


def test_normative_clauses_are_leaves_of_the_normative_tree(corpus_home):
    from pipeline.compare import Comparer
    from pipeline.embed import get_embedder
    from pipeline.settings import Settings
    from pipeline.store import Store
    from pipeline.vectors import open_index

    settings = Settings(home=corpus_home)
    embedder = get_embedder(settings.embed_model)
    with Store(settings.db_path) as store:
        comparer = Comparer(store, open_index(store, settings, embedder), embedder)
        chosen = normative_clauses(comparer.infos(CAC))
        ids = {i.clause.id for i in chosen}
        assert all(i.clause.parent not in ids for i in chosen)  # never a clause and its lead-in
        a = comparer.align(next(i for i in chosen if i.clause.ref == "第十二条"), "", level="paragraph")
        assert a.matches and a.matches[0].ref.startswith("Article ")


def test_compare_cli_formats_and_errors(corpus_home, tmp_path):
    runner = CliRunner()
    for suffix in ("md", "csv", "json", "html"):
        out = tmp_path / f"cac.{suffix}"
        r = runner.invoke(app, ["--home", str(corpus_home), "compare", CAC, "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert out.exists() and out.stat().st_size > 1000
        assert "with a counterpart" in r.output
    data = json.loads((tmp_path / "cac.json").read_text(encoding="utf-8"))
    assert data["schema_version"] and data["source_doc"] == CAC
    every = tmp_path / "every.json"
    r = runner.invoke(app, ["--home", str(corpus_home), "compare", CAC, "--every-clause", "--out", str(every)])
    assert r.exit_code == 0, r.output
    assert len(json.loads(every.read_text(encoding="utf-8"))["alignments"]) > len(data["alignments"])
    strict = tmp_path / "strict.json"
    r = runner.invoke(app, ["--home", str(corpus_home), "compare", CAC, "--threshold", "0.999", "--out", str(strict)])
    assert r.exit_code == 0, r.output
    matched = [a for a in json.loads(strict.read_text(encoding="utf-8"))["alignments"] if a["matches"]]
    assert len(matched) < sum(1 for a in data["alignments"] if a["matches"])
    # a target without articles (TC260's labelling guide) is compared by its top-level sections
    guide = "tc260-practice-guide-genai-content-labeling-2023-zh"
    r = runner.invoke(app, ["--home", str(corpus_home), "compare", CAC, guide, "--threshold", "0.05"])
    assert r.exit_code == 0 and guide in r.output
    r = runner.invoke(app, ["--home", str(corpus_home), "compare", "no-such-doc"])
    assert r.exit_code == 2 and "no-such-doc" in r.output
    r = runner.invoke(app, ["--home", str(corpus_home), "compare", CAC, "--out", str(tmp_path / "x.pdf")])
    assert r.exit_code == 2 and "x.pdf" in r.output
    r = runner.invoke(app, ["--home", str(corpus_home), "compare", CAC, "--theme", "privacy"])
    assert r.exit_code == 0 and "个人信息" in r.output


def test_eval_compare_runs_on_the_pairs_whose_documents_are_stored(corpus_home):
    r = CliRunner().invoke(app, ["--home", str(corpus_home), "eval", "compare"])
    assert r.exit_code == 0, r.output
    assert "recall@5" in r.output and "not in this store" in r.output.replace("\n", " ")


def test_concept_finder_agrees_with_the_variant_patterns(corpus_home):
    """The word-by-word finder is a fast form of the variants' regular expressions: same result
    on every stored clause (AI Act, CAC measures, labelling guide)."""
    import sqlite3

    concepts = load_concepts()
    texts = [r[0] for r in sqlite3.connect(corpus_home / "normscope.db").execute("SELECT text FROM clauses")]
    assert len(texts) > 1500
    for text in texts:
        slow = {cid for cid, pat in concepts._en if pat is not None and pat.search(text)}
        slow |= {cid for cid, zh in concepts._zh if any(z in text for z in zh)}
        assert concepts.find(text) == frozenset(slow), text[:80]
