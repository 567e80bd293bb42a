"""Numbering grammars, one per scheme of documents, as data for the segmenter.

A rule recognises a clause start at the beginning of a line, says what the clause is (kind,
level), how its number continues a sequence, and how it is cited (ref) and identified (path).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .numbering import chinese, integer, letter, roman, to_roman
from .types import Line

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


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p)


def _join(parent: str, part: str) -> str:
    return part if parent in ("", "doc") else f"{parent}.{part}"


# ------------------------------------------------------------------ EU legal acts (EN, DE)

_EU_WORDS = {
    "en": {
        "chapter": "CHAPTER",
        "section": "SECTION",
        "article": "Article",
        "annex": "ANNEX",
        "Chapter": "Chapter",
        "Section": "Section",
        "Recital": "Recital",
        "Annex": "Annex",
        "point": "point",
        "adopted": r"HAVE ADOPTED THIS (REGULATION|DIRECTIVE|DECISION):?",
        "whereas": r"Whereas:",
    },
    "de": {
        "chapter": "KAPITEL",
        "section": "ABSCHNITT",
        "article": "Artikel",
        "annex": "ANHANG",
        "Chapter": "Kapitel",
        "Section": "Abschnitt",
        "Recital": "Erwägungsgrund",
        "Annex": "Anhang",
        "point": "Nummer",
        "adopted": r"HABEN FOLGENDE (VERORDNUNG|RICHTLINIE|BESCHLUSS) ERLASSEN:?",
        "whereas": r"in Erwägung nachstehender Gründe:",
    },
}


def _cite(fmt: str) -> RefFn:
    return lambda pp, pr, lb: fmt.format(pr=pr, lb=lb)


def _child(pp: str, pr: str, lb: str) -> str:
    return _join(pp, lb)


def eu_grammar(lang: str) -> Grammar:
    """EU legal acts. English: paragraphs `1.`, points `(a)`, sub-points `(i)`, definitions
    `(1)`; cited `Article 9(2)(a)`. German: paragraphs `(1)`, points `a)`, sub-points `i)`,
    definitions `1.`; cited `Artikel 9 Absatz 2 Buchstabe a`."""
    de = lang == "de"
    w = _EU_WORDS["de" if de else "en"]
    if de:
        para = (r"^\((?P<label>\d{1,3})\)\s+\S", _cite("{pr} Absatz {lb}"))
        num_point = (r"^(?P<label>\d{1,3})\.\s+\S", _cite("{pr} Nummer {lb}"))
        letter_point = (r"^(?P<label>[a-z]{1,2})\)\s+\S", _cite("{pr} Buchstabe {lb}"))
        sub_point = (r"^(?P<label>[ivxl]{1,6})\)\s+\S", _cite("{pr} Ziffer {lb}"))
        annex_point = (r"^(?P<label>\d{1,3})\.\s+\S", _cite("{pr} Nummer {lb}"))
    else:
        para = (r"^(?P<label>\d{1,3})\.\s+\S", _cite("{pr}({lb})"))
        num_point = (r"^\((?P<label>\d{1,3})\)\s+\S", _cite("{pr}({lb})"))
        letter_point = (r"^\((?P<label>[a-z]{1,2})\)\s+\S", _cite("{pr}({lb})"))
        sub_point = (r"^\((?P<label>[ivxl]{1,6})\)\s+\S", _cite("{pr}({lb})"))
        annex_point = (r"^(?P<label>\d{1,3})\.\s+\S", _cite("{pr}, point {lb}"))
    rules = (
        Rule(
            "recital",
            "recital",
            1,
            _rx(r"^\((?P<label>\d{1,3})\)\s+\S"),
            integer,
            lambda pp, pr, lb: f"rct-{lb}",
            _cite(w["Recital"] + " {lb}"),
            scope="global",
            zone="preamble",
        ),
        Rule(
            "chapter",
            "chapter",
            1,
            _rx(rf"^{w['chapter']} (?P<label>[IVXLC]+)$"),
            roman,
            lambda pp, pr, lb: f"chap-{roman(lb)}",
            _cite(w["Chapter"] + " {lb}"),
            scope="global",
            title_next=2,
        ),
        Rule(
            "annex",
            "annex",
            1,
            _rx(rf"^{w['annex']} (?P<label>[IVXLC]+)$"),
            roman,
            lambda pp, pr, lb: f"anx-{roman(lb)}",
            _cite(w["Annex"] + " {lb}"),
            scope="global",
            title_next=3,
        ),
        Rule(
            "section",
            "section",
            2,
            _rx(rf"^{w['section']} (?P<label>\d+)$"),
            integer,
            lambda pp, pr, lb: _join(pp, f"sec-{lb}"),
            _cite("{pr}, " + w["Section"] + " {lb}"),
            title_next=2,
        ),
        Rule(
            "annex-section",
            "section",
            2,
            _rx(rf"^{w['Section']} (?P<label>[A-Z])(?:[.\s—–-]+(?P<title>.*))?$"),
            lambda lb: ord(lb) - 64,
            lambda pp, pr, lb: _join(pp, f"sec-{lb.lower()}"),
            _cite("{pr}, " + w["Section"] + " {lb}"),
            title_inline=True,
        ),
        Rule(
            "article",
            "article",
            3,
            _rx(rf"^{w['article']} (?P<label>\d{{1,3}}[a-z]?)$"),
            integer,
            lambda pp, pr, lb: f"art-{lb}",
            _cite(w["article"] + " {lb}"),
            scope="global",
            title_next=2,
        ),
        Rule("annex-point", "point", 4, _rx(annex_point[0]), integer, _child, annex_point[1]),
        Rule("paragraph", "paragraph", 4, _rx(para[0]), integer, _child, para[1], zone="body"),
        Rule("point-num", "point", 5, _rx(num_point[0]), integer, _child, num_point[1], zone="body"),
        Rule("point", "point", 6, _rx(letter_point[0]), letter, _child, letter_point[1]),
        Rule("subpoint", "point", 7, _rx(sub_point[0]), roman, _child, sub_point[1]),
    )
    return Grammar(
        scheme=f"eu-act-{lang}",
        rules=rules,
        barriers=(_rx(rf"^{w['adopted']}$"),),
        list_levels=frozenset({5, 6, 7}),
    )


# ------------------------------------------------------------------ Chinese law and guidance

_ZH_NUM = "一二三四五六七八九十百零〇两"


def zh_grammar() -> Grammar:
    rules = (
        Rule(
            "chapter",
            "chapter",
            1,
            _rx(rf"^第(?P<label>[{_ZH_NUM}]+)章\s*(?P<title>.*)$"),
            chinese,
            lambda pp, pr, lb: f"chap-{chinese(lb)}",
            lambda pp, pr, lb: f"第{lb}章",
            scope="global",
            title_inline=True,
        ),
        Rule(
            "section",
            "section",
            2,
            _rx(rf"^第(?P<label>[{_ZH_NUM}]+)节\s*(?P<title>.*)$"),
            chinese,
            lambda pp, pr, lb: _join(pp, f"sec-{chinese(lb)}"),
            lambda pp, pr, lb: f"{pr}第{lb}节",
            title_inline=True,
        ),
        Rule(
            "article",
            "article",
            3,
            _rx(rf"^第(?P<label>[{_ZH_NUM}]+)条"),
            chinese,
            lambda pp, pr, lb: f"art-{chinese(lb)}",
            lambda pp, pr, lb: f"第{lb}条",
            scope="global",
        ),
        Rule(
            "item",
            "point",
            5,
            _rx(rf"^[（(](?P<label>[{_ZH_NUM}]+)[）)]"),
            chinese,
            lambda pp, pr, lb: _join(pp, str(chinese(lb))),
            lambda pp, pr, lb: f"{pr}第（{lb}）项",
        ),
        Rule(
            "subitem",
            "point",
            6,
            _rx(r"^(?P<label>\d{1,2})[.．、]"),
            integer,
            lambda pp, pr, lb: _join(pp, lb),
            lambda pp, pr, lb: f"{pr}第{lb}目",
        ),
    )
    return Grammar("zh-law", rules, list_levels=frozenset({5, 6}))


def zh_outline_grammar() -> Grammar:
    """Chinese guidance without articles: 一、 (一) 1. 1.1 outlines."""
    rules = (
        Rule(
            "part",
            "heading",
            1,
            _rx(rf"^(?P<label>[{_ZH_NUM}]+)、\s*(?P<title>.*)$"),
            chinese,
            lambda pp, pr, lb: f"part-{chinese(lb)}",
            lambda pp, pr, lb: f"{lb}、",
            scope="global",
            title_inline=True,
            heading_like=True,
        ),
        Rule(
            "subpart",
            "heading",
            2,
            _rx(rf"^[（(](?P<label>[{_ZH_NUM}]+)[）)]\s*(?P<title>.*)$"),
            chinese,
            lambda pp, pr, lb: _join(pp, str(chinese(lb))),
            lambda pp, pr, lb: f"{pr}（{lb}）",
            title_inline=True,
        ),
        Rule(
            "item",
            "clause",
            3,
            _rx(r"^(?P<label>\d{1,2})[.．、]\s*(?P<title>\S.*)$"),
            integer,
            lambda pp, pr, lb: _join(pp, lb),
            lambda pp, pr, lb: f"{pr}{lb}.",
        ),
    )
    return Grammar("zh-outline", rules, list_levels=frozenset({3}), paragraphs=True)


# ------------------------------------------------------------------ standards and frameworks


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
                _rx(rf"^(?P<label>{num})\.?(?:(?:\s+|(?=[\u4e00-\u9fff]))(?P<title>\S.{{0,150}}))?$"),
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
            _rx(r"^(?:附\s*录|Annex|Appendix|ANNEX|APPENDIX)\s*(?P<label>[A-Z])\b\s*(?P<title>.*)$"),
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
                _rx(rf"^(?P<label>{num})\.?(?:(?:\s+|(?=[\u4e00-\u9fff]))(?P<title>\S.{{0,150}}))?$"),
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
            _rx(rf"^{_NIST_FN} (?P<label>\d{{1,2}}):"),
            integer,
            lambda pp, pr, lb: "",
            lambda pp, pr, lb: "",
            first=(1,),
        ),
        Rule(
            "nist-subcategory",
            "clause",
            8,
            _rx(rf"^{_NIST_FN} (?P<label>\d{{1,2}}\.\d{{1,2}}):"),
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
            _rx(r"^(?P<label>[a-z])[)）]\s*\S"),
            letter,
            lambda pp, pr, lb: _join(pp, lb),
            lambda pp, pr, lb: f"{pr} {lb})",
        ),
        Rule(
            "item-1",
            "point",
            base + 1,
            _rx(r"^(?P<label>\d{1,2})[)）]\s*\S"),
            integer,
            lambda pp, pr, lb: _join(pp, lb),
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
_ZH_ART = re.compile(rf"^第[{_ZH_NUM}]+条")
_ZH_PART = re.compile(rf"^[{_ZH_NUM}]+、")
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
