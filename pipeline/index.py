"""Vector index (FAISS only): exact inner-product search over vectors whose ids are the clause
row ids from SQLite (an id map, never positions), with removal, filtering and persistence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from .errors import StoreError


class VectorIndex:
    def __init__(self, dim: int, model: str) -> None:
        import faiss

        self.dim = dim
        self.model = model
        self.index: Any = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        import faiss

        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)} vectors of dimension {self.dim}, got {vectors.shape}")
        if len(ids):
            self.remove(ids)  # re-adding an id replaces its vector
            self.index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        import faiss

        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids) or not len(self):
            return 0
        return int(self.index.remove_ids(faiss.IDSelectorBatch(ids)))

    def vector(self, row_id: int) -> np.ndarray:
        """The stored vector of one clause row."""
        return np.asarray(self.index.reconstruct(int(row_id)), dtype=np.float32)

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest vectors per query; with `allowed`, only among those ids
        (the filter is applied inside the search, so k come back whenever k are allowed)."""
        import faiss

        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if not len(self):
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)))  # type: ignore[call-arg]
        scores, ids = self.index.search(queries, min(k, len(self)), params=params)
        return scores, ids

    def save(self, path: Path) -> None:
        import faiss

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self.index, str(tmp))
        tmp.replace(path)
        meta = {"model": self.model, "dim": self.dim, "count": len(self)}
        path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        import faiss

        meta_path = path.with_suffix(".json")
        if not path.exists() or not meta_path.exists():
            raise StoreError(f"{path}: no vector index (run `normscope reindex`)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        out = cls(int(meta["dim"]), str(meta["model"]))
        out.index = faiss.read_index(str(path))
        if len(out) != int(meta["count"]):
            raise StoreError(f"{path}: index holds {len(out)} vectors, its metadata says {meta['count']}")
        return out
