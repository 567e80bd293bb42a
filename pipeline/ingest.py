"""The main flow: PDF -> pages -> cleaned document -> clauses -> store, one file at a time.

pages, meta_title = extract_pages(path)       # extract.py  (pdfplumber)
cleaned = clean_pages(pages)                   # layout.py   (headers, footnotes, toc, cover)
seg = segment(document)                        # segment.py  (numbering grammar)
store.save(document, seg)                      # store.py    (one transaction)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from . import vectors
from .embed import get_embedder
from .errors import BadInputError
from .extract import extract_pages, sha256_of
from .layout import clean_pages
from .manifest import lookup
from .segment import segment
from .settings import PIPELINE_VERSION, Settings
from .store import Store
from .textnorm import detect_language
from .types import Document, IngestResult, IngestStatus, Segmentation


def slug_for(path: Path) -> str:
    """File name -> document slug; an English-language suffix is dropped (`-en`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return re.sub(r"-en$", "", slug) or "document"


def find_pdfs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every *.pdf under given folders (sorted); missing paths are kept so
    that they fail with a clear error."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.suffix.lower() == ".pdf" and q.is_file()))
        else:
            out.append(p)
    return out


def _title(meta_title: str, lines_text: list[str], fallback: str) -> str:
    bad = (
        not meta_title
        or len(meta_title) < 8
        or meta_title.lower().endswith((".doc", ".docx", ".pdf"))
        or meta_title.lower().startswith(("microsoft", "untitled"))
    )
    if not bad:
        return meta_title
    for text in lines_text[:5]:
        if len(text) >= 8:
            return text[:200]
    return fallback


def read_document(path: Path, settings: Settings, sha: str | None = None) -> tuple[Document, list[str]]:
    """Extract and clean one PDF; raise BadInputError when there is nothing to read."""
    if not path.exists():
        raise BadInputError(str(path), "no such file")
    sha = sha or sha256_of(path)
    pages, meta_title = extract_pages(path, settings.x_tolerance, settings.y_tolerance, settings.workers)
    cleaned = clean_pages(pages, settings.repeat_share, settings.repeat_similarity)
    ocr = cleaned.needs_ocr_pages
    if not cleaned.lines:
        if ocr:
            raise BadInputError(str(path), f"no text layer on {len(ocr)} of {len(pages)} page(s): needs OCR")
        raise BadInputError(str(path), "no text found in the PDF")
    warnings = []
    if ocr:
        shown = ", ".join(map(str, ocr[:10])) + (" …" if len(ocr) > 10 else "")
        warnings.append(f"{len(ocr)} page(s) have no usable text layer and need OCR: {shown}")
    entry = lookup(path.name, sha)
    sample = " ".join(ln.text for ln in cleaned.lines[:3000])
    language = entry.language if entry and entry.language in ("en", "de", "zh", "ko") else detect_language(sample)
    cover = [r.text for r in cleaned.removed if r.kind == "cover"]
    title = entry.title if entry else _title(meta_title, cover + [ln.text for ln in cleaned.lines[:5]], path.stem)
    doc = Document(
        slug=slug_for(path),
        path=str(path),
        sha256=sha,
        title=title,
        language=language,
        page_count=len(pages),
        lines=cleaned.lines,
        removed=cleaned.removed,
        footnotes=cleaned.footnotes,
        needs_ocr_pages=ocr,
        body_size=cleaned.body_size,
    )
    return doc, warnings


def process(path: Path, settings: Settings, sha: str | None = None) -> tuple[Document, Segmentation, list[str]]:
    doc, warnings = read_document(path, settings, sha)
    return doc, segment(doc), warnings


def ingest_file(path: Path, store: Store, settings: Settings, force: bool = False, tag: bool = True) -> IngestResult:
    """Ingest one file (and tag its clauses); a file that fails leaves the store as it was."""
    slug = slug_for(path)
    try:
        sha = sha256_of(path) if path.exists() else None
        if sha and not force and store.is_current(slug, sha, PIPELINE_VERSION):
            info = store.document(slug)
            return IngestResult(str(path), IngestStatus.UNCHANGED, slug, info.pages, info.clauses)
        existed = store.has(slug)
        doc, seg, warnings = process(path, settings, sha)
        tags = None
        if tag:
            from .annotate import TAGGER_VERSION, tag_clauses

            tags = tag_clauses(list(seg.clauses), doc.language)
        store.save(doc, seg, PIPELINE_VERSION, tags, TAGGER_VERSION if tag else "")
    except BadInputError as exc:
        return IngestResult(str(path), IngestStatus.FAILED, slug, error=exc.reason)
    except Exception as exc:  # noqa: BLE001 - the batch boundary: report and go on
        return IngestResult(str(path), IngestStatus.FAILED, slug, error=f"{type(exc).__name__}: {exc}")
    status = IngestStatus.UPDATED if existed else IngestStatus.ADDED
    return IngestResult(str(path), status, slug, doc.page_count, len(seg.clauses), warnings=tuple(warnings))


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    settings: Settings,
    force: bool = False,
    on_result: Callable[[IngestResult], None] | None = None,
    tag: bool = True,
    embed: bool = True,
) -> list[IngestResult]:
    """Ingest files one by one, then bring the vector index in line with what changed."""
    results = []
    for path in find_pdfs(paths):
        result = ingest_file(path, store, settings, force, tag)
        results.append(result)
        if on_result is not None:
            on_result(result)
    changed = [r.slug for r in results if r.slug and r.status in (IngestStatus.ADDED, IngestStatus.UPDATED)]
    if embed and (changed or not vectors.index_path(settings).exists()):
        vectors.update(store, settings, get_embedder(settings.embed_model), changed)
    return results


def retag(store: Store, slugs: list[str] | None = None) -> list[tuple[str, int]]:
    """Re-tag stored clauses (after the models change), one transaction per document."""
    from .annotate import TAGGER_VERSION, tag_clauses

    done = []
    for info in store.documents():
        if slugs and info.slug not in slugs:
            continue
        tags = tag_clauses(store.clauses(info.slug), info.language)
        store.save_tags(info.slug, tags, TAGGER_VERSION)
        done.append((info.slug, len(tags)))
    return done
