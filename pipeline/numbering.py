"""Numerals used by clause numbering: roman, letters, Chinese."""

from __future__ import annotations

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ZH = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}


def roman(label: str) -> int | None:
    s = label.lower()
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total if to_roman(total) == s else None


def to_roman(n: int) -> str:
    out = ""
    for v, sym in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= v:
            out += sym
            n -= v
    return out


def letter(label: str) -> int | None:
    """a=1 … z=26, aa=27 … zz=52 (the EU style of doubled letters)."""
    s = label.lower()
    if len(s) == 1 and "a" <= s <= "z":
        return ord(s) - 96
    if len(s) == 2 and s[0] == s[1] and "a" <= s[0] <= "z":
        return 26 + ord(s[0]) - 96
    return None


def chinese(label: str) -> int | None:
    """一 … 九十九 … 一百二十 as integers; plain digits pass through."""
    if label.isdigit():
        return int(label)
    if not label or any(c not in _ZH and c not in _ZH_UNIT for c in label):
        return None
    total = section = 0
    for c in label:
        if c in _ZH:
            section = _ZH[c]
        else:
            total += (section or 1) * _ZH_UNIT[c]
            section = 0
    return total + section


def integer(label: str) -> int | None:
    return int(label) if label.isdigit() else None
