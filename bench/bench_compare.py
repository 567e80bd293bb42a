"""Time `compare` of whole documents against the EU AI Act on an ingested store (after `make
demo`), beside a plain dense baseline on the same clauses in the same run: one FAISS search per
clause over the AI Act, rolled up to articles.

    .venv/bin/python bench/bench_compare.py --home .normscope
    .venv/bin/python bench/bench_compare.py --home .normscope --doc nist-ai-rmf-playbook-2024
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from pipeline.compare import Comparer, compare, normative_clauses  # noqa: E402
from pipeline.embed import get_embedder  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from pipeline.store import Store  # noqa: E402
from pipeline.vectors import open_index  # noqa: E402

DOCS = ("uk-ai-regulation-white-paper-pro-innovation-2023", "nist-ai-rmf-playbook-2024")


def dense_baseline(comparer: Comparer, slug: str) -> int:
    t = comparer.target
    n = 0
    for info in normative_clauses(comparer.infos(slug)):
        _, ids = comparer.index.search(comparer.index.vector(info.row)[None, :], 50, t.allowed)
        units = list(dict.fromkeys(t.unit_of[int(i)] for i in ids[0] if i >= 0))[:5]
        n += bool(units)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", default=".normscope")
    ap.add_argument("--doc", action="append", help="source document slug (repeatable)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    settings = load_settings(args.home)
    rows = []
    with Store(settings.db_path) as store:
        t0 = time.perf_counter()
        embedder = get_embedder(settings.embed_model)
        index = open_index(store, settings, embedder)
        comparer = Comparer(store, index, embedder)
        setup = time.perf_counter() - t0
        for slug in args.doc or DOCS:
            pages = store.document(slug).pages
            gc.collect()
            t1 = time.perf_counter()
            dense_baseline(comparer, slug)
            base = time.perf_counter() - t1
            gc.collect()
            t2 = time.perf_counter()
            result = compare(comparer, slug)
            took = time.perf_counter() - t2
            rows.append(
                {
                    "doc": slug,
                    "pages": pages,
                    "clauses": len(result.alignments),
                    "matched": sum(1 for a in result.alignments if a.matches),
                    "seconds": round(took, 2),
                    "clauses_per_s": round(len(result.alignments) / took, 1),
                    "dense_baseline_s": round(base, 2),
                    "ratio_to_baseline": round(took / base, 2) if base else None,
                }
            )
    if args.json:
        print(json.dumps({"setup_s": round(setup, 2), "cpus": os.cpu_count(), "runs": rows}))
        return
    print(f"setup (models, index, AI Act prepared once): {setup:.2f} s; cpus {os.cpu_count()}")
    head = ("document", "pages", "clauses", "matched", "s", "cl/s", "dense s", "ratio")
    print(f"{head[0]:55} " + " ".join(f"{h:>7}" for h in head[1:]))
    for r in rows:
        print(
            f"{r['doc']:55} {r['pages']:7d} {r['clauses']:7d} {r['matched']:7d} {r['seconds']:7.2f} "
            f"{r['clauses_per_s']:7.1f} {r['dense_baseline_s']:7.2f} {r['ratio_to_baseline']:7.2f}"
        )


if __name__ == "__main__":
    main()
