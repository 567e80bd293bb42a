"""A Comparison as ONE self-contained HTML page: inline CSS, SVG charts drawn here, no network.

Sections: summary, theme chart (SVG), coverage heatmap (coloured table), alignment table (shared
terms marked, target text in <details>), gaps. Readable without JavaScript; the little inline
script only adds table filters and opens every <details> before printing.
"""

from __future__ import annotations

import re

from .concepts import Concepts, load_concepts
from .errors import NormScopeError
from .report_charts import esc, heatmap_table, lang_attr, pct, src_label, tgt_label, theme_chart
from .report_style import CSS, RELATION_COLOURS, RELATION_HELP, SCRIPT, SOURCE_COLOUR, TARGET_COLOUR
from .report_text import relation_counts, short_title, shorten, summary, theme_order, unmatched, unreached
from .types import Alignment, Comparison, Match, Side

__all__ = ["SOURCE_COLOUR", "TARGET_COLOUR", "counterpart_terms", "highlight", "to_html"]

LONG_TEXT = 420  # characters; longer source texts fold into <details>

# ------------------------------------------------------------------ small helpers


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
        return esc(text)
    out, last = [], 0
    for m in rx.finditer(text):
        out.append(esc(text[last : m.start()]))
        out.append(f"<mark>{esc(m.group(0))}</mark>")
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def _relation_colour(relation: str) -> str:
    return RELATION_COLOURS.get(relation, RELATION_COLOURS["none"])[0]


def _badge(relation: str) -> str:
    fg, bg = RELATION_COLOURS.get(relation, RELATION_COLOURS["none"])
    tip = RELATION_HELP.get(relation, "")
    return (
        f'<span class="badge" style="color:{fg};background:{bg};border-color:{fg}" title="{esc(tip)}">'
        f"{esc(relation)}</span>"
    )


def _chips(themes: tuple[str, ...], obligation: str = "") -> str:
    out = "".join(f'<span class="chip">{esc(t)}</span>' for t in themes)
    if obligation and obligation != "none":
        out += f'<span class="chip ob {esc(obligation)}">{esc(obligation)}</span>'
    return out


def _meter(score: float) -> str:
    w = max(0.0, min(1.0, score)) * 100
    return f'<div class="meter" aria-hidden="true"><span style="width:{w:.0f}%"></span></div>'


def _header(c: Comparison) -> str:
    filt = f" · themes <b>{esc(', '.join(c.themes_filter))}</b>" if c.themes_filter else ""
    src, tgt = short_title(c.source_title), short_title(c.target_title)
    full = ""
    if (src, tgt) != (c.source_title, c.target_title):
        full = (
            f'<p class="meta"><span{lang_attr(c.source_title)}>{esc(c.source_title)}</span><br>'
            f"<span{lang_attr(c.target_title)}>{esc(c.target_title)}</span></p>"
        )
    return f"""<header class="top">
<h1><span{lang_attr(src)}>{esc(src)}</span> <span class="vs">compared with</span>
<span{lang_attr(tgt)}>{esc(tgt)}</span></h1>{full}
<p class="meta"><code>{esc(c.source_doc)}</code> → <code>{esc(c.target_doc)}</code> · level <b>{esc(c.level)}</b>
· model <code>{esc(c.model)}</code> · threshold <b>{c.threshold:g}</b>{filt} · schema {esc(c.schema_version)}</p>
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
        f'<li><a href="#{i}">{esc(t)}</a>' + (f' <span class="n">({n})</span>' if n else "") + "</li>"
        for i, t, n in items
    )
    return f'<nav class="toc" aria-label="Contents"><ol>{links}</ol></nav>'


def _summary(c: Comparison) -> str:
    s = summary(c)
    n = s["source_clauses"]
    rel = relation_counts(c)
    stack = "".join(
        f'<span style="width:{100 * k / max(1, n):.2f}%;background:{_relation_colour(r)}" title="{esc(r)}: {k}"></span>'
        for r, k in rel.items()
        if k
    )
    legend = "".join(f"<span>{_badge(r)} {k}</span>" for r, k in rel.items())
    return f"""<section id="summary"><h2>Summary</h2>
<div class="cards">
<div class="card"><div class="big">{n}</div><div class="lbl">source clauses compared</div></div>
<div class="card"><div class="big">{pct(c.matched_share)}</div>
<div class="lbl">with a counterpart in {esc(tgt_label(c))} ({s["with_counterpart"]} of {n})</div></div>
<div class="card"><div class="big">{s["target_units_reached"]} <span class="lbl">of {s["target_units"]}</span></div>
<div class="lbl">{esc(tgt_label(c))} units reached by some source clause</div></div>
<div class="card wide"><div class="lbl">Relation of each source clause to its best match</div>
<div class="stack" role="img" aria-label="relations">{stack}</div><div class="legend">{legend}</div></div>
</div></section>"""


def _themes(c: Comparison) -> str:
    cover = c.coverage_by_theme()
    rows = "".join(
        f"<tr><td>{esc(t)}</td><td>{pct(c.source_profile.get(t, 0.0))}</td>"
        f"<td>{pct(c.target_profile.get(t, 0.0))}</td>"
        f"<td>{cover.get(t, (0, 0))[1]} of {cover.get(t, (0, 0))[0]}</td></tr>"
        for t in theme_order(c)
        if t in c.source_profile or t in c.target_profile or t in cover
    )
    return f"""<section id="themes"><h2>Themes</h2>
<p class="note">Left: the share of each document's clauses that carry a theme. Right: of the source clauses
with a theme, the share that found a counterpart in {esc(tgt_label(c))} (score ≥ {c.threshold:g}).</p>
<figure>{theme_chart(c)}</figure>
<details class="noprint"><summary>The numbers as a table</summary><table class="nums">
<thead><tr><th>Theme</th><th>Source profile</th><th>Target profile</th><th>Source clauses with a counterpart</th></tr>
</thead><tbody>{rows}</tbody></table></details>
</section>"""


def _heatmap(c: Comparison) -> str:
    return f"""<section id="heatmap"><h2>Coverage heatmap</h2>
<p class="note">Rows are the chapters of {esc(tgt_label(c))}, columns the sections of {esc(src_label(c))};
each source clause counts once, in the chapter of its best match. Empty rows are chapters no source clause
reaches first.</p>
{heatmap_table(c)}</section>"""


def _side_text(s: Side, terms: tuple[str, ...] | list[str]) -> str:
    lang = lang_attr(s.text)
    if len(s.text) <= LONG_TEXT:
        return f'<div class="text"{lang}>{highlight(s.text, terms)}</div>'
    return (
        f'<details class="fold"><summary{lang}>{highlight(shorten(s.text, 260), terms)}</summary>'
        f'<div class="text"{lang}>{highlight(s.text, terms)}</div></details>'
    )


def _match_block(m: Match) -> str:
    title = f" <span>{esc(m.title)}</span>" if m.title else ""
    ranks = [
        f"meaning #{m.dense_rank}" if m.dense_rank else "",
        f"keywords #{m.keyword_rank}" if m.keyword_rank else "",
    ]
    ranks_txt = " · ".join(r for r in ranks if r)
    terms = "".join(f'<span class="chip term"{lang_attr(t)}>{esc(t)}</span>' for t in m.shared_terms)
    quotes = "".join(
        f'<div class="quote"><span class="ref">{esc(s.ref)}</span> {_chips(s.themes, s.obligation)}'
        f'<div class="text"{lang_attr(s.text)}>'
        f"{highlight(s.text, counterpart_terms(m.shared_terms, s.text))}</div></div>"
        for s in m.matched
    )
    refs = ", ".join(s.ref for s in m.matched)
    folded = (
        f"<details><summary>Matched text: {esc(shorten(refs, 80))}</summary>{quotes}</details>" if m.matched else ""
    )
    return f"""<div class="match"><div class="head"><span class="ref">{esc(m.ref)}</span>{title}
{_badge(m.relation)} <b>{m.score:.2f}</b></div>
<div class="chapter">{esc(m.chapter)}</div>
{f'<div class="terms">shared: {terms}</div>' if terms else ""}
<div class="why">{esc(m.reason)}{f" · {esc(ranks_txt)}" if ranks_txt else ""}</div>{folded}</div>"""


def _alignment_row(a: Alignment, c: Comparison) -> str:
    s = a.source
    terms = list(dict.fromkeys(t for m in a.matches for t in m.shared_terms))
    title = f" {esc(s.title)}" if s.title else ""
    actor = f' <span class="sec">binds {esc(s.actor)}</span>' if s.actor else ""
    best = a.matches[0] if a.matches else None
    score = f"<b>{best.score:.2f}</b>{_meter(best.score)}" if best else "–"
    targets = (
        "".join(_match_block(m) for m in a.matches)
        if a.matches
        else f'<span class="nomatch">No {esc(tgt_label(c))} unit scores ≥ {c.threshold:g}.</span>'
    )
    return f"""<tr id="src-{esc(s.id)}" data-relation="{esc(a.relation)}" data-themes="{esc(" ".join(s.themes))}">
<td class="src"><span class="ref"{lang_attr(s.ref)}>{esc(s.ref)}</span>{title}
<div class="sec"{lang_attr(s.section)}>{esc(s.section)}</div><div>{_chips(s.themes, s.obligation)}{actor}</div>
{_side_text(s, terms)}</td>
<td class="rel">{_badge(a.relation)}</td><td class="score">{score}</td><td class="tgt">{targets}</td></tr>"""


def _alignment(c: Comparison) -> str:
    rels = "".join(f'<option value="{esc(r)}">{esc(r)}</option>' for r in relation_counts(c))
    themes = "".join(f'<option value="{esc(t)}">{esc(t)}</option>' for t in theme_order(c))
    legend = "".join(f"<span>{_badge(r)} {esc(h)}</span>" for r, h in RELATION_HELP.items())
    rows = "\n".join(_alignment_row(a, c) for a in c.alignments)
    return f"""<section id="alignment"><h2>Alignment</h2>
<p class="note">Each source clause with the units of {esc(tgt_label(c))} it matches, best first. The relation reads
source relative to target. Words and concepts found on both sides are <mark>marked</mark>.</p>
<div class="legend">{legend}</div>
<div class="filters" id="filters" hidden>
<label>Find <input id="f-text" type="search" placeholder="text, reference…"></label>
<label>Relation <select id="f-rel"><option value="">all</option>{rels}</select></label>
<label>Theme <select id="f-theme"><option value="">all</option>{themes}</select></label>
<span id="f-count" class="sec"></span></div>
<table class="align" id="alignment-table">
<thead><tr><th>Source clause</th><th>Relation</th><th>Score</th><th>{esc(tgt_label(c))} units</th></tr></thead>
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
            f'<li><span class="ref">{esc(u.ref)}</span> {esc(u.title)} {_chips(u.themes, u.obligation)}</li>'
            for u in units
        )
        blocks.append(
            f'<div><h4>{esc(chapter or "(no chapter)")} <span class="sec">{len(units)} of '
            f'{per_chapter.get(chapter, len(units))} not reached</span></h4><ul class="units">{items}</ul></div>'
        )
    by_theme = c.gaps_by_theme()
    theme_rows = "".join(
        f"<tr><td>{esc(t)}</td><td>{by_theme[t][0]}</td><td>{by_theme[t][1]}</td></tr>"
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
        f'<li><span class="ref"{lang_attr(a.source.ref)}>{esc(a.source.ref)}</span> '
        f'<span class="sec"{lang_attr(a.source.section)}>{esc(a.source.section)}</span> '
        f"{_chips(a.source.themes, a.source.obligation)}{_side_text(a.source, [])}</li>"
        for a in lone
    )
    return f"""<section id="gaps"><h2>Gaps</h2>
<h3 id="gaps-target">{esc(tgt_label(c))} units no source clause reaches ({n_gaps} of {len(c.target_units)})</h3>
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
<title>{esc(title)}</title>
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
<footer>NormScope comparison · schema {esc(c.schema_version)} · scores are the reranker's probability that
two units correspond; relations are decided as the reason column says.</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
