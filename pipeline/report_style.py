"""How comparison reports look: colours, the page's CSS and its small inline script (data for
report_html.py and report_charts.py)."""

from __future__ import annotations

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
