"""Page layout (pure geometry and text): words -> lines in reading order, then the
document-level clean-up: running headers/footers by cross-page repetition, tables of contents,
cover pages, footnotes, pages that need OCR.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median

from rapidfuzz import fuzz

from .textnorm import join_words
from .types import Footnote, Line, RawPage, RemovedLine, Word

# ---------------------------------------------------------------- words -> lines


def _rows(words: list[Word]) -> list[list[Word]]:
    """Group words into rows: a word joins a row it overlaps vertically by half its height."""
    rows: list[list[Word]] = []
    bounds: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        h = max(w.bottom - w.top, 0.1)
        placed = False
        # Only the last few rows can overlap a word sorted by top.
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            top, bottom = bounds[i]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.5 * min(h, bottom - top):
                rows[i].append(w)
                bounds[i] = (min(top, w.top), max(bottom, w.bottom))
                placed = True
                break
        if not placed:
            rows.append([w])
            bounds.append((w.top, w.bottom))
    return rows


def _row_side(row: list[Word], x: float) -> str:
    """How a row sits around a vertical line at x: "cross", "both" (a clear gap of 8pt
    around x with words on each side), or "one"."""
    left = right = near = False
    for w in row:
        if w.x0 < x < w.x1:
            return "cross"
        if w.x1 <= x - 4:
            left = True
        elif w.x0 >= x + 4:
            right = True
        else:
            near = True
    return "both" if left and right and not near else "one"


def _columns_at(kinds: list[str]) -> bool:
    """Is there a stretch of at least 5 rows, mostly with words on both sides of the line,
    where few rows cross it? Stretches are split where 4 rows in a row are not two-sided."""
    sided = [i for i, k in enumerate(kinds) if k == "both"]
    clusters: list[list[int]] = []
    for i in sided:
        if clusters and i - clusters[-1][-1] <= 4:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    for c in clusters:
        span = kinds[c[0] : c[-1] + 1]
        if len(c) >= 5 and len(c) >= 0.6 * len(span) and span.count("cross") <= 0.25 * len(span):
            return True
    return False


def _gutters(rows: list[list[Word]], width: float) -> list[float]:
    """x positions of vertical gutters: no word crosses them and many rows have words on
    both sides. One gutter means two text columns; more mean a table (rows are kept)."""
    if len(rows) < 4:
        return []
    found: list[tuple[float, int]] = []
    x = 0.2 * width
    while x < 0.8 * width:
        kinds = [_row_side(row, x) for row in rows]
        if _columns_at(kinds):
            found.append((x, kinds.count("both") - kinds.count("cross")))
        x += 2.0
    # Merge neighbouring candidate xs into one gutter each (take the best-supported x).
    runs: list[list[tuple[float, int]]] = []
    for x, n in found:
        if runs and x - runs[-1][-1][0] <= 4:
            runs[-1].append((x, n))
        else:
            runs.append([(x, n)])
    gutters = []
    for run in runs:  # the best-supported x; among equals, the middle one
        top = max(n for _, n in run)
        xs = [x for x, n in run if n == top]
        gutters.append(xs[len(xs) // 2])
    return gutters


def _line(words: list[Word], page: int, column: int) -> Line:
    words = sorted(words, key=lambda w: w.x0)
    text = ""
    prev: Word | None = None
    for w in words:
        # Words split only by a change of font (a superscript, a smaller label) touch.
        gap = w.x0 - prev.x1 if prev is not None else 0.0
        if prev is not None and gap < 0.12 * min(w.size, prev.size):
            text += w.text
        elif prev is not None and gap > 0.6 * min(w.size, prev.size):
            text += " " + w.text  # a visible space, even between CJK characters
        else:
            text = join_words(text, w.text)
        prev = w
    sizes: Counter[float] = Counter()
    bold = 0
    for w in words:
        sizes[w.size] += len(w.text)
        bold += len(w.text) if w.bold else 0
    total = sum(sizes.values())
    return Line(
        page=page,
        text=text,
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
        size=sizes.most_common(1)[0][0],
        bold=bold * 2 > total,
        column=column,
    )


def _interleave(left: list[Line], right: list[Line]) -> list[Line]:
    """Reading order of a two-column stretch. Prose columns of similar width read left then
    right. A narrow left column is a table's row-header column (e.g. NIST's categories beside
    their subcategories): each left cell is read, then the right lines beside it."""
    if not left or not right:
        return left + right
    lw = max(ln.x1 for ln in left) - min(ln.x0 for ln in left)
    rw = max(ln.x1 for ln in right) - min(ln.x0 for ln in right)
    if lw >= 0.6 * rw:
        return left + right
    gaps = [b.top - a.bottom for a, b in zip(left, left[1:])]
    usual = median(gaps) if gaps else 0.0
    starts = [0] + [i + 1 for i, gap in enumerate(gaps) if gap > max(2 * usual, usual + 3)]
    bands = [left[i].top - 2 for i in starts]
    out: list[Line] = []
    ri = 0
    for b, i in enumerate(starts):
        end = starts[b + 1] if b + 1 < len(starts) else len(left)
        nxt = bands[b + 1] if b + 1 < len(bands) else float("inf")
        if b == 0:  # right lines above the first left cell continue from before
            while ri < len(right) and right[ri].top < bands[0]:
                out.append(right[ri])
                ri += 1
        out.extend(left[i:end])
        while ri < len(right) and right[ri].top < nxt:
            out.append(right[ri])
            ri += 1
    out.extend(right[ri:])
    return out


def words_to_lines(words: list[Word], width: float, page: int) -> list[Line]:
    """Lines in reading order; on two-column stretches, the left column before the right."""
    rows = _rows(words)
    gutters = _gutters(rows, width)
    if len(gutters) != 1:
        return [_line(r, page, 0) for r in rows]
    g = gutters[0]
    out: list[Line] = []
    region: list[list[Word]] = []

    def flush() -> None:
        sided = sum(1 for r in region if min(w.x0 for w in r) < g < max(w.x1 for w in r))
        if sided < 2:  # a stray short row, not a two-column stretch
            out.extend(_line(r, page, 0) for r in region)
            region.clear()
            return
        left = [_line(r, page, 1) for r in _rows([w for r in region for w in r if w.x1 <= g])]
        right = [_line(r, page, 2) for r in _rows([w for r in region for w in r if w.x0 >= g])]
        out.extend(_interleave(left, right))
        region.clear()

    for row in rows:
        if any(w.x0 < g < w.x1 for w in row):
            if region:
                flush()
            out.append(_line(row, page, 0))
        else:
            region.append(row)
    if region:
        flush()
    return out


# ---------------------------------------------------------------- document clean-up

_DIGITS = re.compile(r"\d+")
_TOC_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|…{2,}\s*\d+\s*$|·{4,}\s*\d+\s*$")
_TOC_TITLE = re.compile(r"^\s*(table of )?contents\s*$|^目\s*[次录]$|^inhalt(sverzeichnis)?$", re.I)
_FOOTNOTE_MARK = re.compile(r"^(\(\d{1,3}\)|\[\d{1,3}\]|\d{1,3}(?=[\s.)A-Za-z])|[*†‡])")


@dataclass(frozen=True)
class CleanPages:
    lines: tuple[Line, ...]
    removed: tuple[RemovedLine, ...]
    footnotes: tuple[Footnote, ...]
    needs_ocr_pages: tuple[int, ...]
    body_size: float


def _key(text: str) -> str:
    return _DIGITS.sub("#", text.lower()).strip()


def _needs_ocr(page: RawPage) -> bool:
    """Glyphs without a text map (some fonts lack ToUnicode), or an image page with no text."""
    return page.unmapped_chars >= 20 or (page.chars < 10 and page.images > 0)


def _unreadable(page: RawPage) -> bool:
    """Too little mapped text to keep: what is left would be a misleading fragment."""
    total = page.chars + page.unmapped_chars
    return page.chars < 10 or page.unmapped_chars > 0.3 * total


def _running_lines(pages: list[RawPage], share: float, similarity: float) -> set[tuple[int, int]]:
    """(page, line index) of headers, footers and page counters: lines near a page edge whose
    text (digits ignored, fuzzy) recurs at the same height on many pages."""
    if len(pages) < 2:
        return set()
    need = max(2, round(share * len(pages))) if len(pages) >= 4 else len(pages)
    groups: list[tuple[float, str, list[tuple[int, int]]]] = []
    for page in pages:
        idx = sorted(range(len(page.lines)), key=lambda i: page.lines[i].top)
        edge = idx[:3] + idx[-3:] if len(idx) > 6 else idx
        for i in edge:
            line = page.lines[i]
            key = _key(line.text)
            for top, gkey, members in groups:
                if abs(top - line.top) <= 4 and (gkey == key or fuzz.token_sort_ratio(gkey, key) >= similarity):
                    members.append((page.number, i))
                    break
            else:
                groups.append((line.top, key, [(page.number, i)]))
    running: set[tuple[int, int]] = set()
    for _top, _gkey, members in groups:
        if len({p for p, _ in members}) >= need:
            running.update(members)
    return running


def _is_toc_page(lines: list[Line]) -> bool:
    if not lines:
        return False
    leaders = sum(1 for ln in lines if _TOC_LEADER.search(ln.text))
    if leaders >= 3 and leaders >= 0.3 * len(lines):
        return True
    titled = any(_TOC_TITLE.match(ln.text) for ln in lines[:5])
    numbered = sum(1 for ln in lines if re.search(r"\s\d{1,3}$", ln.text))
    return titled and numbered >= 0.5 * len(lines)


def _is_cover(lines: list[Line], body_size: float) -> bool:
    if not lines:
        return False
    words = sum(len(ln.text.split()) + sum(1 for c in ln.text if ord(c) > 0x2E80) // 2 for ln in lines)
    biggest = max(ln.size for ln in lines)
    return words < 90 and biggest >= 1.4 * body_size


def _footnote_block(lines: list[Line], body_size: float) -> int:
    """Index where the page's footnote block starts (len(lines) when there is none): a run of
    smaller-than-body lines at the page bottom, opened by a footnote marker."""
    i = len(lines)
    while i > 0 and lines[i - 1].size <= body_size - 0.8 and lines[i - 1].column == 0:
        i -= 1
    for j in range(i, len(lines)):
        if _FOOTNOTE_MARK.match(lines[j].text):
            return j
    return len(lines)


def _split_footnotes(page: int, lines: list[Line]) -> list[Footnote]:
    notes: list[tuple[str, str]] = []
    for ln in lines:
        m = _FOOTNOTE_MARK.match(ln.text)
        if m:
            label = m.group(1)
            notes.append((label, ln.text[m.end() :].strip()))
        elif notes:
            label, text = notes[-1]
            notes[-1] = (label, (text + " " + ln.text).strip())
    return [Footnote(page=page, label=label, text=text) for label, text in notes]


_CONTINUED = re.compile(r"^(table|tabelle|表)\s*\S+.*\((continued|fortsetzung|续)\)\s*$", re.I)
_CONTINUES = re.compile(r"^\(?(continued on next page|continues on next page|续下页)\)?$", re.I)


def _drop_table_furniture(page: int, lines: list[Line], removed: list[RemovedLine]) -> list[Line]:
    """Continuation captions of a table that runs over pages, the header row repeated under
    them, and "Continued on next page" lines."""
    kept: list[Line] = []
    header_top: float | None = None
    for i, ln in enumerate(lines):
        if _CONTINUES.match(ln.text.strip()):
            removed.append(RemovedLine(page, "table-furniture", ln.text))
            continue
        if _CONTINUED.match(ln.text.strip()):
            removed.append(RemovedLine(page, "table-furniture", ln.text))
            header_top = lines[i + 1].top if i + 1 < len(lines) else None
            continue
        if header_top is not None and abs(ln.top - header_top) <= 3:
            removed.append(RemovedLine(page, "table-furniture", ln.text))
            continue
        kept.append(ln)
    return kept


def clean_pages(pages: list[RawPage], share: float = 0.3, similarity: float = 85.0) -> CleanPages:
    removed: list[RemovedLine] = []
    by_number = {p.number: p for p in pages}
    ocr = [p.number for p in pages if _needs_ocr(p)]
    dropped = {n for n in ocr if _unreadable(by_number[n])} if ocr else set()
    running = _running_lines([p for p in pages if p.number not in dropped], share, similarity)

    sizes: Counter[float] = Counter()
    for p in pages:
        if p.number not in dropped:
            for ln in p.lines:
                sizes[ln.size] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0

    # The header and footer bands learnt from the repeated lines (not a fixed margin).
    by_page = {p.number: p for p in pages}
    head_tops = [by_page[pn].lines[i] for pn, i in running]
    mid = median([p.height for p in pages]) / 2 if pages else 0
    top_band = max((ln.bottom for ln in head_tops if ln.top < mid), default=None)
    bottom_band = min((ln.top for ln in head_tops if ln.top >= mid), default=None)

    body: list[Line] = []
    notes: list[Footnote] = []
    for p in pages:
        if p.number in dropped:
            removed.extend(RemovedLine(p.number, "needs-ocr", ln.text) for ln in p.lines)
            continue
        kept: list[Line] = []
        for i, ln in enumerate(p.lines):
            if (p.number, i) in running:
                removed.append(RemovedLine(p.number, "header" if ln.top < mid else "footer", ln.text))
            elif top_band is not None and ln.bottom <= top_band + 0.5:
                removed.append(RemovedLine(p.number, "header", ln.text))
            elif bottom_band is not None and ln.top >= bottom_band - 0.5:
                removed.append(RemovedLine(p.number, "footer", ln.text))
            else:
                kept.append(ln)
        kept = _drop_table_furniture(p.number, kept, removed)
        if _is_toc_page(kept):
            removed.extend(RemovedLine(p.number, "toc", ln.text) for ln in kept)
            continue
        if p.number <= 2 and not body and _is_cover(kept, body_size):
            removed.extend(RemovedLine(p.number, "cover", ln.text) for ln in kept)
            continue
        cut = _footnote_block(kept, body_size)
        if cut < len(kept):
            notes.extend(_split_footnotes(p.number, kept[cut:]))
            removed.extend(RemovedLine(p.number, "footnote", ln.text) for ln in kept[cut:])
        body.extend(kept[:cut])
    return CleanPages(tuple(body), tuple(removed), tuple(notes), tuple(ocr), body_size)


def page_lines(pages: list[RawPage]) -> dict[int, list[Line]]:
    out: dict[int, list[Line]] = defaultdict(list)
    for p in pages:
        out[p.number].extend(p.lines)
    return out
