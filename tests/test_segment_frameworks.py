"""NIST AI RMF subcategories (in tables), the CAC measures and TC260-003 (Chinese)."""

from __future__ import annotations

from conftest import processed

NIST = "nist-ai-100-1-ai-rmf-1.0.pdf"
CAC = "cac-interim-measures-genai-services-2023-zh.pdf"
TC260 = "tc260-003-2024-genai-service-basic-security-requirements-zh.pdf"

# Subcategories per category, from the AI RMF 1.0 core (Tables 1-4).
CORE = {
    "GOVERN": [7, 3, 2, 3, 2, 2],
    "MAP": [6, 3, 5, 2, 2],
    "MEASURE": [3, 13, 3, 3],
    "MANAGE": [4, 4, 2, 3],
}


def test_all_72_nist_subcategories_with_text():
    _, seg = processed(NIST)
    expected = [
        f"{fn} {cat}.{sub}" for fn, counts in CORE.items() for cat, n in enumerate(counts, 1) for sub in range(1, n + 1)
    ]
    assert len(expected) == 72
    subs = [c for c in seg.clauses if c.ref in set(expected)]
    assert [c.ref for c in subs] == expected
    ids = {c.id: c for c in seg.clauses}
    g11 = ids["nist-ai-100-1-ai-rmf-1-0:govern-1.1"]
    assert (
        g11.text
        == "GOVERN 1.1: Legal and regulatory requirements involving AI are understood, managed, and documented."
    )
    assert ids[g11.parent].ref == "GOVERN 1"
    m43 = ids["nist-ai-100-1-ai-rmf-1-0:manage-4.3"]
    assert "Incidents and errors are communicated to relevant AI actors" in m43.text
    for c in subs:  # no table furniture or the category column leaks into a subcategory
        assert "Continued on next page" not in c.text and "Subcategories" not in c.text
        assert len(c.text) > 40


def test_cac_measures_have_24_articles():
    doc, seg = processed(CAC)
    assert doc.language == "zh"
    arts = [c for c in seg.clauses if c.kind == "article"]
    numerals = (
        "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一 二十二 二十三 二十四"
    ).split()
    assert [c.ref for c in arts] == [f"第{n}条" for n in numerals]
    ids = {c.id: c for c in seg.clauses}
    assert ids["cac-interim-measures-genai-services-2023-zh:art-4.1"].ref == "第四条第（一）项"
    assert ids["cac-interim-measures-genai-services-2023-zh:chap-1"].title == "总则"
    # Kangxi radicals and CJK compatibility glyphs of the browser print are normalised.
    assert "生成式人工智能" in ids["cac-interim-measures-genai-services-2023-zh:art-2"].text
    assert not any("⼈" in c.text or "⽣" in c.text for c in seg.clauses)


def test_tc260_003_clause_tree():
    _, seg = processed(TC260)
    ids = {c.ref: c for c in seg.clauses}
    assert ids["5"].title == "语料安全要求"
    for ref in ("5.1", "5.2", "5.3"):
        assert ids[ref].parent == ids["5"].id
    assert ids["5.1"].title == "语料来源安全要求"
    items = [c for c in seg.clauses if c.parent == ids["5.1"].id and c.kind == "point"]
    assert [c.ref for c in items][:4] == ["5.1 a)", "5.1 b)", "5.1 c)", "5.1 d)"]
    assert all(c.kind == "point" for c in items)
    sub = [c for c in seg.clauses if c.parent == ids["5.1 a)"].id and c.kind == "point"]
    assert [c.ref for c in sub][:2] == ["5.1 a) 1)", "5.1 a) 2)"]
    top = [c.ref for c in seg.clauses if c.kind == "clause" and "." not in c.ref]
    assert top == [str(n) for n in range(1, 10)]
    assert any(c.kind == "annex" and c.ref == "Annex A" for c in seg.clauses)
    assert [
        c.ref
        for c in seg.clauses
        if c.parent == "tc260-003-2024-genai-service-basic-security-requirements-zh:anx-a" and c.kind == "clause"
    ] == [f"A.{n}" for n in range(1, 6)]
