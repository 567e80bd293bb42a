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
