"""Search benchmarks, each as ratios or percentiles measured in one run on this machine.

1. Query latency p50/p95 of `search()` (hybrid, dense, keyword) in-process on a store that holds
   the corpus (--home, default ./.normscope as left by `make demo`).
2. Exact (flat) single-query latency by index size (--flat-sizes), to place the threshold at
   which NormScope's index turns approximate; then build time, memory (serialised size) and
   recall@10 against exact search for flat, HNSW, IVF-Flat and IVF-SQ8 indexes, and for the
   index NormScope's own code builds above the threshold (unfiltered and filtered), on
   synthetic clustered 384-d vectors (--sizes, default 100000; add 1000000 for the full run).
3. Embedding throughput of NormScope's MiniLM embedder (windows for long texts) beside a plain
   `SentenceTransformer.encode` on the same clause texts, as a ratio.

    python bench/bench_search.py [--home DIR] [--sizes 100000 1000000] [--indexes-only] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # else its idle threads spin against FAISS's OpenMP ones
import numpy as np  # noqa: E402

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


def synthetic(n: int, nq: int, dim: int = 384, per_topic: int = 500, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(n data vectors, nq held-out queries) of unit length from one distribution, shaped like
    sentence embeddings: n / per_topic random topic centres; each vector mixes two topics
    (weight 0.4-1 on the first, clauses touch several subjects) and adds Gaussian noise whose
    variance decays as 1/i over a random orthonormal basis (embeddings use few directions
    strongly), noise norm ≈ centre norm. Median cosine of a query to its nearest neighbour is
    ≈0.62, to its 10th ≈0.56, to its 100th ≈0.45 and to a random vector ≈0.00, as with real
    sentence embeddings, where neighbours stand out.

    The earlier generator drew queries from other centres than the data (cosine to the nearest
    neighbour 0.20, to the 100th 0.15) with isotropic 384-d noise, so the "true" top 10 was
    noise and HNSW needed efSearch 1024 for recall 0.97 (bench/README.md)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(16, n // per_topic), dim)).astype(np.float32)
    scale = np.arange(1, dim + 1, dtype=np.float32) ** -0.5
    scale *= np.sqrt(dim) / np.linalg.norm(scale)
    basis = np.linalg.qr(rng.normal(size=(dim, dim)))[0].astype(np.float32)

    def draw(m: int, r: np.random.Generator) -> np.ndarray:
        out = np.empty((m, dim), np.float32)
        for i in range(0, m, 100_000):  # in chunks, to keep the float64 temporaries small
            b = min(m, i + 100_000) - i
            w = r.uniform(0.4, 1.0, size=(b, 1)).astype(np.float32)
            x = w * centres[r.integers(0, len(centres), b)] + (1 - w) * centres[r.integers(0, len(centres), b)]
            x += (r.normal(size=(b, dim)).astype(np.float32) * scale) @ basis
            out[i : i + b] = x / np.linalg.norm(x, axis=1, keepdims=True)
        return out

    return draw(n, rng), draw(nq, np.random.default_rng(seed + 1))


def _one_by_one(search, queries: np.ndarray) -> tuple[np.ndarray, float]:
    """ids of the top 10 and the median latency in ms, one query per call (as `search()` does),
    on one FAISS thread: with two, a single query's scan is split over both cores, and on this
    shared 2-core machine the wait for the second core dominated (flat 100k: 24 ms instead of 6)."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    got, times = [], []
    for q in queries:
        t = time.perf_counter()
        got.append(search(q[None, :])[1][0])
        times.append(time.perf_counter() - t)
    faiss.omp_set_num_threads(threads)
    return np.array(got), float(np.median(times) * 1000)


def _size_mb(index) -> float:
    import faiss

    return round(len(faiss.serialize_index(index)) / 2**20, 1)


KINDS = ("hnsw", "ivf")  # comparison indexes; flat (the ground truth) and NormScope's own index always run


def index_kinds(
    n: int,
    nq: int = 200,
    hnsw_ef: tuple[int, ...] = (64, 128, 256),
    probes: tuple[int, ...] = (8, 16, 32),
    kinds: tuple[str, ...] = KINDS,
) -> list[dict[str, float | str]]:
    import faiss

    from pipeline.index import VectorIndex

    data, queries = synthetic(n, nq)
    rows: list[dict[str, float | str]] = []

    def row(name: str, build: float, got: np.ndarray, ms: float, mb: float) -> None:
        rows.append({"index": name, "n": n, "build_s": round(build, 1), "query_ms": round(ms, 2),
                     "recall@10": _recall(got, exact), "memory_mb": mb})  # fmt: skip
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)

    flat = faiss.IndexFlatIP(data.shape[1])
    t = time.perf_counter()
    flat.add(data)
    build = time.perf_counter() - t
    exact = flat.search(queries, 10)[1]
    got, ms = _one_by_one(lambda q: flat.search(q, 10), queries)
    row("flat (exact)", build, got, ms, _size_mb(flat))

    if "hnsw" in kinds:
        hnsw = faiss.IndexHNSWFlat(data.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 80
        t = time.perf_counter()
        hnsw.add(data)
        build = time.perf_counter() - t
        for ef in hnsw_ef:
            params = faiss.SearchParametersHNSW(efSearch=ef)
            got, ms = _one_by_one(lambda q, p=params: hnsw.search(q, 10, params=p), queries)
            row(f"hnsw M=32 efC=80 efSearch={ef}", build, got, ms, _size_mb(hnsw))

    if "ivf" in kinds:
        nlist = int(2 * np.sqrt(n))
        train = data[np.sort(np.random.default_rng(0).choice(n, min(n, 64 * nlist), replace=False))]
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(data.shape[1]), data.shape[1], nlist, faiss.METRIC_INNER_PRODUCT)
        t = time.perf_counter()
        ivf.train(train)
        ivf.add(data)
        build = time.perf_counter() - t
        for nprobe in probes:
            params = faiss.SearchParametersIVF(nprobe=nprobe)
            got, ms = _one_by_one(lambda q, p=params: ivf.search(q, 10, params=p), queries)
            row(f"ivf-flat nlist={nlist} nprobe={nprobe}", build, got, ms, _size_mb(ivf))
        sq8 = faiss.IndexIVFScalarQuantizer(
            faiss.clone_index(ivf.quantizer), data.shape[1], nlist, faiss.ScalarQuantizer.QT_8bit,
            faiss.METRIC_INNER_PRODUCT,
        )  # fmt: skip
        t = time.perf_counter()
        sq8.train(train)  # the coarse quantiser is already trained: this trains the 8-bit codes
        sq8.add(data)
        build = time.perf_counter() - t
        for nprobe in probes:
            params = faiss.SearchParametersIVF(nprobe=nprobe)
            got, ms = _one_by_one(lambda q, p=params: sq8.search(q, 10, params=p), queries)
            row(f"ivf-sq8 nlist={nlist} nprobe={nprobe} (+flat's k-means)", build, got, ms, _size_mb(sq8))

    index = VectorIndex(data.shape[1], "synthetic", threshold=min(n - 1, APPROX_THRESHOLD()))
    ids = np.arange(n, dtype=np.int64)
    t = time.perf_counter()
    index.add(ids, data)
    index.settle()
    build = time.perf_counter() - t
    got, ms = _one_by_one(lambda q: index.search(q, 10), queries)
    p = index.params
    name = f"normscope: {index.kind} nlist={p.get('nlist')} nprobe={p.get('nprobe')} (tuned {p.get('recall@10')})"
    row(name, build, got, ms, _size_mb(index.index))
    for frac in (0.1, 0.03, 0.01):  # filtered search: 10% and 3% (IVF with a selector), 1% (exact) of rows allowed
        allowed = np.sort(np.random.default_rng(1).choice(ids, int(n * frac), replace=False))
        truth = allowed[np.argsort(-(queries @ data[allowed].T), axis=1)[:, :10]]
        got, ms = _one_by_one(lambda q, a=allowed: index.search(q, 10, a), queries)
        rows.append({"index": f"  normscope filtered to {frac:.0%} of rows", "n": n, "build_s": 0.0,
                     "query_ms": round(ms, 2), "recall@10": _recall(got, truth), "memory_mb": 0.0})  # fmt: skip
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def APPROX_THRESHOLD() -> int:  # noqa: N802 - the library's constant, read late
    from pipeline.index import APPROX_THRESHOLD as value

    return value


def flat_latency(sizes: list[int], nq: int = 100) -> list[dict[str, float]]:
    """Median single-query latency of exact search by index size (to place the threshold)."""
    import faiss

    out = []
    for n in sizes:
        data, queries = synthetic(n, nq)
        flat = faiss.IndexFlatIP(data.shape[1])
        flat.add(data)
        _, ms = _one_by_one(lambda q, f=flat: f.search(q, 10), queries)
        out.append({"n": n, "query_ms": round(ms, 2)})
        print(f"  flat {out[-1]}", file=sys.stderr, flush=True)
    return out


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
    ap.add_argument("--flat-sizes", type=int, nargs="*", default=[50_000, 100_000, 200_000, 400_000])
    ap.add_argument("--kinds", nargs="*", default=list(KINDS), help="Comparison indexes to build: hnsw, ivf.")
    ap.add_argument("--indexes-only", action="store_true", help="Only the synthetic index benchmarks.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import faiss

    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads", file=sys.stderr)
    result: dict = {}
    if not args.indexes_only:
        result["latency"] = latency(args.home)
    result["flat_by_size"] = flat_latency(args.flat_sizes)
    result["indexes"] = [r for n in args.sizes for r in index_kinds(n, kinds=tuple(args.kinds))]
    if not args.indexes_only:
        result["embedding"] = embedding_ratio(args.home)
    if args.json:
        print(json.dumps(result))
        return 0
    if "latency" in result:
        print("query latency over", result["latency"].pop("clauses"), "clauses (ms):")
        for mode, v in result["latency"].items():
            print(f"  {mode:8} p50 {v['p50_ms']:7.1f}  p95 {v['p95_ms']:7.1f}")
    print("exact (flat) search, median ms per single query, by size:")
    for r in result["flat_by_size"]:
        print(f"  n={r['n']:>8}  {r['query_ms']:7.2f} ms")
    print("indexes on synthetic clustered 384-d vectors (one query per call, median ms):")
    for r in result["indexes"]:
        print(
            f"  {r['index']:58} n={r['n']:>8} build {r['build_s']:6.1f}s  query {r['query_ms']:7.2f} ms"
            f"  recall@10 {r['recall@10']:.3f}  {r['memory_mb']} MB"
        )
    if "embedding" in result:
        e = result["embedding"]
        print(
            f"embedding {e['texts']} clause texts: plain encode {e['plain_s']} s, NormScope {e['normscope_s']} s;"
            f" throughput ratio (normscope / plain) {e['ratio_throughput']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
