"""Layout clean-up on synthetic pages: repetition-based headers, columns, footnotes, TOC."""

from __future__ import annotations

from pipeline.layout import clean_pages, words_to_lines
from pipeline.textnorm import normalize
from pipeline.types import Line, RawPage, Word


def line(page, text, top, size=10.0, x0=72.0, x1=520.0):
    return Line(page=page, text=text, x0=x0, x1=x1, top=top, bottom=top + size, size=size, bold=False)


def page(n, lines, unmapped=0):
    chars = sum(len(ln.text) for ln in lines)
    return RawPage(number=n, width=595, height=842, lines=tuple(lines), chars=chars, unmapped_chars=unmapped, images=0)


WORDS = "provider deployer system risk data model oversight record market authority notified body".split()


def body(n):
    return [
        line(n, f"The {WORDS[(n * 7 + i) % 12]} and the {WORDS[(n + i * 5) % 12]} of page {n}", 100 + 14 * i)
        for i in range(20)
    ]


def test_running_headers_footers_and_counters_removed_by_repetition():
    pages = [
        page(
            n,
            [line(n, "OJ L, 12.7.2024 EN" if n % 2 else "EN OJ L, 12.7.2024", 40, 9)]
            + body(n)
            + [line(n, f"ELI: http://data.europa.eu/eli/reg/2024/1689/oj {n}/12", 800, 9)],
        )
        for n in range(1, 13)
    ]
    cleaned = clean_pages(pages)
    texts = [ln.text for ln in cleaned.lines]
    assert not any("OJ L" in t or "ELI:" in t for t in texts)
    assert len(texts) == 12 * 20
    kinds = {r.kind for r in cleaned.removed}
    assert kinds == {"header", "footer"}


def test_a_line_repeated_in_the_body_is_not_a_header():
    pages = [page(n, body(n)[:5] + [line(n, "Article 5", 300)] + body(n)[5:]) for n in range(1, 5)]
    cleaned = clean_pages(pages)
    assert sum(1 for ln in cleaned.lines if ln.text == "Article 5") == 4


def test_footnotes_set_aside():
    lines = body(1) + [line(1, "(1) OJ C 517, 22.12.2021, p. 56.", 760, 8.5), line(1, "(2) OJ C 115, p. 5.", 770, 8.5)]
    cleaned = clean_pages([page(1, lines)])
    assert [f.label for f in cleaned.footnotes] == ["(1)", "(2)"]
    assert cleaned.footnotes[0].text == "OJ C 517, 22.12.2021, p. 56."
    assert all(not ln.text.startswith("(1) OJ") for ln in cleaned.lines)


def test_table_of_contents_page_removed():
    toc = [line(1, "Contents", 60)] + [
        line(1, f"{i} Section title {'.' * 20} {i + 2}", 80 + 14 * i) for i in range(1, 12)
    ]
    cleaned = clean_pages([page(1, toc), page(2, body(2))])
    assert all(ln.page == 2 for ln in cleaned.lines)
    assert sum(1 for r in cleaned.removed if r.kind == "toc") == 12


def test_page_without_text_map_is_flagged_not_silently_empty():
    cleaned = clean_pages([page(1, body(1)), page(2, [line(2, "x", 100)], unmapped=500)])
    assert cleaned.needs_ocr_pages == (2,)
    assert any(r.kind == "needs-ocr" for r in cleaned.removed)


def words_row(top, spans):
    return [Word(t, x0, x1, top, top + 9, 9.0, False) for t, x0, x1 in spans]


def test_two_column_page_reads_left_column_first():
    words = []
    for i in range(8):
        top = 100 + 12 * i
        words += words_row(top, [(f"left{i}", 60, 270), (f"right{i}", 320, 540)])
    lines = words_to_lines(words, 595, 1)
    assert [ln.text for ln in lines] == [f"left{i}" for i in range(8)] + [f"right{i}" for i in range(8)]


def test_full_width_lines_are_not_split():
    words = []
    for i in range(8):
        words += words_row(
            100 + 12 * i, [("The", 60, 80), ("provider", 83, 130), ("shall", 133, 400), ("ensure", 404, 540)]
        )
    assert len(words_to_lines(words, 595, 1)) == 8


def test_unicode_normalisation():
    assert normalize("ﬁnal\u00a0rules") == "final rules"
    assert normalize("⽣成式⼈⼯智能") == "生成式人工智能"  # Kangxi radicals from a browser print
    assert normalize("（一）数据，安全") == "（一）数据，安全"  # full-width punctuation is kept
    assert normalize("ＧＢ/Ｔ 35273") == "GB/T 35273"
