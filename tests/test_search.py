"""Search on real documents: a known query finds its clause, filters, stale vectors, repair."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import LABELLING_GUIDE, corpus_file
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.embed import get_embedder
from pipeline.errors import StoreError
from pipeline.index import VectorIndex
from pipeline.ingest import ingest_paths
from pipeline.search import search
from pipeline.settings import Settings
from pipeline.store import Store
from pipeline.store_search import Filters, row_ids
from pipeline.vectors import index_path, open_index

LABELS = LABELLING_GUIDE


@pytest.fixture(scope="module")
def home(corpus_home, tmp_path_factory):
    """A copy of the shared corpus store (AI Act, CAC measures, labelling guide): these tests
    change it."""
    home = tmp_path_factory.mktemp("search-home")
    shutil.copytree(corpus_home, home, dirs_exist_ok=True)
    return home


def open_all(home):
    settings = Settings(home=home)
    store = Store(settings.db_path)
    embedder = get_embedder(settings.embed_model)
    return settings, store, embedder, open_index(store, settings, embedder)


def test_known_query_finds_article_50_2(home):
    settings, store, embedder, index = open_all(home)
    for mode in ("hybrid", "dense", "keyword"):
        hits = search(
            store, index, embedder, "marking AI-generated synthetic content in a machine-readable format", 10, mode=mode
        )
        assert "eu-ai-act-2024-1689:art-50.2" in [h.id for h in hits], mode
    hit = next(
        h
        for h in search(store, index, embedder, "machine-readable marking of synthetic content", 10)
        if h.id == "eu-ai-act-2024-1689:art-50.2"
    )
    assert hit.ref == "Article 50(2)" and hit.doc_title.startswith("Regulation (EU) 2024/1689")
    assert hit.dense_rank or hit.keyword_rank
    store.close()


def test_filters_apply_inside_the_search(home):
    settings, store, embedder, index = open_all(home)
    f = Filters(kinds=("article",))
    hits = search(store, index, embedder, "transparency obligations for deployers of emotion recognition", 10, f)
    assert len(hits) == 10 and all(h.kind == "article" for h in hits)
    assert "eu-ai-act-2024-1689:art-50" in [h.id for h in hits]
    zh = search(
        store,
        index,
        embedder,
        "生成内容标识",
        5,
        Filters(docs=("tc260-practice-guide-genai-content-labeling-2023-zh",)),
    )
    assert zh and all(h.doc == "tc260-practice-guide-genai-content-labeling-2023-zh" for h in zh)
    mandatory = search(store, index, embedder, "serious incident reporting", 10, Filters(obligation="mandatory"))
    assert len(mandatory) == 10
    tags = {h.id for h in mandatory}
    assert "eu-ai-act-2024-1689:art-73.1" in tags or any(
        h.id.startswith("eu-ai-act-2024-1689:art-73") for h in mandatory
    )
    store.close()


def test_changed_document_leaves_no_stale_vectors_and_mismatch_is_repaired(home, tmp_path):
    settings, store, embedder, index = open_all(home)
    assert set(index.ids()) == set(row_ids(store))
    # A mismatch (a vector for a clause row that does not exist) is detected ...
    stale = VectorIndex.load(index_path(settings))
    stale.add(np.array([10**9]), np.ones((1, stale.dim), dtype=np.float32) / np.sqrt(stale.dim))
    stale.save(index_path(settings))
    with pytest.raises(StoreError, match="reindex"):
        open_index(store, settings, embedder)
    store.close()
    # ... and `normscope reindex` repairs it.
    r = CliRunner().invoke(app, ["--home", str(home), "reindex"])
    assert r.exit_code == 0, r.output
    settings, store, embedder, index = open_all(home)
    assert set(index.ids()) == set(row_ids(store))
    # Re-ingesting a changed document replaces its rows; the index follows without stale ids.
    copy = tmp_path / "tc260-practice-guide-genai-content-labeling-2023-zh.pdf"
    shutil.copy(corpus_file(LABELS), copy)
    with copy.open("ab") as fh:
        fh.write(b"\n% changed\n")
    (result,) = ingest_paths([copy], store, settings, tag=False)
    assert result.status.value == "updated"
    settings, store2, embedder, index = open_all(home)  # open_index checks ids and model agree
    assert set(index.ids()) == set(row_ids(store2))
    hits = search(store2, index, embedder, "显式水印标识", 3, Filters(docs=(result.slug,)))
    assert hits and all(h.doc == result.slug for h in hits)
    store.close()
    store2.close()


def test_search_cli_json_and_stdin(home):
    r = CliRunner().invoke(
        app, ["--home", str(home), "search", "risk management system for high-risk AI", "-k", "3", "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert len(rows) == 3
    assert set(rows[0]) >= {"id", "doc", "ref", "kind", "score", "dense_rank", "keyword_rank", "text", "themes"}
    r = CliRunner().invoke(app, ["--home", str(home), "search", "-"], input='{"query": "AI literacy", "k": 2}\nfines\n')
    answers = [json.loads(line) for line in r.output.splitlines()]
    assert [len(a["hits"]) for a in answers] == [2, 10]
    r = CliRunner().invoke(app, ["--home", str(home), "search", "penalties for non-compliance", "-k", "2"])
    assert "why:" in r.output and "Article" in r.output


def test_similar_finds_counterparts_in_other_documents(home):
    from pipeline.search import similar

    settings, store, embedder, index = open_all(home)
    hits = similar(
        store, index, "tc260-practice-guide-genai-content-labeling-2023-zh", "3.1", 10, docs=("eu-ai-act-2024-1689",)
    )
    assert len(hits) == 10 and all(h.doc == "eu-ai-act-2024-1689" for h in hits)
    r = CliRunner().invoke(app, ["--home", str(home), "similar", "eu-ai-act-2024-1689", "Article 50(2)", "-k", "3"])
    assert r.exit_code == 0 and "eu-ai-act-2024-1689:" not in r.output  # other documents only
    assert "tc260-practice-guide" in r.output or "cac-interim-measures" in r.output
    guide = "tc260-practice-guide-genai-content-labeling-2023-zh"
    r = CliRunner().invoke(
        app, ["--home", str(home), "similar", "eu-ai-act-2024-1689", "Article 50(2)", "-k", "3", "--doc", guide]
    )
    assert r.exit_code == 0 and r.output.count(f"id: {guide}:") == 3
    store.close()
