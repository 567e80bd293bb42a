"""Concepts shared by a source clause and the AI Act, found by English or Chinese variants
(data: models/compare/concepts.toml). A concept names the AI Act articles it is the subject of,
and brings the AI Act's own English terms to a keyword search from a Chinese clause."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import NormScopeError

CONCEPTS = Path(__file__).resolve().parent.parent / "models" / "compare" / "concepts.toml"


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    articles: tuple[str, ...]  # unit ids without the document slug: art-10, anx-4
    en: tuple[str, ...]
    zh: tuple[str, ...]


def _en_pattern(variants: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for v in variants:
        body = re.escape(v.rstrip("*")).replace(r"\ ", r"[\s\-]+")
        parts.append(body + (r"\w*" if v.endswith("*") else ""))
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.I) if parts else None


class Concepts:
    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self.concepts = concepts
        self.by_id = {c.id: c for c in concepts}
        self._en = [(c.id, _en_pattern(c.en)) for c in concepts]
        self._zh = [(c.id, c.zh) for c in concepts]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.by_id)

    def find(self, text: str) -> frozenset[str]:
        found = {cid for cid, pat in self._en if pat is not None and pat.search(text)}
        found |= {cid for cid, zh in self._zh if any(z in text for z in zh)}
        return frozenset(found)

    def matches(self, text: str, ids: frozenset[str]) -> list[str]:
        """The words of `text` that made these concepts match (for highlighting)."""
        out: list[str] = []
        for cid, pat in self._en:
            if cid in ids and pat is not None:
                out += [m.group(0) for m in pat.finditer(text)]
        for cid, zh in self._zh:
            if cid in ids:
                out += [z for z in zh if z in text]
        return list(dict.fromkeys(out))

    def english_terms(self, ids: frozenset[str]) -> list[str]:
        """The English variants of these concepts as keyword-search terms: phrases, and prefixes
        ending in * (what `keywords.fts_query` understands)."""
        return list(dict.fromkeys(v.lower() for cid in sorted(ids) for v in self.by_id[cid].en))

    def linked_units(self, ids: frozenset[str], doc: str) -> set[str]:
        return {f"{doc}:{a}" for cid in ids for a in self.by_id[cid].articles}

    def labels(self, ids: frozenset[str]) -> list[str]:
        return sorted(self.by_id[c].label for c in ids)


@lru_cache(maxsize=2)
def load_concepts(path: Path = CONCEPTS) -> Concepts:
    if not path.exists():
        raise NormScopeError(f"{path}: concept lexicon missing")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise NormScopeError(f"{path}: not valid TOML ({exc})") from exc
    out = []
    for n, row in enumerate(data.get("concept", []), 1):
        try:
            out.append(
                Concept(
                    str(row["id"]),
                    str(row.get("label", row["id"])),
                    tuple(row.get("articles", ())),
                    tuple(row.get("en", ())),
                    tuple(row.get("zh", ())),
                )
            )
        except KeyError as exc:
            raise NormScopeError(f"{path}: concept {n} has no {exc}") from exc
    return Concepts(tuple(out))
