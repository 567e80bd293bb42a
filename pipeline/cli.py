"""The `normscope` command (typer): thin; parses options, calls one library function, prints.

Commands live by subject: the store (here), tagging and models (cli_models.py), search
(cli_search.py); all register on the one app in cli_app.py.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer

from .cli_app import _fail, _settings, _store, app
from .errors import NormScopeError

__all__ = ["app"]


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="PDF files or folders of PDFs."),
    force: bool = typer.Option(False, "--force", help="Re-read files even when unchanged."),
    no_tag: bool = typer.Option(False, "--no-tag", help="Store clauses without tagging them."),
    no_embed: bool = typer.Option(False, "--no-embed", help="Do not update the vector index."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file."),
) -> None:
    """Ingest PDFs into the clause store and tag their clauses; one status line per file.

    Example: normscope ingest ../shared/corpora/
    """
    from .ingest import ingest_paths
    from .types import IngestResult, IngestStatus

    def show(r: IngestResult) -> None:
        if as_json:
            d = asdict(r)
            d["status"] = r.status.value
            typer.echo(json.dumps(d, ensure_ascii=False))
        elif r.status is IngestStatus.FAILED:
            typer.echo(f"FAILED    {r.path}: {r.error}", err=True)
        else:
            typer.echo(f"{r.status.value:9} {r.slug}  ({r.pages} pages, {r.clauses} clauses)")
            for w in r.warnings:
                typer.echo(f"          warning: {r.path}: {w}", err=True)

    try:
        with _store() as store:
            results = ingest_paths(
                paths, store, _settings(), force=force, on_result=show, tag=not no_tag, embed=not no_embed
            )
    except NormScopeError as exc:
        _fail(exc)
        return
    failed = sum(1 for r in results if r.status is IngestStatus.FAILED)
    counts = {s.value: sum(1 for r in results if r.status is s) for s in IngestStatus}
    if not as_json:
        summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        typer.echo(f"{len(results)} file(s): {summary or 'nothing to do'}")
    if failed:
        raise typer.Exit(1)


@app.command()
def docs(
    as_json: bool = typer.Option(False, "--json", help="One JSON object per document."),
    themes: bool = typer.Option(False, "--themes", help="Theme distribution per document instead."),
) -> None:
    """List stored documents: pages, clauses, removed header/footer lines, OCR pages.

    Example: normscope docs --themes
    """
    from .render import docs_table, theme_table
    from .theme_taxonomy import theme_names

    with _store() as store:
        infos = store.documents()
        if themes:
            rows = []
            for info in infos:
                tags = store.tags(info.slug)
                parents = store.parent_ids(info.slug)
                leaves = [t for cid, t in tags.items() if cid not in parents]
                counts = {name: sum(1 for t in leaves if name in t.themes) for name in theme_names()}
                rows.append((info.slug, len(leaves), counts))
    if themes:
        if as_json:
            for slug, n, counts in rows:
                typer.echo(json.dumps({"doc": slug, "leaves": n, "themes": counts}))
        else:
            typer.echo(theme_table(rows, theme_names()))
        return
    if as_json:
        for i in infos:
            typer.echo(json.dumps(asdict(i), ensure_ascii=False))
    else:
        typer.echo(docs_table(infos) if infos else "no documents yet: run `normscope ingest PATH`")


@app.command()
def show(
    doc: str = typer.Argument(..., help="Document slug (see `normscope docs`)."),
    ref: str = typer.Argument(None, help="A clause: its citation (`Article 9(2)`), id or path (`art-9.2`)."),
    depth: int = typer.Option(None, "--depth", help="Show the tree down to this depth."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of text."),
) -> None:
    """Show a document's clause tree, or one clause with its text, pages and footnotes.

    Example: normscope show eu-ai-act-2024-1689 "Article 50(2)"
    """
    from .render import clause_json, one, tree

    try:
        with _store() as store:
            if ref is None:
                clauses = store.clauses(doc)
                if as_json:
                    tagged = store.tags(doc)
                    for c in clauses:
                        typer.echo(clause_json(c, tagged.get(c.id)))
                else:
                    typer.echo(tree(clauses, depth))
                return
            clause = store.clause(doc, ref)
            notes = store.footnotes(doc)
            tags = store.tags(doc).get(clause.id)
    except NormScopeError as exc:
        _fail(exc)
        return
    typer.echo(clause_json(clause, tags) if as_json else one(clause, notes, tags))


@app.command()
def export(
    doc: str = typer.Argument(..., help="Document slug."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl or md."),
    out: Path = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Export a document's clauses: JSON lines (one object per clause) or Markdown.

    Example: normscope export nist-ai-100-1-ai-rmf-1-0 --format md -o nist.md
    """
    from .render import clause_json, markdown

    if fmt not in ("jsonl", "md"):
        _fail(NormScopeError(f"unknown format '{fmt}': use jsonl or md"))
    try:
        with _store() as store:
            clauses = store.clauses(doc)
            info = store.document(doc)
            tagged = store.tags(doc)
    except NormScopeError as exc:
        _fail(exc)
        return
    if fmt == "jsonl":
        text = "\n".join(clause_json(c, tagged.get(c.id)) for c in clauses) + "\n"
    else:
        text = markdown(info, clauses)
    if out is None:
        sys.stdout.write(text)
    else:
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
        typer.echo(f"wrote {len(clauses)} clauses to {out}")


# Registered after the store commands so `normscope --help` lists them first.
from . import cli_compare, cli_models, cli_search  # noqa: E402,F401

if __name__ == "__main__":
    app()
