"""Candidate target units for a source clause and the evidence for each: dense similarity
(FAISS, the store's multilingual vectors), keyword BM25 (FTS5, with the source's words and the
AI Act terms of the concepts it mentions), shared concepts, themes and obligations. The
reranker (rerank.py) turns these features into one score."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

import numpy as np

from .concepts import Concepts
from .embed import Embedder
from .errors import NormScopeError
from .index import VectorIndex
from .keywords import fts_query, query_terms
from .store import Store
from .store_search import Filters, clause_rows, keyword_search
from .tree import by_parent
from .types import Clause

UNIT_KINDS = ("article", "annex")
POOL = 200  # target clauses taken from each search before rolling up to units
FEATURES = (
    "dense_max",
    "dense_unit",
    "dense_rr",
    "keyword_norm",
    "keyword_rr",
    "concept_cover",
    "concept_link",
    "theme_cos",
    "theme_cos_best",
    "both_normative",
    "normative_share",
    "title_sim",
)


@dataclass(frozen=True)
class ClauseInfo:
    clause: Clause
    row: int
    themes: tuple[str, ...]
    theme_vec: np.ndarray
    obligation: str
    actor: str
    concepts: frozenset[str]


@dataclass
class Target:
    """A target document prepared once for many source clauses."""

    doc: str
    title: str
    units: dict[str, ClauseInfo]  # article/annex clause id -> info
    unit_rows: dict[str, list[int]]  # unit id -> rows of the clauses inside it (itself included)
    unit_of: dict[int, str]  # row -> unit id
    info: dict[int, ClauseInfo]  # row -> info, for every clause inside a unit
    chapter: dict[str, str]  # unit id -> its top-level group ("Chapter III …", "Annexes")
    unit_concepts: dict[str, frozenset[str]]
    title_vectors: dict[str, np.ndarray]  # unit id -> embedding of "ref title"
    unit_vectors: dict[str, np.ndarray]  # unit id -> its stored vector (it pools its clauses)
    normative: dict[str, int]  # unit id -> how many of its clauses bind, recommend or permit
    allowed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    leaves: frozenset[int] = frozenset()  # rows of clauses without children: what a match quotes
    by_id: dict[str, ClauseInfo] = field(default_factory=dict)  # clause id -> info, inside units


def _theme_vec(scores: dict[str, float], names: tuple[str, ...]) -> np.ndarray:
    v = np.array([scores.get(t, 0.0) for t in names], dtype=np.float32)
    n = float(np.linalg.norm(v))
    return v / n if n else v


def clause_infos(store: Store, slug: str, concepts: Concepts, names: tuple[str, ...]) -> dict[int, ClauseInfo]:
    tags = store.tags(slug)
    out = {}
    for row, c in clause_rows(store, slug):
        t = tags.get(c.id)
        out[row] = ClauseInfo(
            c,
            row,
            t.themes if t else (),
            _theme_vec(t.theme_scores() if t else {}, names),
            t.obligation.type if t else "none",
            t.obligation.actor if t else "",
            concepts.find(f"{c.title} {c.text}" if c.title != c.ref else c.text),
        )
    return out


def prepare_target(
    store: Store, slug: str, concepts: Concepts, names: tuple[str, ...], embedder: Embedder, index: VectorIndex
) -> Target:
    info = clause_infos(store, slug, concepts, names)
    by_id = {i.clause.id: i for i in info.values()}
    kids = by_parent([i.clause for i in info.values()])
    units: dict[str, ClauseInfo] = {}
    unit_of: dict[int, str] = {}
    chapter: dict[str, str] = {}
    # Units are articles and annexes; a target without them (a framework, a standard) is
    # compared by its top-level sections instead.
    legal = any(i.clause.kind == "article" for i in info.values())

    def walk(cid: str, unit: str | None, top: str, parent_kind: str) -> None:
        ci = by_id[cid]
        c = ci.clause
        if unit is None and (c.kind in UNIT_KINDS if legal else parent_kind == "document" and c.kind != "recital"):
            unit = cid
            units[cid] = ci
            chapter[cid] = "Annexes" if c.kind == "annex" else top
        if unit is not None:
            unit_of[ci.row] = unit
        for k in kids.get(cid, []):
            walk(k.id, unit, _label(k) if c.kind == "document" else top, c.kind)

    for r in [i.clause.id for i in info.values() if not i.clause.parent]:
        walk(r, None, "", "")
    if not units:
        raise NormScopeError(f"{slug}: no articles, annexes or sections to compare with")
    unit_rows: dict[str, list[int]] = {}
    for row, u in unit_of.items():
        unit_rows.setdefault(u, []).append(row)
    unit_concepts = {
        u: frozenset().union(*(info[r].concepts for r in rows)) for u, rows in unit_rows.items()
    }
    doc_title = store.document(slug).title
    order = sorted(units)
    titles = embedder.encode([_label(units[u].clause) for u in order]) if order else np.zeros((0, 1))
    return Target(
        slug,
        doc_title,
        units,
        unit_rows,
        unit_of,
        {r: info[r] for r in unit_of},
        chapter,
        unit_concepts,
        dict(zip(order, titles)),
        {u: index.vector(units[u].row) for u in order},
        {u: sum(1 for r in rows if info[r].obligation != "none") for u, rows in unit_rows.items()},
        np.array(sorted(unit_of), dtype=np.int64),
        frozenset(r for r in unit_of if info[r].clause.id not in kids),
        {info[r].clause.id: info[r] for r in unit_of},
    )


def _label(c: Clause) -> str:
    if not c.title or c.title == c.ref:
        return c.ref
    title = c.title
    if title.isupper():  # "PENALTIES" -> "Penalties", "GENERAL-PURPOSE AI MODELS" -> "General-purpose AI models"
        title = re.sub(r"\b(ai|eu|gpai|ict)\b", lambda m: m.group(0).upper(), title.lower().capitalize(), flags=re.I)
    return f"{c.ref} — {title}"


@dataclass(frozen=True)
class Candidate:
    unit: str
    features: dict[str, float]
    dense_rank: int | None
    keyword_rank: int | None
    best_rows: tuple[int, ...]  # target clauses inside the unit that matched best


def idf_weights(concepts: Concepts, target: Target) -> dict[str, float]:
    n = len(target.units)
    df: dict[str, int] = {}
    for cs in target.unit_concepts.values():
        for c in cs:
            df[c] = df.get(c, 0) + 1
    return {c: math.log((n + 1) / (df.get(c, 0) + 1)) + 1.0 for c in concepts.ids}


def candidates(
    source: ClauseInfo,
    target: Target,
    store: Store,
    index: VectorIndex,
    concepts: Concepts,
    idf: dict[str, float],
) -> list[Candidate]:
    """Target units worth scoring for one source clause, with their features."""
    vec = index.vector(source.row)[None, :]
    scores, ids = index.search(vec, POOL, target.allowed)
    dense_best: dict[str, float] = {}
    dense_rows: dict[str, list[int]] = {}
    for s, i in zip(scores[0], ids[0]):
        if i < 0:
            continue
        u = target.unit_of[int(i)]
        dense_best[u] = max(dense_best.get(u, -1.0), float(s))
        dense_rows.setdefault(u, []).append(int(i))
    floor = float(scores[0][-1]) if len(scores[0]) else 0.0
    dense_order = sorted(dense_best, key=lambda u: -dense_best[u])
    d_rank = {u: r for r, u in enumerate(dense_order, 1)}

    terms = query_terms(source.clause.text)
    terms += [t for t in concepts.english_terms(source.concepts) if t not in terms]
    kw = keyword_search(store, fts_query(terms), Filters(docs=(target.doc,)), POOL) if terms else []
    kw_best: dict[str, float] = {}
    kw_rows: dict[str, list[int]] = {}
    for i, s in kw:
        hit = target.unit_of.get(i)
        if hit is not None:
            kw_best[hit] = max(kw_best.get(hit, 0.0), s)
            kw_rows.setdefault(hit, []).append(i)
    kw_order = sorted(kw_best, key=lambda u: -kw_best[u])
    k_rank = {u: r for r, u in enumerate(kw_order, 1)}
    kw_top = kw_best[kw_order[0]] if kw_order else 1.0

    linked = {u for u in concepts.linked_units(source.concepts, target.doc) if u in target.units}
    normative = target.normative
    pool = list(target.units)  # 126 units in the AI Act: scoring them all costs little and loses none
    src_weight = sum(idf.get(c, 1.0) for c in source.concepts)
    out = []
    for u in pool:
        unit = target.units[u]
        shared = source.concepts & target.unit_concepts.get(u, frozenset())
        feats = {
            "dense_max": dense_best.get(u, floor),
            "dense_unit": float(target.unit_vectors[u] @ vec[0]),
            "dense_rr": 1.0 / d_rank[u] if u in d_rank else 0.0,
            "keyword_norm": kw_best.get(u, 0.0) / kw_top if kw_top else 0.0,
            "keyword_rr": 1.0 / k_rank[u] if u in k_rank else 0.0,
            "concept_cover": sum(idf.get(c, 1.0) for c in shared) / src_weight if src_weight else 0.0,
            "concept_link": 1.0 if u in linked else 0.0,
            "theme_cos": float(source.theme_vec @ unit.theme_vec),
            "theme_cos_best": 0.0,
            "both_normative": 1.0 if source.obligation != "none" and normative[u] else 0.0,
            "normative_share": normative[u] / len(target.unit_rows[u]),
            "title_sim": float(target.title_vectors[u] @ vec[0]),
        }
        near = [r for r in dense_rows.get(u, []) if r in target.leaves][:2]
        words = [r for r in kw_rows.get(u, []) if r in target.leaves][:2]
        rows = list(dict.fromkeys(near + words))[:3] or [unit.row]
        feats["theme_cos_best"] = max(float(source.theme_vec @ target.info[r].theme_vec) for r in rows)
        out.append(Candidate(u, feats, d_rank.get(u), k_rank.get(u), tuple(rows)))
    return out


def feature_matrix(cands: list[Candidate]) -> np.ndarray:
    return np.array([[c.features[f] for f in FEATURES] for c in cands], dtype=np.float64).reshape(-1, len(FEATURES))


def dumps_features(c: Candidate) -> str:
    return json.dumps({k: round(v, 4) for k, v in c.features.items()})
