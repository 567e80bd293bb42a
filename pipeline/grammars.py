"""Numbering grammars, one per scheme of documents, as data for the segmenter.

A rule recognises a clause start at the beginning of a line, says what the clause is (kind,
level), how its number continues a sequence, and how it is cited (ref) and identified (path).
"""

from __future__ import annotations

import re

from .grammar_rules import Grammar, Rule, join_path, rx
from .grammars_legal import ZH_NUMERALS, eu_grammar, zh_grammar, zh_outline_grammar
from .numbering import integer, letter, to_roman
from .types import Line


def _std_parent(label: str) -> str:
    parts = label.split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 else ""


def _std_rules() -> tuple[Rule, ...]:
    out = []
    for depth in range(1, 6):
        num = r"\d{1,2}" + r"\.\d{1,2}" * (depth - 1)
        out.append(
            Rule(
                f"h{depth}",
                "clause",
                depth,
                rx(rf"^(?P<label>{num})\.?(?:(?:\s+|(?=[\u4e00-\u9fff]))(?P<title>\S.{{0,150}}))?$"),
                lambda lb: int(lb.rstrip(".").split(".")[-1]),
                lambda pp, pr, lb: lb,
                lambda pp, pr, lb: lb,
                first=(0, 1) if depth == 1 else (1,),
                title_inline=True,
                heading_like=True,
                parent_by_label=_std_parent if depth > 1 else None,
                scope="global" if depth == 1 else "parent",
            )
        )
    out.append(
        Rule(
            "annex",
            "annex",
            1,
            rx(r"^(?:附\s*录|Annex|Appendix|ANNEX|APPENDIX)\s*(?P<label>[A-Z])\b\s*(?P<title>.*)$"),
            lambda lb: ord(lb) - 64,
            lambda pp, pr, lb: f"anx-{lb.lower()}",
            lambda pp, pr, lb: f"Annex {lb}",
            scope="global",
            title_inline=True,
            heading_like=True,
        )
    )
    for depth in range(1, 4):
        num = r"[A-Z]" + r"\.\d{1,2}" * depth
        out.append(
            Rule(
                f"a{depth}",
                "clause",
                depth + 1,
                rx(rf"^(?P<label>{num})\.?(?:(?:\s+|(?=[\u4e00-\u9fff]))(?P<title>\S.{{0,150}}))?$"),
                lambda lb: int(lb.split(".")[-1]),
                lambda pp, pr, lb: lb,
                lambda pp, pr, lb: lb,
                title_inline=True,
                heading_like=True,
                parent_by_label=(lambda lb: f"anx-{lb[0].lower()}") if depth == 1 else _std_parent,
            )
        )
    return tuple(out)


_NIST_FN = r"(?P<fn>GOVERN|MAP|MEASURE|MANAGE)"


def _nist_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            "nist-category",
            "clause",
            7,
            rx(rf"^{_NIST_FN} (?P<label>\d{{1,2}}):"),
            integer,
            lambda pp, pr, lb: "",
            lambda pp, pr, lb: "",
            first=(1,),
        ),
        Rule(
            "nist-subcategory",
            "clause",
            8,
            rx(rf"^{_NIST_FN} (?P<label>\d{{1,2}}\.\d{{1,2}}):"),
            lambda lb: int(lb.split(".")[1]),
            lambda pp, pr, lb: "",
            lambda pp, pr, lb: "",
        ),
    )


def _list_rules(base: int) -> tuple[Rule, ...]:
    return (
        Rule(
            "item-a",
            "point",
            base,
            rx(r"^(?P<label>[a-z])[)）]\s*\S"),
            letter,
            lambda pp, pr, lb: join_path(pp, lb),
            lambda pp, pr, lb: f"{pr} {lb})",
        ),
        Rule(
            "item-1",
            "point",
            base + 1,
            rx(r"^(?P<label>\d{1,2})[)）]\s*\S"),
            integer,
            lambda pp, pr, lb: join_path(pp, lb),
            lambda pp, pr, lb: f"{pr} {lb})",
        ),
    )


def standard_grammar(nist: bool = False) -> Grammar:
    rules = _std_rules() + (_nist_rules() if nist else ()) + _list_rules(10)
    return Grammar("nist-framework" if nist else "standard", rules, list_levels=frozenset({10, 11}), paragraphs=True)


def generic_grammar() -> Grammar:
    return Grammar("generic", _std_rules() + _list_rules(10), list_levels=frozenset({10, 11}), paragraphs=True)


# ------------------------------------------------------------------ choosing a grammar

_EU_ART = re.compile(r"^(Article|Artikel) \d{1,3}$")
_ZH_ART = re.compile(rf"^第[{ZH_NUMERALS}]+条")
_ZH_PART = re.compile(rf"^[{ZH_NUMERALS}]+、")
_NIST_SUB = re.compile(rf"^{_NIST_FN} \d{{1,2}}\.\d{{1,2}}:")
_STD_HEAD = re.compile(r"^\d{1,2}(\.\d{1,2})+\s+\S")


def choose_grammar(lines: tuple[Line, ...], language: str) -> Grammar:
    texts = [ln.text for ln in lines]
    if sum(1 for t in texts if _EU_ART.match(t)) >= 3:
        return eu_grammar(language)
    if sum(1 for t in texts if _ZH_ART.match(t)) >= 3:
        return zh_grammar()
    if sum(1 for t in texts if _NIST_SUB.match(t)) >= 5:
        return standard_grammar(nist=True)
    if language == "zh":
        heads = sum(1 for ln in lines if _STD_HEAD.match(ln.text) and ln.bold)
        if heads >= 3:
            return standard_grammar()
        if sum(1 for t in texts if _ZH_PART.match(t)) >= 2:
            return zh_outline_grammar()
    if sum(1 for ln in lines if _STD_HEAD.match(ln.text) and ln.bold) >= 5:
        return standard_grammar()
    return generic_grammar()


def nist_ref(label_match: re.Match[str]) -> tuple[str, str]:
    fn = label_match.group("fn")
    lb = label_match.group("label")
    return f"{fn.lower()}-{lb}", f"{fn} {lb}"


__all__ = [
    "Grammar",
    "Rule",
    "choose_grammar",
    "eu_grammar",
    "generic_grammar",
    "nist_ref",
    "standard_grammar",
    "to_roman",
    "zh_grammar",
    "zh_outline_grammar",
]
