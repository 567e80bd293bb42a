"""`normscope` commands for comparison: compare, eval compare, train compare."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .cli_app import _fail, _settings, _store, app
from .cli_models import eval_app, train_app
from .errors import NormScopeError

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".csv": "csv", ".json": "json"}


def _comparer(store, model=None, threshold=None, target=None):  # type: ignore[no-untyped-def]
    from .compare import DEFAULT_TARGET, Comparer
    from .embed import get_embedder
    from .vectors import open_index

    settings = _settings()
    embedder = get_embedder(settings.embed_model)
    index = open_index(store, settings, embedder)
    return Comparer(store, index, embedder, target or DEFAULT_TARGET, model=model, threshold=threshold)


def render(comparison, fmt: str) -> str:  # type: ignore[no-untyped-def]
    from .report_html import to_html
    from .report_text import to_csv, to_json, to_markdown

    return {"html": to_html, "md": to_markdown, "csv": to_csv, "json": to_json}[fmt](comparison)


def write_atomic(path: Path, text: str) -> None:
    """Write the whole report or nothing: a half-written report never replaces a good one."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


@app.command()
def compare(
    source: str = typer.Argument(..., help="Slug of the stored document to compare."),
    target: str = typer.Argument(None, help="Slug of the document to compare with (default: the EU AI Act)."),
    out: Path = typer.Option(None, "--out", "-o", help="Report: .html, .md, .csv or .json (default: Markdown)."),
    level: str = typer.Option("article", "--level", help="Roll matches up to: article or paragraph."),
    theme: list[str] = typer.Option([], "--theme", help="Only source clauses with these themes (repeatable)."),
    threshold: float = typer.Option(
        None, "--threshold", help="Score below which a clause has no counterpart (default: calibrated on the AI Act)."
    ),
    every_clause: bool = typer.Option(
        False, "--every-clause", help="Compare every clause of text, not only those that oblige or recommend."
    ),
) -> None:
    """Set a document against the EU AI Act clause by clause: matches, relations, gaps both ways.

    Example: normscope compare nist-ai-100-1-ai-rmf-1-0 --out nist-vs-ai-act.html
    """
    from .compare import DEFAULT_TARGET
    from .compare import compare as run_compare

    fmt = "md"
    if out is not None:
        if out.suffix.lower() not in FORMATS:
            _fail(NormScopeError(f"{out}: report type must be one of {', '.join(sorted(FORMATS))}"))
        fmt = FORMATS[out.suffix.lower()]
    try:
        with _store() as store:
            if threshold is not None and not 0.0 <= threshold <= 1.0:
                raise NormScopeError(f"--threshold must lie between 0 and 1, not {threshold}")
            comparer = _comparer(store, threshold=threshold, target=target)

            def progress(n: int, total: int) -> None:
                if sys.stderr.isatty() and (n == total or n % 10 == 0):
                    typer.echo(f"\rcomparing {n}/{total} clauses", err=True, nl=n == total)

            comparison = run_compare(comparer, source, level, tuple(theme), progress, every_clause)
    except NormScopeError as exc:
        _fail(exc)
        return
    text = render(comparison, fmt)
    if out is None:
        typer.echo(text)
        return
    try:
        write_atomic(out, text)
    except OSError as exc:
        _fail(NormScopeError(f"{out}: cannot write the report ({exc.strerror or exc})"))
    matched = sum(1 for a in comparison.alignments if a.matches)
    typer.echo(
        f"wrote {out}: {len(comparison.alignments)} clauses of {source} against {target or DEFAULT_TARGET}, "
        f"{matched} with a counterpart ({comparison.matched_share:.0%}), "
        f"{sum(1 for u in comparison.target_units if not u.reached_by)} target units not reached"
    )


@eval_app.command("compare")
def eval_compare() -> None:
    """Article-level recall@1/@5, `none` precision/recall and relation accuracy on held-out pairs.

    Example: normscope eval compare
    """
    from .compare_eval import evaluate, load_pairs

    try:
        with _store() as store:
            report = evaluate(_comparer(store), [p for p in load_pairs() if p.split == "test"])
    except NormScopeError as exc:
        _fail(exc)
        return
    typer.echo(report.table())


@train_app.command("compare")
def train_compare() -> None:
    """Fit the comparison reranker on the training pairs and save models/compare/reranker.json.

    Example: normscope train compare && normscope eval compare
    """
    from . import rerank
    from .align import FEATURES
    from .compare_eval import load_pairs, train

    blank = rerank.Reranker(FEATURES, (0.0,) * len(FEATURES), 0.0, 0.0, 0.8, 0)
    try:
        with _store() as store:
            model, report = train(_comparer(store, blank), [p for p in load_pairs() if p.split == "train"])
    except NormScopeError as exc:
        _fail(exc)
        return
    rerank.save(model)
    for k, v in report.items():
        typer.echo(f"{k}: {v:.3f}")
    typer.echo(f"threshold {model.threshold:.3f}; saved {rerank.RERANKER}")
