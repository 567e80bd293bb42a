"""Shared fixtures: the real corpus (../shared/corpora or NORMSCOPE_CORPORA), processed once."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from pipeline.ingest import process
from pipeline.settings import Settings
from pipeline.types import Document, Segmentation

ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("NORMSCOPE_CORPORA", ROOT.parent / "shared" / "corpora"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def corpus_file(name: str) -> Path:
    """A real document; in CI a missing corpus fails the test instead of skipping it."""
    path = CORPORA / name
    if not path.exists():
        message = f"corpus file missing: {path} (set NORMSCOPE_CORPORA)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@cache
def _processed(name: str) -> tuple[Document, Segmentation]:
    doc, seg, _warnings = process(corpus_file(name), Settings(home=ROOT / ".normscope-test"))
    return doc, seg


def processed(name: str) -> tuple[Document, Segmentation]:
    corpus_file(name)  # fail or skip before the cache sees a missing file
    return _processed(name)


@pytest.fixture(scope="session")
def ai_act() -> tuple[Document, Segmentation]:
    return processed("eu-ai-act-2024-1689-en.pdf")


AI_ACT = "eu-ai-act-2024-1689-en.pdf"
CAC = "cac-interim-measures-genai-services-2023-zh.pdf"
LABELLING_GUIDE = "tc260-practice-guide-genai-content-labeling-2023-zh.pdf"


@pytest.fixture(scope="session")
def corpus_home(tmp_path_factory):
    """A store with the AI Act, the CAC measures and TC260's labelling guide ingested, tagged and
    embedded with the default (multilingual) model — built once; tests that change a store copy it."""
    from pipeline.ingest import ingest_paths
    from pipeline.store import Store

    home = tmp_path_factory.mktemp("corpus-home")
    settings = Settings(home=home)
    paths = [corpus_file(AI_ACT), corpus_file(CAC), corpus_file(LABELLING_GUIDE)]
    with Store(settings.db_path) as store:
        results = ingest_paths(paths, store, settings, tag=True)
    assert all(r.error is None for r in results), [r.error for r in results]
    return home


@pytest.fixture(scope="session")
def comparison(corpus_home):
    """The CAC measures (Chinese) compared with the AI Act (English): a real comparison."""
    from pipeline.compare import Comparer, compare
    from pipeline.embed import get_embedder
    from pipeline.store import Store
    from pipeline.vectors import open_index

    settings = Settings(home=corpus_home)
    embedder = get_embedder(settings.embed_model)
    with Store(settings.db_path) as store:
        comparer = Comparer(store, open_index(store, settings, embedder), embedder)
        return compare(comparer, "cac-interim-measures-genai-services-2023-zh")
