"""The building blocks of numbering grammars: a Rule recognises a clause start at the beginning
of a line, says what the clause is (kind, level), how its number continues a sequence, and how
it is cited (ref) and identified (path); a Grammar is the rules of one scheme of documents."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# A clause's citation context: the parent's path and ref, and the clause's own label.
RefFn = Callable[[str, str, str], str]


@dataclass(frozen=True)
class Rule:
    name: str  # sequence family: numbers continue within it
    kind: str
    level: int
    pattern: re.Pattern[str]  # named groups: label (required), title (optional)
    ordinal: Callable[[str], int | None]
    path: RefFn  # (parent_path, parent_ref, label) -> path
    ref: RefFn  # (parent_path, parent_ref, label) -> ref
    scope: str = "parent"  # "parent": numbering restarts under each parent; "global": never
    first: tuple[int, ...] = (1,)
    title_next: int = 0  # how many following bold/upper lines may form the title
    title_inline: bool = False
    heading_like: bool = False  # the line must look like a heading (bold, larger, or short)
    parent_by_label: Callable[[str], str] | None = None  # path of the parent clause, by label
    zone: str | None = None  # "preamble" or "body": only before/after the first article


@dataclass(frozen=True)
class Grammar:
    scheme: str
    rules: tuple[Rule, ...]
    barriers: tuple[re.Pattern[str], ...] = ()  # lines that end the preamble (enacting terms)
    list_levels: frozenset[int] = field(default_factory=frozenset)
    paragraphs: bool = False  # split unnumbered text under headings into `text` clauses


def rx(p: str) -> re.Pattern[str]:
    return re.compile(p)


def join_path(parent: str, part: str) -> str:
    return part if parent in ("", "doc") else f"{parent}.{part}"
