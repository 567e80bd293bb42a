"""The theme taxonomy and its lexicon: models/themes.toml (definitions after
../shared/THEMES.md, seed phrases in English and Chinese) and the seed phrases found in a text."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .settings import MODELS
from .textnorm import has_han

TAXONOMY = MODELS / "themes.toml"


@dataclass(frozen=True)
class Theme:
    name: str
    definition: str
    excludes: str
    en: tuple[str, ...]
    zh: tuple[str, ...]


@lru_cache(maxsize=1)
def taxonomy(path: Path = TAXONOMY) -> tuple[Theme, ...]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))["themes"]
    return tuple(
        Theme(name, t["definition"], t.get("excludes", ""), tuple(t.get("en", ())), tuple(t.get("zh", ())))
        for name, t in data.items()
    )


def theme_names() -> tuple[str, ...]:
    return tuple(t.name for t in taxonomy())


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]:
    out = []
    for t in taxonomy():
        en = re.compile(r"\b(?:" + _trie_pattern([w.lower() for w in t.en]) + r")\b", re.I)
        zh = re.compile(_trie_pattern(list(t.zh))) if t.zh else None
        out.append((t.name, en, zh))
    return tuple(out)


def _trie_pattern(phrases: list[str]) -> str:
    """One regex for a set of phrases, factored by shared prefixes ("data (?:quality|set)") so
    the engine does not try every phrase at every position (1.9x faster on clause texts, same
    hits). Where one phrase extends another the longer is tried first, as in a longest-first
    alternation."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def walk(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # a phrase may end here: longer ones first

    return walk(trie)


def lexicon_hits(text: str) -> dict[str, list[str]]:
    """Seed phrases found in the text, per theme (distinct, in order of appearance)."""
    hits: dict[str, list[str]] = {}
    chinese = has_han(text)  # the Chinese phrases need not be looked for otherwise
    for name, en, zh in _lexicon():
        found = [m.group(0).lower() for m in en.finditer(text)]
        if zh is not None and chinese:
            found += [m.group(0) for m in zh.finditer(text)]
        if found:
            hits[name] = list(dict.fromkeys(found))
    return hits
