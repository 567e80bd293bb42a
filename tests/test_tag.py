"""Tagging on real clauses: entities, obligations, themes; the evaluation and the tag command."""

from __future__ import annotations

import json
import re

import pytest
from conftest import processed
from typer.testing import CliRunner

from pipeline import theme_labels as tl
from pipeline import themes as tm
from pipeline.annotate import tag_texts
from pipeline.cli import app
from pipeline.errors import NormScopeError
from pipeline.obligation import obligation
from pipeline.tag import entities
from pipeline.theme_taxonomy import _trie_pattern, lexicon_hits


def clause_with(name: str, needle: str) -> str:
    _, seg = processed(name)
    texts = [c.text for c in seg.clauses if needle in c.text]
    assert texts, needle
    return min(texts, key=len)  # the innermost clause that says it


def labels(text: str, lang: str) -> set[tuple[str, str]]:
    (ents,) = entities([text], [lang])
    return {(e.text, e.label) for e in ents}


def test_entities_in_ai_act_clauses():
    text = clause_with("eu-ai-act-2024-1689-en.pdf", "Regulation (EU) No 1025/2012")
    found = labels(text, "en")
    assert ("Regulation (EU) No 1025/2012", "LEGAL_REF") in found
    art5 = clause_with("eu-ai-act-2024-1689-en.pdf", "shall not affect the prohibitions")
    assert any(label == "LEGAL_REF" for _, label in labels(art5 + " See Article 5(1)(a) and Annex III.", "en"))
    text = clause_with("eu-ai-act-2024-1689-en.pdf", "Articles 16 and 114")
    assert ("Articles 16 and 114", "LEGAL_REF") in labels(text, "en")
    text = clause_with("eu-ai-act-2024-1689-en.pdf", "market surveillance authority")
    assert ("market surveillance authority", "ACTOR") in labels(text, "en")
    # spaCy alone tags "2024/1689" as a DATE; the rule entity wins.
    found = labels("Regulation (EU) 2024/1689 applies from 2 August 2026.", "en")
    assert ("Regulation (EU) 2024/1689", "LEGAL_REF") in found and ("2 August 2026", "DATE") in found


def test_entities_in_tc260_clauses():
    text = clause_with("tc260-003-2024-genai-service-basic-security-requirements-zh.pdf", "GB/T 25069")
    found = labels(text, "zh")
    assert ("GB/T 25069—2022", "STANDARD") in found
    text = clause_with("tc260-003-2024-genai-service-basic-security-requirements-zh.pdf", "网络信息内容生态治理规定")
    assert ("《网络信息内容生态治理规定》", "LEGAL_REF") in labels(text, "zh")
    text = clause_with("tc260-003-2024-genai-service-basic-security-requirements-zh.pdf", "服务提供者")
    assert any(label == "ACTOR" for _, label in labels(text, "zh"))
    assert ("全国网络安全标准化技术委员会", "STANDARDS_BODY") in labels(
        "本文件由全国网络安全标准化技术委员会提出。", "zh"
    )


def test_entities_in_nist_clauses():
    text = clause_with("nist-ai-100-1-ai-rmf-1.0.pdf", "ISO")
    assert any(label in ("STANDARD", "STANDARDS_BODY") for _, label in labels(text, "en"))
    found = labels("See NIST AI 100-1, IEEE 7001-2021, ISO/IEC 42001:2023 and EN 303 645 from ETSI.", "en")
    assert {
        ("NIST AI 100-1", "STANDARD"),
        ("IEEE 7001-2021", "STANDARD"),
        ("ISO/IEC 42001:2023", "STANDARD"),
        ("EN 303 645", "STANDARD"),
        ("ETSI", "STANDARDS_BODY"),
    } <= found


@pytest.mark.parametrize(
    ("text", "lang", "kind", "marker"),
    [
        ("Providers shall ensure that the outputs of the AI system are marked.", "en", "mandatory", "shall"),
        ("The following AI practices shall be prohibited:", "en", "prohibited", "shall be prohibited"),
        ("Deployers shall not use the system for that purpose.", "en", "prohibited", "shall not"),
        (
            "Providers should take into account the generally acknowledged state of the art.",
            "en",
            "recommended",
            "should",
        ),
        ("Member States may provide for such exemptions.", "en", "permitted", "may"),
        ("This Regulation applies to providers placing AI systems on the market.", "en", "none", ""),
        ("服务提供者应当依法承担网络信息内容生产者责任。", "zh", "mandatory", "应当"),
        ("不得生成煽动颠覆国家政权的内容。", "zh", "prohibited", "不得"),
        ("语料来源不应包含违法不良信息。", "zh", "prohibited", "不应"),
        ("宜采用关键词、分类模型等方式进行抽检。", "zh", "recommended", "宜"),
        ("可采用显式水印的方式进行标识。", "zh", "permitted", "可"),
        ("应用场景和服务类型。", "zh", "none", ""),
        ("采集前，应对该来源语料进行安全评估，超过5%的，不应采集该来源语料。", "zh", "mandatory", "应"),
    ],
)
def test_obligation(text, lang, kind, marker):
    ob = obligation(text, lang)
    assert (ob.type, ob.marker) == (kind, marker)


def test_obligation_names_the_actor():
    (tags,) = tag_texts(["Providers shall ensure that AI-generated content is marked in a machine-readable format."])
    assert tags.obligation.type == "mandatory" and tags.obligation.actor == "Providers"


def test_a_new_label_joining_both_sides_of_the_split_is_refused():
    rows = tl.load_labels()
    recorded = {r.id: r.split for r in rows}
    train = next(r for r in rows if r.split == "train")
    test = next(r for r in rows if r.split == "test")
    joins = tl.Labelled("x:new", "x", "en", f"{train.text} {test.text}", (), split="train")
    with pytest.raises(NormScopeError, match="both sides of the split"):
        tl.assign_splits([*rows, joins], recorded)
    alone = tl.Labelled("x:alone", "x", "en", "A clause about nothing labelled yet, zebra quokka.", (), split="train")
    assert tl.assign_splits([*rows, alone], recorded)["x:alone"] == "train"  # the test side is fixed
    inside = tl.Labelled("x:inside", "x", "en", test.text[: len(test.text) // 2 + 20], (), split="train")
    if inside.text != test.text:
        assert tl.assign_splits([*rows, inside], recorded)["x:inside"] == "test"  # joins its group
    drawn = tl.assign_splits(rows)  # nothing recorded: drawn by hash, about TEST_SHARE in 10
    assert 0.2 < sum(side == "test" for side in drawn.values()) / len(drawn) < 0.4


def test_prefix_factored_lexicon_finds_what_a_longest_first_alternation_finds():
    phrases = ["data", "data quality", "data set", "dataset", "datasets", "d", "bias", "biased", "bias audit"]
    plain = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b", re.I)
    trie = re.compile(r"\b(?:" + _trie_pattern(phrases) + r")\b", re.I)
    text = "Data quality and datasets; a data setting, the data set, biased data, bias audits, a bias audit, d."
    assert [m.group(0) for m in trie.finditer(text)] == [m.group(0) for m in plain.finditer(text)]
    hits = lexicon_hits("Providers shall ensure data quality and protect personal data against cyberattacks.")
    assert "data quality" in hits["data-governance"] and "personal data" in hits["privacy"]


def test_further_readings_decide_by_majority(tmp_path):
    text = "Providers shall keep logs."
    first = {"id": "x:1", "doc": "x", "lang": "en", "text": text, "themes": ["safety", "values"]}
    (tmp_path / "labels-a.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    again = [["accountability", "safety"], ["accountability"]]
    lines = [json.dumps({"id": "x:1", "text_sha1": tl.text_sha1(text), "themes": t}) for t in again]
    (tmp_path / "readings-a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (row,) = tl.load_labels(tmp_path, tmp_path / "split.tsv")
    assert row.themes == ("accountability", "safety") and row.first_reading == ("safety", "values")
    assert tl.consensus([("a", "b"), ("a",)]) == ("a", "b")  # an even split goes the first reading's way
    other = json.dumps({"id": "x:1", "text_sha1": tl.text_sha1("Other."), "themes": []})
    (tmp_path / "readings-b.jsonl").write_text(other, encoding="utf-8")
    with pytest.raises(NormScopeError, match=r"readings-b.jsonl:1: x:1 was read as another text"):
        tl.load_labels(tmp_path, tmp_path / "split.tsv")


def test_labelled_split_is_fixed_and_never_straddles_containment():
    rows = tl.load_labels()
    assert len(rows) >= 400 and len({r.doc for r in rows}) >= 6
    assert {r.lang for r in rows} >= {"en", "zh"}
    recorded = dict(line.split("\t") for line in tl.SPLIT.read_text(encoding="utf-8").splitlines()[1:])
    assert {r.id: r.split for r in rows} == recorded  # the split in the repo is the one used
    train = [r for r in rows if r.split == "train"]
    test = [r for r in rows if r.split == "test"]
    assert len(test) >= 1000 and {r.lang for r in test} >= {"en", "zh"}  # the frozen test side
    flat = {r.id: re.sub(r"\s+", "", r.text) for r in rows}  # line breaks differ between sources
    for a in test:
        assert not any(flat[a.id] in flat[b.id] or flat[b.id] in flat[a.id] for b in train)
    model = tm.load()
    assert set(model.train_ids) == {r.id for r in train}


def test_themes_on_labelled_examples():
    texts = [
        "Providers of AI systems, including general-purpose AI systems, generating synthetic audio, image, video or "
        "text content, shall ensure that the outputs of the AI system are marked in a machine-readable format and "
        "detectable as artificially generated or manipulated.",
        "在语料来源管理方面，应对各来源语料进行安全评估，语料内容中含违法不良信息超过5%的，不应采集该来源语料。",
        "Training, validation and testing data sets shall be relevant, sufficiently representative, and to the best "
        "extent possible, free of errors and complete in view of the intended purpose.",
    ]
    t1, t2, t3 = tag_texts(texts)
    assert "transparency" in t1.themes
    assert "security" in t2.themes and t2.language == "zh"
    assert "data-governance" in t3.themes
    for t in (t1, t2, t3):
        assert len(t.scores) == 10 and all(0.0 <= s.score <= 1.0 for s in t.scores)
        assert any(s.evidence for s in t.scores if s.theme in t.themes)


def test_eval_themes_prints_the_table():
    r = CliRunner().invoke(app, ["eval", "themes"])
    assert r.exit_code == 0, r.output
    assert "macro" in r.output and "data-governance" in r.output and "by language" in r.output
    assert re.search(r"picked \d\.\d{3} \(\d+\), random \d\.\d{3} \(\d+\)", r.output)


def test_tag_command_reads_stdin_lines_and_json():
    stdin = 'Deployers shall inform natural persons.\n{"text": "服务提供者应当对生成内容进行标识。"}\n'
    r = CliRunner().invoke(app, ["tag"], input=stdin)
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines()]
    assert [row["language"] for row in rows] == ["en", "zh"]
    assert rows[1]["obligation"] == "mandatory" and rows[1]["obligation_marker"] == "应当"
    for row in rows:
        assert set(row) >= {"entities", "obligation", "themes", "theme_scores"}


def test_parallel_tagging_tags_like_one_process(corpus_home, monkeypatch):
    """With a forked worker sharing the spaCy work chunk by chunk (and the encoder on one thread
    meanwhile), tagging gives the tags it gives in one process."""
    from pipeline.annotate import tag_clauses
    from pipeline.settings import Settings
    from pipeline.store import Store
    from pipeline.tag import PendingEntities

    with Store(Settings(home=corpus_home).db_path) as store:
        clauses = store.clauses("cac-interim-measures-genai-services-2023-zh")
    monkeypatch.setattr(PendingEntities, "MIN_PARALLEL", 0)
    monkeypatch.setattr(PendingEntities, "CHUNK", 500)  # many chunks for two takers
    texts, langs = [c.text for c in clauses], ["zh"] * len(clauses)
    pending = PendingEntities(texts, langs, parallel=True)
    assert pending.forked and pending.get() == PendingEntities(texts, langs).get()
    forked = tag_clauses(clauses, "zh", parallel=True)
    alone = tag_clauses(clauses, "zh", parallel=False)
    assert forked.keys() == alone.keys()
    for cid, tags in forked.items():
        assert tags.themes == alone[cid].themes and tags.entities == alone[cid].entities
        assert [s.score for s in tags.scores] == pytest.approx([s.score for s in alone[cid].scores], abs=1e-4)
    assert sum(1 for t in forked.values() if t.themes) > len(forked) / 2


def test_english_pipeline_runs_ner_alone_unless_ner_listens_to_tok2vec(tmp_path, monkeypatch):
    import spacy

    from pipeline import tag

    assert tag.pipeline("en").pipe_names == ["ner", "normscope_rules"]  # en_core_web_sm: ner has its own tok2vec
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "tok2vec"}
    nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 8,
                "maxout_pieces": 2,
                "use_upper": True,
                "tok2vec": listener,
            }
        },
    )
    nlp.get_pipe("ner").add_label("ORG")
    nlp.initialize()
    nlp.to_disk(tmp_path / "listening")
    monkeypatch.setattr(tag, "EN_MODELS", (str(tmp_path / "missing"), str(tmp_path / "listening")))
    assert tag._english(spacy).pipe_names == ["tok2vec", "ner"]
    monkeypatch.setattr(tag, "EN_MODELS", (str(tmp_path / "missing"),))
    with pytest.raises(NormScopeError, match="no English spaCy pipeline"):
        tag._english(spacy)
