"""SQL for search (beside store.py, which it extends): the full-text index, the embedding cache
keyed by (model, content hash), the filters, and what a hit needs to be shown."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from .keywords import tokens as keyword_tokens
from .store import _SELECT_CLAUSE, Store, _clause
from .types import Clause


def clause_rows(store: Store, slug: str | None = None) -> list[tuple[int, Clause]]:
    """(row id, clause) in document order, for one document or all."""
    sql = f"SELECT c.id, d.slug, {_SELECT_CLAUSE} FROM clauses c JOIN documents d ON d.id = c.doc_id"
    args: tuple[str, ...] = ()
    if slug is not None:
        sql += " WHERE d.slug = ?"
        args = (slug,)
    rows = store.db.execute(sql + " ORDER BY d.slug, c.ord", args).fetchall()
    return [(r[0], _clause(r[1], r[2:])) for r in rows]


def clause_row_id(store: Store, clause_id: str) -> int:
    return int(store.db.execute("SELECT id FROM clauses WHERE clause_id = ?", (clause_id,)).fetchone()[0])


def row_ids(store: Store) -> np.ndarray:
    return np.array([r[0] for r in store.db.execute("SELECT id FROM clauses")], dtype=np.int64)


def cached_vectors(store: Store, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for i in range(0, len(hashes), 500):
        chunk = hashes[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for h, blob in store.db.execute(
            f"SELECT content_hash, vector FROM embeddings WHERE model = ? AND content_hash IN ({marks})",
            (model, *chunk),
        ):
            out[h] = np.frombuffer(blob, dtype=np.float32)
    return out


def cache_vectors(store: Store, model: str, vectors: dict[str, np.ndarray]) -> None:
    with store.transaction():
        store.db.executemany(
            "INSERT OR REPLACE INTO embeddings (model, content_hash, vector) VALUES (?, ?, ?)",
            [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vectors.items()],
        )


def rebuild_fts(store: Store) -> int:
    with store.transaction():
        store.db.execute("DELETE FROM clause_fts")
        rows = store.db.execute("SELECT id, ref, title, text FROM clauses").fetchall()
        store.db.executemany(
            "INSERT INTO clause_fts (rowid, tokens) VALUES (?, ?)",
            [(r[0], keyword_tokens(f"{r[1]} {r[2]} {r[3]}")) for r in rows],
        )
    return len(rows)


@dataclass(frozen=True)
class Filters:
    docs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    obligation: str | None = None
    lang: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.docs or self.kinds or self.themes or self.obligation or self.lang)

    def sql(self) -> tuple[str, list[str]]:
        """A WHERE fragment over clauses c, documents d and clause_tags t (left-joined)."""
        parts: list[str] = []
        args: list[str] = []
        for column, values in (("d.slug", self.docs), ("c.kind", self.kinds)):
            if values:
                parts.append(f"{column} IN ({','.join('?' * len(values))})")
                args.extend(values)
        for theme in self.themes:
            parts.append("EXISTS (SELECT 1 FROM json_each(t.themes) WHERE json_each.value = ?)")
            args.append(theme)
        if self.obligation:
            parts.append("t.obligation = ?")
            args.append(self.obligation)
        if self.lang:
            parts.append("t.language = ?")
            args.append(self.lang)
        return (" AND ".join(parts) or "1"), args


_FROM = " FROM clauses c JOIN documents d ON d.id = c.doc_id LEFT JOIN clause_tags t ON t.clause_row = c.id"


def allowed_ids(store: Store, filters: Filters) -> np.ndarray | None:
    if filters.empty:
        return None
    where, args = filters.sql()
    return np.array([r[0] for r in store.db.execute(f"SELECT c.id{_FROM} WHERE {where}", args)], dtype=np.int64)


def keyword_search(store: Store, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
    """(row id, BM25 score, higher is better) for clauses matching the FTS query."""
    if not query:
        return []
    where, args = filters.sql()
    rows = store.db.execute(
        f"SELECT c.id, -bm25(clause_fts){_FROM} JOIN clause_fts ON clause_fts.rowid = c.id"
        f" WHERE clause_fts MATCH ? AND {where} ORDER BY bm25(clause_fts) LIMIT ?",
        [query, *args, limit],
    ).fetchall()
    return [(int(r[0]), float(r[1])) for r in rows]


@dataclass(frozen=True)
class HitInfo:
    clause: Clause
    doc_title: str
    themes: tuple[str, ...]


def hit_info(store: Store, ids: list[int]) -> dict[int, HitInfo]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out = {}
    for r in store.db.execute(
        f"SELECT c.id, d.slug, d.title, t.themes, {_SELECT_CLAUSE}{_FROM} WHERE c.id IN ({marks})", ids
    ).fetchall():
        out[int(r[0])] = HitInfo(_clause(r[1], r[4:]), r[2], tuple(json.loads(r[3])) if r[3] else ())
    return out
