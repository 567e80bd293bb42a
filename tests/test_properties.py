"""Segmentation properties: ordered, nested, offsets slice back, no body text lost.

Checked on generated documents (Hypothesis) and on every real PDF in the corpus.
"""

from __future__ import annotations

import re

from conftest import CORPORA, corpus_file, processed
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import segment
from pipeline.types import Document, Line, Segmentation


def check_tree(seg: Segmentation, lines: tuple[Line, ...]) -> None:
    text = seg.text
    ids = {c.id: c for c in seg.clauses}
    assert len(ids) == len(seg.clauses), "clause ids are unique"
    root = seg.clauses[0]
    assert root.kind == "document" and (root.start, root.end) == (0, len(text))
    last_by_parent: dict[str, int] = {}
    for order, c in enumerate(seg.clauses):
        assert c.order == order
        assert text[c.start : c.end] == c.text, c.id
        assert c.page_start <= c.page_end
        if c.parent is None:
            continue
        parent = ids[c.parent]
        assert parent.start <= c.start <= c.end <= parent.end, f"{c.id} nests in {parent.id}"
        assert c.start >= last_by_parent.get(c.parent, 0), f"{c.id} follows its previous sibling"
        last_by_parent[c.parent] = c.end
    # Nothing lost: every line's text is in the body, in order (hyphens at line ends may go).
    squashed = re.sub(r"\s+", "", text)
    pos = 0
    for line in lines:
        piece = re.sub(r"\s+", "", line.text).rstrip("-")
        found = squashed.find(piece, pos)
        assert found >= 0, f"line lost: {line.text!r}"
        pos = found + len(piece)
    assert len(squashed) <= sum(len(re.sub(r"\s+", "", ln.text)) for ln in lines)


WORDS = st.sampled_from(
    [
        "the",
        "provider",
        "shall",
        "ensure",
        "data",
        "risk",
        "system",
        "of",
        "and",
        "inter-",
        "national",
        "数据",
        "安全",
        "应当",
    ]
)
LABELS = st.sampled_from(
    [
        "Article 1",
        "Article 2",
        "Article 3",
        "1.",
        "2.",
        "3.",
        "(a)",
        "(b)",
        "(i)",
        "(ii)",
        "(1)",
        "(2)",
        "CHAPTER I",
        "CHAPTER II",
        "ANNEX I",
        "5.1",
        "a)",
        "第一条",
        "",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    n = draw(st.integers(1, 40))
    lines = []
    top = 50.0
    page = 1
    for _ in range(n):
        label = draw(LABELS)
        words = " ".join(draw(st.lists(WORDS, min_size=0 if label else 1, max_size=8)))
        text = f"{label} {words}".strip() if label.startswith(("Article", "CHAPTER", "ANNEX")) is False else label
        top += draw(st.sampled_from([11.0, 11.0, 25.0]))
        if top > 780:
            page, top = page + 1, 60.0
        lines.append(
            Line(page=page, text=text, x0=67.0, x1=500.0, top=top, bottom=top + 9.6, size=9.6, bold=draw(st.booleans()))
        )
    lang = draw(st.sampled_from(["en", "de", "zh"]))
    return Document(
        slug="gen",
        path="gen.pdf",
        sha256="0",
        title="Generated",
        language=lang,
        page_count=page,
        lines=tuple(lines),
        body_size=9.6,
    )


@settings(max_examples=300, deadline=None)
@given(documents())
def test_segmentation_properties_on_generated_documents(doc: Document) -> None:
    check_tree(segment(doc), doc.lines)


def test_segmentation_properties_on_every_corpus_pdf() -> None:
    corpus_file("eu-ai-act-2024-1689-en.pdf")
    pdfs = sorted(p.name for p in CORPORA.glob("*.pdf"))
    assert len(pdfs) >= 28
    for name in pdfs:
        doc, seg = processed(name)
        assert len(seg.clauses) > 1, name
        check_tree(seg, doc.lines)
