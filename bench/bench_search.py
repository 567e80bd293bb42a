"""Search benchmarks, each as ratios or percentiles measured in one run on this machine.

1. Query latency p50/p95 of `search()` (hybrid, dense, keyword) in-process on a store that holds
   the corpus (--home, default ./.normscope as left by `make demo`).
2. Index build time, memory and recall@10 against exact search for flat, HNSW and IVF indexes
   on synthetic clustered 384-d vectors (--sizes, default 100000; add 1000000 for the full run).
3. Embedding throughput of NormScope's MiniLM embedder (windows for long texts) beside a plain
   `SentenceTransformer.encode` on the same clause texts, as a ratio.

    python bench/bench_search.py [--home DIR] [--sizes 100000 1000000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def latency(home: Path) -> dict[str, dict[str, float]]:
    from pipeline.embed import get_embedder
    from pipeline.search import search
    from pipeline.settings import load_settings
    from pipeline.store import Store
    from pipeline.vectors import open_index

    settings = load_settings(home)
    store = Store(settings.db_path)
    embedder = get_embedder(settings.embed_model)
    index = open_index(store, settings, embedder)
    queries = [json.loads(x)["query"] for x in (ROOT / "models" / "search" / "queries.jsonl").read_text().splitlines()]
    search(store, index, embedder, "warm up", 10)
    out = {}
    for mode in ("hybrid", "dense", "keyword"):
        times = []
        for q in queries:
            t = time.perf_counter()
            search(store, index, embedder, q, 10, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
        out[mode] = {
            "p50_ms": round(float(np.percentile(times, 50)), 1),
            "p95_ms": round(float(np.percentile(times, 95)), 1),
        }
    out["clauses"] = {"n": len(index)}  # type: ignore[dict-item]
    store.close()
    return out


def synthetic(n: int, dim: int = 384, clusters: int = 200, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32)
    x = centres[rng.integers(0, clusters, n)] + 0.6 * rng.normal(size=(n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def index_kinds(n: int, nq: int = 200) -> list[dict[str, float | str]]:
    import faiss

    faiss.cvar.distance_compute_blas_threshold = 20
    data = synthetic(n)
    queries = synthetic(nq, seed=1)
    rows = []
    flat = faiss.IndexFlatIP(data.shape[1])
    t = time.perf_counter()
    flat.add(data)
    build = time.perf_counter() - t
    t = time.perf_counter()
    _, exact = flat.search(queries, 10)
    q_ms = (time.perf_counter() - t) * 1000 / nq
    rows.append(
        {
            "index": "flat",
            "n": n,
            "build_s": round(build, 2),
            "query_ms": round(q_ms, 3),
            "recall@10": 1.0,
            "memory_mb": round(data.nbytes / 2**20, 1),
        }
    )
    hnsw = faiss.IndexHNSWFlat(data.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    t = time.perf_counter()
    hnsw.add(data)
    build = time.perf_counter() - t
    hnsw.hnsw.efSearch = 128
    t = time.perf_counter()
    _, got = hnsw.search(queries, 10)
    q_ms = (time.perf_counter() - t) * 1000 / nq
    rows.append(
        {
            "index": "hnsw M=32 ef=128",
            "n": n,
            "build_s": round(build, 2),
            "query_ms": round(q_ms, 3),
            "recall@10": _recall(got, exact),
            "memory_mb": round((data.nbytes + n * 32 * 2 * 8) / 2**20, 1),
        }
    )
    nlist = int(4 * np.sqrt(n))
    ivf = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(data.shape[1]),
        data.shape[1],
        nlist,
        faiss.ScalarQuantizer.QT_8bit,
        faiss.METRIC_INNER_PRODUCT,
    )
    t = time.perf_counter()
    ivf.train(data[: min(n, 50 * nlist)])
    ivf.add(data)
    build = time.perf_counter() - t
    ivf.nprobe = 32
    t = time.perf_counter()
    _, got = ivf.search(queries, 10)
    q_ms = (time.perf_counter() - t) * 1000 / nq
    rows.append(
        {
            "index": f"ivf-sq8 nlist={nlist} nprobe=32",
            "n": n,
            "build_s": round(build, 2),
            "query_ms": round(q_ms, 3),
            "recall@10": _recall(got, exact),
            "memory_mb": round(n * 384 / 2**20, 1),
        }
    )
    return rows


def _recall(got: np.ndarray, exact: np.ndarray) -> float:
    return round(float(np.mean([len(set(g) & set(e)) / 10 for g, e in zip(got, exact)])), 3)


def embedding_ratio(home: Path, n: int = 600) -> dict[str, float]:
    from sentence_transformers import SentenceTransformer

    from pipeline.embed import SentenceTransformerEmbedder
    from pipeline.settings import load_settings
    from pipeline.store import Store

    store = Store(load_settings(home).db_path)
    texts = [
        r[0]
        for r in store.db.execute(
            "SELECT text FROM clauses WHERE kind IN ('paragraph','point','recital','text') ORDER BY id LIMIT ?", (n,)
        )
    ]
    store.close()
    ours = SentenceTransformerEmbedder()
    plain = SentenceTransformer(ours.path, device="cpu")
    ours.encode(texts[:8])
    plain.encode(texts[:8])
    t = time.perf_counter()
    plain.encode(texts, batch_size=32)
    base = time.perf_counter() - t
    t = time.perf_counter()
    ours.encode(texts)
    mine = time.perf_counter() - t
    return {
        "texts": len(texts),
        "plain_s": round(base, 2),
        "normscope_s": round(mine, 2),
        "ratio_throughput": round(base / mine, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, default=ROOT / ".normscope")
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = {
        "latency": latency(args.home),
        "indexes": [r for n in args.sizes for r in index_kinds(n)],
        "embedding": embedding_ratio(args.home),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print("query latency over", result["latency"].pop("clauses"), "clauses (ms):")
    for mode, v in result["latency"].items():
        print(f"  {mode:8} p50 {v['p50_ms']:7.1f}  p95 {v['p95_ms']:7.1f}")
    print("indexes on synthetic clustered 384-d vectors:")
    for r in result["indexes"]:
        print(
            f"  {r['index']:28} n={r['n']:>8} build {r['build_s']:7.2f}s  query {r['query_ms']:7.3f} ms"
            f"  recall@10 {r['recall@10']:.3f}  ~{r['memory_mb']} MB"
        )
    e = result["embedding"]
    print(
        f"embedding {e['texts']} clause texts: plain encode {e['plain_s']} s, NormScope {e['normscope_s']} s;"
        f" throughput ratio (normscope / plain) {e['ratio_throughput']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
