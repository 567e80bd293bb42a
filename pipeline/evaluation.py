"""Training and evaluation runs for the theme classifier (what `normscope train/eval` call)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import numpy as np

from . import theme_labels as labels
from . import themes as tm
from .embed import Embedder
from .index import VectorIndex
from .settings import MODELS
from .store import Store

QUERIES = MODELS / "search" / "queries.jsonl"


@dataclass(frozen=True)
class ThemeEvaluation:
    rows: list[tm.ThemeReport]
    by_language: dict[str, float]
    n_train: int
    n_test: int
    docs: int
    by_sample: dict[str, tuple[int, float]] = field(default_factory=dict)  # picked / random: (clauses, macro-F1)
    reread: int = 0  # test clauses read more than once (their themes are the readings' majority)
    first_reading: float | None = None  # macro-F1 against every test clause's first reading alone

    @property
    def macro_f1(self) -> float:
        return float(np.mean([r.f1 for r in self.rows]))

    def table(self) -> str:
        out = [
            f"theme classifier on the held-out test split: {self.n_test} clauses "
            f"(trained on {self.n_train}; {self.docs} documents in all)",
            "",
            f"{'theme':18} {'support':>7} {'precision':>9} {'recall':>7} {'F1':>6}",
        ]
        for r in self.rows:
            out.append(f"{r.theme:18} {r.support:7d} {r.precision:9.3f} {r.recall:7.3f} {r.f1:6.3f}")
        out.append(
            f"{'macro':18} {sum(r.support for r in self.rows):7d} "
            f"{np.mean([r.precision for r in self.rows]):9.3f} {np.mean([r.recall for r in self.rows]):7.3f} "
            f"{self.macro_f1:6.3f}"
        )
        out.append("")
        out.append("macro-F1 by language: " + ", ".join(f"{k} {v:.3f}" for k, v in sorted(self.by_language.items())))
        if self.by_sample:
            out.append(
                "macro-F1 by how clauses were sampled: "
                + ", ".join(f"{k} {v:.3f} ({n})" for k, (n, v) in sorted(self.by_sample.items()))
            )
        if self.reread and self.first_reading is not None:
            out.append(
                f"{self.reread} of {self.n_test} test clauses were read more than once (themes: the majority);"
                f" against the first reading alone, macro-F1 {self.first_reading:.3f}"
            )
        return "\n".join(out)


def theme_eval() -> ThemeEvaluation:
    rows = labels.load_labels()
    train = [r for r in rows if r.split == "train"]
    test = [r for r in rows if r.split == "test"]
    model = tm.load()
    texts = [r.text for r in test]
    probs = model.predict(texts)

    def score(sub: list[int]) -> list[tm.ThemeReport]:
        return tm.scored(model, [test[i] for i in sub], probs[sub])

    everything = list(range(len(test)))
    report = score(everything)
    by_lang = {}
    for lang in sorted({r.lang for r in test}):
        by_lang[lang] = float(np.mean([x.f1 for x in score([i for i, r in enumerate(test) if r.lang == lang])]))
    by_sample = {}
    for sample in sorted({r.sample for r in test}):
        sub = [i for i, r in enumerate(test) if r.sample == sample]
        by_sample[sample] = (len(sub), float(np.mean([x.f1 for x in score(sub)])))
    reread = sum(1 for r in test if len(r.readings) > 1)
    first = None
    if reread:
        firsts = [replace(r, themes=r.first_reading) for r in test]
        first = float(np.mean([x.f1 for x in tm.scored(model, firsts, probs)]))
    return ThemeEvaluation(report, by_lang, len(train), len(test), len({r.doc for r in rows}), by_sample, reread, first)


def theme_train() -> str:
    rows = labels.load_labels()
    labels.write_split(rows)
    train = [r for r in rows if r.split == "train"]
    model, cv = tm.train(train)
    tm.save(model)
    tm.load.cache_clear()
    lines = [
        f"trained on {len(train)} clauses ({sum(1 for r in rows if r.split == 'test')} held out)",
        "5-fold CV macro-F1 on the training split: " + ", ".join(f"{k} {v:.3f}" for k, v in cv.items()),
        f"chosen: C={model.C:g}, fine-tuned encoder weight {model.encoder_weight:g}",
        "thresholds: " + ", ".join(f"{t} {x:.2f}" for t, x in zip(model.themes, model.thresholds)),
        f"saved {tm.CLASSIFIER}",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class SearchEvaluation:
    model: str
    rows: list[tuple[str, str, int, float, float]]  # (mode, language, queries, recall@10, MRR)

    def table(self) -> str:
        out = [
            f"search on the labelled query set (models/search/queries.jsonl), embedder {self.model}",
            "(dev: the queries the fusion weight was chosen on; test: the held-out third)",
            "",
            f"{'mode':8} {'queries':8} {'recall@10':>9} {'MRR':>6}",
        ]
        for mode, lang, n, rec, mrr in self.rows:
            out.append(f"{mode:8} {lang + ' ' + str(n):8} {rec:9.3f} {mrr:6.3f}")
        return "\n".join(out)


def query_split(qid: str) -> str:
    """A fixed third of the queries (by hash) is test; the fusion weight was chosen on the rest."""
    return "test" if int(hashlib.sha1(qid.encode()).hexdigest()[:8], 16) % 3 == 0 else "dev"


def search_eval(store: Store, index: VectorIndex, embedder: Embedder, k: int = 10) -> SearchEvaluation:
    import json

    from .search import recall_mrr, search

    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for mode in ("dense", "keyword", "hybrid"):
        ranked = [[h.id for h in search(store, index, embedder, r["query"], k, mode=mode)] for r in rows]
        for lang in ("all", "en", "zh", "dev", "test"):
            pick = [i for i, r in enumerate(rows) if lang in ("all", r["lang"], query_split(r["qid"]))]
            rec, mrr = recall_mrr([ranked[i] for i in pick], [set(rows[i]["relevant"]) for i in pick], k)
            out.append((mode, lang, len(pick), rec, mrr))
    return SearchEvaluation(embedder.name, out)
