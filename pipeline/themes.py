"""The theme classifier (scikit-learn only), trained on the hand-labelled clauses
(theme_labels.py) against the taxonomy (theme_taxonomy.py): calibrated thresholds, evidence.

Two views of a text, each with one logistic regression per theme: character n-gram TF-IDF plus
counts of the taxonomy's seed phrases per theme (works for Chinese without a segmenter), and the
multilingual sentence embedding (USE). Their probabilities are averaged with a weight; the C of
each view, the weight and each theme's threshold are chosen by cross-validation on the training
split. The test split is never used for fitting or choosing anything.
"""

from __future__ import annotations

import math
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NormScopeError
from .theme_labels import LABELS, Labelled, containment_groups, label_matrix
from .theme_taxonomy import lexicon_hits, theme_names

CLASSIFIER = LABELS / "classifier.pkl"


@dataclass
class ThemeModel:
    themes: tuple[str, ...]
    vectorizer: Any
    classifiers: list[Any]  # on TF-IDF + seed-phrase counts
    thresholds: list[float]
    C: float
    vector_classifiers: list[Any]  # on sentence embeddings (empty when vector_weight is 0)
    vector_weight: float  # share of the embedding view in the averaged probability
    vector_C: float
    embedder_name: str
    train_ids: list[str] = field(default_factory=list)
    train_themes: list[tuple[str, ...]] = field(default_factory=list)
    train_matrix: Any = None  # TF-IDF rows of the training clauses, for nearest examples

    @property
    def needs_vectors(self) -> bool:
        return self.vector_weight > 0

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
        x = _stack(tfidf, hits)
        probs = np.column_stack([clf.predict_proba(x)[:, 1] for clf in self.classifiers])
        if self.vector_weight > 0:
            if vectors is None or len(vectors) != len(texts):
                raise NormScopeError("this theme classifier uses sentence embeddings: pass one vector per text")
            by_vector = np.column_stack([clf.predict_proba(vectors)[:, 1] for clf in self.vector_classifiers])
            probs = (1 - self.vector_weight) * probs + self.vector_weight * by_vector
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


def _features(vectorizer: Any, texts: list[str]) -> Any:
    return _stack(vectorizer.transform(texts), [lexicon_hits(t) for t in texts])


def _stack(tfidf: Any, hits: list[dict[str, list[str]]]) -> Any:
    from scipy.sparse import csr_matrix, hstack

    return hstack([tfidf, csr_matrix(_lexicon_matrix(hits))]).tocsr()


def _fit_one(x: Any, y: np.ndarray, C: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    return clf.fit(x, y)


def _folds(texts: list[str], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """K folds over containment groups, so no validation clause has its paragraph or article in
    the fold's training part (plain K-fold leaks them and favours memorising, i.e. high C)."""
    from sklearn.model_selection import GroupKFold

    groups = containment_groups(texts)
    order = {g: k for k, g in enumerate(np.random.RandomState(0).permutation(sorted(set(groups))))}
    return list(GroupKFold(folds).split(texts, groups=[order[g] for g in groups]))


@dataclass(frozen=True)
class Views:
    """Sentence embeddings of labelled clauses in both recipes: the text alone (what `normscope
    tag` sees) and heading path plus text (what ingest shares with the search index). The
    embedding view is fitted on both and validated on the second."""

    text: np.ndarray
    with_path: np.ndarray

    def fit_rows(self, idx: np.ndarray) -> np.ndarray:
        return np.vstack([self.text[idx], self.with_path[idx]])


def _cv_probs(texts: list[str], y: np.ndarray, C: float, views: Views | None = None, folds: int = 5) -> np.ndarray:
    """Out-of-fold probabilities of the TF-IDF view, or of the embedding view when `views` are
    given (same folds for both, so the two can be averaged)."""
    from joblib import Parallel, delayed

    def fit_predict(xtr: Any, ytr: np.ndarray, xva: Any) -> np.ndarray:
        if ytr.min() == ytr.max():
            return np.zeros(xva.shape[0])
        return np.asarray(_fit_one(xtr, ytr, C).predict_proba(xva)[:, 1])

    probs = np.zeros(y.shape)
    for tr, va in _folds(texts, folds):
        if views is None:
            vec = _vectorizer().fit([texts[i] for i in tr])
            xtr, xva, ytr = _features(vec, [texts[i] for i in tr]), _features(vec, [texts[i] for i in va]), y[tr]
        else:
            xtr, xva, ytr = views.fit_rows(tr), views.with_path[va], np.vstack([y[tr], y[tr]])
        cols = Parallel(n_jobs=2)(delayed(fit_predict)(xtr, ytr[:, k], xva) for k in range(y.shape[1]))
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


# At ingest the embedding view costs no extra encoding: it reads the vectors the search index
# is built from (same model and recipe, cached by content hash; see vectors.leaf_vectors).
TEXT_C = (8.0, 16.0, 32.0)
VECTOR_C = (1.0, 4.0, 16.0)
VECTOR_WEIGHTS = (0.3, 0.4, 0.5, 0.6)
TOLERANCE = 0.01  # CV macro-F1 given up for a model without the embedding view


def train(rows: list[Labelled], views: Views | None, embedder_name: str) -> tuple[ThemeModel, dict[str, float]]:
    """Fit on the given (training) rows: choose each view's C and the embedding view's weight by
    5-fold CV macro-F1 over containment groups (the TF-IDF view alone is preferred when within
    TOLERANCE of the best), calibrate each theme's threshold on the CV probabilities, refit on
    all rows."""
    themes = theme_names()
    texts = [r.text for r in rows]
    y = label_matrix(rows, themes)
    by_text = {C: _cv_probs(texts, y, C) for C in TEXT_C}
    by_vector = {C: _cv_probs(texts, y, C, views) for C in VECTOR_C} if views is not None else {}
    scores: dict[str, float] = {}
    runs: list[tuple[float, float, float, float, list[float]]] = []
    combos = [(C, 0.0, 0.0) for C in TEXT_C]
    combos += [(C, vC, w) for C in TEXT_C for vC in by_vector for w in VECTOR_WEIGHTS]
    for C, vC, w in combos:
        probs = by_text[C] if w == 0 else (1 - w) * by_text[C] + w * by_vector[vC]
        thresholds = [_best_threshold(y[:, k], probs[:, k]) for k in range(len(themes))]
        macro = float(np.mean([_f1(y[:, k], probs[:, k] >= thresholds[k]) for k in range(len(themes))]))
        scores[f"C={C:g}" + (f",vC={vC:g},w={w:g}" if w else "")] = macro
        runs.append((macro, C, vC, w, thresholds))
    top = max(r[0] for r in runs)
    light = [r for r in runs if r[3] == 0 and r[0] >= top - TOLERANCE]
    _, C, vC, weight, chosen = max(light or runs, key=lambda r: r[0])
    vec = _vectorizer().fit(texts)
    x = _features(vec, texts)
    classifiers = [_fit_one(x, y[:, k], C) for k in range(len(themes))]
    vector_classifiers = []
    if weight > 0 and views is not None:
        both, y2 = views.fit_rows(np.arange(len(rows))), np.vstack([y, y])
        vector_classifiers = [_fit_one(both, y2[:, k], vC) for k in range(len(themes))]
    model = ThemeModel(
        themes=themes,
        vectorizer=vec,
        classifiers=classifiers,
        thresholds=[float(t) for t in chosen],
        C=C,
        vector_classifiers=vector_classifiers,
        vector_weight=weight,
        vector_C=vC if weight > 0 else 0.0,
        embedder_name=embedder_name if weight > 0 else "",
        train_ids=[r.id for r in rows],
        train_themes=[r.themes for r in rows],
        train_matrix=vec.transform(texts).astype(np.float32),  # nearest examples only: half the size
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
    return scored(model, rows, model.predict([r.text for r in rows], vectors))


def scored(model: ThemeModel, rows: list[Labelled], probs: np.ndarray) -> list[ThemeReport]:
    """Per-theme precision, recall and F1 of the model's probabilities for these rows."""
    y = label_matrix(rows, model.themes)
    pred = probs >= np.array(model.thresholds)
    out = []
    for k, theme in enumerate(model.themes):
        tp = int(np.sum(y[:, k] & pred[:, k]))
        fp = int(np.sum(~y[:, k] & pred[:, k]))
        fn = int(np.sum(y[:, k] & ~pred[:, k]))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out.append(ThemeReport(theme, int(y[:, k].sum()), p, r, 2 * p * r / (p + r) if p + r else 0.0))
    return out
