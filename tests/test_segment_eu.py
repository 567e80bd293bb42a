"""The AI Act's own structure, from the Official Journal PDFs (English and German)."""

from __future__ import annotations

import re

from conftest import processed

from pipeline.types import Clause

EN = "eu-ai-act-2024-1689-en.pdf"
DE = "eu-ai-act-2024-1689-de.pdf"


def by_kind(clauses: tuple[Clause, ...], kind: str) -> list[Clause]:
    return [c for c in clauses if c.kind == kind]


def test_recitals_articles_annexes_counted(ai_act):
    doc, seg = ai_act
    assert doc.slug == "eu-ai-act-2024-1689"
    recitals = by_kind(seg.clauses, "recital")
    assert [c.ref for c in recitals] == [f"Recital {n}" for n in range(1, 181)]
    articles = by_kind(seg.clauses, "article")
    assert [c.ref for c in articles] == [f"Article {n}" for n in range(1, 114)]
    annexes = by_kind(seg.clauses, "annex")
    romans = "I II III IV V VI VII VIII IX X XI XII XIII".split()
    assert [c.ref for c in annexes] == [f"Annex {r}" for r in romans]
    assert all(c.title for c in annexes)


def test_articles_have_official_titles(ai_act):
    _, seg = ai_act
    titles = {c.ref: c.title for c in by_kind(seg.clauses, "article")}
    assert titles["Article 1"] == "Subject matter"
    assert titles["Article 3"] == "Definitions"
    assert titles["Article 5"] == "Prohibited AI practices"
    assert titles["Article 9"] == "Risk management system"
    assert titles["Article 50"] == "Transparency obligations for providers and deployers of certain AI systems"
    assert titles["Article 113"] == "Entry into force and application"
    assert all(t and not t.endswith((".", ",")) for t in titles.values())


def test_paragraphs_are_children_of_their_article(ai_act):
    _, seg = ai_act
    ids = {c.id: c for c in seg.clauses}
    paragraphs = by_kind(seg.clauses, "paragraph")
    assert len(paragraphs) == 500
    for p in paragraphs:
        parent = ids[p.parent]
        assert parent.kind == "article"
        n = p.text.split(".", 1)[0]
        assert p.ref == f"{parent.ref}({n})"
        assert p.id == f"{parent.id}.{n}"
    art9 = {c.ref for c in paragraphs if c.parent == "eu-ai-act-2024-1689:art-9"}
    assert art9 == {f"Article 9({n})" for n in range(1, 11)}


def test_points_and_subpoints(ai_act):
    _, seg = ai_act
    ids = {c.id: c for c in seg.clauses}
    p = ids["eu-ai-act-2024-1689:art-9.2.a"]
    assert p.kind == "point" and p.ref == "Article 9(2)(a)" and p.parent == "eu-ai-act-2024-1689:art-9.2"
    assert ids["eu-ai-act-2024-1689:art-5.1.h.iii"].ref == "Article 5(1)(h)(iii)"
    assert ids["eu-ai-act-2024-1689:art-3.1"].text.startswith("(1) ‘AI system’ means")
    assert ids["eu-ai-act-2024-1689:anx-3.1.a"].ref == "Annex III, point 1(a)"
    # "(i)" after "(h)" is the letter i, not roman one.
    assert ids["eu-ai-act-2024-1689:art-5.1"].kind == "paragraph"
    assert "eu-ai-act-2024-1689:art-3.61.a.i" in ids


def test_no_running_header_or_footer_text(ai_act):
    _, seg = ai_act
    counter = re.compile(r"\b\d{1,3}/144\b")
    for c in seg.clauses:
        assert "OJ L, 12.7.2024" not in c.text, c.ref
        assert "Official Journal EN" not in c.text and "of the European Union L series" not in c.text
        assert not counter.search(c.text), c.ref
        # The Regulation cites the Official Journal and the ELI in its own words (e.g. Article
        # 113, and the amendments in Articles 102-110); never as a bare running line.
        for m in re.finditer(r"Official Journal of the European Union", c.text):
            assert c.text[max(0, m.start() - 4) : m.start()] == "the "
        for m in re.finditer(r"ELI: http", c.text):
            assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4}, $", c.text[max(0, m.start() - 12) : m.start()])


def test_footnotes_kept_out_and_linked(ai_act):
    doc, seg = ai_act
    assert not any(c.text.startswith("(1) OJ C 517") for c in seg.clauses)
    notes = [n for n in seg.footnotes if n.page == 1]
    assert [n.label for n in notes][:3] == ["(1)", "(2)", "(3)"]
    assert notes[0].text.startswith("OJ C 517, 22.12.2021")
    assert all(n.clause_id for n in notes)
    assert sum(1 for r in doc.removed if r.kind == "header") >= 140


def test_german_text_has_the_same_structure():
    doc, seg = processed(DE)
    assert doc.language == "de" and seg.scheme == "eu-act-de"
    assert len(by_kind(seg.clauses, "recital")) == 180
    arts = by_kind(seg.clauses, "article")
    assert [c.ref for c in arts] == [f"Artikel {n}" for n in range(1, 114)]
    assert len(by_kind(seg.clauses, "annex")) == 13
    assert len(by_kind(seg.clauses, "paragraph")) == 500
    ids = {c.id: c for c in seg.clauses}
    assert ids["eu-ai-act-2024-1689-de:art-9"].title == "Risikomanagementsystem"
    assert ids["eu-ai-act-2024-1689-de:art-9.2.a"].ref == "Artikel 9 Absatz 2 Buchstabe a"
    assert ids["eu-ai-act-2024-1689-de:anx-3"].ref == "Anhang III"
    assert ids["eu-ai-act-2024-1689-de:rct-47"].ref == "Erwägungsgrund 47"
