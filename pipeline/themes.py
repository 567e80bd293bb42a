"""The theme classifier (scikit-learn, and PyTorch for its encoder), trained on the hand-labelled clauses
(theme_labels.py) against the taxonomy (theme_taxonomy.py): calibrated thresholds, evidence.

Two views of a text, whose probabilities are averaged with a weight: a logistic regression per
theme on character n-gram TF-IDF plus counts of the taxonomy's seed phrases per theme (works for
Chinese without a segmenter), and a copy of the multilingual sentence encoder USE fine-tuned on
the labels (theme_encoder.py). The C, the weight and each theme's threshold are chosen by
cross-validation on the training split; the test split is never used for fitting or choosing
anything. (A logistic regression on the frozen USE vectors the search index stores was a view
until the fine-tuned encoder came: with it, that view added nothing in CV, 0.761 vs 0.763.)
"""

from __future__ import annotations

import math
import pickle
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NormScopeError
from .theme_labels import LABELS, Labelled, containment_groups, label_matrix
from .theme_taxonomy import lexicon_hits, theme_names

CLASSIFIER = LABELS / "classifier.pkl"
# Nearest labelled examples shown as evidence: cosine floors, by what the similarity is read from.
# On a CV fold (580 clauses), the nearest training clause above the floor shared a theme with the
# clause 93 % of the time with the encoder at 0.7 (98 % of clauses had one), 81 % with TF-IDF at 0.35.
NEAR_TFIDF = 0.35  # character n-gram TF-IDF (models without the fine-tuned encoder)
NEAR_ENCODER = 0.7  # the fine-tuned encoder's sentence vectors


@dataclass
class ThemeModel:
    themes: tuple[str, ...]
    vectorizer: Any
    classifiers: list[Any]  # on TF-IDF + seed-phrase counts
    thresholds: list[float]
    C: float
    train_ids: list[str] = field(default_factory=list)
    train_themes: list[tuple[str, ...]] = field(default_factory=list)
    train_matrix: Any = None  # TF-IDF rows of the training clauses: nearest examples without an encoder
    encoder: dict[str, np.ndarray] | None = None  # fine-tuned USE layers (theme_encoder.py)
    encoder_weight: float = 0.0  # share of the fine-tuned encoder in the averaged probability
    train_vectors: np.ndarray | None = None  # the encoder's vectors of the training clauses (float16)

    def predict(self, texts: list[str]) -> np.ndarray:
        """(n, themes) probabilities."""
        return self.classify(texts).probs

    def classify(self, texts: list[str], threads: int = 2) -> Classified:
        """Probabilities, the seed phrases found, and the nearest labelled training clauses,
        from one TF-IDF transform and one lexicon pass over the texts; `threads` for the
        fine-tuned encoder."""
        if not texts:
            return Classified(np.zeros((0, len(self.themes))), [], [])
        tfidf = self.vectorizer.transform(texts)
        hits = [lexicon_hits(t) for t in texts]
        x = _stack(tfidf, hits)
        probs = np.column_stack([clf.predict_proba(x)[:, 1] for clf in self.classifiers])
        vectors = None
        if self.encoder is not None and self.encoder_weight > 0:
            by_encoder, vectors = self._encoder_net.scores(texts, threads)
            probs = probs + self.encoder_weight * (by_encoder - probs)
        if vectors is not None and self.train_vectors is not None:
            near = self._nearest(vectors @ self.train_vectors.T.astype(np.float32), NEAR_ENCODER)
        else:
            near = self._nearest(self._tfidf_sims(tfidf), NEAR_TFIDF)
        return Classified(probs, hits, near)

    def _tfidf_sims(self, tfidf: Any) -> np.ndarray:
        if self.train_matrix is None:
            return np.zeros((tfidf.shape[0], 0), dtype=np.float32)
        return (tfidf @ self.train_matrix.T).toarray()  # type: ignore[no-any-return]

    @cached_property
    def _encoder_net(self) -> Any:
        from .theme_encoder import ThemeEncoder

        return ThemeEncoder(self.encoder or {}, len(self.themes))

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_encoder_net"}  # built again on use

    def _nearest(self, sims: np.ndarray, floor: float, k: int = 2) -> list[list[tuple[str, float, tuple[str, ...]]]]:
        """The k most similar labelled training clauses at or above `floor` (id, cosine, their
        themes), from (texts, training clauses) cosines."""
        if sims.shape[1] == 0:
            return [[] for _ in range(len(sims))]
        k = min(k, sims.shape[1])
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        out = []
        for row, cand in zip(sims, top):
            best = cand[np.argsort(-row[cand])]
            out.append([(self.train_ids[j], float(row[j]), self.train_themes[j]) for j in best if row[j] >= floor])
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


def _cv_probs(texts: list[str], y: np.ndarray, C: float, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Out-of-fold probabilities of the TF-IDF view (the same folds as the encoder's)."""
    from joblib import Parallel, delayed

    def fit_predict(xtr: Any, ytr: np.ndarray, xva: Any) -> np.ndarray:
        if ytr.min() == ytr.max():
            return np.zeros(xva.shape[0])
        return np.asarray(_fit_one(xtr, ytr, C).predict_proba(xva)[:, 1])

    probs = np.zeros(y.shape)
    for tr, va in folds:
        vec = _vectorizer().fit([texts[i] for i in tr])
        xtr, xva = _features(vec, [texts[i] for i in tr]), _features(vec, [texts[i] for i in va])
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


TEXT_C = (8.0, 16.0, 32.0)
ENCODER_WEIGHTS = (0.4, 0.5, 0.6, 0.7)
TOLERANCE = 0.01  # CV macro-F1 given up for the cheaper model (no fine-tuned encoder to run)


def train(rows: list[Labelled], encoder: bool = True) -> tuple[ThemeModel, dict[str, float]]:
    """Fit on the given (training) rows: choose C and the encoder's weight by 5-fold CV macro-F1
    over containment groups (the TF-IDF view alone is preferred when within TOLERANCE of the
    best), calibrate each theme's threshold on the CV probabilities, refit on all rows.
    `encoder`: also fine-tune USE (five times for CV, once on all rows: 22 minutes on 2 cores for
    6,782 clauses)."""
    themes = theme_names()
    texts = [r.text for r in rows]
    y = label_matrix(rows, themes)
    folds = _folds(texts, 5)
    by_text = {C: _cv_probs(texts, y, C, folds) for C in TEXT_C}
    by_encoder = _cv_encoder(rows, y, folds) if encoder else None
    runs: list[tuple[float, float, float, list[float]]] = []  # (macro-F1, C, encoder weight, thresholds)
    for C in TEXT_C:
        for weight in (0.0, *(ENCODER_WEIGHTS if by_encoder is not None else ())):
            probs = by_text[C] if by_encoder is None else by_text[C] + weight * (by_encoder - by_text[C])
            thresholds = [_best_threshold(y[:, k], probs[:, k]) for k in range(len(themes))]
            macro = float(np.mean([_f1(y[:, k], probs[:, k] >= thresholds[k]) for k in range(len(themes))]))
            runs.append((macro, C, weight, thresholds))
    top = max(r[0] for r in runs)
    light = [r for r in runs if r[2] == 0 and r[0] >= top - TOLERANCE]
    _, C, weight, chosen = max(light or runs, key=lambda r: r[0])
    vec = _vectorizer().fit(texts)
    x = _features(vec, texts)
    tuned, vectors = None, None
    if weight > 0:
        from .theme_encoder import ThemeEncoder, fine_tune

        tuned = fine_tune(*_encoder_rows(rows, y))
        vectors = ThemeEncoder(tuned, len(themes)).scores(texts)[1].astype(np.float16)
    model = ThemeModel(
        themes=themes,
        vectorizer=vec,
        classifiers=[_fit_one(x, y[:, k], C) for k in range(len(themes))],
        thresholds=[float(t) for t in chosen],
        C=C,
        train_ids=[r.id for r in rows],
        train_themes=[r.themes for r in rows],
        # nearest examples by the encoder's vectors (a dense product, fast at any label count),
        # else by TF-IDF (float32: half the size)
        train_matrix=None if vectors is not None else vec.transform(texts).astype(np.float32),
        encoder=tuned,
        encoder_weight=weight,
        train_vectors=vectors,
    )
    return model, {f"C={C:g}" + (f",encoder={w:g}" if w else ""): m for m, C, w, _ in runs}


def _encoder_rows(rows: list[Labelled], y: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Each clause twice: its text, and its heading path plus text (the search index's recipe).
    The encoder reads text alone at ingest and in `normscope tag`; the second form is extra
    training data (it was also the ingest input until it proved too slow, see README)."""
    from .embed import embedding_text

    return [r.text for r in rows] + [embedding_text(list(r.path), r.text) for r in rows], np.vstack([y, y])


def _cv_encoder(rows: list[Labelled], y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Out-of-fold probabilities of the fine-tuned encoder (same folds as the other views)."""
    from .theme_encoder import ThemeEncoder, fine_tune

    probs = np.zeros(y.shape)
    for tr, va in folds:
        tuned = fine_tune(*_encoder_rows([rows[i] for i in tr], y[tr]))
        probs[va] = ThemeEncoder(tuned, y.shape[1]).probs([rows[i].text for i in va])
    return probs


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
