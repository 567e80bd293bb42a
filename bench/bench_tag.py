"""Tagging throughput on the whole AI Act beside extraction, in the same run.

Stages timed on one file: `process()` (extraction with its page workers, clean-up,
segmentation), the search index's sentence embeddings of its clauses (`vectors.leaf_vectors`
into an empty store), and `tag_clauses()` (spaCy entities with the rule component, obligations,
the theme classifier including its fine-tuned encoder; one forked worker shares the spaCy work).
Models are loaded once before the timed tagging run and the load time is printed separately.
On a 2-core machine absolute times vary with load; compare the stages as a ratio.

    python bench/bench_tag.py [--pdf PATH] [--repeat N] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.annotate import tag_clauses  # noqa: E402
from pipeline.embed import get_embedder  # noqa: E402
from pipeline.ingest import process  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from pipeline.store import Store  # noqa: E402
from pipeline.vectors import leaf_vectors  # noqa: E402


def main() -> int:
    corpora = Path(os.environ.get("NORMSCOPE_CORPORA", ROOT.parent / "shared" / "corpora"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pdf", type=Path, default=corpora / "eu-ai-act-2024-1689-en.pdf")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    settings = load_settings()

    t = time.perf_counter()
    from pipeline import tag, themes

    tag.pipeline("en")
    tag.pipeline("zh")
    themes.load().predict(["warm up"])  # builds the fine-tuned encoder's network, if it has one
    load_s = time.perf_counter() - t

    embedder = get_embedder(settings.embed_model)  # the search index's model
    embedder.encode(["warm up"])
    best_extract = best_embed = best_tag = float("inf")
    clauses = 0
    for _ in range(args.repeat):
        gc.collect()
        t = time.perf_counter()
        doc, seg, _ = process(args.pdf, settings)
        best_extract = min(best_extract, time.perf_counter() - t)
        gc.collect()
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
            t = time.perf_counter()
            leaf_vectors(store, embedder, list(seg.clauses))
            best_embed = min(best_embed, time.perf_counter() - t)
        gc.collect()
        t = time.perf_counter()
        tags = tag_clauses(list(seg.clauses), doc.language)
        best_tag = min(best_tag, time.perf_counter() - t)
        clauses = len(tags)
    result = {
        "file": args.pdf.name,
        "cpu_count": os.cpu_count(),
        "clauses": clauses,
        "model_load_s": round(load_s, 2),
        "extract_segment_s": round(best_extract, 2),
        "embed_model": embedder.name,
        "embed_s": round(best_embed, 2),
        "tag_s": round(best_tag, 2),
        "tag_clauses_per_s": round(clauses / best_tag, 1),
        "tag_over_extract": round(best_tag / best_extract, 2),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"file: {result['file']}  clauses: {clauses}  cpu count: {result['cpu_count']}  repeat: {args.repeat}")
    print(f"model load (once):            {load_s:6.2f} s")
    print(f"extract + clean + segment:    {best_extract:6.2f} s")
    print(f"embed ({embedder.name}, the search index's vectors): {best_embed:6.2f} s")
    print(f"tag (entities, obligation, themes): {best_tag:6.2f} s  = {clauses / best_tag:.0f} clauses/s")
    print(f"ratio (tag time / extraction time): {best_tag / best_extract:.2f}")
    stages = {"extract": best_extract, "embed": best_embed, "tag": best_tag}
    print(f"slowest stage: {max(stages, key=lambda k: stages[k])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
