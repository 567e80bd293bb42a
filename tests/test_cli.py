"""The CLI on a real document: ingest, docs, show, export; every command is in the README."""

from __future__ import annotations

import json
import re

from conftest import ROOT, corpus_file
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.render import EXPORT_FIELDS, TAG_FIELDS

runner = CliRunner()
CAC = "cac-interim-measures-genai-services-2023-zh.pdf"
SLUG = "cac-interim-measures-genai-services-2023-zh"


def run(home, *args):
    return runner.invoke(app, ["--home", str(home), *args])


def test_ingest_docs_show_export(tmp_path):
    pdf = corpus_file(CAC)
    home = tmp_path / "home"
    r = run(home, "ingest", str(pdf))
    assert r.exit_code == 0, r.output
    assert f"added     {SLUG}" in r.output and "1 file(s): 1 added" in r.output
    r = run(home, "ingest", str(pdf))
    assert "unchanged" in r.output and r.exit_code == 0

    r = run(home, "docs", "--json")
    (info,) = [json.loads(line) for line in r.output.splitlines()]
    assert info["slug"] == SLUG and info["pages"] == 8 and info["language"] == "zh"
    assert info["removed_lines"] >= 14  # the browser's URL/date header and page counter on each page

    r = run(home, "show", SLUG)
    assert "第一条" in r.output and "第一章 — 总则" in r.output
    r = run(home, "show", SLUG, "第二条")
    assert r.exit_code == 0 and "pages" in r.output or "page 2" in r.output
    assert "利用生成式人工智能技术" in r.output
    r = run(home, "show", SLUG, "art-4.1", "--json")
    shown = json.loads(r.output)
    assert shown["ref"] == "第四条第（一）项" and shown["obligation"] in ("mandatory", "prohibited")
    assert "values" in [t["theme"] for t in shown["themes"]]  # 坚持社会主义核心价值观
    r = run(home, "show", SLUG, "第四条")
    assert "obligation: mandatory (应当" in r.output

    r = run(home, "docs", "--themes", "--json")
    (profile,) = [json.loads(line) for line in r.output.splitlines()]
    assert profile["leaves"] > 20 and profile["themes"]["security"] > 0

    r = run(home, "retag", SLUG)
    assert r.exit_code == 0 and f"retagged  {SLUG}" in r.output

    r = run(home, "export", SLUG, "--format", "jsonl")
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert all(tuple(row) == EXPORT_FIELDS + TAG_FIELDS for row in rows)
    art4 = next(row for row in rows if row["ref"] == "第四条")
    assert art4["obligation"] == "mandatory" and art4["obligation_marker"] == "应当"
    assert any(e["label"] == "LEGAL_REF" for row in rows for e in row["entities"])
    assert set(art4["theme_scores"]) == {
        "values",
        "security",
        "interoperability",
        "privacy",
        "transparency",
        "fairness",
        "safety",
        "accountability",
        "data-governance",
        "innovation",
    }
    assert sum(1 for row in rows if row["kind"] == "article") == 24
    body = rows[0]["text"]
    assert all(body[row["start"] : row["end"]] == row["text"] for row in rows)

    out = tmp_path / "cac.md"
    r = run(home, "export", SLUG, "--format", "md", "-o", str(out))
    md = out.read_text(encoding="utf-8")
    assert r.exit_code == 0 and md.startswith("# 生成式人工智能服务管理暂行办法")
    assert "#### 第二十四条" in md or "### 第二十四条" in md


def test_unknown_document_and_clause_are_one_line_errors(tmp_path):
    home = tmp_path / "home"
    r = run(home, "show", "nope")
    assert r.exit_code == 2 and "no document 'nope'" in r.output
    r = run(home, "export", "nope", "--format", "xml")
    assert r.exit_code == 2 and "unknown format" in r.output


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    for group in app.registered_groups:
        commands += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    assert "eval themes" in commands
    for name in commands:
        assert re.search(rf"normscope {name}\b", readme), name
