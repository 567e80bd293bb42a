"""The hand-labelled clauses in models/themes/labels-*.jsonl, further blind readings of some of
them (readings-*.jsonl; a clause read more than once takes the themes most readings give), and
their fixed train/test split (split.tsv), assigned by a hash of each group of texts that contain
one another."""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path

import numpy as np

from .errors import NormScopeError
from .settings import MODELS
from .theme_taxonomy import theme_names

LABELS = MODELS / "themes"
SPLIT = LABELS / "split.tsv"
TEST_SHARE = 3  # of 10 containment groups, by hash


@dataclass(frozen=True)
class Labelled:
    id: str
    doc: str
    lang: str
    text: str
    themes: tuple[str, ...]
    path: tuple[str, ...] = ()  # the clause's heading path when it was labelled (tree.heading_paths)
    split: str = "train"
    sample: str = "picked"  # how it came to be labelled: picked by hand, "random", "uncertain" (least sure), "rest"
    readings: tuple[tuple[str, ...], ...] = ()  # every reading, the first one first, when read more than once

    @property
    def first_reading(self) -> tuple[str, ...]:
        return self.readings[0] if self.readings else self.themes


def text_sha1(text: str) -> str:
    """What a further reading records to name the text it read (the labels file holds the text)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def consensus(readings: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The themes given by more than half of the readings; an even split goes the first
    reading's way."""
    counts = Counter(t for r in readings for t in r)
    n = len(readings)
    return tuple(sorted(t for t, c in counts.items() if 2 * c > n or (2 * c == n and t in readings[0])))


def _read_labels(folder: Path = LABELS) -> list[Labelled]:
    rows: dict[str, Labelled] = {}
    known = set(theme_names())
    for path in sorted(folder.glob("labels-*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            bad = set(r["themes"]) - known
            if bad:
                raise NormScopeError(f"{path}:{n}: unknown themes {sorted(bad)}")
            rows.setdefault(
                r["id"],
                Labelled(
                    r["id"],
                    r["doc"],
                    r["lang"],
                    r["text"],
                    tuple(sorted(r["themes"])),
                    tuple(r.get("path", ())),
                    sample=r.get("sample", "picked"),
                ),
            )
    more: dict[str, list[tuple[str, ...]]] = {}
    for path in sorted(folder.glob("readings-*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if r["id"] not in rows:
                raise NormScopeError(f"{path}:{n}: {r['id']} is read again but has no label in labels-*.jsonl")
            if r["text_sha1"] != text_sha1(rows[r["id"]].text):
                raise NormScopeError(f"{path}:{n}: {r['id']} was read as another text than the one labelled")
            bad = set(r["themes"]) - known
            if bad:
                raise NormScopeError(f"{path}:{n}: unknown themes {sorted(bad)}")
            more.setdefault(r["id"], []).append(tuple(sorted(r["themes"])))
    for cid, extra in more.items():
        readings = [rows[cid].themes, *extra]
        rows[cid] = replace(rows[cid], themes=consensus(readings), readings=tuple(readings))
    return list(rows.values())


def assign_splits(rows: list[Labelled], recorded: dict[str, str] | None = None) -> dict[str, str]:
    """Train/test by groups of texts that contain one another, so a paragraph and the article
    holding it never straddle the split. With nothing recorded, a group's side is drawn by a hash
    of its first id (TEST_SHARE in 10 go to test). Once a split is recorded the test side is
    fixed, so scores stay comparable as labels grow: recorded splits are kept, new members of a
    recorded group join that group's side, and new groups go to training."""
    recorded = recorded or {}
    frozen = bool(recorded)
    groups: dict[int, list[str]] = {}
    for g, r in zip(containment_groups([r.text for r in rows]), rows):
        groups.setdefault(g, []).append(r.id)
    split: dict[str, str] = {}
    for ids in groups.values():
        known = {recorded[cid] for cid in ids if cid in recorded}
        if len(known) > 1:  # a new clause joins texts already on both sides: it would leak
            raise NormScopeError(
                f"{SPLIT}: labelled clauses {', '.join(sorted(ids)[:4])} contain one another but are recorded on"
                " both sides of the split; relabel or drop the one that joins them"
            )
        if known:
            side = known.pop()
        elif frozen:
            side = "train"
        else:
            h = int(hashlib.sha1(min(ids).encode()).hexdigest()[:8], 16)
            side = "test" if h % 10 < TEST_SHARE else "train"
        for cid in ids:
            split[cid] = recorded.get(cid, side)
    return split


def load_labels(folder: Path = LABELS, split_file: Path = SPLIT) -> list[Labelled]:
    """The labelled clauses with the split recorded in split.tsv; clauses labelled since are
    assigned by `assign_splits` (`normscope train themes` records them before fitting)."""
    rows = _read_labels(folder)
    recorded = {}
    if split_file.exists():
        for line in split_file.read_text(encoding="utf-8").splitlines()[1:]:
            cid, side = line.split("\t")
            recorded[cid] = side
    split = assign_splits(rows, recorded)
    return [replace(r, split=split[r.id]) for r in rows]


def write_split(rows: list[Labelled], split_file: Path = SPLIT) -> None:
    lines = ["id\tsplit"] + [f"{r.id}\t{r.split}" for r in sorted(rows, key=lambda r: r.id)]
    split_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def containment_groups(texts: list[str]) -> list[int]:
    """A group number per text: texts that contain one another (ignoring whitespace) share one.
    Each text is looked for in all of them joined (one C-level search instead of a Python loop
    over pairs); the pairs found are then joined in the order of a pairwise scan, so the group
    numbers, which fix the CV folds, are those the pairwise scan gave."""
    flat = [re.sub(r"\s+", "", t) for t in texts]
    joined = "\x00".join(flat)
    starts = list(accumulate((len(f) + 1 for f in flat[:-1]), initial=0))
    pairs: set[tuple[int, int]] = set()
    for i, a in enumerate(flat):
        at = joined.find(a)
        while at != -1:
            j = bisect_right(starts, at) - 1
            if j != i:
                pairs.add((min(i, j), max(i, j)))
            at = joined.find(a, at + 1)
    parent = list(range(len(flat)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in sorted(pairs):
        parent[find(i)] = find(j)
    return [find(i) for i in range(len(flat))]


def label_matrix(rows: list[Labelled], themes: tuple[str, ...]) -> np.ndarray:
    return np.array([[t in r.themes for t in themes] for r in rows], dtype=bool)
