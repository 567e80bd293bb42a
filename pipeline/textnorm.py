"""Unicode clean-up shared by extraction and segmentation (pure functions, no libraries)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}  # soft hyphen, zero widths
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FA1F
    )


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    """Whether the text holds any Chinese character (a regex search: cheap on long Latin text)."""
    return _HAN.search(text) is not None


def is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


@lru_cache(maxsize=8192)
def _norm_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    o = ord(ch)
    # Keep full-width punctuation (，。：；（）) as Chinese text uses it; NFKC would make it ASCII.
    if 0xFF01 <= o <= 0xFF5E and not ch.isalnum():
        return ch
    return unicodedata.normalize("NFKC", ch)


def normalize(text: str) -> str:
    """NFKC (ligatures, CJK compatibility glyphs, Kangxi radicals), odd spaces to one space."""
    if text.isascii():
        return _SPACES.sub(" ", text)
    out = "".join(_norm_char(c) for c in text)
    return _SPACES.sub(" ", out)


def join_words(left: str, right: str) -> str:
    """Join two pieces of one line: no space between CJK characters, else one space."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) and is_cjk(right[0]):
        return left + right
    return left + " " + right


def cjk_share(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_cjk(c)) / len(letters)


_DE = re.compile(r"\b(der|die|und|des|den|nicht|für|werden|oder)\b")
_EN = re.compile(r"\b(the|and|of|to|for|shall|with|that|which)\b")


def detect_language(text: str) -> str:
    """A cheap detector for the languages in our corpora: zh, ko, de, en."""
    sample = text[:60000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "und"
    if sum(1 for c in letters if is_cjk(c)) / len(letters) > 0.3:
        return "zh"
    if sum(1 for c in letters if is_hangul(c)) / len(letters) > 0.3:
        return "ko"
    lower = sample.lower()
    return "de" if len(_DE.findall(lower)) > len(_EN.findall(lower)) else "en"
