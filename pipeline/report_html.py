"""A Comparison as ONE self-contained HTML page: inline CSS, SVG charts drawn here, no network.

Sections: summary, theme chart (SVG), coverage heatmap (coloured table), alignment table (shared
terms marked, target text in <details>), gaps. Readable without JavaScript; the little inline
script only adds table filters and opens every <details> before printing.
"""

from __future__ import annotations

import re
from html import escape

from .concepts import Concepts, load_concepts
from .errors import NormScopeError
from .report_text import relation_counts, short_title, shorten, summary, theme_order, unmatched, unreached
from .types import Alignment, Comparison, Match, Side

SOURCE_COLOUR = "#3b5ba5"
TARGET_COLOUR = "#e07b39"
COVER_COLOUR = "#2a9d8f"
RELATION_COLOURS = {  # (text/border, background)
    "equivalent": ("#1a7f37", "#dafbe1"),
    "narrower": ("#0757b8", "#ddf4ff"),
    "broader": ("#8250df", "#fbefff"),
    "partial": ("#9a6700", "#fff8c5"),
    "none": ("#57606a", "#eaeef2"),
}
RELATION_HELP = {
    "equivalent": "the source clause and the AI Act unit cover the same ground",
    "narrower": "the source clause covers part of what the AI Act unit covers",
    "broader": "the source clause covers more than the AI Act unit",
    "partial": "they overlap; each has something the other lacks",
    "none": "nothing in the AI Act clears the threshold",
}
HEAT_LOW = (247, 251, 255)
HEAT_HIGH = (8, 48, 107)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
LONG_TEXT = 420  # characters; longer source texts fold into <details>

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #3b5ba5; }
* { box-sizing: border-box; }
html { scroll-behavior: smooth; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5; font-size: 15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
    "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
    "WenQuanYi Zen Hei", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; }
header.top, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header.top { padding-top: 24px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 6px; }
h1 .vs { color: var(--muted); font-weight: 400; }
h2 { font-size: 1.3rem; margin: 0 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 18px 0 8px; }
.meta { color: var(--muted); font-size: .85rem; margin: 0; }
.meta code { font-size: .8rem; background: var(--soft); padding: 1px 4px; border-radius: 4px; }
nav.toc { position: sticky; top: 0; z-index: 10; background: rgba(255,255,255,.96);
  border-bottom: 1px solid var(--line); margin-top: 12px; }
nav.toc ol { max-width: 1200px; margin: 0 auto; padding: 8px 24px; list-style: none; display: flex;
  flex-wrap: wrap; gap: 4px 18px; font-size: .9rem; }
nav.toc a { color: var(--accent); text-decoration: none; font-weight: 600; }
nav.toc a:hover { text-decoration: underline; }
nav.toc .n { color: var(--muted); font-weight: 400; }
section { margin: 28px 0 36px; scroll-margin-top: 52px; }
.note { color: var(--muted); font-size: .88rem; margin: 4px 0 12px; max-width: 80ch; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: var(--soft); }
.card .big { font-size: 1.9rem; font-weight: 700; line-height: 1.1; }
.card .lbl { color: var(--muted); font-size: .85rem; }
.card.wide { grid-column: 1 / -1; }
@media (min-width: 700px) { .cards { grid-template-columns: repeat(3, 1fr); } }
.stack { display: flex; height: 14px; border-radius: 7px; overflow: hidden; margin: 8px 0 6px;
  background: var(--line); }
.stack span { display: block; height: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: .85rem; color: var(--muted);
  align-items: center; }
.sw { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -1px;
  margin-right: 4px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: .78rem; font-weight: 600;
  border: 1px solid; white-space: nowrap; line-height: 1.5; }
.chip { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: .75rem; background: #eef1f4;
  color: #3d4650; margin: 1px 2px 1px 0; white-space: nowrap; }
.chip.ob { background: #fff; border: 1px solid var(--line); }
.chip.ob.mandatory, .chip.ob.prohibited { border-color: #cf222e; color: #a40e26; }
.chip.ob.recommended { border-color: #0969da; color: #0757b8; }
.chip.ob.permitted { border-color: #1a7f37; color: #1a7f37; }
.chip.term { background: #fff3b0; }
figure { margin: 0; }
figcaption.legend { margin: 6px 0 0 150px; }
svg.chart { width: 100%; max-width: 1100px; height: auto; display: block; }
svg.chart text { font-family: inherit; fill: var(--ink); }
svg.chart .axis { fill: var(--muted); font-size: 11px; }
svg.chart .val { font-size: 11px; fill: var(--muted); }
svg.chart .panel { font-size: 13px; font-weight: 600; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-size: .8rem; text-transform: uppercase; letter-spacing: .02em;
  color: var(--muted); position: sticky; top: 38px; z-index: 1; }
table.heat { width: auto; }
table.gaptheme { width: auto; margin-bottom: 1rem; }
table.gaptheme td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
table.heat th, table.heat td { border: 1px solid #fff; }
table.heat thead th { position: static; text-transform: none; letter-spacing: 0; font-size: .8rem;
  color: var(--ink); vertical-align: bottom; max-width: 9em; }
table.heat thead th.v { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
  max-height: 14em; text-align: left; padding: 8px 4px; }
table.heat tbody th { font-weight: 500; min-width: 16em; max-width: 28em; background: var(--soft); }
table.heat td { text-align: center; vertical-align: middle; min-width: 3em; font-variant-numeric: tabular-nums; }
table.heat td.tot, table.heat th.tot { background: var(--soft); font-weight: 600; color: var(--ink); }
.heatscale { display: inline-flex; align-items: center; gap: 0; margin-left: 6px; }
.heatscale span { display: inline-block; min-width: 26px; text-align: center; font-size: .75rem; padding: 1px 2px; }
table.align td.src { width: 34%; }
table.align td.rel { width: 8%; }
table.align td.score { width: 7%; font-variant-numeric: tabular-nums; }
.ref { font-weight: 700; }
.sec { color: var(--muted); font-size: .8rem; }
.text { margin: 4px 0; white-space: pre-line; overflow-wrap: anywhere; }
.meter { height: 5px; background: var(--line); border-radius: 3px; margin-top: 3px; width: 60px; }
.meter span { display: block; height: 100%; border-radius: 3px; background: var(--accent); }
.match { padding: 6px 0; border-top: 1px dashed var(--line); }
.match:first-child { border-top: 0; padding-top: 0; }
.match .head { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; }
.match .chapter { color: var(--muted); font-size: .8rem; }
.match .why { font-size: .82rem; color: var(--muted); margin: 2px 0; }
.nomatch { color: var(--muted); font-style: italic; }
details { margin: 4px 0; }
details > summary { cursor: pointer; color: var(--accent); font-size: .85rem; }
details.fold > summary { color: inherit; font-size: inherit; }
.quote { border-left: 3px solid var(--line); padding: 2px 0 2px 10px; margin: 6px 0; }
.quote .text { max-height: 22em; overflow-y: auto; }
mark { background: #fff3b0; color: inherit; padding: 0 1px; border-radius: 2px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin: 8px 0 10px;
  font-size: .9rem; }
.filters input, .filters select { font: inherit; padding: 3px 6px; border: 1px solid var(--line);
  border-radius: 6px; }
.gapgrid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 4px 24px; }
ul.units, ul.lone { list-style: none; padding: 0; margin: 0; }
ul.units li, ul.lone li { padding: 4px 0; border-bottom: 1px solid #eef1f4; }
footer { color: var(--muted); font-size: .8rem; padding-bottom: 30px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 9.5pt; }
  header.top, main, footer { max-width: none; padding: 0; }
  nav.toc, .filters, .noprint { display: none !important; }
  thead th { position: static; }
  thead { display: table-header-group; }
  table.heat tr, table.nums tr, .card, .match .head, li, figure, .quote { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  section { margin: 14px 0 20px; }
  a { color: inherit; text-decoration: none; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
  .scroll { overflow: visible; }
  .quote .text { max-height: none; overflow: visible; }
  tr[hidden] { display: table-row !important; }
}
"""

SCRIPT = """
(function () {
  var box = document.getElementById('filters');
  if (!box) return;
  box.hidden = false;
  var q = document.getElementById('f-text'), rel = document.getElementById('f-rel'),
      th = document.getElementById('f-theme'), out = document.getElementById('f-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#alignment-table tbody tr'));
  function apply() {
    var text = q.value.trim().toLowerCase(), r = rel.value, t = th.value, shown = 0;
    rows.forEach(function (row) {
      var ok = (!r || row.dataset.relation === r) &&
               (!t || (' ' + row.dataset.themes + ' ').indexOf(' ' + t + ' ') >= 0) &&
               (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
      row.hidden = !ok;
      if (ok) shown++;
    });
    out.textContent = shown + ' of ' + rows.length + ' shown';
  }
  [q, rel, th].forEach(function (el) { el.addEventListener('input', apply); });
  apply();
  var opened = [];
  window.addEventListener('beforeprint', function () {
    opened = Array.prototype.filter.call(document.querySelectorAll('details'), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () { opened.forEach(function (d) { d.open = false; }); });
})();
"""


# ------------------------------------------------------------------ small helpers


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _lang(text: str) -> str:
    """A `lang` attribute for text mostly in a CJK script (the page itself is `en`)."""
    cjk = CJK.findall(text)
    if len(cjk) < max(1, len(text) // 10):
        return ""
    if any("\uac00" <= ch <= "\ud7af" for ch in cjk):
        return ' lang="ko"'
    if any("\u3040" <= ch <= "\u30ff" for ch in cjk):
        return ' lang="ja"'
    return ' lang="zh"'


def _src(c: Comparison) -> str:
    return short_title(c.source_title)


def _tgt(c: Comparison) -> str:
    return short_title(c.target_title)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _terms_pattern(terms: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    parts = []
    for t in sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True):
        p = r"\s+".join(re.escape(w) for w in t.split())
        if t[0].isascii() and t[0].isalnum():
            p = r"(?<![A-Za-z0-9])" + p
        if len(t) < 4 and t[-1].isascii() and t[-1].isalnum():
            p += r"(?![A-Za-z0-9])"
        parts.append(p)
    return re.compile("|".join(parts), re.I) if parts else None


def _lexicon() -> Concepts | None:
    try:
        return load_concepts()
    except NormScopeError:
        return None


def counterpart_terms(terms: tuple[str, ...], text: str) -> list[str]:
    """The shared terms plus the words of `text` that express the same concepts in its own
    language (a Chinese source's 训练数据 marks "training data" in the English target)."""
    lex = _lexicon()
    if lex is None or not terms:
        return list(terms)
    ids = frozenset().union(*(lex.find(t) for t in terms))
    return list(dict.fromkeys([*terms, *lex.matches(text, ids)]))


def highlight(text: str, terms: tuple[str, ...] | list[str]) -> str:
    """Escaped text with each shared term wrapped in <mark> (case-insensitive; English terms at word starts)."""
    rx = _terms_pattern(terms)
    if rx is None:
        return _e(text)
    out, last = [], 0
    for m in rx.finditer(text):
        out.append(_e(text[last : m.start()]))
        out.append(f"<mark>{_e(m.group(0))}</mark>")
        last = m.end()
    out.append(_e(text[last:]))
    return "".join(out)


def _relation_colour(relation: str) -> str:
    return RELATION_COLOURS.get(relation, RELATION_COLOURS["none"])[0]


def _badge(relation: str) -> str:
    fg, bg = RELATION_COLOURS.get(relation, RELATION_COLOURS["none"])
    tip = RELATION_HELP.get(relation, "")
    return (
        f'<span class="badge" style="color:{fg};background:{bg};border-color:{fg}" title="{_e(tip)}">'
        f"{_e(relation)}</span>"
    )


def _chips(themes: tuple[str, ...], obligation: str = "") -> str:
    out = "".join(f'<span class="chip">{_e(t)}</span>' for t in themes)
    if obligation and obligation != "none":
        out += f'<span class="chip ob {_e(obligation)}">{_e(obligation)}</span>'
    return out


def _meter(score: float) -> str:
    w = max(0.0, min(1.0, score)) * 100
    return f'<div class="meter" aria-hidden="true"><span style="width:{w:.0f}%"></span></div>'


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def _heat(count: int, top: int) -> tuple[str, str]:
    """(background, text colour) for a heatmap cell."""
    if count == 0:
        return "#ffffff", "#b0b8c1"
    t = 0.18 + 0.82 * (count / max(1, top))
    return _mix(HEAT_LOW, HEAT_HIGH, t), ("#ffffff" if t > 0.55 else "#1f2328")


# ------------------------------------------------------------------ sections


def _header(c: Comparison) -> str:
    filt = f" · themes <b>{_e(', '.join(c.themes_filter))}</b>" if c.themes_filter else ""
    src, tgt = short_title(c.source_title), short_title(c.target_title)
    full = ""
    if (src, tgt) != (c.source_title, c.target_title):
        full = (
            f'<p class="meta"><span{_lang(c.source_title)}>{_e(c.source_title)}</span><br>'
            f"<span{_lang(c.target_title)}>{_e(c.target_title)}</span></p>"
        )
    return f"""<header class="top">
<h1><span{_lang(src)}>{_e(src)}</span> <span class="vs">compared with</span>
<span{_lang(tgt)}>{_e(tgt)}</span></h1>{full}
<p class="meta"><code>{_e(c.source_doc)}</code> → <code>{_e(c.target_doc)}</code> · level <b>{_e(c.level)}</b>
· model <code>{_e(c.model)}</code> · threshold <b>{c.threshold:g}</b>{filt} · schema {_e(c.schema_version)}</p>
</header>"""


def _nav(c: Comparison) -> str:
    s = summary(c)
    gaps = sum(len(v) for v in unreached(c).values()) + len(unmatched(c))
    items = [
        ("summary", "Summary", ""),
        ("themes", "Themes", ""),
        ("heatmap", "Coverage heatmap", ""),
        ("alignment", "Alignment", f"{s['source_clauses']}"),
        ("gaps", "Gaps", f"{gaps}"),
    ]
    links = "".join(
        f'<li><a href="#{i}">{_e(t)}</a>' + (f' <span class="n">({n})</span>' if n else "") + "</li>"
        for i, t, n in items
    )
    return f'<nav class="toc" aria-label="Contents"><ol>{links}</ol></nav>'


def _summary(c: Comparison) -> str:
    s = summary(c)
    n = s["source_clauses"]
    rel = relation_counts(c)
    stack = "".join(
        f'<span style="width:{100 * k / max(1, n):.2f}%;background:{_relation_colour(r)}" title="{_e(r)}: {k}"></span>'
        for r, k in rel.items()
        if k
    )
    legend = "".join(f"<span>{_badge(r)} {k}</span>" for r, k in rel.items())
    return f"""<section id="summary"><h2>Summary</h2>
<div class="cards">
<div class="card"><div class="big">{n}</div><div class="lbl">source clauses compared</div></div>
<div class="card"><div class="big">{_pct(c.matched_share)}</div>
<div class="lbl">with a counterpart in {_e(_tgt(c))} ({s["with_counterpart"]} of {n})</div></div>
<div class="card"><div class="big">{s["target_units_reached"]} <span class="lbl">of {s["target_units"]}</span></div>
<div class="lbl">{_e(_tgt(c))} units reached by some source clause</div></div>
<div class="card wide"><div class="lbl">Relation of each source clause to its best match</div>
<div class="stack" role="img" aria-label="relations">{stack}</div><div class="legend">{legend}</div></div>
</div></section>"""


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
        f'<title id="theme-chart-title">Theme profiles of {_e(_src(c))} and {_e(_tgt(c))}, '
        "and the share of source clauses with a counterpart per theme</title>",
        f'<text class="panel" x="{p1x}" y="16">Theme profile: share of clauses carrying the theme</text>',
        f'<text class="panel" x="{p2x}" y="16">Source clauses with a counterpart</text>',
    ]
    step = 0.1 if scale <= 0.6 else 0.2
    ticks = [(p1x + p1w * k * step / scale, k * step) for k in range(int(scale / step + 1e-9) + 1)]
    ticks += [(p2x + p2w * f, f) for f in (0.0, 0.25, 0.5, 0.75, 1.0)]
    for x, value in ticks:
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 8}" y2="{height - 4}" stroke="#e5e9ee"/>')
        out.append(f'<text class="axis" x="{x:.1f}" y="{top - 14}" text-anchor="middle">{_pct(value)}</text>')
    for i, t in enumerate(themes):
        y = top + i * row_h
        out.append(f'<text x="{label_w - 10}" y="{y + bar_h + 3}" text-anchor="end">{_e(t)}</text>')
        for j, (value, colour, who) in enumerate(
            (
                (c.source_profile.get(t, 0.0), SOURCE_COLOUR, _src(c)),
                (c.target_profile.get(t, 0.0), TARGET_COLOUR, _tgt(c)),
            )
        ):
            by = y + j * (bar_h + 2)
            w = p1w * min(1.0, value / scale)
            out.append(
                f'<rect x="{p1x}" y="{by}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="{colour}" rx="2">'
                f"<title>{_e(who)}: {_pct(value)} of clauses carry {_e(t)}</title></rect>"
            )
            out.append(f'<text class="val" x="{p1x + w + 4:.1f}" y="{by + bar_h - 2}">{_pct(value)}</text>')
        n, m = cover.get(t, (0, 0))
        cy = y + (bar_h + 2) // 2
        if n:
            w = p2w * m / n
            out.append(
                f'<rect x="{p2x}" y="{cy}" width="{max(w, 0.5):.1f}" height="{bar_h}" fill="{COVER_COLOUR}" rx="2">'
                f"<title>{_e(t)}: {m} of {n} source clauses have a counterpart</title></rect>"
            )
            out.append(f'<text class="val" x="{p2x + w + 4:.1f}" y="{cy + bar_h - 2}">{_pct(m / n)} ({m}/{n})</text>')
        else:
            out.append(f'<text class="val" x="{p2x}" y="{cy + bar_h - 2}">no source clause</text>')
    out.append("</svg>")
    legend = "".join(
        f'<span><span class="sw" style="background:{colour}"></span><span{_lang(text)}>{_e(text)}</span></span>'
        for colour, text in (
            (SOURCE_COLOUR, f"{_src(c)} (source)"),
            (TARGET_COLOUR, f"{_tgt(c)} (target)"),
            (COVER_COLOUR, "source clauses with a counterpart"),
        )
    )
    return "\n".join(out) + f'\n<figcaption class="legend">{legend}</figcaption>'


def _themes(c: Comparison) -> str:
    cover = c.coverage_by_theme()
    rows = "".join(
        f"<tr><td>{_e(t)}</td><td>{_pct(c.source_profile.get(t, 0.0))}</td>"
        f"<td>{_pct(c.target_profile.get(t, 0.0))}</td>"
        f"<td>{cover.get(t, (0, 0))[1]} of {cover.get(t, (0, 0))[0]}</td></tr>"
        for t in theme_order(c)
        if t in c.source_profile or t in c.target_profile or t in cover
    )
    return f"""<section id="themes"><h2>Themes</h2>
<p class="note">Left: the share of each document's clauses that carry a theme. Right: of the source clauses
with a theme, the share that found a counterpart in {_e(_tgt(c))} (score ≥ {c.threshold:g}).</p>
<figure>{theme_chart(c)}</figure>
<details class="noprint"><summary>The numbers as a table</summary><table class="nums">
<thead><tr><th>Theme</th><th>Source profile</th><th>Target profile</th><th>Source clauses with a counterpart</th></tr>
</thead><tbody>{rows}</tbody></table></details>
</section>"""


def heatmap_table(c: Comparison) -> str:
    chapters, sections, counts = c.heatmap()
    top = max([max(r, default=0) for r in counts] or [0])
    vertical = len(sections) > 6 or any(len(s) > 14 for s in sections)
    cls = ' class="v"' if vertical else ""
    head = "".join(f'<th scope="col"{cls}{_lang(s)} title="{_e(s)}">{_e(shorten(s, 40))}</th>' for s in sections)
    body = []
    for chapter, row in zip(chapters, counts):
        cells = []
        for section, k in zip(sections, row):
            bg, fg = _heat(k, top)
            tip = f"{k} source clause(s) of {section} best match {chapter}"
            cells.append(f'<td style="background:{bg};color:{fg}" title="{_e(tip)}">{k}</td>')
        body.append(
            f'<tr><th scope="row">{_e(chapter or "(no chapter)")}</th>{"".join(cells)}'
            f'<td class="tot">{sum(row)}</td></tr>'
        )
    col_tot = "".join(f'<td class="tot">{sum(r[j] for r in counts)}</td>' for j in range(len(sections)))
    body.append(
        f'<tr><th scope="row" class="tot">All chapters</th>{col_tot}<td class="tot">{sum(map(sum, counts))}</td></tr>'
    )
    steps = sorted({0, *(round(top * f) for f in (0.25, 0.5, 0.75)), top}) if top else [0]
    scale = "".join(f'<span style="background:{_heat(k, top)[0]};color:{_heat(k, top)[1]}">{k}</span>' for k in steps)
    return f"""<div class="scroll"><table class="heat" id="heatmap-table">
<thead><tr><th>{_e(_tgt(c))} chapter ↓ · source section →</th>{head}<th class="tot">Total</th></tr></thead>
<tbody>{"".join(body)}</tbody></table></div>
<p class="legend">Cell: source clauses whose best match lies in the chapter.
<span class="heatscale" aria-label="colour scale">{scale}</span></p>"""


def _heatmap(c: Comparison) -> str:
    return f"""<section id="heatmap"><h2>Coverage heatmap</h2>
<p class="note">Rows are the chapters of {_e(_tgt(c))}, columns the sections of {_e(_src(c))};
each source clause counts once, in the chapter of its best match. Empty rows are chapters no source clause
reaches first.</p>
{heatmap_table(c)}</section>"""


def _side_text(s: Side, terms: tuple[str, ...] | list[str]) -> str:
    lang = _lang(s.text)
    if len(s.text) <= LONG_TEXT:
        return f'<div class="text"{lang}>{highlight(s.text, terms)}</div>'
    return (
        f'<details class="fold"><summary{lang}>{highlight(shorten(s.text, 260), terms)}</summary>'
        f'<div class="text"{lang}>{highlight(s.text, terms)}</div></details>'
    )


def _match_block(m: Match) -> str:
    title = f" <span>{_e(m.title)}</span>" if m.title else ""
    ranks = [
        f"meaning #{m.dense_rank}" if m.dense_rank else "",
        f"keywords #{m.keyword_rank}" if m.keyword_rank else "",
    ]
    ranks_txt = " · ".join(r for r in ranks if r)
    terms = "".join(f'<span class="chip term"{_lang(t)}>{_e(t)}</span>' for t in m.shared_terms)
    quotes = "".join(
        f'<div class="quote"><span class="ref">{_e(s.ref)}</span> {_chips(s.themes, s.obligation)}'
        f'<div class="text"{_lang(s.text)}>{highlight(s.text, counterpart_terms(m.shared_terms, s.text))}</div></div>'
        for s in m.matched
    )
    refs = ", ".join(s.ref for s in m.matched)
    folded = f"<details><summary>Matched text: {_e(shorten(refs, 80))}</summary>{quotes}</details>" if m.matched else ""
    return f"""<div class="match"><div class="head"><span class="ref">{_e(m.ref)}</span>{title}
{_badge(m.relation)} <b>{m.score:.2f}</b></div>
<div class="chapter">{_e(m.chapter)}</div>
{f'<div class="terms">shared: {terms}</div>' if terms else ""}
<div class="why">{_e(m.reason)}{f" · {_e(ranks_txt)}" if ranks_txt else ""}</div>{folded}</div>"""


def _alignment_row(a: Alignment, c: Comparison) -> str:
    s = a.source
    terms = list(dict.fromkeys(t for m in a.matches for t in m.shared_terms))
    title = f" {_e(s.title)}" if s.title else ""
    actor = f' <span class="sec">binds {_e(s.actor)}</span>' if s.actor else ""
    best = a.matches[0] if a.matches else None
    score = f"<b>{best.score:.2f}</b>{_meter(best.score)}" if best else "–"
    targets = (
        "".join(_match_block(m) for m in a.matches)
        if a.matches
        else f'<span class="nomatch">No {_e(_tgt(c))} unit scores ≥ {c.threshold:g}.</span>'
    )
    return f"""<tr id="src-{_e(s.id)}" data-relation="{_e(a.relation)}" data-themes="{_e(" ".join(s.themes))}">
<td class="src"><span class="ref"{_lang(s.ref)}>{_e(s.ref)}</span>{title}
<div class="sec"{_lang(s.section)}>{_e(s.section)}</div><div>{_chips(s.themes, s.obligation)}{actor}</div>
{_side_text(s, terms)}</td>
<td class="rel">{_badge(a.relation)}</td><td class="score">{score}</td><td class="tgt">{targets}</td></tr>"""


def _alignment(c: Comparison) -> str:
    rels = "".join(f'<option value="{_e(r)}">{_e(r)}</option>' for r in relation_counts(c))
    themes = "".join(f'<option value="{_e(t)}">{_e(t)}</option>' for t in theme_order(c))
    legend = "".join(f"<span>{_badge(r)} {_e(h)}</span>" for r, h in RELATION_HELP.items())
    rows = "\n".join(_alignment_row(a, c) for a in c.alignments)
    return f"""<section id="alignment"><h2>Alignment</h2>
<p class="note">Each source clause with the units of {_e(_tgt(c))} it matches, best first. The relation reads
source relative to target. Words and concepts found on both sides are <mark>marked</mark>.</p>
<div class="legend">{legend}</div>
<div class="filters" id="filters" hidden>
<label>Find <input id="f-text" type="search" placeholder="text, reference…"></label>
<label>Relation <select id="f-rel"><option value="">all</option>{rels}</select></label>
<label>Theme <select id="f-theme"><option value="">all</option>{themes}</select></label>
<span id="f-count" class="sec"></span></div>
<table class="align" id="alignment-table">
<thead><tr><th>Source clause</th><th>Relation</th><th>Score</th><th>{_e(_tgt(c))} units</th></tr></thead>
<tbody>
{rows}
</tbody></table></section>"""


def _gaps(c: Comparison) -> str:
    gaps = unreached(c)
    n_gaps = sum(len(v) for v in gaps.values())
    per_chapter: dict[str, int] = {}
    for u in c.target_units:
        per_chapter[u.chapter] = per_chapter.get(u.chapter, 0) + 1
    blocks = []
    for chapter, units in gaps.items():
        items = "".join(
            f'<li><span class="ref">{_e(u.ref)}</span> {_e(u.title)} {_chips(u.themes, u.obligation)}</li>'
            for u in units
        )
        blocks.append(
            f'<div><h4>{_e(chapter or "(no chapter)")} <span class="sec">{len(units)} of '
            f'{per_chapter.get(chapter, len(units))} not reached</span></h4><ul class="units">{items}</ul></div>'
        )
    by_theme = c.gaps_by_theme()
    theme_rows = "".join(
        f"<tr><td>{_e(t)}</td><td>{by_theme[t][0]}</td><td>{by_theme[t][1]}</td></tr>"
        for t in theme_order(c)
        if t in by_theme
    )
    theme_table = (
        '<table class="gaptheme"><thead><tr><th>Theme</th><th>Units with the theme</th><th>Not reached</th></tr>'
        f"</thead><tbody>{theme_rows}</tbody></table>"
        if theme_rows and blocks
        else ""
    )
    lone = unmatched(c)
    lone_items = "".join(
        f'<li><span class="ref"{_lang(a.source.ref)}>{_e(a.source.ref)}</span> '
        f'<span class="sec"{_lang(a.source.section)}>{_e(a.source.section)}</span> '
        f"{_chips(a.source.themes, a.source.obligation)}{_side_text(a.source, [])}</li>"
        for a in lone
    )
    return f"""<section id="gaps"><h2>Gaps</h2>
<h3 id="gaps-target">{_e(_tgt(c))} units no source clause reaches ({n_gaps} of {len(c.target_units)})</h3>
{theme_table}
{'<div class="gapgrid">' + "".join(blocks) + "</div>" if blocks else '<p class="note">Every unit is reached.</p>'}
<h3 id="gaps-source">Source clauses with no counterpart ({len(lone)} of {len(c.alignments)})</h3>
{f'<ul class="lone">{lone_items}</ul>' if lone else '<p class="note">Every source clause has a counterpart.</p>'}
</section>"""


def to_html(c: Comparison) -> str:
    title = f"{c.source_title} compared with {c.target_title} — NormScope"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="NormScope">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
{_header(c)}
{_nav(c)}
<main>
{_summary(c)}
{_themes(c)}
{_heatmap(c)}
{_alignment(c)}
{_gaps(c)}
</main>
<footer>NormScope comparison · schema {_e(c.schema_version)} · scores are the reranker's probability that
two units correspond; relations are decided as the reason column says.</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
