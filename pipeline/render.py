"""Text renderings of stored clauses for people (tree, one clause, Markdown) and machines (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict

from .types import Clause, DocumentInfo, Footnote

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


def depths(clauses: list[Clause]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in clauses:  # parents come before children in document order
        out[c.id] = out.get(c.parent, -1) + 1 if c.parent else 0
    return out


def own_text(clause: Clause, clauses_by_parent: dict[str, list[Clause]]) -> str:
    """The clause's text before its first child (its heading and introductory words)."""
    kids = clauses_by_parent.get(clause.id, [])
    if not kids:
        return clause.text
    return clause.text[: max(0, kids[0].start - clause.start)].rstrip()


def by_parent(clauses: list[Clause]) -> dict[str, list[Clause]]:
    out: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.parent:
            out.setdefault(c.parent, []).append(c)
    return out


def clause_json(c: Clause) -> str:
    d = asdict(c)
    return json.dumps({k: d[k] for k in EXPORT_FIELDS}, ensure_ascii=False)


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


def one(c: Clause, notes: list[Footnote]) -> str:
    pages = f"page {c.page_start}" if c.page_start == c.page_end else f"pages {c.page_start}-{c.page_end}"
    out = [
        f"{c.ref}" + (f" — {c.title}" if c.title else ""),
        f"{c.id} · {c.kind} · {pages} · chars {c.start}-{c.end}",
        "",
        c.text,
    ]
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
