"""A copy of USE-multilingual v3 fine-tuned to read themes (the module that uses PyTorch).

The network is USE's own (embed.use_network): a token table, three convolutional n-gram
branches, a pooled sum and dense layers down to the 512-d sentence vector, with one linear
output per theme on top. Fine-tuning on the labelled clauses adjusts every layer except the
token table, which stays shared with the frozen encoder the search index uses; only the adjusted
layers are stored (float16). It reads English and Chinese alike, which is why it is USE and not
all-MiniLM-L6-v2 (whose vocabulary lacks most Chinese characters).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .embed import UseNetwork, use_network

# A clause's first 128 word pieces, in training and prediction alike. 256 scored 0.004 better in
# CV (0.761 vs 0.757, heading path + text) but made tagging the AI Act take 0.97 of its
# extraction time instead of 0.89: tagging must not become the slowest stage.
MAX_TOKENS = 128
_OPENING = 6  # characters tokenised per word piece wanted (pieces average under 5)
EPOCHS = 5
LEARNING_RATE = 1e-3  # one-cycle schedule, for the network and the theme outputs alike
BATCH = 32
SEED = 0
_ORDERS = ((2, 0), (3, 1), (5, 2))  # USE's n-gram branches: (width, tokens of left context)
_FROZEN = ("scale", "lo", "eps")  # token table dequantisation and the layer-norm epsilon
_SCALE = 10.0  # the unit sentence vector is scaled before the theme outputs
_WIDTH = 512  # USE's sentence vector


class ThemeNetwork(nn.Module):
    table: torch.Tensor
    scale: torch.Tensor
    lo: torch.Tensor

    def __init__(self, base: UseNetwork, themes: int, tuned: dict[str, np.ndarray] | None = None) -> None:
        super().__init__()
        weights = {**base.weights, **(tuned or {})}
        self.tokenize = base.tokenize
        self.register_buffer("table", torch.from_numpy(base.table), persistent=False)
        self.register_buffer("scale", torch.tensor(weights["scale"]), persistent=False)
        self.register_buffer("lo", torch.tensor(weights["lo"]), persistent=False)
        self.eps = float(weights["eps"])
        self.layers = nn.ParameterDict(
            {
                name: nn.Parameter(torch.tensor(np.asarray(array, dtype=np.float32)))
                for name, array in weights.items()
                if name not in _FROZEN and not name.startswith("head_")
            }
        )
        self.head = nn.Linear(_WIDTH, themes)
        if tuned is not None:
            self.head.weight.data = torch.tensor(np.asarray(tuned["head_W"], dtype=np.float32))
            self.head.bias.data = torch.tensor(np.asarray(tuned["head_b"], dtype=np.float32))
        self.dropout = nn.Dropout(0.1)

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """The first MAX_TOKENS word pieces of each text. Only a text's opening is tokenised
        (the tokenizer is pure Python and long clauses are many): the whole text only when the
        opening yields too few pieces to be sure the first MAX_TOKENS are the same."""
        out = []
        for text in texts:
            ids = self.tokenize(text[: _OPENING * MAX_TOKENS])
            if len(text) > _OPENING * MAX_TOKENS and len(ids) < MAX_TOKENS + 8:
                ids = self.tokenize(text)
            out.append(ids[:MAX_TOKENS])
        return out

    def forward(self, ids: list[list[int]]) -> torch.Tensor:
        """Theme logits (n, themes) for tokenised texts."""
        return self.head(self.dropout(self.sentence_vectors(ids)) * _SCALE)  # type: ignore[no-any-return]

    def sentence_vectors(self, ids: list[list[int]]) -> torch.Tensor:
        """USE's unit sentence vectors (n, 512) for tokenised texts (padded here, masked throughout)."""
        w = self.layers
        n, width = len(ids), max(len(s) for s in ids)
        padded = np.zeros((n, width), dtype=np.int64)
        for i, s in enumerate(ids):
            padded[i, : len(s)] = s
        sizes = torch.tensor([len(s) for s in ids])
        tokens = torch.from_numpy(padded)
        mask = (torch.arange(width)[None, :] < sizes[:, None]).float()[..., None]
        chunk = tokens % len(self.scale)
        emb = self.table[tokens].float() * self.scale[chunk][..., None] + self.lo[chunk][..., None]
        x = F.layer_norm(emb @ w["proj_W"] + w["proj_b"], (768,), w["ln_g_all"], w["ln_b_all"], self.eps)
        across = mask.transpose(1, 2)  # the convolutions run over (n, channels, tokens)
        branches = [emb]
        for k, (order, left) in enumerate(_ORDERS):
            xs = (x[..., k * 256 : (k + 1) * 256] * mask).transpose(1, 2)
            h = (_conv(xs, order, left, w[f"w1_{k}"], w[f"b1_{k}"]) + xs) * across
            branches.append((_conv(h, order, left, w[f"w2_{k}"], w[f"b2_{k}"]) + h).transpose(1, 2))
        feats = F.layer_norm(torch.cat(branches, -1), (1280,), w["ln_g"], w["ln_b"], self.eps) * mask
        lengths = mask.sum(1)
        pooled = (feats.sum(1) @ w["cnn_W"] + lengths * w["cnn_b"]) / lengths.sqrt()
        y0 = torch.relu(pooled @ w["d0"])
        y1 = torch.relu(pooled @ w["p1"] + y0 @ w["d1"])
        y2 = torch.relu(y1 @ w["d2"])
        return F.normalize(torch.tanh(y1 @ w["p3"] + y2 @ w["d3"]), dim=-1)

    def tuned(self) -> dict[str, np.ndarray]:
        """The adjusted layers as float16 arrays (what a ThemeModel stores)."""
        out = {name: p.detach().numpy().astype(np.float16) for name, p in self.layers.items()}
        out["head_W"] = self.head.weight.detach().numpy().astype(np.float16)
        out["head_b"] = self.head.bias.detach().numpy().astype(np.float16)
        return out


def _conv(x: torch.Tensor, order: int, left: int, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """One of USE's n-gram layers over (n, 256, tokens): each token with `left` tokens before it
    and the rest after, zeros beyond the text (masked positions are zero). USE stores the weight
    as (order * 256 inputs, 256 outputs), the window's tokens one after another."""
    kernel = weight.reshape(order, 256, 256).permute(2, 1, 0)  # (outputs, inputs, window)
    return torch.relu(F.conv1d(F.pad(x, (left, order - 1 - left)), kernel, bias))


def fine_tune(texts: list[str], y: np.ndarray, seed: int = SEED) -> dict[str, np.ndarray]:
    """Fine-tune a fresh copy of USE on texts with their (n, themes) 0/1 labels; returns the
    adjusted layers. Batches hold texts of similar length; positives are weighted by the square
    root of each theme's negative-to-positive ratio."""
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    with _threads(2):
        net = ThemeNetwork(use_network(), y.shape[1])
        ids = net.token_ids(texts)
        targets = torch.tensor(y, dtype=torch.float32)
        share = np.clip(y.mean(0), 1 / len(y), 1 - 1 / len(y))
        loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(np.sqrt((1 - share) / share), dtype=torch.float32))
        optimiser = torch.optim.AdamW(net.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
        steps = EPOCHS * -(-len(ids) // BATCH)  # = batches per epoch (runs of ten batches)
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimiser, max_lr=LEARNING_RATE, total_steps=steps, pct_start=0.1
        )
        net.train()
        for _ in range(EPOCHS):
            for batch in _batches(ids, rng):
                loss = loss_fn(net([ids[i] for i in batch]), targets[batch])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
    return net.tuned()


def _batches(ids: list[list[int]], rng: np.random.RandomState) -> list[list[int]]:
    """Shuffled batches of similar-length texts (sorted within runs of ten batches)."""
    order = rng.permutation(len(ids))
    batches = []
    for start in range(0, len(order), BATCH * 10):
        run = sorted(order[start : start + BATCH * 10], key=lambda i: len(ids[i]))
        batches += [[int(i) for i in run[k : k + BATCH]] for k in range(0, len(run), BATCH)]
    rng.shuffle(batches)
    return batches


class ThemeEncoder:
    """Theme probabilities from a fine-tuned copy of USE; the network is built on first use."""

    def __init__(self, tuned: dict[str, np.ndarray], themes: int) -> None:
        self.tuned = tuned
        self.themes = themes
        self._net: ThemeNetwork | None = None

    def probs(self, texts: list[str], threads: int = 2, budget: int = 4096) -> np.ndarray:
        """(n, themes) probabilities."""
        return self.scores(texts, threads, budget)[0]

    def scores(self, texts: list[str], threads: int = 2, budget: int = 4096) -> tuple[np.ndarray, np.ndarray]:
        """(n, themes) probabilities and the (n, 512) unit sentence vectors they are read from
        (the tuned network's, so texts near in them are near in theme); texts sorted by length
        go in batches of about `budget` tokens."""
        out = np.zeros((len(texts), self.themes), dtype=np.float32)
        vectors = np.zeros((len(texts), _WIDTH), dtype=np.float32)
        if not texts:
            return out, vectors
        with _threads(threads), torch.inference_mode():
            if self._net is None:
                self._net = ThemeNetwork(use_network(), self.themes, self.tuned).eval()
            ids = self._net.token_ids(texts)
            order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
            start = 0
            while start < len(order):
                stop = start + 1
                while stop < len(order) and (stop - start + 1) * len(ids[order[stop]]) <= budget:
                    stop += 1
                batch = order[start:stop]
                v = self._net.sentence_vectors([ids[i] for i in batch])
                vectors[batch] = v.numpy()
                out[batch] = torch.sigmoid(self._net.head(v * _SCALE)).numpy()
                start = stop
        return out, vectors


@contextmanager
def _threads(n: int) -> Iterator[None]:
    """torch's intra-op threads for a block (restored after)."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)
