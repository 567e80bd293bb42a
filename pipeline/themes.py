"""Themes (scikit-learn only): the taxonomy and lexicon in models/themes.toml, a classifier
trained on the hand-labelled clauses in models/themes/, calibrated thresholds, evidence.

Features per text: character n-gram TF-IDF (works for Chinese without a segmenter), the
multilingual sentence embedding, and counts of the taxonomy's seed phrases per theme. One
logistic regression per theme; each theme's threshold maximises F1 in cross-validation on the
training split. The test split is never used for fitting or choosing anything.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NormScopeError

MODELS = Path(__file__).resolve().parent.parent / "models"
TAXONOMY = MODELS / "themes.toml"
LABELS = MODELS / "themes"
SPLIT = LABELS / "split.tsv"
CLASSIFIER = LABELS / "classifier.pkl"
TEST_SHARE = 3  # of 10 containment groups, by hash


@dataclass(frozen=True)
class Theme:
    name: str
    definition: str
    excludes: str
    en: tuple[str, ...]
    zh: tuple[str, ...]


@lru_cache(maxsize=1)
def taxonomy(path: Path = TAXONOMY) -> tuple[Theme, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))["themes"]
    return tuple(
        Theme(name, t["definition"], t.get("excludes", ""), tuple(t.get("en", ())), tuple(t.get("zh", ())))
        for name, t in data.items()
    )


def theme_names() -> tuple[str, ...]:
    return tuple(t.name for t in taxonomy())


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]:
    out = []
    for t in taxonomy():
        en = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(t.en, key=len, reverse=True)) + r")\b", re.I)
        zh = re.compile("|".join(re.escape(w) for w in sorted(t.zh, key=len, reverse=True))) if t.zh else None
        out.append((t.name, en, zh))
    return tuple(out)


def lexicon_hits(text: str) -> dict[str, list[str]]:
    """Seed phrases found in the text, per theme (distinct, in order of appearance)."""
    hits: dict[str, list[str]] = {}
    for name, en, zh in _lexicon():
        found = [m.group(0).lower() for m in en.finditer(text)]
        if zh is not None:
            found += [m.group(0) for m in zh.finditer(text)]
        if found:
            hits[name] = list(dict.fromkeys(found))
    return hits


# ------------------------------------------------------------------ labelled data


@dataclass(frozen=True)
class Labelled:
    id: str
    doc: str
    lang: str
    text: str
    themes: tuple[str, ...]
    split: str = "train"


def _read_labels(folder: Path = LABELS) -> list[Labelled]:
    rows: dict[str, Labelled] = {}
    known = set(theme_names())
    for path in sorted(folder.glob("labels-*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            bad = set(r["themes"]) - known
            if bad:
                raise NormScopeError(f"{path}:{n}: unknown themes {sorted(bad)}")
            rows.setdefault(r["id"], Labelled(r["id"], r["doc"], r["lang"], r["text"], tuple(sorted(r["themes"]))))
    return list(rows.values())


def assign_splits(rows: list[Labelled], recorded: dict[str, str] | None = None) -> dict[str, str]:
    """Train/test by a hash of each group of texts that contain one another, so a paragraph and
    the article holding it never straddle the split. Splits already recorded are kept, and new
    members of a recorded group join that group's side."""
    recorded = recorded or {}
    groups: dict[int, list[str]] = {}
    for g, r in zip(containment_groups([r.text for r in rows]), rows):
        groups.setdefault(g, []).append(r.id)
    split: dict[str, str] = {}
    for ids in groups.values():
        known = {recorded[cid] for cid in ids if cid in recorded}
        if len(known) > 1:  # a new clause joins texts already on both sides: it would leak
            raise NormScopeError(
                f"{SPLIT}: labelled clauses {', '.join(sorted(ids)[:4])} contain one another but are recorded on"
                " both sides of the split; relabel or drop the one that joins them"
            )
        if known:
            side = known.pop()
        else:
            h = int(hashlib.sha1(min(ids).encode()).hexdigest()[:8], 16)
            side = "test" if h % 10 < TEST_SHARE else "train"
        for cid in ids:
            split[cid] = recorded.get(cid, side)
    return split


def load_labels(folder: Path = LABELS, split_file: Path = SPLIT) -> list[Labelled]:
    """The labelled clauses with the split recorded in split.tsv; clauses labelled since are
    assigned by the same rule (`normscope train themes` records them before fitting)."""
    rows = _read_labels(folder)
    recorded = {}
    if split_file.exists():
        for line in split_file.read_text(encoding="utf-8").splitlines()[1:]:
            cid, side = line.split("\t")
            recorded[cid] = side
    split = assign_splits(rows, recorded)
    return [Labelled(r.id, r.doc, r.lang, r.text, r.themes, split[r.id]) for r in rows]


def write_split(rows: list[Labelled], split_file: Path = SPLIT) -> None:
    lines = ["id\tsplit"] + [f"{r.id}\t{r.split}" for r in sorted(rows, key=lambda r: r.id)]
    split_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ the classifier


@dataclass
class ThemeModel:
    themes: tuple[str, ...]
    vectorizer: Any
    classifiers: list[Any]
    thresholds: list[float]
    embedding_weight: float
    C: float
    embedder_name: str
    train_ids: list[str] = field(default_factory=list)
    train_themes: list[tuple[str, ...]] = field(default_factory=list)
    train_matrix: Any = None  # TF-IDF rows of the training clauses, for nearest examples

    @property
    def needs_vectors(self) -> bool:
        return self.embedding_weight > 0

    def predict(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """(n, themes) probabilities; `vectors` only when the model uses embeddings."""
        return self.classify(texts, vectors).probs

    def classify(self, texts: list[str], vectors: np.ndarray | None = None) -> Classified:
        """Probabilities, the seed phrases found, and the nearest labelled training clauses,
        from one TF-IDF transform and one lexicon pass over the texts."""
        if not texts:
            return Classified(np.zeros((0, len(self.themes))), [], [])
        tfidf = self.vectorizer.transform(texts)
        hits = [lexicon_hits(t) for t in texts]
        x = _stack(tfidf, hits, vectors, self.embedding_weight)
        probs = np.column_stack([clf.predict_proba(x)[:, 1] for clf in self.classifiers])
        return Classified(probs, hits, self._nearest(tfidf))

    def _nearest(self, tfidf: Any, k: int = 2, floor: float = 0.35) -> list[list[tuple[str, float, tuple[str, ...]]]]:
        """The most similar labelled training clauses (id, TF-IDF cosine, their themes)."""
        if self.train_matrix is None:
            return [[] for _ in range(tfidf.shape[0])]
        sims = (tfidf @ self.train_matrix.T).toarray()
        out = []
        for row in sims:
            top = np.argsort(-row)[:k]
            out.append([(self.train_ids[j], float(row[j]), self.train_themes[j]) for j in top if row[j] >= floor])
        return out


@dataclass(frozen=True)
class Classified:
    probs: np.ndarray  # (n, themes)
    hits: list[dict[str, list[str]]]  # seed phrases found per text, per theme
    nearest: list[list[tuple[str, float, tuple[str, ...]]]]


def _lexicon_matrix(hits: list[dict[str, list[str]]]) -> np.ndarray:
    names = theme_names()
    m = np.zeros((len(hits), len(names)), dtype=np.float32)
    for i, found in enumerate(hits):
        for name, words in found.items():
            m[i, names.index(name)] = math.log1p(len(words))
    return m


def _features(vectorizer: Any, texts: list[str], vectors: np.ndarray | None, weight: float) -> Any:
    return _stack(vectorizer.transform(texts), [lexicon_hits(t) for t in texts], vectors, weight)


def _stack(tfidf: Any, hits: list[dict[str, list[str]]], vectors: np.ndarray | None, weight: float) -> Any:
    from scipy.sparse import csr_matrix, hstack

    blocks = [tfidf, csr_matrix(_lexicon_matrix(hits))]
    if weight > 0:
        if vectors is None:
            raise NormScopeError("this theme classifier uses sentence embeddings: pass vectors")
        blocks.append(csr_matrix(vectors * weight))
    return hstack(blocks).tocsr()


def _fit_one(x: Any, y: np.ndarray, C: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    return clf.fit(x, y)


def containment_groups(texts: list[str]) -> list[int]:
    """A group number per text: texts that contain one another (ignoring whitespace) share one."""
    flat = [re.sub(r"\s+", "", t) for t in texts]
    parent = list(range(len(flat)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(flat):
        for j in range(i + 1, len(flat)):
            if a in flat[j] or flat[j] in a:
                parent[find(i)] = find(j)
    return [find(i) for i in range(len(flat))]


def _folds(texts: list[str], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """K folds over containment groups, so no validation clause has its paragraph or article in
    the fold's training part (plain K-fold leaks them and favours memorising, i.e. high C)."""
    from sklearn.model_selection import GroupKFold

    groups = containment_groups(texts)
    order = {g: k for k, g in enumerate(np.random.RandomState(0).permutation(sorted(set(groups))))}
    return list(GroupKFold(folds).split(texts, groups=[order[g] for g in groups]))


def _cv_probs(
    texts: list[str], vectors: np.ndarray | None, y: np.ndarray, C: float, weight: float, folds: int = 5
) -> np.ndarray:
    from joblib import Parallel, delayed

    def fit_predict(xtr: Any, ytr: np.ndarray, xva: Any) -> np.ndarray:
        if ytr.min() == ytr.max():
            return np.zeros(xva.shape[0])
        return np.asarray(_fit_one(xtr, ytr, C).predict_proba(xva)[:, 1])

    probs = np.zeros(y.shape)
    for tr, va in _folds(texts, folds):
        vec = _vectorizer().fit([texts[i] for i in tr])
        xtr = _features(vec, [texts[i] for i in tr], vectors[tr] if vectors is not None else None, weight)
        xva = _features(vec, [texts[i] for i in va], vectors[va] if vectors is not None else None, weight)
        cols = Parallel(n_jobs=2)(delayed(fit_predict)(xtr, y[tr, k], xva) for k in range(y.shape[1]))
        for k, col in enumerate(cols):
            probs[va, k] = col
    return probs


def _vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True, max_features=40000)


def _best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    grid = np.arange(0.15, 0.86, 0.05)
    return float(max(grid, key=lambda t: (_f1(y, p >= t), -abs(t - 0.5))))


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = float(np.sum(y & pred))
    fp = float(np.sum(~y & pred))
    fn = float(np.sum(y & ~pred))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def label_matrix(rows: list[Labelled], themes: tuple[str, ...]) -> np.ndarray:
    return np.array([[t in r.themes for t in themes] for r in rows], dtype=bool)


# Without sentence embeddings only. With USE vectors grouped CV gains ~0.015 macro-F1 on the
# training split (1,730 clauses), and encoding the AI Act's 1,238 leaf clauses costs only 3-4 s,
# but tagging then takes 8.2-8.4 s against 7.2-8.0 s for extraction (bench/bench_tag.py,
# ratio 1.06-1.14 whatever share of spaCy goes to the worker): tagging would become the slowest
# stage. Pass a grid with a weight > 0 to try them.
GRID = ((4.0, 0.0), (8.0, 0.0), (16.0, 0.0), (32.0, 0.0))
TOLERANCE = 0.01  # CV macro-F1 given up for a configuration without embeddings


def train(
    rows: list[Labelled],
    vectors: np.ndarray | None,
    embedder_name: str,
    grid: tuple[tuple[float, float], ...] = GRID,
) -> tuple[ThemeModel, dict[str, float]]:
    """Fit on the given (training) rows: choose C and the embedding weight by 5-fold CV macro-F1
    over containment groups (a model without sentence embeddings is preferred when within TOLERANCE of the best: it tags
    a third faster), calibrate each theme's threshold on the CV probabilities, refit on all rows."""
    themes = theme_names()
    texts = [r.text for r in rows]
    y = label_matrix(rows, themes)
    scores: dict[str, float] = {}
    runs: list[tuple[float, float, float, np.ndarray]] = []
    for C, weight in grid:
        probs = _cv_probs(texts, vectors, y, C, weight)
        thresholds = [_best_threshold(y[:, k], probs[:, k]) for k in range(len(themes))]
        macro = float(np.mean([_f1(y[:, k], probs[:, k] >= thresholds[k]) for k in range(len(themes))]))
        scores[f"C={C:g},w={weight:g}"] = macro
        runs.append((macro, C, weight, np.array(thresholds)))
    top = max(r[0] for r in runs)
    light = [r for r in runs if r[2] == 0 and r[0] >= top - TOLERANCE]
    _, C, weight, chosen = max(light or runs, key=lambda r: r[0])
    vec = _vectorizer().fit(texts)
    x = _features(vec, texts, vectors, weight)
    classifiers = [_fit_one(x, y[:, k], C) for k in range(len(themes))]
    model = ThemeModel(
        themes=themes,
        vectorizer=vec,
        classifiers=classifiers,
        thresholds=[float(t) for t in chosen],
        embedding_weight=weight,
        C=C,
        embedder_name=embedder_name if weight > 0 else "",
        train_ids=[r.id for r in rows],
        train_themes=[r.themes for r in rows],
        train_matrix=vec.transform(texts),
    )
    return model, scores


def save(model: ThemeModel, path: Path = CLASSIFIER) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(model, protocol=5))
    tmp.replace(path)


@lru_cache(maxsize=2)
def load(path: Path = CLASSIFIER) -> ThemeModel:
    if not path.exists():
        raise NormScopeError(f"{path}: no trained theme classifier; run `normscope train themes`")
    model = pickle.loads(path.read_bytes())
    if not isinstance(model, ThemeModel):
        raise NormScopeError(f"{path}: not a NormScope theme classifier")
    return model


@dataclass(frozen=True)
class ThemeReport:
    theme: str
    support: int
    precision: float
    recall: float
    f1: float


def evaluate(model: ThemeModel, rows: list[Labelled], vectors: np.ndarray | None = None) -> list[ThemeReport]:
    y = label_matrix(rows, model.themes)
    pred = model.predict([r.text for r in rows], vectors) >= np.array(model.thresholds)
    out = []
    for k, theme in enumerate(model.themes):
        tp = int(np.sum(y[:, k] & pred[:, k]))
        fp = int(np.sum(~y[:, k] & pred[:, k]))
        fn = int(np.sum(y[:, k] & ~pred[:, k]))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out.append(ThemeReport(theme, int(y[:, k].sum()), p, r, 2 * p * r / (p + r) if p + r else 0.0))
    return out
