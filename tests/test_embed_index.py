"""Embedders (real MiniLM from its PyPI package, the hash fake) and the FAISS id-mapped index."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

from pipeline.embed import HashEmbedder, SentenceTransformerEmbedder, embedding_text
from pipeline.index import VectorIndex


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder("sentence-transformers/all-MiniLM-L6-v2")


def test_minilm_loads_offline_and_ranks_paraphrases(minilm):
    query, near, far = minilm.encode(
        [
            "obligation to label AI-generated content",
            "Providers shall ensure that the outputs of the AI system are marked as artificially generated.",
            "Member States shall lay down the rules on penalties applicable to infringements.",
        ]
    )
    assert minilm.name == "all-MiniLM-L6-v2" and minilm.dim == 384
    assert abs(float(np.linalg.norm(query)) - 1) < 1e-5
    assert float(query @ near) > float(query @ far) + 0.1


def test_long_texts_are_windowed_not_truncated(minilm):
    head = "Providers shall keep the technical documentation up to date. " * 40  # ~500 tokens
    a, b = minilm.encode([head + "Penalties apply to infringements.", head + "Sandboxes support SMEs and start-ups."])
    assert len(minilm.windows(head)) >= 2
    assert float(a @ b) < 0.999  # truncation at 256 tokens would make them identical


def test_hash_embedder_is_deterministic():
    e = HashEmbedder(32)
    a, b = e.encode(["risk management system", "risk management system"])
    assert np.allclose(a, b) and a.shape == (32,)


def test_embedding_recipe_puts_the_heading_path_first():
    text = embedding_text(
        ["Chapter IV TRANSPARENCY OBLIGATIONS", "Article 50 Transparency obligations"], "2. Providers"
    )
    assert text == "Chapter IV TRANSPARENCY OBLIGATIONS > Article 50 Transparency obligations\n2. Providers"


def test_index_ids_removal_filter_and_persistence(tmp_path):
    e = HashEmbedder(16)
    texts = [f"clause number {i} about {'risk' if i % 2 else 'data'}" for i in range(20)]
    ids = np.arange(1000, 1020)
    index = VectorIndex(16, e.name)
    index.add(ids, e.encode(texts))
    assert len(index) == 20 and set(index.ids()) == set(ids)
    scores, found = index.search(e.encode([texts[3]]), 3)
    assert found[0][0] == 1003 and scores[0][0] == pytest.approx(1.0, abs=1e-5)
    index.remove(np.array([1003]))
    _, found = index.search(e.encode([texts[3]]), 3)
    assert 1003 not in found[0] and len(index) == 19
    allowed = np.array([1010, 1011, 1012, 1013])
    _, found = index.search(e.encode([texts[3]]), 3, allowed=allowed)
    assert len(found[0]) == 3 and set(found[0]) <= set(allowed)
    index.add(np.array([1005]), e.encode(["replaced text"]))  # re-adding replaces
    assert len(index) == 19
    path = tmp_path / "vectors.faiss"
    index.save(path)
    again = VectorIndex.load(path)
    assert again.model == e.name and set(again.ids()) == set(index.ids())


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_long_runs_on_a_terminal(monkeypatch):
    from pipeline import vectors

    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    with vectors.progress_bar(vectors.LONG_RUN) as bar:
        assert bar.disable
    with vectors.progress_bar(vectors.LONG_RUN + 1) as bar:
        assert not bar.disable
        bar.update(5)
        assert bar.n == 5
    assert "embedding:" in sys.stderr.getvalue() and "/257" in sys.stderr.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal (a log file, a pipe)
    with vectors.progress_bar(10_000) as bar:
        assert bar.disable


def test_reindex_advances_the_bar_over_every_clause(tmp_path, monkeypatch):
    from pdfmaker import text_pdf

    from pipeline import vectors
    from pipeline.ingest import ingest_paths
    from pipeline.settings import Settings
    from pipeline.store import Store

    lines = []
    for i in range(1, 5):
        lines += [f"Article {i}", f"Records {i}", f"1. Providers shall keep {i}.", f"2. Users shall see {i}."]
    settings = Settings(home=tmp_path / "home", embed_model="hash-fake")
    bars = []

    def recording(total):
        bars.append(real(total))
        return bars[-1]

    real = vectors.progress_bar
    monkeypatch.setattr(vectors, "LONG_RUN", 0)
    monkeypatch.setattr(vectors, "CHUNK", 3)
    monkeypatch.setattr(vectors, "progress_bar", recording)
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    with Store(settings.db_path) as store:
        ingest_paths([text_pdf(tmp_path / "doc.pdf", lines)], store, settings, tag=False)
        n = store.documents()[0].clauses
        index = vectors.reindex(store, settings, HashEmbedder())
    assert n == 13 and len(index) == n  # the document, 4 articles, 8 paragraphs
    assert [(b.n, b.total) for b in bars] == [(n, n), (n, n)]  # ingest's update, then reindex (all cached)
    assert "embedding" in sys.stderr.getvalue()
