"""The comparison reranker: a logistic regression over the evidence features of align.py,
trained on the training split of the labelled pairs (models/compare/pairs*.jsonl), kept as
plain JSON weights (models/compare/reranker.json) so anyone can read what it values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .align import FEATURES
from .errors import NormScopeError

RERANKER = Path(__file__).resolve().parent.parent / "models" / "compare" / "reranker.json"


@dataclass(frozen=True)
class Reranker:
    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # a source clause whose best unit scores below this has no counterpart
    keep: float  # further units are listed while they score at least this share of the best
    trained_on: int

    def score(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.array(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "coef": [round(c, 6) for c in self.coef],
                "intercept": round(self.intercept, 6),
                "threshold": round(self.threshold, 6),
                "keep": self.keep,
                "trained_on": self.trained_on,
            },
            indent=2,
        )


def fit(x: np.ndarray, y: np.ndarray, C: float = 1.0) -> tuple[tuple[float, ...], float]:
    """Weights and intercept. The fit weighs the few right units as much as the many wrong ones
    (class_weight="balanced"); the intercept is then moved back by log(positives / negatives),
    the prior correction for such weighting, so scores read as probabilities rather than all
    sitting near 1. The shift is the same for every unit: rankings do not change."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced").fit(x, y)
    positives = max(1, int(y.sum()))
    shift = float(np.log(positives / max(1, len(y) - positives)))
    return tuple(float(c) for c in model.coef_[0]), float(model.intercept_[0]) + shift


def save(model: Reranker, path: Path = RERANKER) -> None:
    path.write_text(model.to_json() + "\n", encoding="utf-8")


@lru_cache(maxsize=2)
def load(path: Path = RERANKER) -> Reranker:
    if not path.exists():
        raise NormScopeError(f"{path}: no comparison reranker (run `normscope train compare`)")
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise NormScopeError(f"{path}: trained on other features than align.py has (run `normscope train compare`)")
    return Reranker(
        tuple(data["features"]),
        tuple(data["coef"]),
        float(data["intercept"]),
        float(data["threshold"]),
        float(data["keep"]),
        int(data["trained_on"]),
    )
