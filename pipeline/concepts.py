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


_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"\w+")
_LOOSE_GAP = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class _Phrase:
    concept: str
    words: tuple[str, ...]  # lower case; the last is a prefix when `star`
    gaps: tuple[str, ...]  # what separates the words in the variant (a space accepts spaces or hyphens)
    star: bool


def _phrase(concept: str, variant: str) -> _Phrase | None:
    v = variant.strip().lower()
    star = v.endswith("*")
    v = v.rstrip("*")
    spans = list(_WORD.finditer(v))
    if not spans:
        return None
    gaps = tuple(v[a.end() : b.start()] for a, b in zip(spans, spans[1:]))
    return _Phrase(concept, tuple(m.group(0) for m in spans), gaps, star)


class Concepts:
    """English variants are found word by word (a dictionary from first words to phrases, one
    pass over the text's words: as fast as the text is long, whatever the lexicon's size);
    Chinese variants as substrings."""

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self.concepts = concepts
        self.by_id = {c.id: c for c in concepts}
        self._en = [(c.id, _en_pattern(c.en)) for c in concepts]  # for highlighting
        self._zh = [(c.id, c.zh) for c in concepts]
        self._first: dict[str, list[_Phrase]] = {}
        self._first_prefix: list[_Phrase] = []  # one-word variants with a wildcard
        for c in concepts:
            for v in c.en:
                ph = _phrase(c.id, v)
                if ph is None:
                    continue
                if ph.star and len(ph.words) == 1:
                    self._first_prefix.append(ph)
                else:
                    self._first.setdefault(ph.words[0], []).append(ph)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.by_id)

    def _fits(self, ph: _Phrase, low: str, words: list[re.Match[str]], i: int) -> bool:
        if i + len(ph.words) > len(words):
            return False
        for k in range(1, len(ph.words)):
            a, b = words[i + k - 1], words[i + k]
            gap, want = low[a.end() : b.start()], ph.gaps[k - 1]
            if not (_LOOSE_GAP.fullmatch(gap) if want.isspace() else gap == want):
                return False
            last = k == len(ph.words) - 1
            if b.group(0) != ph.words[k] and not (last and ph.star and b.group(0).startswith(ph.words[k])):
                return False
        return True

    def find(self, text: str) -> frozenset[str]:
        low = text.lower()
        words = list(_WORD.finditer(low))
        found: set[str] = set()
        for i, w in enumerate(words):
            for ph in self._first.get(w.group(0), ()):
                if ph.concept not in found and self._fits(ph, low, words, i):
                    found.add(ph.concept)
        if self._first_prefix:
            for token in {w.group(0) for w in words}:
                found.update(ph.concept for ph in self._first_prefix if token.startswith(ph.words[0]))
        if _CJK.search(text):
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
