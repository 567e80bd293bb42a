"""Text renderings of stored clauses for people (tree, one clause, Markdown) and machines (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict

from .tree import by_parent, depths, own_text
from .types import Clause, DocumentInfo, Footnote, SearchHit, Tags

EXPORT_FIELDS = (
    "doc",
    "id",
    "ref",
    "kind",
    "title",
    "text",
    "parent",
    "order",
    "page_start",
    "page_end",
    "start",
    "end",
    "content_hash",
)


TAG_FIELDS = (
    "language",
    "entities",
    "obligation",
    "obligation_marker",
    "obligation_actor",
    "themes",
    "theme_scores",
    "evidence",
)


def tags_dict(t: Tags) -> dict[str, object]:
    return {
        "language": t.language,
        "entities": [{"text": e.text, "label": e.label, "start": e.start, "end": e.end} for e in t.entities],
        "obligation": t.obligation.type,
        "obligation_marker": t.obligation.marker,
        "obligation_actor": t.obligation.actor,
        "themes": [{"theme": s.theme, "score": s.score} for s in t.scores if s.theme in t.themes],
        "theme_scores": {s.theme: s.score for s in t.scores},
        "evidence": {s.theme: list(s.evidence) for s in t.scores if s.theme in t.themes and s.evidence},
    }


def clause_json(c: Clause, tags: Tags | None = None) -> str:
    d = asdict(c)
    out: dict[str, object] = {k: d[k] for k in EXPORT_FIELDS}
    if tags is not None:
        out.update(tags_dict(tags))
    return json.dumps(out, ensure_ascii=False)


def tags_text(t: Tags) -> str:
    ob = t.obligation
    lines = [f"language: {t.language}"]
    if ob.type != "none":
        lines.append(f"obligation: {ob.type} ({ob.marker}" + (f"; binds {ob.actor})" if ob.actor else ")"))
    else:
        lines.append("obligation: none")
    for s in t.scores:
        if s.theme in t.themes:
            ev = "; ".join(s.evidence[:4])
            lines.append(f"theme: {s.theme} {s.score:.2f}" + (f"  [{ev}]" if ev else ""))
    if t.entities:
        lines.append("entities: " + ", ".join(f"{e.text} ({e.label})" for e in t.entities[:30]))
    return "\n".join(lines)


def theme_table(rows: list[tuple[str, int, dict[str, int]]], themes: tuple[str, ...]) -> str:
    """Per document: how many of its tagged leaf clauses carry each theme (share in %)."""
    short = [t[:6] for t in themes]
    head = f"{'document':48} {'leaves':>6} " + " ".join(f"{s:>6}" for s in short)
    out = [head, "-" * len(head)]
    for slug, n, counts in rows:
        cells = " ".join(f"{100 * counts.get(t, 0) / n:5.0f}%" if n else f"{'-':>6}" for t in themes)
        out.append(f"{slug[:48]:48} {n:6d} {cells}")
    return "\n".join(out)


def tree(clauses: list[Clause], max_depth: int | None = None) -> str:
    d = depths(clauses)
    lines = []
    for c in clauses:
        if max_depth is not None and d[c.id] > max_depth:
            continue
        pages = f"p.{c.page_start}" if c.page_start == c.page_end else f"pp.{c.page_start}-{c.page_end}"
        title = f" — {c.title}" if c.title and c.kind != "document" else ""
        lines.append(f"{'  ' * d[c.id]}{c.ref}{title}  [{c.kind}, {pages}]")
    return "\n".join(lines)


def one(c: Clause, notes: list[Footnote], tags: Tags | None = None) -> str:
    pages = f"page {c.page_start}" if c.page_start == c.page_end else f"pages {c.page_start}-{c.page_end}"
    out = [
        f"{c.ref}" + (f" — {c.title}" if c.title else ""),
        f"{c.id} · {c.kind} · {pages} · chars {c.start}-{c.end}",
        "",
        c.text,
    ]
    if tags is not None:
        out += ["", tags_text(tags)]
    cited = [n for n in notes if n.clause_id == c.id]
    if cited:
        out += ["", "Footnotes:"] + [f"  {n.label} {n.text}" for n in cited]
    return "\n".join(out)


def markdown(info: DocumentInfo, clauses: list[Clause]) -> str:
    d = depths(clauses)
    kids = by_parent(clauses)
    out = [f"# {info.title}", "", f"`{info.slug}` · {info.pages} pages · {len(clauses)} clauses · {info.language}", ""]
    for c in clauses:
        if c.kind == "document":
            text = own_text(c, kids)
            if text:
                out += [text, ""]
            continue
        level = min(6, d[c.id] + 1)
        title = f" — {c.title}" if c.title else ""
        pages = f"p. {c.page_start}" if c.page_start == c.page_end else f"pp. {c.page_start}–{c.page_end}"
        out += [f"{'#' * level} {c.ref}{title}", "", f"<sub>{c.id} · {pages}</sub>", ""]
        text = own_text(c, kids)
        if text:
            out += [text, ""]
    return "\n".join(out)


def docs_table(infos: list[DocumentInfo]) -> str:
    head = f"{'document':48} {'lang':4} {'scheme':14} {'pages':>5} {'clauses':>7} {'hdr/ftr':>7} {'ocr':>3}  title"
    rows = [head, "-" * len(head)]
    for i in infos:
        rows.append(
            f"{i.slug[:48]:48} {i.language:4} {i.scheme[:14]:14} {i.pages:5d} {i.clauses:7d} "
            f"{i.removed_lines:7d} {len(i.needs_ocr_pages):3d}  {i.title[:60]}"
        )
    return "\n".join(rows)


def hit_json(h: SearchHit) -> str:
    return json.dumps(
        {
            "id": h.id,
            "doc": h.doc,
            "ref": h.ref,
            "kind": h.kind,
            "score": h.score,
            "dense_rank": h.dense_rank,
            "keyword_rank": h.keyword_rank,
            "text": h.text,
            "themes": list(h.themes),
            "title": h.title,
            "doc_title": h.doc_title,
            "matched_terms": list(h.matched_terms),
        },
        ensure_ascii=False,
    )


def _why(h: SearchHit) -> str:
    parts = []
    if h.dense_rank:
        parts.append(f"meaning #{h.dense_rank}")
    if h.keyword_rank:
        parts.append(f"keywords #{h.keyword_rank}" + (f" ({', '.join(h.matched_terms)})" if h.matched_terms else ""))
    return "; ".join(parts)


def hits_table(hits: list[SearchHit]) -> str:
    out = []
    for h in hits:
        themes = f"  [{', '.join(h.themes)}]" if h.themes else ""
        out.append(f"{h.rank:2d}. {h.ref} — {h.doc_title[:70]}  ({h.kind}, {h.score:.4f}){themes}")
        out.append(f"    {h.snippet}")
        out.append(f"    why: {_why(h)}   id: {h.id}")
    return "\n".join(out)


def hits_markdown(query: str, hits: list[SearchHit]) -> str:
    out = [f"## Search: {query}", ""]
    for h in hits:
        out.append(
            f"{h.rank}. **{h.ref}** — {h.doc_title} · {h.kind}" + (f" · {', '.join(h.themes)}" if h.themes else "")
        )
        out.append(f"   > {h.snippet}")
        out.append(f"   <sub>{_why(h)} · `{h.id}`</sub>")
    return "\n".join(out)
