"""Training and evaluation of the comparison on labelled pairs (models/compare/pairs*.jsonl): a
source clause, the AI Act articles it corresponds to (none for some), and the relation. A fixed
third of the pairs (by hash of the source clause id) is the test split: the reranker weights, the
regularisation and the no-counterpart threshold are chosen on the rest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import rerank
from .align import FEATURES, Candidate, ClauseInfo, feature_matrix
from .compare import Comparer
from .errors import NormScopeError
from .settings import MODELS

PAIRS = MODELS / "compare"  # pairs*.jsonl
KEEP = 0.8  # list further units while they score at least this share of the best (a display choice)
C_GRID = (0.1, 0.3, 1.0, 3.0)
FOLDS = 5


@dataclass(frozen=True)
class Pair:
    source: str
    source_doc: str
    lang: str
    articles: tuple[str, ...]
    relation: str
    split: str


def pair_split(source: str) -> str:
    return "test" if int(hashlib.sha1(source.encode()).hexdigest()[:8], 16) % 3 == 0 else "train"


def load_pairs(folder: Path = PAIRS) -> list[Pair]:
    """Every labelled pair in models/compare/pairs*.jsonl."""
    out = []
    for path in sorted(folder.glob("pairs*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                split = pair_split(r["source"])
                out.append(Pair(r["source"], r["source_doc"], r["lang"], tuple(r["articles"]), r["relation"], split))
            except (json.JSONDecodeError, KeyError) as exc:
                raise NormScopeError(f"{path}:{n}: not a labelled pair ({exc})") from exc
    return out


def pair_sources(comparer: Comparer, pairs: list[Pair]) -> list[ClauseInfo]:
    """The stored source clause of each pair."""
    by_doc: dict[str, dict[str, ClauseInfo]] = {}
    out = []
    for p in pairs:
        if p.source_doc not in by_doc:
            by_doc[p.source_doc] = {i.clause.id: i for i in comparer.infos(p.source_doc).values()}
        info = by_doc[p.source_doc].get(p.source)
        if info is None:
            raise NormScopeError(f"{PAIRS}: labelled clause {p.source} is not in the store (re-ingest or relabel)")
        out.append(info)
    return out


def pair_candidates(comparer: Comparer, pairs: list[Pair]) -> list[list[Candidate]]:
    return [comparer.candidates(info) for info in pair_sources(comparer, pairs)]


def _xy(pairs: list[Pair], cands: list[list[Candidate]]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for p, cs in zip(pairs, cands):
        if p.articles:
            xs.append(feature_matrix(cs))
            ys += [1 if c.unit in p.articles else 0 for c in cs]
    return np.vstack(xs), np.array(ys)


def _ranked(model: rerank.Reranker, cs: list[Candidate]) -> tuple[list[str], float]:
    probs = model.score(feature_matrix(cs))
    order = np.argsort(-probs, kind="stable")
    return [cs[i].unit for i in order], float(probs[order[0]])


def _model(coef: tuple[float, ...], intercept: float, threshold: float, n: int) -> rerank.Reranker:
    return rerank.Reranker(FEATURES, coef, intercept, threshold, KEEP, n)


@dataclass(frozen=True)
class Scores:
    n: int
    recall1: float
    recall5: float


def scores(pairs: list[Pair], ranked: list[list[str]]) -> Scores:
    hits = [(r[:1], r[:5]) for p, r in zip(pairs, ranked) if p.articles]
    gold = [set(p.articles) for p in pairs if p.articles]
    if not hits:
        return Scores(0, 0.0, 0.0)
    r1 = float(np.mean([bool(set(a) & g) for (a, _), g in zip(hits, gold)]))
    r5 = float(np.mean([bool(set(b) & g) for (_, b), g in zip(hits, gold)]))
    return Scores(len(hits), r1, r5)


def _none_threshold(pairs: list[Pair], tops: list[float]) -> float:
    """The top-score cut that best separates clauses without a counterpart (F1 of `none`)."""
    best, best_f1 = 0.0, -1.0
    for t in sorted(set(round(x, 4) for x in tops)):
        pred = [x < t for x in tops]
        gold = [not p.articles for p in pairs]
        tp = sum(a and b for a, b in zip(pred, gold))
        f1 = 2 * tp / max(1, sum(pred) + sum(gold))
        if f1 > best_f1:
            best, best_f1 = t, f1
    return best


def train(comparer: Comparer, pairs: list[Pair]) -> tuple[rerank.Reranker, dict[str, float]]:
    """Choose C by cross-validated recall@5 on the training pairs, fit, and set the threshold
    from the cross-validated top scores."""
    from sklearn.model_selection import KFold

    cands = pair_candidates(comparer, pairs)
    folds = list(KFold(FOLDS, shuffle=True, random_state=0).split(pairs))
    report: dict[str, float] = {}
    best: tuple[float, float, list[float]] = (-1.0, 1.0, [])
    for C in C_GRID:
        ranked: list[list[str]] = [[] for _ in pairs]
        tops = [0.0] * len(pairs)
        for tr, va in folds:
            coef, icpt = rerank.fit(*_xy([pairs[i] for i in tr], [cands[i] for i in tr]), C=C)
            m = _model(coef, icpt, 0.0, len(tr))
            for i in va:
                ranked[i], tops[i] = _ranked(m, cands[i])
        s = scores(pairs, ranked)
        report[f"cv recall@5 C={C:g}"] = s.recall5
        if s.recall5 + 0.5 * s.recall1 > best[0]:
            best = (s.recall5 + 0.5 * s.recall1, C, tops)
    _, C, tops = best
    coef, icpt = rerank.fit(*_xy(pairs, cands), C=C)
    threshold = _none_threshold(pairs, tops)
    report["C"] = C
    return _model(coef, icpt, threshold, len(pairs)), report


@dataclass(frozen=True)
class CompareEvaluation:
    rows: list[tuple[str, str, Scores]]  # (method, subset, scores)
    none_precision: float
    none_recall: float
    none_support: int
    relation_accuracy: float
    relation_support: int
    relation_majority: float
    threshold: float
    skipped: int = 0  # test pairs whose source document is not in the store

    def table(self) -> str:
        out = [
            "comparison on the held-out test split of models/compare/pairs*.jsonl (article level)",
            "",
            f"{'method':10} {'subset':8} {'pairs':>5} {'recall@1':>8} {'recall@5':>8}",
        ]
        for method, subset, s in self.rows:
            out.append(f"{method:10} {subset:8} {s.n:5d} {s.recall1:8.3f} {s.recall5:8.3f}")
        out += [
            "",
            f"no counterpart (score < {self.threshold:.3f}): precision {self.none_precision:.3f}, "
            f"recall {self.none_recall:.3f} ({self.none_support} labelled none)",
            f"relation type on the first labelled article in the top 5: accuracy {self.relation_accuracy:.3f} on "
            f"{self.relation_support} pairs (always 'partial' would score {self.relation_majority:.3f})",
        ]
        if self.skipped:
            out.append(f"{self.skipped} test pairs left out: their source documents are not in this store")
        return "\n".join(out)


def evaluate(comparer: Comparer, pairs: list[Pair]) -> CompareEvaluation:
    stored = [p for p in pairs if comparer.store.has(p.source_doc)]
    skipped = len(pairs) - len(stored)
    pairs = stored
    if not any(p.articles for p in pairs):
        raise NormScopeError("no labelled pairs with stored source documents: ingest the corpus first")
    model = comparer.model
    sources = pair_sources(comparer, pairs)
    cands = [comparer.candidates(info) for info in sources]
    ranked, tops = zip(*(_ranked(model, cs) for cs in cands)) if cands else ((), ())
    dense = [[c.unit for c in sorted(cs, key=lambda c: -c.features["dense_max"])] for cs in cands]
    rows = []
    for subset in ("all", "en", "zh"):
        pick = [i for i, p in enumerate(pairs) if subset in ("all", p.lang)]
        sub = [pairs[i] for i in pick]
        rows.append(("dense", subset, scores(sub, [dense[i] for i in pick])))
        rows.append(("normscope", subset, scores(sub, [list(ranked[i]) for i in pick])))
    pred_none = [t < model.threshold for t in tops]
    gold_none = [not p.articles for p in pairs]
    tp = sum(a and b for a, b in zip(pred_none, gold_none))
    rel_ok, rel_n, partial = 0, 0, 0
    for p, info, cs in zip(pairs, sources, cands):
        if not p.articles:
            continue
        # the relation is judged on the first labelled article among the top five
        for score, unit, quoted, d_rank, k_rank in comparer.scored(info, cs)[:5]:
            if unit in p.articles:
                got = comparer.match(info, unit, quoted, score, d_rank, k_rank, "article")
                rel_n += 1
                rel_ok += got.relation == p.relation
                partial += p.relation == "partial"
                break
    return CompareEvaluation(
        rows,
        tp / max(1, sum(pred_none)),
        tp / max(1, sum(gold_none)),
        sum(gold_none),
        rel_ok / max(1, rel_n),
        rel_n,
        partial / max(1, rel_n),
        model.threshold,
        skipped,
    )
