"""Bad input to ingestion: each bad file fails alone, with a one-line reason, and changes nothing stored.

All PDFs are built at test time in tmp_path (see pdfmaker.py); none are committed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pdfmaker import (
    encrypted_pdf,
    image_only_pdf,
    not_a_pdf,
    text_pdf,
    truncated_bytes,
    truncated_pdf,
    zero_page_pdf,
)
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import ingest_file
from pipeline.settings import Settings
from pipeline.store import Store
from pipeline.types import IngestStatus

# name -> (builder, words of which at least one must appear in the error)
BAD: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "not-a-pdf": (not_a_pdf, ("not a PDF",)),
    "truncated": (truncated_pdf, ("truncated", "damaged")),
    "encrypted": (encrypted_pdf, ("encrypted",)),
    "zero-pages": (zero_page_pdf, ("no pages",)),
    "image-only": (image_only_pdf, ("OCR", "text layer")),
}

OTHER_TEXT = ("Article 1 Other words entirely", "Article 2 Changed text", "Article 3 A new article")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", workers=1)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store(settings.db_path) as s:
        yield s


def stored(store: Store, slug: str) -> tuple[tuple, list[tuple]]:  # type: ignore[type-arg]
    """Everything stored for one document: its documents row and its clause rows (with row ids)."""
    doc = store.db.execute(
        "SELECT id, sha256, body, path, title, language, scheme, pages, pipeline_version, ingested_at"
        " FROM documents WHERE slug = ?",
        (slug,),
    ).fetchone()
    clauses = store.db.execute(
        "SELECT c.* FROM clauses c JOIN documents d ON d.id = c.doc_id WHERE d.slug = ? ORDER BY c.ord",
        (slug,),
    ).fetchall()
    return doc, clauses


def clause_texts(store: Store, slug: str) -> list[tuple[str, str]]:
    return [(row[3], row[6]) for row in stored(store, slug)[1]]  # (ref, text)


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_file_fails_with_one_line_reason(kind: str, tmp_path: Path, store: Store, settings: Settings):
    make, words = BAD[kind]
    path = make(tmp_path / f"{kind}.pdf")
    result = ingest_file(path, store, settings)
    assert result.status is IngestStatus.FAILED
    assert result.path == str(path)
    assert result.slug == kind
    assert result.error and "\n" not in result.error and result.error.strip() == result.error
    assert any(w.lower() in result.error.lower() for w in words), result.error
    assert not store.has(kind)


def test_empty_and_missing_files_fail(tmp_path: Path, store: Store, settings: Settings):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.pdf"
    for path, words in ((empty, "empty file"), (missing, "no such file")):
        result = ingest_file(path, store, settings)
        assert result.status is IngestStatus.FAILED
        assert result.error == words
    assert store.documents() == []


def test_encrypted_reason_is_not_reported_as_damage(tmp_path: Path, store: Store, settings: Settings):
    # pdfplumber wraps pdfminer's PDFPasswordIncorrect in PdfminerException; the reason must still say so.
    result = ingest_file(encrypted_pdf(tmp_path / "locked.pdf"), store, settings)
    assert result.error == "encrypted PDF (a password is needed)"


def test_good_hand_made_pdf_is_added(tmp_path: Path, store: Store, settings: Settings):
    result = ingest_file(text_pdf(tmp_path / "good.pdf"), store, settings)
    assert result.status is IngestStatus.ADDED, result.error
    assert result.pages == 1 and result.clauses >= 1
    doc, clauses = stored(store, "good")
    assert "Article 1 Some text" in doc[2] and "Article 2 More text" in doc[2]
    assert len(clauses) == result.clauses
    assert any("Article 1 Some text" in text for _, text in clause_texts(store, "good"))


def _bad_folder(folder: Path) -> tuple[Path, list[Path]]:
    folder.mkdir()
    good = text_pdf(folder / "good.pdf")
    bad = [make(folder / f"{kind}.pdf") for kind, (make, _) in BAD.items()]
    return good, bad


def test_cli_batch_with_bad_files_exits_1(tmp_path: Path):
    good, bad = _bad_folder(tmp_path / "in")
    result = CliRunner().invoke(app, ["--home", str(tmp_path / "home"), "ingest", str(tmp_path / "in")])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    failed = [ln for ln in lines if ln.startswith("FAILED")]
    assert len(failed) == len(bad)
    for path in bad:
        mine = [ln for ln in failed if ln.startswith(f"FAILED    {path}: ")]
        assert len(mine) == 1, (path, failed)
        words = BAD[path.stem][1]
        assert any(w.lower() in mine[0].lower() for w in words), mine[0]
    added = [ln for ln in lines if ln.startswith("added")]
    assert len(added) == 1 and added[0].startswith("added     good  (1 pages, "), added
    assert lines[-1] == f"{len(bad) + 1} file(s): 1 added, {len(bad)} failed"
    with Store(Settings(home=tmp_path / "home").db_path) as store:
        assert [d.slug for d in store.documents()] == ["good"]


def test_cli_batch_of_good_files_exits_0(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    text_pdf(folder / "first.pdf")
    text_pdf(folder / "second.pdf", OTHER_TEXT)
    args = ["--home", str(tmp_path / "home"), "ingest", str(folder)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "FAILED" not in result.output
    assert result.output.splitlines()[-1] == "2 file(s): 2 added"
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[-1] == "2 file(s): 2 unchanged"


@pytest.mark.parametrize("kind", list(BAD))
def test_failed_reingest_changes_nothing_stored(kind: str, tmp_path: Path, store: Store, settings: Settings):
    path = text_pdf(tmp_path / "doc.pdf")
    assert ingest_file(path, store, settings).status is IngestStatus.ADDED
    before = stored(store, "doc")
    assert before[0] is not None and before[1]
    make, words = BAD[kind]
    path.unlink()
    make(path)  # same name, so same slug; new bytes, so not "unchanged"
    result = ingest_file(path, store, settings)
    assert result.status is IngestStatus.FAILED
    assert any(w.lower() in (result.error or "").lower() for w in words), result.error
    assert stored(store, "doc") == before


def test_truncated_replacement_keeps_clauses_and_body(tmp_path: Path, store: Store, settings: Settings):
    path = text_pdf(tmp_path / "doc.pdf")
    ingest_file(path, store, settings)
    doc_before, clauses_before = stored(store, "doc")
    sha, body = doc_before[1], doc_before[2]
    path.write_bytes(truncated_bytes())
    result = ingest_file(path, store, settings)
    assert result.status is IngestStatus.FAILED
    assert "truncated" in (result.error or "")
    doc_after, clauses_after = stored(store, "doc")
    assert (doc_after[1], doc_after[2]) == (sha, body)
    assert clauses_after == clauses_before


def test_reingest_unchanged_file_is_unchanged(tmp_path: Path, store: Store, settings: Settings):
    path = text_pdf(tmp_path / "doc.pdf")
    assert ingest_file(path, store, settings).status is IngestStatus.ADDED
    before = stored(store, "doc")
    result = ingest_file(path, store, settings)
    assert result.status is IngestStatus.UNCHANGED
    assert (result.pages, result.clauses) == (1, len(before[1]))
    assert stored(store, "doc") == before


def test_reingest_changed_file_is_updated(tmp_path: Path, store: Store, settings: Settings):
    path = text_pdf(tmp_path / "doc.pdf")
    ingest_file(path, store, settings)
    doc_before, clauses_before = stored(store, "doc")
    text_pdf(path, OTHER_TEXT)
    result = ingest_file(path, store, settings)
    assert result.status is IngestStatus.UPDATED, result.error
    doc, clauses = stored(store, "doc")
    assert doc[0] == doc_before[0]  # the same document row, updated in place
    assert doc[1] != doc_before[1]
    assert "Some text" not in doc[2] and all(t in doc[2] for t in OTHER_TEXT)
    # the old clause rows are gone (none left over), the new ones carry the new text
    assert clauses != clauses_before
    assert store.db.execute("SELECT count(*) FROM clauses").fetchone()[0] == len(clauses) == result.clauses
    texts = [text for _, text in clause_texts(store, "doc")]
    assert not any("Some text" in t for t in texts)
    assert all(any(line in t for t in texts) for line in OTHER_TEXT)
    assert [d.slug for d in store.documents()] == ["doc"]


def test_store_clauses_reads_back(tmp_path: Path, store: Store, settings: Settings):
    ingest_file(text_pdf(tmp_path / "doc.pdf"), store, settings)
    assert [(c.ref, c.text) for c in store.clauses("doc")] == clause_texts(store, "doc")


def test_encrypted_fixture_needs_no_cryptography(tmp_path: Path):
    """RC4-128 is written by pypdf's own fallback, so the fixture works where `cryptography` is absent."""
    code = (
        "import sys; sys.modules['cryptography'] = None\n"
        "from pathlib import Path\n"
        "from pdfmaker import encrypted_pdf\n"
        "from pypdf import PdfReader\n"
        f"r = PdfReader(encrypted_pdf(Path({str(tmp_path / 'e.pdf')!r})))\n"
        "assert r.is_encrypted and r.decrypt('secret')\n"
        "assert 'Article 1' in r.pages[0].extract_text()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent)
