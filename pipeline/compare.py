"""Clause-level comparison of a source document with a target (the EU AI Act by default): for
each normative source clause the target articles it corresponds to, with score, relation and
evidence; coverage both ways; theme profiles. Reports render the Comparison record."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from . import rerank
from .align import Candidate, ClauseInfo, Target, candidates, clause_infos, feature_matrix, idf_weights, prepare_target
from .concepts import Concepts, load_concepts
from .embed import Embedder
from .errors import NormScopeError
from .index import VectorIndex
from .keywords import query_terms
from .relation import BINDING, relate
from .store import Store
from .theme_taxonomy import theme_names
from .types import Alignment, Comparison, Match, Side, TargetUnit

SCHEMA_VERSION = "1"
DEFAULT_TARGET = "eu-ai-act-2024-1689"
LEVELS = ("article", "paragraph")
MAX_MATCHES = 3
NORMATIVE = ("mandatory", "prohibited", "recommended")
# Framework outcomes written without a modal verb ("GOVERN 1.1: Legal and regulatory
# requirements … are understood, managed, and documented.") are normative all the same.
_OUTCOME_REF = re.compile(r"^[A-Z]{3,}\s+\d+\.\d+$")
_CONTAINERS = ("document", "chapter", "section", "heading", "part", "recital", "annex")


def normative_clauses(infos: dict[int, ClauseInfo]) -> list[ClauseInfo]:
    """The clauses to compare: those that bind, recommend or state a required outcome, without
    a normative clause below them (a lead-in is compared through its points)."""
    items = list(infos.values())

    def normative(i: ClauseInfo) -> bool:
        if i.clause.kind in _CONTAINERS:
            return False
        return i.obligation in NORMATIVE or bool(_OUTCOME_REF.match(i.clause.ref))

    marked = {i.clause.id for i in items if normative(i)}
    below: set[str] = set()
    by_id = {i.clause.id: i for i in items}
    for cid in marked:
        p = by_id[cid].clause.parent
        while p:
            below.add(p)
            p = by_id[p].clause.parent if p in by_id else None
    return [i for i in items if i.clause.id in marked and i.clause.id not in below]


def text_clauses(infos: dict[int, ClauseInfo], shortest: int = 40) -> list[ClauseInfo]:
    """Every clause without children that says something (not a heading, not a bare number)."""
    parents = {i.clause.parent for i in infos.values()}
    return [
        i
        for i in infos.values()
        if i.clause.id not in parents and i.clause.kind not in _CONTAINERS and len(i.clause.text) >= shortest
    ]


def _top_labels(infos: dict[int, ClauseInfo]) -> dict[str, str]:
    """Each clause's top-level group below the document ("5 语料安全要求", "GOVERN")."""
    by_id = {i.clause.id: i.clause for i in infos.values()}
    out: dict[str, str] = {}
    for c in sorted(by_id.values(), key=lambda c: c.order):
        parent = by_id.get(c.parent) if c.parent else None
        if parent is None:
            out[c.id] = ""
        elif parent.kind == "document":
            out[c.id] = f"{c.ref} {c.title}".strip() if c.title and c.title != c.ref else c.ref
        else:
            out[c.id] = out.get(parent.id, "")
    return out


def side(i: ClauseInfo, section: str) -> Side:
    c = i.clause
    return Side(c.doc, c.id, c.ref, c.kind, c.title, c.text, section, i.themes, i.obligation, i.actor)


def shared_words(a: str, b: str) -> list[str]:
    wb = set(query_terms(b))
    return [w for w in query_terms(a) if w in wb and len(w) > 3 and not w.isdigit()]


class Comparer:
    """Aligns clauses of any stored document with one prepared target."""

    def __init__(
        self,
        store: Store,
        index: VectorIndex,
        embedder: Embedder,
        target: str = DEFAULT_TARGET,
        concepts: Concepts | None = None,
        model: rerank.Reranker | None = None,
        threshold: float | None = None,
    ) -> None:
        if not store.has(target):
            raise NormScopeError(f"{target}: target document not in the store (ingest it first)")
        self.store, self.index, self.embedder = store, index, embedder
        self.concepts = concepts or load_concepts()
        self.model = model or rerank.load()
        # below it a clause has no counterpart; the reranker's own was calibrated on the AI Act
        self.threshold = self.model.threshold if threshold is None else threshold
        self.names = theme_names()
        self.target: Target = prepare_target(store, target, self.concepts, self.names, embedder, index)
        self.idf = idf_weights(self.concepts, self.target)
        self._infos: dict[str, dict[int, ClauseInfo]] = {}

    def infos(self, slug: str) -> dict[int, ClauseInfo]:
        """A document's clauses with their tags and concepts (read once per document)."""
        if slug not in self._infos:
            if not self.store.has(slug):
                raise NormScopeError(f"{slug}: document not in the store")
            self._infos[slug] = clause_infos(self.store, slug, self.concepts, self.names)
        return self._infos[slug]

    def candidates(self, source: ClauseInfo) -> list[Candidate]:
        return candidates(source, self.target, self.store, self.index, self.concepts, self.idf)

    def scored(
        self, source: ClauseInfo, cands: list[Candidate] | None = None
    ) -> list[tuple[float, str, tuple[int, ...], int | None, int | None]]:
        """(score, unit, best rows, dense rank, keyword rank), best first."""
        cands = self.candidates(source) if cands is None else cands
        probs = self.model.score(feature_matrix(cands))
        order = np.argsort(-probs, kind="stable")
        return [
            (float(probs[i]), cands[i].unit, cands[i].best_rows, cands[i].dense_rank, cands[i].keyword_rank)
            for i in order
        ]

    def align(self, source: ClauseInfo, section: str, level: str = "article") -> Alignment:
        ranked = self.scored(source)
        matches: list[Match] = []
        if ranked and ranked[0][0] >= self.threshold:
            best = ranked[0][0]
            for score, unit, rows, d_rank, k_rank in ranked[:MAX_MATCHES]:
                if score < self.threshold or score < best * self.model.keep:
                    break
                matches.append(self.match(source, unit, rows, score, d_rank, k_rank, level))
        return Alignment(side(source, section), tuple(matches))

    def match(
        self,
        source: ClauseInfo,
        unit: str,
        rows: tuple[int, ...],
        score: float,
        d_rank: int | None,
        k_rank: int | None,
        level: str,
    ) -> Match:
        t = self.target
        u = t.units[unit]
        shown = u
        if level == "paragraph":
            shown = self._paragraph(unit, rows[0])
        quoted = [t.info[r] for r in rows[:3]]
        quoted_text = " ".join(q.clause.text for q in quoted)
        lang_same = _lang(source.clause.text) == _lang(quoted_text)
        binding = next((q.obligation for q in quoted if q.obligation in BINDING), quoted[0].obligation)
        rel = relate(
            source.clause.text,
            source.concepts,
            source.obligation,
            quoted_text,
            frozenset().union(*(q.concepts for q in quoted)),
            binding,
            lang_same,
        )
        words = shared_words(source.clause.text, quoted_text) if lang_same else []
        common = source.concepts & t.unit_concepts.get(unit, frozenset())
        concept_words = self.concepts.matches(source.clause.text, common)
        terms = tuple(dict.fromkeys(concept_words + words))[:20]
        return Match(
            shown.clause.id,
            shown.clause.ref,
            u.clause.title if u.clause.title != u.clause.ref else "",
            t.chapter.get(unit, ""),
            round(score, 4),
            rel.type,
            rel.reason,
            tuple(side(q, t.chapter.get(unit, "")) for q in quoted),
            terms,
            d_rank,
            k_rank,
        )

    def _paragraph(self, unit: str, row: int) -> ClauseInfo:
        """The child of the unit that holds this row (or the unit itself)."""
        t = self.target
        c = t.info[row]
        while c.clause.parent and c.clause.parent != unit and c.clause.parent in t.by_id:
            c = t.by_id[c.clause.parent]
        return c if c.clause.parent == unit else t.units[unit]


def _lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def compare(
    comparer: Comparer,
    source: str,
    level: str = "article",
    themes: tuple[str, ...] = (),
    progress: Callable[[int, int], None] | None = None,
    every_clause: bool = False,
) -> Comparison:
    """Align the source's normative clauses (or, with `every_clause`, every clause of text
    without children: for guidance written as plain imperatives, like the NIST Playbook)."""
    if level not in LEVELS:
        raise NormScopeError(f"--level must be one of {', '.join(LEVELS)}, not '{level}'")
    unknown = [t for t in themes if t not in comparer.names]
    if unknown:
        raise NormScopeError(f"unknown theme(s): {', '.join(unknown)} (themes: {', '.join(comparer.names)})")
    if source == comparer.target.doc:
        raise NormScopeError(f"{source}: source and target are the same document")
    infos = comparer.infos(source)
    sections = _top_labels(infos)
    chosen = text_clauses(infos) if every_clause else normative_clauses(infos)
    todo = [i for i in chosen if not themes or set(themes) & set(i.themes)]
    todo.sort(key=lambda i: i.clause.order)
    alignments = []
    for n, i in enumerate(todo, 1):
        alignments.append(comparer.align(i, sections.get(i.clause.id, ""), level))
        if progress is not None:
            progress(n, len(todo))
    t = comparer.target
    reached: dict[str, list[str]] = {}
    for a in alignments:
        for m in a.matches:
            unit = m.unit if m.unit in t.units else t.unit_of[t.by_id[m.unit].row]
            reached.setdefault(unit, []).append(a.source.ref)
    leaves = {u: [t.info[r] for r in rows if r in t.leaves] for u, rows in t.unit_rows.items()}
    units = tuple(
        TargetUnit(
            u,
            info.clause.ref,
            info.clause.title if info.clause.title != info.clause.ref else "",
            t.chapter.get(u, ""),
            _unit_themes(info, leaves.get(u, []), comparer.names),
            "none" if not any(t.info[r].obligation != "none" for r in t.unit_rows[u]) else "binding",
            tuple(dict.fromkeys(reached.get(u, []))),
        )
        for u, info in sorted(t.units.items(), key=lambda kv: kv[1].clause.order)
    )
    return Comparison(
        SCHEMA_VERSION,
        source,
        comparer.store.document(source).title,
        t.doc,
        t.title,
        level,
        tuple(themes),
        comparer.embedder.name,
        comparer.threshold,
        tuple(alignments),
        units,
        _profile([a.source.themes for a in alignments], comparer.names),
        _profile([i.themes for rows in leaves.values() for i in rows], comparer.names),
    )


def _unit_themes(unit: ClauseInfo, leaves: list[ClauseInfo], names: tuple[str, ...]) -> tuple[str, ...]:
    """The unit's own themes and those carried by at least a third of its leaf clauses."""
    n = max(1, len(leaves))
    common = {t for t in names if sum(1 for i in leaves if t in i.themes) * 3 >= n}
    return tuple(t for t in names if t in common or t in unit.themes)


def _profile(theme_sets: list[tuple[str, ...]], names: tuple[str, ...]) -> dict[str, float]:
    n = max(1, len(theme_sets))
    return {t: round(sum(1 for s in theme_sets if t in s) / n, 4) for t in names}
