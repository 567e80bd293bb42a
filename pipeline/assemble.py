"""Body text from lines (pure): where blocks start, and one separator per line break."""

from __future__ import annotations

import re
from statistics import median

from .textnorm import is_cjk
from .types import Line

_SENTENCE_END = re.compile(r"[.;:!?。；：！？]\s*$")
_HYPHEN_END = re.compile(r"[A-Za-zÀ-ÿ]-$")


def block_lengths(blocks: list[bool]) -> list[int]:
    """For each line, how many lines the block starting there has (0 if not a block start)."""
    out = [0] * len(blocks)
    n = 0
    for i in range(len(blocks) - 1, -1, -1):
        n += 1
        if blocks[i]:
            out[i] = n
            n = 0
    return out


def block_starts(lines: tuple[Line, ...]) -> list[bool]:
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.page == b.page and a.column == b.column]
    usual = median(gaps) if gaps else 0.0
    limit = max(3.0, 1.6 * usual if usual > 0 else 3.0)
    out = [True]
    for a, b in zip(lines, lines[1:]):
        if a.page != b.page:
            out.append(bool(_SENTENCE_END.search(a.text)) and not b.text[:1].islower())
        elif a.column != b.column:
            out.append(True)
        else:
            out.append(b.top - a.bottom > limit or b.size != a.size and abs(b.size - a.size) > 1)
    return out


def assemble(lines: tuple[Line, ...], starts: set[int], blocks: list[bool]) -> tuple[str, list[int], list[int]]:
    """Body text with one separator per line break: newline at clause and block starts,
    nothing inside a hyphenated word or between CJK characters, else a space."""
    parts: list[str] = []
    begin: list[int] = []
    end: list[int] = []
    pos = 0
    for i, line in enumerate(lines):
        text = line.text
        if i > 0:
            prev = parts[-1]
            if i in starts or blocks[i]:
                sep = "\n"
            elif _HYPHEN_END.search(prev) and text[:1].islower():
                parts[-1] = prev[:-1]
                pos -= 1
                end[-1] -= 1
                sep = ""
            elif is_cjk(prev[-1]) and is_cjk(text[0]):
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep)
        begin.append(pos)
        parts.append(text)
        pos += len(text)
        end.append(pos)
    return "".join(parts), begin, end
