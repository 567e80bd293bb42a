"""The embedding stage: clause vectors (cached by model and content hash) into the FAISS index
kept beside the store, and the check that store and index agree."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .embed import Embedder, embedding_text
from .errors import StoreError
from .index import VectorIndex
from .settings import Settings
from .store import Store
from .store_search import cache_vectors, cached_vectors, clause_rows, row_ids
from .tree import by_parent, heading_paths
from .types import Clause

LONG_RUN = 256  # clauses; embedding fewer shows no progress bar
CHUNK = 128  # texts embedded per step of the progress bar


def index_path(settings: Settings) -> Path:
    return settings.home / "vectors.faiss"


def progress_bar(total: int) -> Any:
    """A progress bar over clauses on stderr (never stdout, so --json output stays clean), shown
    only for runs of more than LONG_RUN clauses and only when stderr is a terminal."""
    from tqdm import tqdm

    return tqdm(
        total=total, desc="embedding", unit="clause", file=sys.stderr, leave=False,
        disable=None if total > LONG_RUN else True,  # None: tqdm disables itself off a terminal
    )  # fmt: skip


def leaf_vectors(
    store: Store, embedder: Embedder, clauses: list[Clause], advance: Callable[[int], Any] | None = None
) -> dict[str, np.ndarray]:
    """Vectors of the clauses without children, by content hash: cached ones read, the rest
    embedded (heading path plus text, long texts in windows) and cached, so re-indexing or
    re-ingesting unchanged clauses encodes nothing."""
    kids = by_parent(clauses)
    paths = heading_paths(clauses)
    leaves = [c for c in clauses if c.id not in kids]
    have = cached_vectors(store, embedder.name, [c.content_hash for c in leaves])
    todo = list({c.content_hash: c for c in leaves if c.content_hash not in have}.values())
    tick = advance or (lambda n: None)
    tick(len(clauses) - len(todo))
    for start in range(0, len(todo), CHUNK):
        part = todo[start : start + CHUNK]
        fresh = embedder.encode([embedding_text(paths[c.id], c.text) for c in part])
        new = {c.content_hash: v for c, v in zip(part, fresh)}
        cache_vectors(store, embedder.name, new)
        have.update(new)
        tick(len(part))
    return have


def doc_vectors(
    store: Store, embedder: Embedder, slug: str, advance: Callable[[int], Any] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(row ids, vectors) of one document. Clauses without children are embedded (heading path
    plus text, long texts in windows); a clause with children gets the length-weighted mean of
    its children's vectors, so an article's vector covers its whole text. `advance(n)` is told
    as clauses are done (for a progress bar)."""
    rows = clause_rows(store, slug)
    clauses = [c for _, c in rows]
    kids = by_parent(clauses)
    have = leaf_vectors(store, embedder, clauses, advance)
    vec: dict[str, np.ndarray] = {c.id: have[c.content_hash] for c in clauses if c.id not in kids}
    for c in sorted((c for c in clauses if c.id in kids), key=lambda c: -c.order):
        children = kids[c.id]
        mean = np.average([vec[k.id] for k in children], axis=0, weights=[max(1, len(k.text)) for k in children])
        vec[c.id] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    ids = np.array([r for r, _ in rows], dtype=np.int64)
    return ids, np.array([vec[c.id] for c in clauses], dtype=np.float32).reshape(len(clauses), -1)


def reindex(
    store: Store, settings: Settings, embedder: Embedder, progress: Callable[[str, int], None] | None = None
) -> VectorIndex:
    """Rebuild the index from every stored clause (cached vectors are reused)."""
    index: VectorIndex | None = None
    infos = store.documents()
    with progress_bar(sum(i.clauses for i in infos)) as bar:
        for info in infos:
            ids, vectors = doc_vectors(store, embedder, info.slug, bar.update)
            if index is None:
                index = VectorIndex(vectors.shape[1], embedder.name)
            index.add(ids, vectors)
            if progress is not None:
                progress(info.slug, len(ids))
    if index is None:
        index = VectorIndex(int(getattr(embedder, "dim", 0) or 1), embedder.name)
    index.save(index_path(settings))
    return index


def update(store: Store, settings: Settings, embedder: Embedder, slugs: list[str]) -> VectorIndex:
    """Bring the index in line after these documents changed: vectors of clause rows that no
    longer exist go, the documents' clauses are (re)added."""
    path = index_path(settings)
    try:
        index = VectorIndex.load(path)
    except StoreError:
        return reindex(store, settings, embedder)
    if index.model != embedder.name:
        return reindex(store, settings, embedder)  # a store embeds all its clauses with one model
    stale = np.setdiff1d(index.ids(), row_ids(store))
    index.remove(stale)
    with progress_bar(sum(store.document(slug).clauses for slug in slugs)) as bar:
        for slug in slugs:
            ids, vectors = doc_vectors(store, embedder, slug, bar.update)
            index.add(ids, vectors)
    index.save(path)
    return index


def open_index(store: Store, settings: Settings, embedder: Embedder) -> VectorIndex:
    """The saved index, checked against the store: same model, same clause row ids."""
    index = VectorIndex.load(index_path(settings))
    if index.model != embedder.name:
        raise StoreError(
            f"{index_path(settings)}: built with '{index.model}', not '{embedder.name}' (run `normscope reindex`)"
        )
    stored = row_ids(store)
    have = index.ids()
    if len(have) != len(stored) or not np.array_equal(np.sort(have), np.sort(stored)):
        missing = len(np.setdiff1d(stored, have))
        extra = len(np.setdiff1d(have, stored))
        raise StoreError(
            f"{index_path(settings)}: index and store disagree ({missing} clauses without vectors, {extra} stale"
            " vectors): run `normscope reindex`"
        )
    return index
