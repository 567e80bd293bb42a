"""SQLite store (all SQL lives here): numbered migrations, one transaction per document."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import NotFoundError, StoreError
from .keywords import tokens as keyword_tokens
from .types import Clause, Document, DocumentInfo, Entity, Footnote, Obligation, Segmentation, Tags, ThemeScore

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "m001_documents_clauses",
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            title TEXT NOT NULL,
            language TEXT NOT NULL,
            scheme TEXT NOT NULL,
            pages INTEGER NOT NULL,
            body TEXT NOT NULL,
            needs_ocr_pages TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE TABLE clauses (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            clause_id TEXT NOT NULL UNIQUE,
            ref TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            parent TEXT,
            ord INTEGER NOT NULL,
            page_start INTEGER NOT NULL,
            page_end INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            content_hash TEXT NOT NULL
        );
        CREATE INDEX clauses_doc ON clauses(doc_id, ord);
        CREATE INDEX clauses_ref ON clauses(doc_id, ref);
        CREATE TABLE removed_lines (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX removed_doc ON removed_lines(doc_id);
        CREATE TABLE footnotes (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            label TEXT NOT NULL,
            text TEXT NOT NULL,
            clause_id TEXT
        );
        CREATE INDEX footnotes_doc ON footnotes(doc_id);
        """,
    ),
    (
        "m002_clause_tags",
        """
        CREATE TABLE clause_tags (
            clause_row INTEGER PRIMARY KEY REFERENCES clauses(id) ON DELETE CASCADE,
            language TEXT NOT NULL,
            obligation TEXT NOT NULL,
            marker TEXT NOT NULL,
            actor TEXT NOT NULL,
            entities TEXT NOT NULL,
            theme_scores TEXT NOT NULL,
            themes TEXT NOT NULL,
            evidence TEXT NOT NULL,
            tagger_version TEXT NOT NULL
        );
        """,
    ),
    (
        "m003_search",
        """
        CREATE VIRTUAL TABLE clause_fts USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 2');
        CREATE TABLE embeddings (
            model TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, content_hash)
        );
        """,
    ),
)

_CLAUSE_COLS = 'clause_id, ref, kind, title, text, parent, ord, page_start, page_end, start, "end", content_hash'
_SELECT_CLAUSE = ", ".join(f"c.{col}" for col in _CLAUSE_COLS.split(", "))


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the store ({exc})") from exc
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = WAL")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema
    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        done = {r[0] for r in self.db.execute("SELECT name FROM migrations")}
        known = {name for name, _ in MIGRATIONS}
        if done - known:
            raise StoreError(f"{self.path}: the store was written by a newer NormScope ({sorted(done - known)})")
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                for statement in sql.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute("INSERT INTO migrations VALUES (?, datetime('now'))", (name,))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing
    def is_current(self, slug: str, sha256: str, version: str) -> bool:
        row = self.db.execute("SELECT sha256, pipeline_version FROM documents WHERE slug = ?", (slug,)).fetchone()
        return row is not None and row[0] == sha256 and row[1] == version

    def has(self, slug: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE slug = ?", (slug,)).fetchone() is not None

    def save(
        self, doc: Document, seg: Segmentation, version: str, tags: dict[str, Tags] | None = None, tagger: str = ""
    ) -> None:
        """Replace a document and everything derived from it in one transaction."""
        with self.transaction():
            row = self.db.execute("SELECT id FROM documents WHERE slug = ?", (doc.slug,)).fetchone()
            values = (
                doc.path,
                doc.sha256,
                version,
                doc.title,
                doc.language,
                seg.scheme,
                doc.page_count,
                seg.text,
                json.dumps(list(doc.needs_ocr_pages)),
            )
            if row is None:
                cur = self.db.execute(
                    "INSERT INTO documents (path, sha256, pipeline_version, title, language, scheme, pages, body,"
                    " needs_ocr_pages, slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, doc.slug),
                )
                doc_id = cur.lastrowid
            else:
                doc_id = row[0]
                self.db.execute(
                    "DELETE FROM clause_fts WHERE rowid IN (SELECT id FROM clauses WHERE doc_id = ?)", (doc_id,)
                )
                for table in ("clauses", "removed_lines", "footnotes"):
                    self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
                self.db.execute(
                    "UPDATE documents SET path=?, sha256=?, pipeline_version=?, title=?, language=?, scheme=?,"
                    " pages=?, body=?, needs_ocr_pages=?, ingested_at=datetime('now') WHERE id = ?",
                    (*values, doc_id),
                )
            self.db.executemany(
                f"INSERT INTO clauses (doc_id, {_CLAUSE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        doc_id,
                        c.id,
                        c.ref,
                        c.kind,
                        c.title,
                        c.text,
                        c.parent,
                        c.order,
                        c.page_start,
                        c.page_end,
                        c.start,
                        c.end,
                        c.content_hash,
                    )
                    for c in seg.clauses
                ],
            )
            self.db.executemany(
                "INSERT INTO removed_lines (doc_id, page, kind, text) VALUES (?, ?, ?, ?)",
                [(doc_id, r.page, r.kind, r.text) for r in doc.removed],
            )
            self.db.executemany(
                "INSERT INTO footnotes (doc_id, page, label, text, clause_id) VALUES (?, ?, ?, ?, ?)",
                [(doc_id, f.page, f.label, f.text, f.clause_id) for f in seg.footnotes],
            )
            self.db.executemany(
                "INSERT INTO clause_fts (rowid, tokens) SELECT id, ? FROM clauses WHERE clause_id = ?",
                [(keyword_tokens(f"{c.ref} {c.title} {c.text}"), c.id) for c in seg.clauses],
            )
            if tags:
                self._insert_tags(doc.slug, tags, tagger)

    def save_tags(self, slug: str, tags: dict[str, Tags], tagger: str) -> None:
        """Replace one document's tags in one transaction (`normscope retag`)."""
        with self.transaction():
            self.db.execute(
                "DELETE FROM clause_tags WHERE clause_row IN"
                " (SELECT c.id FROM clauses c JOIN documents d ON d.id = c.doc_id WHERE d.slug = ?)",
                (slug,),
            )
            self._insert_tags(slug, tags, tagger)

    def _insert_tags(self, slug: str, tags: dict[str, Tags], tagger: str) -> None:
        rows = dict(
            self.db.execute(
                "SELECT c.clause_id, c.id FROM clauses c JOIN documents d ON d.id = c.doc_id WHERE d.slug = ?", (slug,)
            ).fetchall()
        )
        self.db.executemany(
            "INSERT INTO clause_tags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    rows[cid],
                    t.language,
                    t.obligation.type,
                    t.obligation.marker,
                    t.obligation.actor,
                    json.dumps([[e.text, e.label, e.start, e.end] for e in t.entities], ensure_ascii=False),
                    json.dumps({s.theme: s.score for s in t.scores}),
                    json.dumps(list(t.themes)),
                    json.dumps({s.theme: list(s.evidence) for s in t.scores if s.evidence}, ensure_ascii=False),
                    tagger,
                )
                for cid, t in tags.items()
                if cid in rows
            ],
        )

    def tags(self, slug: str) -> dict[str, Tags]:
        out = {}
        for r in self.db.execute(
            "SELECT c.clause_id, t.language, t.obligation, t.marker, t.actor, t.entities, t.theme_scores, t.themes,"
            " t.evidence FROM clause_tags t JOIN clauses c ON c.id = t.clause_row JOIN documents d ON d.id = c.doc_id"
            " WHERE d.slug = ?",
            (slug,),
        ):
            evidence = json.loads(r[8])
            out[r[0]] = Tags(
                language=r[1],
                entities=tuple(Entity(*e) for e in json.loads(r[5])),
                obligation=Obligation(r[2], r[3], r[4]),
                scores=tuple(ThemeScore(k, v, tuple(evidence.get(k, ()))) for k, v in json.loads(r[6]).items()),
                themes=tuple(json.loads(r[7])),
            )
        return out

    def delete(self, slug: str) -> bool:
        with self.transaction():
            self.db.execute(
                "DELETE FROM clause_fts WHERE rowid IN"
                " (SELECT c.id FROM clauses c JOIN documents d ON d.id = c.doc_id WHERE d.slug = ?)",
                (slug,),
            )
            cur = self.db.execute("DELETE FROM documents WHERE slug = ?", (slug,))
        return cur.rowcount > 0

    # -- reading
    def documents(self) -> list[DocumentInfo]:
        rows = self.db.execute(
            "SELECT d.slug, d.title, d.path, d.language, d.scheme, d.pages,"
            " (SELECT count(*) FROM clauses c WHERE c.doc_id = d.id),"
            " (SELECT count(*) FROM removed_lines r WHERE r.doc_id = d.id AND r.kind IN ('header', 'footer')),"
            " d.needs_ocr_pages, d.sha256 FROM documents d ORDER BY d.slug"
        ).fetchall()
        return [
            DocumentInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], tuple(json.loads(r[8])), r[9]) for r in rows
        ]

    def document(self, slug: str) -> DocumentInfo:
        for info in self.documents():
            if info.slug == slug:
                return info
        raise NotFoundError(f"no document '{slug}' in the store (see `normscope docs`)")

    def body(self, slug: str) -> str:
        row = self.db.execute("SELECT body FROM documents WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document '{slug}' in the store (see `normscope docs`)")
        return str(row[0])

    def clauses(self, slug: str) -> list[Clause]:
        self.document(slug)
        rows = self.db.execute(
            f"SELECT {_SELECT_CLAUSE} FROM clauses c JOIN documents d ON d.id = c.doc_id"
            " WHERE d.slug = ? ORDER BY c.ord",
            (slug,),
        ).fetchall()
        return [_clause(slug, r) for r in rows]

    def clause(self, slug: str, ref: str) -> Clause:
        """A clause by its citation (`Article 9(2)`), its id, or its path (`art-9.2`)."""
        self.document(slug)
        row = self.db.execute(
            f"SELECT {_SELECT_CLAUSE} FROM clauses c JOIN documents d ON d.id = c.doc_id WHERE d.slug = ?"
            " AND (c.ref = ? COLLATE NOCASE OR c.clause_id = ? OR c.clause_id = ?) ORDER BY c.ord LIMIT 1",
            (slug, ref, ref, f"{slug}:{ref}"),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no clause '{ref}' in '{slug}' (see `normscope show {slug}`)")
        return _clause(slug, row)

    def parent_ids(self, slug: str) -> set[str]:
        """Ids of the clauses that have children (without reading any clause text)."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT c.parent FROM clauses c JOIN documents d ON d.id = c.doc_id"
                " WHERE d.slug = ? AND c.parent IS NOT NULL",
                (slug,),
            )
        }

    def removed(self, slug: str) -> list[tuple[int, str, str]]:
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT page, kind, text FROM removed_lines r JOIN documents d ON d.id = r.doc_id WHERE d.slug = ?"
                " ORDER BY page",
                (slug,),
            )
        ]

    def footnotes(self, slug: str) -> list[Footnote]:
        return [
            Footnote(r[0], r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT page, label, text, clause_id FROM footnotes f JOIN documents d ON d.id = f.doc_id"
                " WHERE d.slug = ? ORDER BY page",
                (slug,),
            )
        ]


def _clause(slug: str, r: tuple) -> Clause:  # type: ignore[type-arg]
    return Clause(
        doc=slug,
        id=r[0],
        ref=r[1],
        kind=r[2],
        title=r[3],
        text=r[4],
        parent=r[5],
        order=r[6],
        page_start=r[7],
        page_end=r[8],
        start=r[9],
        end=r[10],
        content_hash=r[11],
    )


def open_store(db_path: Path) -> Store:
    return Store(db_path)
