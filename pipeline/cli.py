"""The `normscope` command (typer): thin; parses options, calls one library function, prints."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer

from .errors import NormScopeError
from .settings import Settings, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Read AI standards and policy at clause level.")

_state: dict[str, Settings] = {}


@app.callback()
def main(
    home: Path = typer.Option(None, "--home", help="Store folder (env NORMSCOPE_HOME, default ./.normscope)."),
) -> None:
    _state["settings"] = load_settings(home)


def _settings() -> Settings:
    return _state.get("settings") or load_settings()


def _store():  # type: ignore[no-untyped-def]
    from .store import Store

    return Store(_settings().db_path)


def _fail(exc: NormScopeError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


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
    from .themes import theme_names

    with _store() as store:
        infos = store.documents()
        if themes:
            rows = []
            for info in infos:
                tags = store.tags(info.slug)
                parents = {c.parent for c in store.clauses(info.slug)}
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


@app.command()
def tag(
    text: str = typer.Argument(
        None, help='Text to tag; without it (or with -), one text per line or JSON lines {"text": ...} on stdin.'
    ),
    lang: str = typer.Option("en", "--lang", help="Language to assume for short texts (en, de, zh)."),
) -> None:
    """Tag arbitrary text: entities, obligation, themes with scores and evidence (JSON lines).

    Example: echo "Providers shall mark AI-generated content." | normscope tag
    """
    from .annotate import tag_texts
    from .render import tags_dict

    if text is None or text == "-":
        texts = []
        for line in sys.stdin.read().splitlines():
            if not line.strip():
                continue
            if line.lstrip().startswith("{"):
                try:
                    texts.append(str(json.loads(line)["text"]))
                except (json.JSONDecodeError, KeyError, TypeError):
                    _fail(NormScopeError(f"stdin: not a JSON object with a 'text' field: {line[:80]}"))
            else:
                texts.append(line)
    else:
        texts = [text]
    try:
        results = tag_texts(texts, lang)
    except NormScopeError as exc:
        _fail(exc)
        return
    for t, tags in zip(texts, results):
        typer.echo(json.dumps({"text": t, **tags_dict(tags)}, ensure_ascii=False))


@app.command()
def retag(docs: list[str] = typer.Argument(None, help="Document slugs (default: all).")) -> None:
    """Re-tag stored clauses after the tagging models or patterns change.

    Example: normscope retag eu-ai-act-2024-1689
    """
    from .ingest import retag as run_retag

    try:
        with _store() as store:
            for slug, n in run_retag(store, docs or None):
                typer.echo(f"retagged  {slug}  ({n} clauses)")
    except NormScopeError as exc:
        _fail(exc)


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
    from .render import hit_json, hits_markdown, hits_table
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
    if fmt == "json":
        for h in hits:
            typer.echo(hit_json(h))
    elif fmt == "md":
        typer.echo(hits_markdown(query, hits))
    else:
        typer.echo(hits_table(hits) if hits else "no clause matched")


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
    from .render import hit_json, hits_table
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
    if fmt == "json":
        for h in hits:
            typer.echo(hit_json(h))
    else:
        typer.echo(hits_table(hits) if hits else "no clause in other documents")


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


eval_app = typer.Typer(help="Measure the models on held-out labelled data.", no_args_is_help=True)
train_app = typer.Typer(help="Train the models from the labelled data in models/.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")


@eval_app.command("themes")
def eval_themes(as_json: bool = typer.Option(False, "--json", help="One JSON object per theme.")) -> None:
    """Per-theme precision, recall and F1, and macro-F1, on the test split (never trained on).

    Example: normscope eval themes
    """
    from .evaluation import theme_eval

    try:
        report = theme_eval()
    except NormScopeError as exc:
        _fail(exc)
        return
    if as_json:
        for row in report.rows:
            typer.echo(json.dumps(asdict(row)))
        return
    typer.echo(report.table())


@eval_app.command("search")
def eval_search() -> None:
    """Recall@10 and MRR of dense, keyword and hybrid search on the labelled query set.

    Example: normscope eval search
    """
    from .embed import get_embedder
    from .evaluation import search_eval
    from .vectors import open_index

    settings = _settings()
    try:
        with _store() as store:
            embedder = get_embedder(settings.embed_model)
            report = search_eval(store, open_index(store, settings, embedder), embedder)
    except NormScopeError as exc:
        _fail(exc)
        return
    typer.echo(report.table())


@train_app.command("themes")
def train_themes() -> None:
    """Fit the theme classifier on the training split and save it to models/themes/.

    Example: normscope train themes && normscope retag
    """
    from .evaluation import theme_train

    try:
        typer.echo(theme_train())
    except NormScopeError as exc:
        _fail(exc)


if __name__ == "__main__":
    app()
