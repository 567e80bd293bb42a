"""The pictures of an HTML comparison report, drawn as inline SVG and coloured HTML (no chart
library, no network): the theme chart and the chapter × section heatmap, with the small escaping
and formatting helpers the page shares."""

from __future__ import annotations

import re
from html import escape

from .report_style import COVER_COLOUR, HEAT_HIGH, HEAT_LOW, SOURCE_COLOUR, TARGET_COLOUR
from .report_text import short_title, shorten, theme_order
from .types import Comparison

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def lang_attr(text: str) -> str:
    """A `lang` attribute for text mostly in a CJK script (the page itself is `en`)."""
    cjk = CJK.findall(text)
    if len(cjk) < max(1, len(text) // 10):
        return ""
    if any("\uac00" <= ch <= "\ud7af" for ch in cjk):
        return ' lang="ko"'
    if any("\u3040" <= ch <= "\u30ff" for ch in cjk):
        return ' lang="ja"'
    return ' lang="zh"'


def src_label(c: Comparison) -> str:
    return short_title(c.source_title)


def tgt_label(c: Comparison) -> str:
    return short_title(c.target_title)


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def _heat(count: int, top: int) -> tuple[str, str]:
    """(background, text colour) for a heatmap cell."""
    if count == 0:
        return "#ffffff", "#b0b8c1"
    t = 0.18 + 0.82 * (count / max(1, top))
    return _mix(HEAT_LOW, HEAT_HIGH, t), ("#ffffff" if t > 0.55 else "#1f2328")


# ------------------------------------------------------------------ sections


def theme_chart(c: Comparison) -> str:
    """Grouped horizontal bars: theme profile of both documents (left), share of source clauses
    with a counterpart per theme (right)."""
    cover = c.coverage_by_theme()
    themes = [t for t in theme_order(c) if t in c.source_profile or t in c.target_profile or t in cover]
    label_w, gap = 150, 40
    p1x, p1w = label_w, 470
    p2x, p2w = p1x + p1w + gap + 50, 300
    width = p2x + p2w + 90
    top, row_h, bar_h = 56, 36, 12
    height = top + row_h * len(themes)
    peak = max([*c.source_profile.values(), *c.target_profile.values(), 0.05])
    scale = min(1.0, (int(peak * 10 - 1e-9) + 1) / 10)  # profile axis: next 10% above the peak
    out = [
        f'<svg class="chart" id="theme-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="theme-chart-title">',
        f'<title id="theme-chart-title">Theme profiles of {esc(src_label(c))} and {esc(tgt_label(c))}, '
        "and the share of source clauses with a counterpart per theme</title>",
        f'<text class="panel" x="{p1x}" y="16">Theme profile: share of clauses carrying the theme</text>',
        f'<text class="panel" x="{p2x}" y="16">Source clauses with a counterpart</text>',
    ]
    step = 0.1 if scale <= 0.6 else 0.2
    ticks = [(p1x + p1w * k * step / scale, k * step) for k in range(int(scale / step + 1e-9) + 1)]
    ticks += [(p2x + p2w * f, f) for f in (0.0, 0.25, 0.5, 0.75, 1.0)]
    for x, value in ticks:
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 8}" y2="{height - 4}" stroke="#e5e9ee"/>')
        out.append(f'<text class="axis" x="{x:.1f}" y="{top - 14}" text-anchor="middle">{pct(value)}</text>')
    for i, t in enumerate(themes):
        y = top + i * row_h
        out.append(f'<text x="{label_w - 10}" y="{y + bar_h + 3}" text-anchor="end">{esc(t)}</text>')
        for j, (value, colour, who) in enumerate(
            (
                (c.source_profile.get(t, 0.0), SOURCE_COLOUR, src_label(c)),
                (c.target_profile.get(t, 0.0), TARGET_COLOUR, tgt_label(c)),
            )
        ):
            by = y + j * (bar_h + 2)
            w = p1w * min(1.0, value / scale)
            out.append(
                f'<rect x="{p1x}" y="{by}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="{colour}" rx="2">'
                f"<title>{esc(who)}: {pct(value)} of clauses carry {esc(t)}</title></rect>"
            )
            out.append(f'<text class="val" x="{p1x + w + 4:.1f}" y="{by + bar_h - 2}">{pct(value)}</text>')
        n, m = cover.get(t, (0, 0))
        cy = y + (bar_h + 2) // 2
        if n:
            w = p2w * m / n
            out.append(
                f'<rect x="{p2x}" y="{cy}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="{COVER_COLOUR}" rx="2">'
                f"<title>{esc(t)}: {m} of {n} source clauses have a counterpart</title></rect>"
            )
            out.append(f'<text class="val" x="{p2x + w + 4:.1f}" y="{cy + bar_h - 2}">{pct(m / n)} ({m}/{n})</text>')
        else:
            out.append(f'<text class="val" x="{p2x}" y="{cy + bar_h - 2}">no source clause</text>')
    out.append("</svg>")
    legend = "".join(
        f'<span><span class="sw" style="background:{colour}"></span><span{lang_attr(text)}>{esc(text)}</span></span>'
        for colour, text in (
            (SOURCE_COLOUR, f"{src_label(c)} (source)"),
            (TARGET_COLOUR, f"{tgt_label(c)} (target)"),
            (COVER_COLOUR, "source clauses with a counterpart"),
        )
    )
    return "\n".join(out) + f'\n<figcaption class="legend">{legend}</figcaption>'


def heatmap_table(c: Comparison) -> str:
    chapters, sections, counts = c.heatmap()
    top = max([max(r, default=0) for r in counts] or [0])
    vertical = len(sections) > 6 or any(len(s) > 14 for s in sections)
    cls = ' class="v"' if vertical else ""
    head = "".join(f'<th scope="col"{cls}{lang_attr(s)} title="{esc(s)}">{esc(shorten(s, 40))}</th>' for s in sections)
    body = []
    for chapter, row in zip(chapters, counts):
        cells = []
        for section, k in zip(sections, row):
            bg, fg = _heat(k, top)
            tip = f"{k} source clause(s) of {section} best match {chapter}"
            cells.append(f'<td style="background:{bg};color:{fg}" title="{esc(tip)}">{k}</td>')
        body.append(
            f'<tr><th scope="row">{esc(chapter or "(no chapter)")}</th>{"".join(cells)}'
            f'<td class="tot">{sum(row)}</td></tr>'
        )
    col_tot = "".join(f'<td class="tot">{sum(r[j] for r in counts)}</td>' for j in range(len(sections)))
    body.append(
        f'<tr><th scope="row" class="tot">All chapters</th>{col_tot}<td class="tot">{sum(map(sum, counts))}</td></tr>'
    )
    steps = sorted({0, *(round(top * f) for f in (0.25, 0.5, 0.75)), top}) if top else [0]
    scale = "".join(f'<span style="background:{_heat(k, top)[0]};color:{_heat(k, top)[1]}">{k}</span>' for k in steps)
    return f"""<div class="scroll"><table class="heat" id="heatmap-table">
<thead><tr><th>{esc(tgt_label(c))} chapter ↓ · source section →</th>{head}<th class="tot">Total</th></tr></thead>
<tbody>{"".join(body)}</tbody></table></div>
<p class="legend">Cell: source clauses whose best match lies in the chapter.
<span class="heatscale" aria-label="colour scale">{scale}</span></p>"""
