"""Repetition repair inside one document: repeated paragraphs, repeated sentences, splices.

Scrapers print things twice: a paragraph re-rendered further down the page, a sentence doubled,
or a *splice*, where the byte stream jumped back mid-line and re-emitted a stretch of it:
"... and uses forcee are facing a new normal ... and uses force to ...". A jump back from
offset k to an earlier offset m always leaves a *tandem repeat*: the stretch text[m:k] directly
followed by a copy of itself. So a splice is found as a long tandem repeat (period >= 40
characters and several words) and repaired by deleting one period. Detection anchors on
repeated 16-character grams at word starts (a dict of last positions), so a 5k-character
paragraph costs one pass over its words plus a verification per candidate period.

In a body extracted from HTML, list items, table rows, code and short labels without sentence
punctuation ("Pros", "What It Costs") are kept each time: pages repeat them on purpose
(`is_structure_line`, the rule the articles suite's check uses too). On a page of a type in
`clean.repeats_kept_page_types` (documentation and service pages) a repeated paragraph stays
too: there the markup repeats whole blocks by design (one tab a language, a plan or a device,
each carrying the same notes), and the reader's text is the page's. Doubled sentences and
splices inside one line are repaired on every page: no markup prints those.

Repairs are counted with `doc.note`, never a reason to drop the document.
"""

from __future__ import annotations

import re

from transforms.clean.line_features import normalise_line
from transforms.core.config import PipelineConfig
from transforms.core.record import Article, Drop
from transforms.core.steps import Step
from transforms.core.words import count_words

_GRAM = 16  # anchor length: long enough to be rare in prose, short enough to find every period
_MAX_CANDIDATES = 256  # verification budget per line: bounds pathological inputs ("-----")
# A sentence ends at . ! ? (and closing quotes) followed by a space.
_WORD_START = re.compile(r"\s+(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_SENTENCE_SPLIT = re.compile(f"({_SENTENCE_END.pattern})")  # the sentences and their ends


def find_tandem(text: str, min_period: int = 40, min_words: int = 8) -> tuple[int, int] | None:
    """The first tandem repeat in `text`: (start, period) with text[s:s+p] == text[s+p:s+2p].

    Only periods of at least `min_period` characters holding at least `min_words` words count:
    shorter doublings ("very, very") are language, not scraper damage.
    """
    n = len(text)
    if n < 2 * min_period:
        return None
    # Cheap exit for the common case: a tandem of >= 8 words repeats some word 4-gram (its
    # interior words are whole in both copies); most lines repeat none.
    # Cheaper still, first: where a 4-gram repeats, its second copy's four words all stand
    # earlier in the text, so at least four words are repeats.
    words = text.split()
    if len(words) - len(set(words)) < 4:
        return None
    grams = list(zip(words, words[1:], words[2:], words[3:], strict=False))
    if len(set(grams)) == len(grams):
        return None
    last: dict[str, int] = {}
    checked: set[int] = set()
    budget = _MAX_CANDIDATES
    # Anchors at word starts only: inside a tandem both copies have the same word starts, so
    # a period is found from them as well as from every offset, at a fraction of the cost.
    starts = [0] + [m.end() for m in _WORD_START.finditer(text)]
    for i in starts:
        if i > n - _GRAM:
            break
        gram = text[i : i + _GRAM]
        p = last.get(gram)
        last[gram] = i
        if p is None:
            continue
        period = i - p
        if period < min_period or period in checked:
            continue
        checked.add(period)
        budget -= 1
        if budget < 0:
            return None
        # Maximal run around p where text[x] == text[x + period]; a run >= period is a tandem.
        a = p
        while a > 0 and text[a - 1] == text[a - 1 + period]:
            a -= 1
        b = p
        while b + period < n and text[b] == text[b + period]:
            b += 1
        if b - a >= period and count_words(text[a : a + period]) >= min_words:
            return a, period
    return None


def repair_splices(text: str, min_period: int = 40, min_words: int = 8) -> tuple[str, int]:
    """Delete one copy of each long tandem repeat; returns (text, number of repairs)."""
    repairs = 0
    while repairs < 16:  # each repair shortens the text; the cap only guards against surprises
        found = find_tandem(text, min_period, min_words)
        if found is None:
            break
        start, period = found
        text = text[: start + period] + text[start + 2 * period :]
        repairs += 1
    return text, repairs


def dedupe_sentences(paragraph: str, min_words: int = 4) -> tuple[str, int]:
    """Drop a sentence that repeats the one right before it; returns (paragraph, removals)."""
    pieces = _SENTENCE_SPLIT.split(paragraph)  # one pass: sentence, end, sentence, ...
    if len(pieces) < 3:
        return paragraph, 0
    parts, seps = pieces[0::2], pieces[1::2]
    kept: list[str] = [parts[0]]
    kept_seps: list[str] = []
    removed = 0
    # cheap keys (spacing and case folded): a doubled sentence comes from one scraper pass
    prev = " ".join(parts[0].split()).casefold()
    for sep, part in zip(seps, parts[1:], strict=True):
        key = " ".join(part.split()).casefold()
        if key and key == prev and count_words(key) >= min_words:
            removed += 1
            continue
        kept_seps.append(sep)
        kept.append(part)
        prev = key
    if not removed:
        return paragraph, 0
    out = kept[0] + "".join(s + p for s, p in zip(kept_seps, kept[1:], strict=True))
    return out, removed


# Lines that may repeat by design, so that neither the repair nor the suite's repeated-paragraph
# check treats a second copy as a duplicate: list items ("- Easy to use", "1/4 cup sugar" under a
# "- " marker), table rows ("| Plan | Cost |"), lines of code, and short labels without sentence
# punctuation ("Pros", "What it costs": once per section of a list or comparison).
_LABEL_MAX_WORDS = 7
_SENTENCE_END_CHARS = frozenset(".!?…:;\"'”’)")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•·‒–—▪►✓✔]|\(?[0-9]{1,3}[.)]|[a-z][.)])\s")
_TABLE_ROW = re.compile(r"\s*\||[^|\n]*\|[^|\n]*\|")
_CODE = re.compile(
    r"[;{}]\s*\Z|\)\s*:\Z"  # statement or block end, a block header
    r"|\A\s*(?:def|class|import|from|return|var|let|const|function|public|private|#include|"
    r"SELECT|>>>|\$)\s"  # a statement or prompt that prose does not start with
    r"|\A\s*[A-Za-z_][A-Za-z0-9_.]*\([^)]*\)\s*\Z"  # a bare call: print(x)
    r"|[A-Za-z0-9_\])]\s?(?:=|==|=>|->|\+=|:=)\s?[A-Za-z0-9_\"'(\[]"  # assignment, arrow
)


def is_structure_line(line: str) -> bool:
    """Can this line repeat by design (list item, table row, code, short label)?

    The one rule for "not a paragraph" shared by `RepetitionStep` and the articles suite's
    repeated-paragraph check (`expectations.derived`), so the two never disagree.
    """
    text = line.strip()
    if not text:
        return True
    if _LIST_ITEM.match(text) or _TABLE_ROW.match(text):
        return True
    if text[-1] not in ".!?…" and _CODE.search(text):  # a sentence quoting "x = y" is prose
        return True
    return text[-1] not in _SENTENCE_END_CHARS and count_words(text) <= _LABEL_MAX_WORDS


def page_types(setting: str) -> frozenset[str]:
    """The page types of a comma-separated setting ("documentation, service")."""
    return frozenset(name.strip() for name in setting.split(",") if name.strip())


def is_structure(paragraph: str) -> bool:
    """A paragraph every line of which is a structure line (see `is_structure_line`)."""
    return all(is_structure_line(line) for line in paragraph.split("\n"))


class RepetitionStep(Step):
    """Keep each paragraph/line once, undo doubled sentences and scraper splices, in place."""

    name = "repetition"
    section = "clean"
    reads = frozenset({"text", "content_kind", "page_type"})
    writes = frozenset({"text"})

    def __init__(self, config: PipelineConfig | None = None) -> None:
        super().__init__(config)

    def apply(self, doc: Article) -> Drop | None:
        cfg = self.settings
        seen: set[str] = set()
        # a body extracted from HTML carries the page's lists, tables and section labels but
        # not its menus; in a plain-text dump a repeated short line is as often a menu printed
        # twice (the suite never flags a repeated structure line either way)
        structure_kept = doc.content_kind == "html"
        repeats_kept = structure_kept and doc.page_type in page_types(cfg.repeats_kept_page_types)
        out: list[str] = []
        changed = False
        for para in doc.paragraphs:
            lines: list[str] = []
            for line in para.split("\n"):
                # Doubled sentences first: a doubled sentence is also a tandem repeat, and it
                # should be counted as what it is, not as a splice.
                fixed, n_sent = dedupe_sentences(line, cfg.min_paragraph_words_for_repeat)
                fixed, n_splices = repair_splices(fixed, cfg.splice_min_chars, cfg.splice_min_words)
                doc.note("splice_repaired", n_splices)
                doc.note("repeated_sentence_removed", n_sent)
                key = normalise_line(fixed)
                if (
                    not repeats_kept
                    and count_words(key) >= cfg.min_paragraph_words_for_repeat
                    and (not structure_kept or not is_structure_line(fixed))
                ):
                    if key in seen:
                        doc.note("repeated_paragraph_removed")
                        changed = True
                        continue
                    seen.add(key)
                changed = changed or fixed != line
                lines.append(fixed)
            out.append("\n".join(lines))
        if changed:
            doc.set_paragraphs(out)
        return None
