"""Deontic force of a clause from its markers (pure text logic): shall / must / shall not /
should / may, 应 / 应当 / 不得 / 不应 / 宜 / 可, muss / darf nicht / sollte / kann."""

from __future__ import annotations

import re

from .types import Entity, Obligation

# (type, pattern) in the order markers are tried at one position: longer, negated forms first.
_EN = (
    ("prohibited", r"\b(?:shall|must|may) not\b|\bshall in no case\b|\b(?:is|are|shall be) prohibited\b"),
    ("recommended", r"\bshould(?: not)?\b|\b(?:is|are) (?:encouraged|recommended|invited)\b|\bit is advisable\b"),
    ("mandatory", r"\bshall\b|\bmust\b|\b(?:is|are) (?:required|obliged|obligated) to\b|\bhave to\b|\bhas to\b"),
    ("permitted", r"\bmay\b|\b(?:is|are) (?:permitted|allowed|entitled) to\b|\bcan\b"),
)
_DE = (
    ("prohibited", r"\b(?:darf|dürfen) (?:\w+ ){0,3}nicht\b|\b(?:ist|sind) verboten\b|\bverboten\b"),
    ("recommended", r"\bsollten?\b|\bwird empfohlen\b"),
    ("mandatory", r"\b(?:muss|müssen)\b|\b(?:ist|sind) verpflichtet\b|\bstellen sicher\b|\bstellt sicher\b"),
    ("permitted", r"\b(?:kann|können|darf|dürfen)\b"),
)
_ZH = (
    ("prohibited", r"不得|禁止|严禁|不应当?|不允许"),
    ("recommended", r"不宜|(?<![便适])宜(?![居人])|鼓励|提倡|建议"),
    ("mandatory", r"应当|(?<![相响供适反对效回感顺])应(?![用急变答])|必须|须|需要"),
    ("permitted", r"可以|(?<![不许认])可(?![靠能信控解追视用见持行知])|有权"),
)
_COMPILED = {
    lang: [(kind, re.compile(p, re.I)) for kind, p in table] for lang, table in (("en", _EN), ("de", _DE), ("zh", _ZH))
}


def obligation(text: str, language: str, entities: tuple[Entity, ...] = ()) -> Obligation:
    """The first deontic marker in the text decides (legal sentences lead with the main duty);
    the actor is the nearest ACTOR entity before the marker, else the first one after it."""
    best: tuple[int, str, str] | None = None
    for kind, pattern in _COMPILED.get(language, _COMPILED["en"]):
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind, m.group(0))
    if best is None:
        return Obligation("none")
    pos, kind, marker = best
    actors = [e for e in entities if e.label == "ACTOR"]
    before = [e for e in actors if e.end <= pos]
    actor = before[-1] if before else (actors[0] if actors else None)
    return Obligation(kind, marker, actor.text if actor else "")
