"""Text renderings of a Comparison: Markdown for a memo, CSV for a spreadsheet, JSON for machines.

JSON and CSV read back: `from_json(to_json(c)) == c`, and `from_csv(to_csv(c)) == csv_rows(c)`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import asdict, fields
from typing import Any

from .types import RELATIONS, Alignment, Comparison, Match, Side, TargetUnit

CSV_FIELDS = (
    "source_doc",
    "source_id",
    "source_ref",
    "source_title",
    "source_section",
    "source_text",
    "source_themes",
    "source_obligation",
    "source_actor",
    "target_doc",
    "target_unit",
    "target_ref",
    "target_title",
    "target_chapter",
    "rank",
    "relation",
    "score",
    "matched_refs",
    "matched_themes",
    "matched_obligations",
    "shared_terms",
    "reason",
    "dense_rank",
    "keyword_rank",
)
LIST_SEP = "; "  # joins list values inside one CSV cell


# ------------------------------------------------------------------ summary numbers


def relation_counts(c: Comparison) -> dict[str, int]:
    """Source clauses per relation of their best match, every relation listed (`none`: no counterpart)."""
    n = Counter(a.relation for a in c.alignments)
    return {r: n.get(r, 0) for r in RELATIONS} | {r: k for r, k in n.items() if r not in RELATIONS}


def theme_order(c: Comparison) -> list[str]:
    """Themes in taxonomy order, then any others the comparison mentions."""
    from .theme_taxonomy import theme_names

    seen = [*c.source_profile, *c.target_profile, *c.coverage_by_theme()]
    known = list(theme_names())
    return known + [t for t in dict.fromkeys(seen) if t not in known]


def unreached(c: Comparison) -> dict[str, list[TargetUnit]]:
    """Target units no source clause reaches, grouped by chapter (in document order)."""
    out: dict[str, list[TargetUnit]] = {}
    for u in c.target_units:
        if not u.reached_by:
            out.setdefault(u.chapter, []).append(u)
    return out


def unmatched(c: Comparison) -> list[Alignment]:
    """Source clauses with no counterpart."""
    return [a for a in c.alignments if not a.matches]


def summary(c: Comparison) -> dict[str, Any]:
    cover = c.coverage_by_theme()
    reached = sum(1 for u in c.target_units if u.reached_by)
    return {
        "source_clauses": len(c.alignments),
        "with_counterpart": sum(1 for a in c.alignments if a.matches),
        "matched_share": c.matched_share,
        "relations": relation_counts(c),
        "target_units": len(c.target_units),
        "target_units_reached": reached,
        "coverage_by_theme": {
            t: {"clauses": cover[t][0], "with_counterpart": cover[t][1]} for t in theme_order(c) if t in cover
        },
    }


def shorten(text: str, limit: int = 160) -> str:
    """One line, at most `limit` characters, cut at a word boundary where there is one."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def short_title(title: str, limit: int = 90) -> str:
    """A document's name for running text: the title up to its first ", ", " - " or " laying down "
    (official titles go on with dates and publication details), at most `limit` characters."""
    head = re.split(r",\s|\s[-–—]\s|\slaying down\s", title, maxsplit=1)[0].strip()
    return shorten(head or title, limit)


def pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# ------------------------------------------------------------------ Markdown


def _cell(text: str) -> str:
    """Safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def _match_cell(m: Match) -> str:
    title = f" {m.title}" if m.title else ""
    return f"**{m.ref}**{title} ({m.relation}, {m.score:.2f})"


def to_markdown(c: Comparison) -> str:
    s = summary(c)
    cover = c.coverage_by_theme()
    out = [
        f"# {c.source_title} compared with {c.target_title}",
        "",
        f"`{c.source_doc}` → `{c.target_doc}` · level {c.level} · model `{c.model}` · threshold {c.threshold:g}"
        + (f" · themes {', '.join(c.themes_filter)}" if c.themes_filter else "")
        + f" · schema {c.schema_version}",
        "",
        "## Summary",
        "",
        f"- Source clauses compared: **{s['source_clauses']}**",
        f"- With a counterpart in {short_title(c.target_title)}: **{s['with_counterpart']}** ({pct(c.matched_share)})",
        f"- Target units reached: **{s['target_units_reached']}** of {s['target_units']}",
        "- Best match relation: " + ", ".join(f"{r} {n}" for r, n in s["relations"].items()),
        "",
        "Share of source clauses with a counterpart, by theme:",
        "",
        "| Theme | Source clauses | With a counterpart | Share |",
        "|---|---:|---:|---:|",
    ]
    for t in theme_order(c):
        if t in cover:
            n, m = cover[t]
            out.append(f"| {t} | {n} | {m} | {pct(m / n) if n else '–'} |")
    out += [
        "",
        "## Theme profiles",
        "",
        "Share of each document's clauses that carry the theme.",
        "",
        f"| Theme | {_cell(short_title(c.source_title))} | {_cell(short_title(c.target_title))} |",
        "|---|---:|---:|",
    ]
    for t in theme_order(c):
        if t in c.source_profile or t in c.target_profile:
            out.append(f"| {t} | {pct(c.source_profile.get(t, 0.0))} | {pct(c.target_profile.get(t, 0.0))} |")
    out += [
        "",
        "## Alignment",
        "",
        f"| Source | Text | {_cell(short_title(c.target_title))} units (relation, score) |",
        "|---|---|---|",
    ]
    for a in c.alignments:
        matches = "<br>".join(_match_cell(m) for m in a.matches) or "— none —"
        out.append(f"| **{_cell(a.source.ref)}** | {_cell(shorten(a.source.text))} | {matches} |")
    gaps = unreached(c)
    n_gaps = sum(len(v) for v in gaps.values())
    out += ["", "## Gaps", "", f"### {short_title(c.target_title)}: units no source clause reaches ({n_gaps})", ""]
    if not gaps:
        out.append("Every target unit is reached.")
    by_theme = c.gaps_by_theme()
    if gaps and by_theme:
        out += ["By theme:", "", "| Theme | Units with the theme | Not reached |", "|---|---:|---:|"]
        out += [f"| {t} | {by_theme[t][0]} | {by_theme[t][1]} |" for t in theme_order(c) if t in by_theme]
        out += ["", "By chapter:", ""]
    for chapter, units in gaps.items():
        out += [f"**{chapter or '(no chapter)'}**", ""]
        for u in units:
            themes = f" · {', '.join(u.themes)}" if u.themes else ""
            out.append(f"- {u.ref}" + (f" — {u.title}" if u.title else "") + themes)
        out.append("")
    lone = unmatched(c)
    out += ["", f"### {short_title(c.source_title)}: clauses with no counterpart ({len(lone)})", ""]
    if not lone:
        out.append("Every source clause has a counterpart.")
    for a in lone:
        themes = f" · {', '.join(a.source.themes)}" if a.source.themes else ""
        out.append(f"- **{a.source.ref}** {shorten(a.source.text, 200)}{themes}")
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------ CSV


def _join(values: tuple[str, ...] | list[str]) -> str:
    return LIST_SEP.join(values)


def _rank(r: int | None) -> str:
    return "" if r is None else str(r)


def csv_rows(c: Comparison) -> list[dict[str, str]]:
    """One row per (source clause, match); a clause without a counterpart gets one row with relation `none`."""
    rows = []
    for a in c.alignments:
        s = a.source
        base = {
            "source_doc": s.doc,
            "source_id": s.id,
            "source_ref": s.ref,
            "source_title": s.title,
            "source_section": s.section,
            "source_text": s.text,
            "source_themes": _join(s.themes),
            "source_obligation": s.obligation,
            "source_actor": s.actor,
            "target_doc": c.target_doc,
        }
        empty = dict.fromkeys(CSV_FIELDS, "")
        if not a.matches:
            rows.append(empty | base | {"relation": "none"})
        for i, m in enumerate(a.matches, 1):
            rows.append(
                empty
                | base
                | {
                    "target_unit": m.unit,
                    "target_ref": m.ref,
                    "target_title": m.title,
                    "target_chapter": m.chapter,
                    "rank": str(i),
                    "relation": m.relation,
                    "score": f"{m.score:.4f}",
                    "matched_refs": _join([t.ref for t in m.matched]),
                    "matched_themes": _join(list(dict.fromkeys(x for t in m.matched for x in t.themes))),
                    "matched_obligations": _join(list(dict.fromkeys(t.obligation for t in m.matched))),
                    "shared_terms": _join(m.shared_terms),
                    "reason": m.reason,
                    "dense_rank": _rank(m.dense_rank),
                    "keyword_rank": _rank(m.keyword_rank),
                }
            )
    return rows


def to_csv(c: Comparison) -> str:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(csv_rows(c))
    return buf.getvalue()


def from_csv(text: str) -> list[dict[str, str]]:
    """The rows of `to_csv`, as strings (a byte-order mark, if a spreadsheet added one, is ignored)."""
    return [dict(r) for r in csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))]


# ------------------------------------------------------------------ JSON


def comparison_dict(c: Comparison) -> dict[str, Any]:
    """The Comparison as plain JSON values: `schema_version` first, then the computed `summary`."""
    return {
        "schema_version": c.schema_version,
        "summary": summary(c),
        "source_doc": c.source_doc,
        "source_title": c.source_title,
        "target_doc": c.target_doc,
        "target_title": c.target_title,
        "level": c.level,
        "themes_filter": list(c.themes_filter),
        "model": c.model,
        "threshold": c.threshold,
        "source_profile": dict(c.source_profile),
        "target_profile": dict(c.target_profile),
        "alignments": [
            {"source": asdict(a.source), "relation": a.relation, "matches": [asdict(m) for m in a.matches]}
            for a in c.alignments
        ],
        "target_units": [asdict(u) for u in c.target_units],
    }


def to_json(c: Comparison, indent: int | None = 2) -> str:
    return json.dumps(comparison_dict(c), ensure_ascii=False, indent=indent) + "\n"


def _record(cls: Any, d: dict[str, Any]) -> Any:
    """A record from its JSON dict: lists become tuples, unknown keys are ignored."""
    return cls(**{f.name: tuple(d[f.name]) if isinstance(d[f.name], list) else d[f.name] for f in fields(cls)})


def _side(d: dict[str, Any]) -> Side:
    return _record(Side, d)


def _match(d: dict[str, Any]) -> Match:
    return _record(Match, {**d, "score": float(d["score"]), "matched": [_side(s) for s in d["matched"]]})


def _unit(d: dict[str, Any]) -> TargetUnit:
    return _record(TargetUnit, d)


def from_json(text: str) -> Comparison:
    """Read `to_json` output back (the computed `summary` and per-alignment `relation` are ignored)."""
    d = json.loads(text)
    return Comparison(
        schema_version=d["schema_version"],
        source_doc=d["source_doc"],
        source_title=d["source_title"],
        target_doc=d["target_doc"],
        target_title=d["target_title"],
        level=d["level"],
        themes_filter=tuple(d["themes_filter"]),
        model=d["model"],
        threshold=float(d["threshold"]),
        alignments=tuple(
            Alignment(source=_side(a["source"]), matches=tuple(_match(m) for m in a["matches"]))
            for a in d["alignments"]
        ),
        target_units=tuple(_unit(u) for u in d["target_units"]),
        source_profile={k: float(v) for k, v in d["source_profile"].items()},
        target_profile={k: float(v) for k, v in d["target_profile"].items()},
    )
