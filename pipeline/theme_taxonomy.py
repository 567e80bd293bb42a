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
        en = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(t.en, key=len, reverse=True)) + r")\b", re.I)
        zh = re.compile("|".join(re.escape(w) for w in sorted(t.zh, key=len, reverse=True))) if t.zh else None
        out.append((t.name, en, zh))
    return tuple(out)


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
