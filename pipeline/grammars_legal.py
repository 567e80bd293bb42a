"""Numbering grammars of legal acts: EU regulations (English, German) and Chinese laws and
guidance (第一章, 第一条, （一）, 一、)."""

from __future__ import annotations

from .grammar_rules import Grammar, RefFn, Rule, join_path, rx
from .numbering import chinese, integer, letter, roman

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
    return join_path(pp, lb)


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
            rx(r"^\((?P<label>\d{1,3})\)\s+\S"),
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
            rx(rf"^{w['chapter']} (?P<label>[IVXLC]+)$"),
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
            rx(rf"^{w['annex']} (?P<label>[IVXLC]+)$"),
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
            rx(rf"^{w['section']} (?P<label>\d+)$"),
            integer,
            lambda pp, pr, lb: join_path(pp, f"sec-{lb}"),
            _cite("{pr}, " + w["Section"] + " {lb}"),
            title_next=2,
        ),
        Rule(
            "annex-section",
            "section",
            2,
            rx(rf"^{w['Section']} (?P<label>[A-Z])(?:[.\s—–-]+(?P<title>.*))?$"),
            lambda lb: ord(lb) - 64,
            lambda pp, pr, lb: join_path(pp, f"sec-{lb.lower()}"),
            _cite("{pr}, " + w["Section"] + " {lb}"),
            title_inline=True,
        ),
        Rule(
            "article",
            "article",
            3,
            rx(rf"^{w['article']} (?P<label>\d{{1,3}}[a-z]?)$"),
            integer,
            lambda pp, pr, lb: f"art-{lb}",
            _cite(w["article"] + " {lb}"),
            scope="global",
            title_next=2,
        ),
        Rule("annex-point", "point", 4, rx(annex_point[0]), integer, _child, annex_point[1]),
        Rule("paragraph", "paragraph", 4, rx(para[0]), integer, _child, para[1], zone="body"),
        Rule("point-num", "point", 5, rx(num_point[0]), integer, _child, num_point[1], zone="body"),
        Rule("point", "point", 6, rx(letter_point[0]), letter, _child, letter_point[1]),
        Rule("subpoint", "point", 7, rx(sub_point[0]), roman, _child, sub_point[1]),
    )
    return Grammar(
        scheme=f"eu-act-{lang}",
        rules=rules,
        barriers=(rx(rf"^{w['adopted']}$"),),
        list_levels=frozenset({5, 6, 7}),
    )


# ------------------------------------------------------------------ Chinese law and guidance

ZH_NUMERALS = "一二三四五六七八九十百零〇两"


def zh_grammar() -> Grammar:
    rules = (
        Rule(
            "chapter",
            "chapter",
            1,
            rx(rf"^第(?P<label>[{ZH_NUMERALS}]+)章\s*(?P<title>.*)$"),
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
            rx(rf"^第(?P<label>[{ZH_NUMERALS}]+)节\s*(?P<title>.*)$"),
            chinese,
            lambda pp, pr, lb: join_path(pp, f"sec-{chinese(lb)}"),
            lambda pp, pr, lb: f"{pr}第{lb}节",
            title_inline=True,
        ),
        Rule(
            "article",
            "article",
            3,
            rx(rf"^第(?P<label>[{ZH_NUMERALS}]+)条"),
            chinese,
            lambda pp, pr, lb: f"art-{chinese(lb)}",
            lambda pp, pr, lb: f"第{lb}条",
            scope="global",
        ),
        Rule(
            "item",
            "point",
            5,
            rx(rf"^[（(](?P<label>[{ZH_NUMERALS}]+)[）)]"),
            chinese,
            lambda pp, pr, lb: join_path(pp, str(chinese(lb))),
            lambda pp, pr, lb: f"{pr}第（{lb}）项",
        ),
        Rule(
            "subitem",
            "point",
            6,
            rx(r"^(?P<label>\d{1,2})[.．、]"),
            integer,
            lambda pp, pr, lb: join_path(pp, lb),
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
            rx(rf"^(?P<label>[{ZH_NUMERALS}]+)、\s*(?P<title>.*)$"),
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
            rx(rf"^[（(](?P<label>[{ZH_NUMERALS}]+)[）)]\s*(?P<title>.*)$"),
            chinese,
            lambda pp, pr, lb: join_path(pp, str(chinese(lb))),
            lambda pp, pr, lb: f"{pr}（{lb}）",
            title_inline=True,
        ),
        Rule(
            "item",
            "clause",
            3,
            rx(r"^(?P<label>\d{1,2})[.．、]\s*(?P<title>\S.*)$"),
            integer,
            lambda pp, pr, lb: join_path(pp, lb),
            lambda pp, pr, lb: f"{pr}{lb}.",
        ),
    )
    return Grammar("zh-outline", rules, list_levels=frozenset({3}), paragraphs=True)
