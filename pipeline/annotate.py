"""Tagging flow: clauses -> entities (tag.py), obligation (obligation.py), themes (themes.py).

Clauses without children are classified on their text; a clause with children (article,
chapter, document) takes the length-weighted mean of its children's theme scores.
"""

from __future__ import annotations

import numpy as np

from . import themes as theme_model
from .obligation import obligation
from .tag import PendingEntities, entities
from .textnorm import cjk_share, detect_language
from .tree import by_parent, own_text
from .types import Clause, Obligation, Tags, ThemeScore

TAGGER_VERSION = "2"


def clause_language(text: str, hint: str) -> str:
    if cjk_share(text) > 0.3:
        return "zh"
    if hint in ("en", "de") and len(text) < 200:
        return hint
    lang = detect_language(text)
    return lang if lang in ("en", "de", "zh") else "en"


def _scores(
    result: theme_model.Classified, model: theme_model.ThemeModel
) -> list[tuple[tuple[ThemeScore, ...], tuple[str, ...]]]:
    out = []
    probs, near = result.probs, result.nearest
    for i, hits in enumerate(result.hits):
        scores = []
        chosen = []
        for k, theme in enumerate(model.themes):
            evidence = [f"term: {w}" for w in hits.get(theme, [])[:5]]
            evidence += [f"like {cid} ({sim:.2f})" for cid, sim, ts in near[i] if theme in ts]
            scores.append(ThemeScore(theme, round(float(probs[i, k]), 4), tuple(evidence)))
            if probs[i, k] >= model.thresholds[k]:
                chosen.append(theme)
        out.append((tuple(scores), tuple(chosen)))
    return out


def tag_texts(texts: list[str], hint: str = "en") -> list[Tags]:
    """Tag free-standing texts (the `normscope tag` command)."""
    langs = [clause_language(t, hint) for t in texts]
    ents = entities(texts, langs)
    model = theme_model.load()
    scored = _scores(model.classify(texts), model)
    return [
        Tags(langs[i], ents[i], obligation(texts[i], langs[i], ents[i]), scored[i][0], scored[i][1])
        for i in range(len(texts))
    ]


def tag_clauses(clauses: list[Clause], hint: str = "en", parallel: bool = True) -> dict[str, Tags]:
    """Tags for every clause of one document, keyed by clause id."""
    if not clauses:
        return {}
    kids = by_parent(clauses)
    own = [own_text(c, kids) for c in clauses]
    langs = [clause_language(t or c.text[:500], hint) for c, t in zip(clauses, own)]
    model = theme_model.load()
    # A forked worker runs spaCy while this process classifies (the encoder on one thread), then
    # this process joins in on spaCy's remaining work.
    pending = PendingEntities(own, langs, parallel)
    direct = [i for i, c in enumerate(clauses) if c.id not in kids]
    texts = [clauses[i].text for i in direct]
    threads = 1 if pending.forked else 2
    scored = dict(zip(direct, _scores(model.classify(texts, threads), model)))
    ents = pending.get()
    index = {c.id: i for i, c in enumerate(clauses)}
    probs: dict[int, np.ndarray] = {i: np.array([s.score for s in scored[i][0]]) for i in direct}
    thresholds = np.array(model.thresholds)
    for i in sorted(set(range(len(clauses))) - set(direct), key=lambda i: -clauses[i].order):
        children = [index[c.id] for c in kids[clauses[i].id]]
        weights = np.array([len(clauses[j].text) for j in children], dtype=float)
        mean = np.average(np.array([probs[j] for j in children]), axis=0, weights=weights)
        probs[i] = mean
        n_with = [sum(1 for j in children if probs[j][k] >= thresholds[k]) for k in range(len(model.themes))]
        scores = tuple(
            ThemeScore(
                t, round(float(mean[k]), 4), (f"from {n_with[k]} of {len(children)} parts",) if n_with[k] else ()
            )
            for k, t in enumerate(model.themes)
        )
        chosen = tuple(t for k, t in enumerate(model.themes) if mean[k] >= thresholds[k])
        scored[i] = (scores, chosen)
    out: dict[str, Tags] = {}
    for i, c in enumerate(clauses):
        ob = obligation(own[i], langs[i], ents[i]) if c.kind != "document" else Obligation("none")
        if ob.type == "none" and c.kind == "point" and c.parent in out:
            ob = out[c.parent].obligation  # "(a) ..." continues its lead-in: "... shall be prohibited:"
        out[c.id] = Tags(langs[i], ents[i], ob, scored[i][0], scored[i][1])
    return out
