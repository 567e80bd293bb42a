"""Report writers: Markdown, CSV, JSON round trips, and the self-contained HTML page in a real browser.

The `comparison` fixture (tests/conftest.py) is a Comparison built from a real corpus pair.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import chromium, ink, render

from pipeline.report_html import SOURCE_COLOUR, TARGET_COLOUR, highlight, to_html
from pipeline.report_text import (
    CSV_FIELDS,
    csv_rows,
    from_csv,
    from_json,
    to_csv,
    to_json,
    to_markdown,
    unmatched,
    unreached,
)
from pipeline.types import RELATIONS, Comparison

REQUIRED_CSV = (
    "source_doc",
    "source_id",
    "source_ref",
    "source_text",
    "source_themes",
    "source_obligation",
    "target_doc",
    "target_unit",
    "target_ref",
    "target_title",
    "target_chapter",
    "relation",
    "score",
    "matched_refs",
    "shared_terms",
    "reason",
)
CHART_BOX = (
    "(() => ['theme-chart', 'alignment-table'].flatMap(id => {"
    " const r = document.getElementById(id).getBoundingClientRect();"
    " return [r.left, r.top + scrollY, r.right, r.bottom + scrollY]; }))()"
)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _need_chromium() -> None:
    if chromium() is None:
        message = "chromium is not installed (make browser)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


class _Tags(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def test_the_fixture_is_worth_reporting(comparison: Comparison) -> None:
    assert comparison.alignments, "a comparison with no source clauses tests nothing"
    assert any(a.matches for a in comparison.alignments)
    assert comparison.target_units


def test_every_format_writes(comparison: Comparison, tmp_path: Path) -> None:
    for name, text in (
        ("report.md", to_markdown(comparison)),
        ("report.csv", to_csv(comparison)),
        ("report.json", to_json(comparison)),
        ("report.html", to_html(comparison)),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert path.stat().st_size > 200, name
        assert path.read_text(encoding="utf-8") == text


def test_json_round_trips_exactly(comparison: Comparison) -> None:
    text = to_json(comparison)
    data = json.loads(text)
    assert next(iter(data)) == "schema_version"
    assert data["summary"]["source_clauses"] == len(comparison.alignments)
    assert data["summary"]["matched_share"] == comparison.matched_share
    assert sum(data["summary"]["relations"].values()) == len(comparison.alignments)
    back = from_json(text)
    assert back == comparison
    a = back.alignments[0]
    assert isinstance(back.alignments, tuple) and isinstance(a.source.themes, tuple)
    assert isinstance(back.target_units[0].reached_by, tuple)
    for m in (m for a in back.alignments for m in a.matches):
        assert isinstance(m.matched, tuple) and isinstance(m.shared_terms, tuple)
    assert from_json(to_json(back, indent=None)) == comparison


def test_csv_round_trips(comparison: Comparison) -> None:
    text = to_csv(comparison)
    rows = from_csv(text)
    assert len(rows) == sum(max(1, len(a.matches)) for a in comparison.alignments)
    assert rows == csv_rows(comparison)
    assert set(REQUIRED_CSV) <= set(rows[0]) and tuple(rows[0]) == CSV_FIELDS
    assert from_csv("\ufeff" + text) == rows  # as a spreadsheet may save it
    it = iter(rows)
    for a in comparison.alignments:
        for m in a.matches or (None,):
            row = next(it)
            assert row["source_id"] == a.source.id and row["source_ref"] == a.source.ref
            assert row["source_text"] == a.source.text
            assert row["source_themes"] == "; ".join(a.source.themes)
            if m is None:
                assert row["relation"] == "none" and row["target_unit"] == row["target_ref"] == row["score"] == ""
            else:
                assert row["target_unit"] == m.unit and row["target_ref"] == m.ref
                assert row["relation"] == m.relation and row["relation"] in RELATIONS
                assert abs(float(row["score"]) - m.score) < 5e-5
                assert row["matched_refs"] == "; ".join(s.ref for s in m.matched)


def test_markdown_has_the_sections(comparison: Comparison) -> None:
    md = to_markdown(comparison)
    for heading in ("# ", "## Summary", "## Theme profiles", "## Alignment", "## Gaps"):
        assert f"\n{heading}" in "\n" + md, heading
    assert f"**{len(comparison.alignments)}**" in md
    for a in comparison.alignments:
        assert a.source.ref.replace("|", "\\|") in md
    for units in unreached(comparison).values():
        for u in units:
            assert f"- {u.ref}" in md
    for a in unmatched(comparison):
        assert f"- **{a.source.ref}**" in md


def test_html_is_self_contained(comparison: Comparison) -> None:
    html = to_html(comparison)
    p = _parse(html)
    for tag, attrs in p.tags:
        for key in ("src", "href", "xlink:href", "action", "poster", "srcset", "data"):
            value = attrs.get(key, "")
            assert not re.match(r"\s*(https?:)?//", value, re.I), (tag, key, value)
        assert not (tag == "link" and "stylesheet" in attrs.get("rel", "")), attrs
        assert not (tag == "script" and "src" in attrs), attrs
        assert tag not in ("iframe", "img", "object", "embed"), tag
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.I)
    assert re.search(r'<meta charset="utf-8">', html, re.I)
    assert re.search(r'<html lang="en">', html)


def test_html_has_the_sections_chart_heatmap_and_table(comparison: Comparison) -> None:
    html = to_html(comparison)
    p = _parse(html)
    ids = {a["id"] for _, a in p.tags if "id" in a}
    assert {"summary", "themes", "heatmap", "alignment", "gaps"} <= ids
    links = {a["href"] for t, a in p.tags if t == "a"}
    assert {"#summary", "#themes", "#heatmap", "#alignment", "#gaps"} <= links
    tags = [t for t, _ in p.tags]
    assert "svg" in tags and "theme-chart" in ids
    assert tags.count("rect") >= 2 * len(comparison.source_profile)
    assert "heatmap-table" in ids and "alignment-table" in ids
    chapters, sections, counts = comparison.heatmap()
    assert tags.count("tr") >= len(chapters) + len(comparison.alignments)
    rows = [a for t, a in p.tags if t == "tr" and "data-relation" in a]
    assert [r["data-relation"] for r in rows] == [a.relation for a in comparison.alignments]
    assert tags.count("details") >= sum(1 for a in comparison.alignments for m in a.matches if m.matched)
    text = "".join(p.text)
    for a in comparison.alignments:
        assert a.source.ref in text
    if any(m.shared_terms for a in comparison.alignments for m in a.matches):
        assert "<mark>" in html


def test_html_escapes_text(comparison: Comparison) -> None:
    evil = '<script>alert("x")</script> & <b>bold</b>'
    a = comparison.alignments[0]
    c = replace(
        comparison,
        source_title=evil,
        alignments=(replace(a, source=replace(a.source, text=evil + " " + a.source.text, ref=evil)),)
        + comparison.alignments[1:],
    )
    html = to_html(c)
    assert "<b>bold</b>" not in html and 'alert("x")' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert html.count("<script") == 1  # the page's own, inline


def test_html_renders_in_chromium(comparison: Comparison, tmp_path: Path) -> None:
    _need_chromium()
    page = tmp_path / "report.html"
    page.write_text(to_html(comparison), encoding="utf-8")
    r = render(page, tmp_path, width=1400, height=2000, probe=CHART_BOX)
    assert r.errors == (), r.errors  # no exceptions, console errors, failed loads or network requests
    assert 'id="theme-chart"' in r.dom and "<svg" in r.dom and 'id="alignment-table"' in r.dom
    assert 'id="filters"' in r.dom and 'id="filters" hidden' not in r.dom  # the filter script ran
    left, top, right, bottom, *table = (round(v) for v in r.probe)
    assert right - left > 600 and bottom - top > 200, r.probe
    chart = (left, top, right, bottom)
    assert table[2] - table[0] > 600 and table[3] - table[1] > 300, r.probe
    first_rows = (table[0], table[1], table[2], min(table[3], table[1] + 1200))
    assert ink(r.screenshot, first_rows) > 0.02  # the alignment table's text and badges are drawn
    assert ink(r.screenshot, chart) > 0.03
    assert ink(r.screenshot, chart, near=_rgb(SOURCE_COLOUR)) > 0.002
    assert ink(r.screenshot, chart, near=_rgb(TARGET_COLOUR)) > 0.002
    assert ink(r.screenshot, (0, 0, 1400, min(r.height, 2000))) > 0.03


def test_html_prints(comparison: Comparison, tmp_path: Path) -> None:
    from pypdf import PdfReader

    _need_chromium()
    page = tmp_path / "report.html"
    page.write_text(to_html(comparison), encoding="utf-8")
    r = render(page, tmp_path, pdf=True, full_page=False)
    assert r.errors == () and r.pdf is not None
    reader = PdfReader(r.pdf)
    assert len(reader.pages) >= 2
    text = " ".join(pg.extract_text() or "" for pg in reader.pages)
    for heading in ("Summary", "Themes", "Coverage heatmap", "Alignment", "Gaps"):
        assert heading in text
    assert f"Alignment ({len(comparison.alignments)})" not in text  # no navigation bar on paper


def test_an_empty_comparison_still_renders() -> None:
    c = Comparison("1", "src", "Source", "tgt", "Target", "article", (), "model", 0.5, (), (), {}, {})
    assert from_json(to_json(c)) == c
    assert from_csv(to_csv(c)) == []
    assert "## Gaps" in to_markdown(c)
    html = to_html(c)
    assert 'id="theme-chart"' in html and 'id="heatmap-table"' in html and 'id="alignment-table"' in html


def test_highlight_marks_terms_and_escapes() -> None:
    assert highlight("Risks <b> & risk-based", ["risk"]) == "<mark>Risk</mark>s &lt;b&gt; &amp; <mark>risk</mark>-based"
    assert highlight("不得侵害他人依法享有的知识产权", ["知识产权"]) == "不得侵害他人依法享有的<mark>知识产权</mark>"
    assert highlight("AI and AIR", ["AI"]) == "<mark>AI</mark> and AIR"  # short terms: whole words only
    assert highlight("no terms", []) == "no terms"
