"""Keyword tokens for full-text search (jieba only): Chinese runs are cut into words, other
text is kept as it is (SQLite's unicode61 tokenizer folds case and diacritics)."""

from __future__ import annotations

import re
from functools import lru_cache

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[\w\-/]+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be by for from has have how in is it its of on or that the their this to what when where "
    "which who whom why with must shall should may can do does any all about into under 的 了 和 与 及 或 在 是 对 "
    "为 等 中 应 有 要 什么 哪些 如何 怎么".split()
)


@lru_cache(maxsize=1)
def _jieba() -> object:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def tokens(text: str) -> str:
    """The text with every Chinese run replaced by its words, space-separated."""
    if not _CJK_RUN.search(text):
        return text
    jieba = _jieba()

    def cut(m: re.Match[str]) -> str:
        return " " + " ".join(jieba.cut_for_search(m.group(0))) + " "  # type: ignore[attr-defined]

    return _CJK_RUN.sub(cut, text)


def query_terms(query: str) -> list[str]:
    """Distinct content words of a query, in order."""
    words = [w.lower() for w in _WORD.findall(tokens(query))]
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS and len(w) > 1 or _CJK_RUN.match(w)))


def fts_query(terms: list[str]) -> str:
    """An FTS5 query matching any of the terms (BM25 ranks clauses with more of them first). A
    term of several words is a phrase; a term ending in * matches any word it begins."""

    def one(t: str) -> str:
        star = t.endswith("*") and len(t) > 1
        body = t[:-1] if star else t
        return '"' + body.replace('"', '""') + '"' + ("*" if star else "")

    return " OR ".join(one(t) for t in terms)
