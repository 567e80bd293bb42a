"""Vector index (FAISS only) over vectors whose ids are the clause row ids from SQLite (never
positions), with removal, filtering and persistence.

Search is exact (flat inner product) up to APPROX_THRESHOLD vectors. Above it, `settle()` (run
by `save()`, so at reindex/update time, never at query time) rebuilds the index as IVF-Flat: a
k-means coarse quantiser, vectors stored unquantised with their row ids and a hash-table
direct map (so `vector(row)` and `remove()` work), and an nprobe tuned on the index's own
vectors until recall@10 against exact search reaches TARGET_RECALL. Below half the threshold
it goes back to flat. The kind and its parameters are recorded in the JSON sidecar.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from .errors import StoreError

APPROX_THRESHOLD = 200_000  # vectors; bench/README.md: flat ≈30 ms per query at 200k on 2 cores
TARGET_RECALL = 0.97  # recall@10 vs exact that the tuned nprobe must reach (the goal is ≥ 0.95)
EXACT_SHARE = 0.02  # a filter allowing at most this share of the ids is searched exactly, by reconstruction


def _ivf_lists(n: int) -> int:
    """nlist for n vectors: ≈ 2·√n, and at least 39 training vectors per list (FAISS's minimum)."""
    return max(1, min(int(2 * math.sqrt(n)), n // 39))


class VectorIndex:
    def __init__(self, dim: int, model: str, threshold: int | None = None) -> None:
        import faiss

        self.dim = dim
        self.model = model
        self.threshold = threshold  # None: APPROX_THRESHOLD, read when the index settles
        self.kind = "flat"
        self.params: dict[str, Any] = {}  # nlist, nprobe, recall@10 and trained_on of an IVF index
        self.index: Any = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self._ids: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        """The stored row ids, sorted (cached until the next add or remove)."""
        import faiss

        if self._ids is None:
            if self.kind == "flat":
                self._ids = np.sort(faiss.vector_to_array(self.index.id_map).astype(np.int64))
            else:
                lists = self.index.invlists
                parts = [
                    np.array(faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)), dtype=np.int64)
                    for i in range(self.index.nlist)
                    if lists.list_size(i)
                ]
                self._ids = np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
        return self._ids

    def _present(self, ids: np.ndarray) -> np.ndarray:
        """These ids, sorted and deduplicated, without those not stored."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) and not (ids[1:] > ids[:-1]).all():
            ids = np.unique(ids)
        have = self.ids()
        pos = np.minimum(np.searchsorted(have, ids), max(0, len(have) - 1))
        return ids[have[pos] == ids] if len(have) else ids[:0]

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected {len(ids)} vectors of dimension {self.dim}, got {vectors.shape}")
        if len(ids):
            self.remove(ids)  # re-adding an id replaces its vector
            self.index.add_with_ids(vectors, ids)
            self._ids = None

    def remove(self, ids: np.ndarray) -> int:
        import faiss

        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if not len(ids) or not len(self):
            return 0
        self._ids = None
        if self.kind == "flat":
            return int(self.index.remove_ids(faiss.IDSelectorBatch(ids)))
        return int(self.index.remove_ids(faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))))  # hash map needs it

    def vector(self, row_id: int) -> np.ndarray:
        """The stored vector of one clause row."""
        return np.asarray(self.index.reconstruct(int(row_id)), dtype=np.float32)

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest vectors per query; with `allowed`, only among those ids
        (k come back whenever k are allowed)."""
        import faiss

        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if not len(self):
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        k = min(k, len(self))
        if self.kind == "flat":
            params = None
            if allowed is not None:  # the filter is applied inside the search
                params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)))  # type: ignore[call-arg]
            return self.index.search(queries, k, params=params)
        nprobe, want, sel = int(self.params["nprobe"]), k, None
        if allowed is not None:
            allowed = self._present(allowed)
            if len(allowed) <= EXACT_SHARE * len(self):
                return self._exact(queries, k, allowed)
            mask = np.zeros(int(allowed[-1]) + 1, bool)  # row ids are positive and dense enough
            mask[allowed] = True
            bits = np.packbits(mask, bitorder="little")
            sel = faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(bits))  # far quicker to build than a hash set
            nprobe = math.ceil(nprobe * len(self) / len(allowed))  # as many allowed vectors as unfiltered
            want = min(k, len(allowed))
        scores, found = self._ivf(queries, k, nprobe, sel)
        short = (found[:, :want] < 0).any(axis=1)
        if short.any():  # the probed lists held fewer than k: scan every list (exact for IVF-Flat)
            scores[short], found[short] = self._ivf(queries[short], k, self.index.nlist, sel)
        return scores, found

    def _ivf(self, queries: np.ndarray, k: int, nprobe: int, sel: Any) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        params = faiss.SearchParametersIVF(sel=sel, nprobe=min(nprobe, self.index.nlist))  # type: ignore[call-arg]
        return self.index.search(queries, k, params=params)

    def _exact(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact search among a few stored ids, from their reconstructed vectors."""
        scores = np.full((len(queries), k), -np.inf, np.float32)
        found = np.full((len(queries), k), -1, np.int64)
        if len(allowed):
            sims = queries @ self.index.reconstruct_batch(allowed).T
            top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
            scores[:, : top.shape[1]] = np.take_along_axis(sims, top, axis=1)
            found[:, : top.shape[1]] = allowed[top]
        return scores, found

    def settle(self) -> None:
        """Choose the index kind for the current size: IVF above the threshold (rebuilt when it
        has grown fourfold since training), flat again below half of it."""
        threshold = APPROX_THRESHOLD if self.threshold is None else self.threshold
        n = len(self)
        if self.kind == "flat" and n > threshold:
            self._build_ivf()
        elif self.kind != "flat" and n > 4 * int(self.params["trained_on"]):
            self._build_ivf()
        elif self.kind != "flat" and n < threshold // 2:
            ids, vectors = self._all()
            fresh = VectorIndex(self.dim, self.model, self.threshold)
            fresh.add(ids, vectors)
            self.index, self.kind, self.params, self._ids = fresh.index, "flat", {}, None

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        if self.kind == "flat":
            positions = faiss.vector_to_array(self.index.id_map).astype(np.int64)
            return positions, self.index.index.reconstruct_n(0, len(self))
        ids = self.ids().copy()
        return ids, self.index.reconstruct_batch(ids)

    def _build_ivf(self, sample: int = 200, seed: int = 0) -> None:
        """Rebuild as IVF-Flat and tune nprobe: stored vectors serve as queries (leaving
        themselves out) and nprobe doubles until recall@10 against exact reaches TARGET_RECALL."""
        import faiss

        ids, vectors = self._all()
        n = len(ids)
        nlist = _ivf_lists(n)
        rng = np.random.default_rng(seed)
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.dim), self.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.seed = seed
        ivf.train(vectors[np.sort(rng.choice(n, min(n, 64 * nlist), replace=False))])
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]
        ivf.add_with_ids(vectors, ids)
        picked = np.sort(rng.choice(n, min(n, sample), replace=False))
        exact = faiss.IndexFlatIP(self.dim)
        exact.add(vectors)
        queries = vectors[picked]
        truth = [set(ids[row[(row != p) & (row >= 0)]][:10]) for row, p in zip(exact.search(queries, 11)[1], picked)]
        nprobe, recall = 1, 0.0
        while True:
            got = ivf.search(queries, 11, params=faiss.SearchParametersIVF(nprobe=nprobe))[1]  # type: ignore[call-arg]
            hits = [len(t & set(g[g != q][:10])) / max(1, len(t)) for t, g, q in zip(truth, got, ids[picked])]
            recall = float(np.mean(hits))
            if recall >= TARGET_RECALL or nprobe >= nlist:
                break
            nprobe = min(nlist, nprobe * 2)
        self.index, self.kind, self._ids = ivf, "ivf-flat", None
        self.params = {"nlist": nlist, "nprobe": nprobe, "recall@10": round(recall, 4), "trained_on": n}

    def save(self, path: Path) -> None:
        import faiss

        self.settle()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self.index, str(tmp))
        tmp.replace(path)
        meta = {"model": self.model, "dim": self.dim, "count": len(self), "kind": self.kind, **self.params}
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
        out.kind = str(meta.get("kind", "flat"))
        out.params = {k: meta[k] for k in ("nlist", "nprobe", "recall@10", "trained_on") if k in meta}
        if len(out) != int(meta["count"]):
            raise StoreError(f"{path}: index holds {len(out)} vectors, its metadata says {meta['count']}")
        return out
