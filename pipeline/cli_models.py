"""`normscope` commands for tagging and the models: tag, retag, eval, train."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import typer

from .cli_app import _fail, _settings, _store, app
from .errors import NormScopeError


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
