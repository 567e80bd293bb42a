"""`normscope` commands for search: search, similar, reindex."""

from __future__ import annotations

import json
import sys

import typer

from .cli_app import _fail, _settings, _store, app
from .errors import NormScopeError
from .types import SearchHit


def _print_hits(hits: list[SearchHit], fmt: str, query: str, empty: str) -> None:
    from .render import hit_json, hits_markdown, hits_table

    if fmt == "json":
        for h in hits:
            typer.echo(hit_json(h))
    elif fmt == "md":
        typer.echo(hits_markdown(query, hits))
    else:
        typer.echo(hits_table(hits) if hits else empty)


@app.command()
def search(
    query: str = typer.Argument(..., help='The query; "-" reads one query per line (or JSON lines) from stdin.'),
    k: int = typer.Option(10, "-k", help="How many hits."),
    doc: list[str] = typer.Option([], "--doc", help="Only these documents (repeatable)."),
    theme: list[str] = typer.Option([], "--theme", help="Only clauses with these themes (repeatable)."),
    kind: list[str] = typer.Option([], "--kind", help="Only these clause kinds, e.g. article (repeatable)."),
    obligation: str = typer.Option(None, "--obligation", help="mandatory, prohibited, recommended, permitted, none."),
    lang: str = typer.Option(None, "--lang", help="Only clauses in this language (en, de, zh)."),
    mode: str = typer.Option("hybrid", "--mode", help="dense, keyword or hybrid."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json or md."),
) -> None:
    """Search clauses across all documents: dense + keyword, fused; filters; why each hit matched.

    Example: normscope search "obligations to label AI-generated content" --doc eu-ai-act-2024-1689
    """
    from .embed import get_embedder
    from .render import hit_json
    from .search import search as run_search
    from .store_search import Filters
    from .vectors import open_index

    if mode not in ("dense", "keyword", "hybrid") or fmt not in ("table", "json", "md"):
        _fail(NormScopeError("--mode is dense, keyword or hybrid; --format is table, json or md"))
    filters = Filters(tuple(doc), tuple(kind), tuple(theme), obligation, lang)
    settings = _settings()
    try:
        with _store() as store:
            embedder = get_embedder(settings.embed_model) if mode != "keyword" else None
            index = open_index(store, settings, embedder) if embedder is not None else None
            if query == "-":
                for line in sys.stdin.read().splitlines():
                    if not line.strip():
                        continue
                    q, n = line, k
                    if line.lstrip().startswith("{"):
                        item = json.loads(line)
                        q, n = str(item["query"]), int(item.get("k", k))
                    hits = run_search(store, index, embedder, q, n, filters, mode)
                    typer.echo(
                        json.dumps({"query": q, "hits": [json.loads(hit_json(h)) for h in hits]}, ensure_ascii=False)
                    )
                return
            hits = run_search(store, index, embedder, query, k, filters, mode)
    except NormScopeError as exc:
        _fail(exc)
        return
    _print_hits(hits, fmt, query, "no clause matched")


@app.command()
def similar(
    doc: str = typer.Argument(..., help="Document slug."),
    ref: str = typer.Argument(..., help="A clause of it: citation, id or path."),
    k: int = typer.Option(10, "-k", help="How many hits."),
    in_docs: list[str] = typer.Option([], "--doc", help="Only in these documents (repeatable)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """The clauses nearest in meaning to a stored clause, in other documents.

    Example: normscope similar tc260-003-2024-genai-service-basic-security-requirements-zh 5.1 --doc eu-ai-act-2024-1689
    """
    from .embed import get_embedder
    from .search import similar as run_similar
    from .vectors import open_index

    settings = _settings()
    try:
        with _store() as store:
            index = open_index(store, settings, get_embedder(settings.embed_model))
            hits = run_similar(store, index, doc, ref, k, tuple(in_docs))
    except NormScopeError as exc:
        _fail(exc)
        return
    _print_hits(hits, fmt, f"{doc} {ref}", "no clause in other documents")


@app.command()
def reindex() -> None:
    """Rebuild the vector index from the stored clauses (and the keyword index).

    Example: normscope reindex
    """
    from .embed import get_embedder
    from .store_search import rebuild_fts
    from .vectors import reindex as run_reindex

    settings = _settings()
    try:
        with _store() as store:
            n = rebuild_fts(store)
            index = run_reindex(store, settings, get_embedder(settings.embed_model))
    except NormScopeError as exc:
        _fail(exc)
        return
    typer.echo(f"indexed {len(index)} clause vectors ({index.model}) and {n} clauses for keywords")
