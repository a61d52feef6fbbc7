"""Photo captions as data: taken from the HTML tree and out of the body text, each once.

`HtmlCaptionStep` reads the parsed tree before extraction (trafilatura drops figures and
caption-classed elements); `TextCaptionStep` moves caption lines ("... (Jane Doe/AP)") out of
the body, whatever the input kind, and keeps one copy of each caption.
"""

from __future__ import annotations

import re
from dataclasses import replace

from lxml import etree

from transforms.core.caseless import CaselessWords
from transforms.core.record import Article, Caption, Drop
from transforms.core.steps import Step
from transforms.core.words import count_words
from transforms.html.credits import is_credit, split_credit

__all__ = ["HtmlCaptionStep", "TextCaptionStep", "is_caption_line", "split_credit"]

_WORD = re.compile(r"\w+")
_CAPTION_CLASS = CaselessWords("caption", "credit", "figcap")
# Containers whose captions belong to other stories or to the site, not to this article.
_OUTSIDE = frozenset({"nav", "footer", "header", "aside", "a", "button", "form", "noscript"})
# A figcaption is explicit markup: the page header (lead image) and lightbox buttons are fine.
_OUTSIDE_FIGURE = frozenset({"nav", "footer", "aside", "a", "form", "noscript"})
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif)\b|^[\w-]+$|^(?:IMG|DSC)[_-]?\d", re.I)
# Strongly caption-formed lines without a credit: AP-style "FILE - ..." and stage directions.
_CAPTION_LEAD = re.compile(
    r"^(?:FILE(?:\s+PHOTO)?\s*[-–—:]\s+|(?:Pictured|Above|Top|Left|Right|Below|From\s+left)\s*:\s+)\S"
)


_BARE_AGENCY = re.compile(r"^\(\s*(?:AP|AFP|Reuters|UPI|dpa|DPA|Xinhua|Bloomberg|PA|CNN)\s*\)$")


def caption_key(text: str) -> str:
    """Normalised form for comparing captions: lower-cased words only."""
    return " ".join(_WORD.findall(text.lower()))


# A caption sentence before a weak credit: ends like a sentence and has a few words.
_CAPTION_END = re.compile(r"[.!?…\"”’)]$")


def is_caption_line(line: str, max_words: int = 80, after_caption: bool = False) -> bool:
    """Is this line of body text a photo caption?

    The credit is the strong signal: a credit-only line, or a short line ending/starting with a
    credit. Without a credit only AP-style "FILE - ..." or "Pictured: ..." lines qualify.
    A weak credit form ("Jane Doe/The Post", "Jane Doe for The Times", shaped like many headings)
    counts alone only `after_caption`, and after a caption sentence of a few words.
    """
    text = line.strip()
    if not text or count_words(text) > max_words:
        return False
    if _BARE_AGENCY.match(text):
        return False  # "(AP)" on its own line is the story's wire byline, not a photo credit
    if is_credit(text):
        return after_caption or is_credit(text, weak=False)
    parts = split_credit(text)
    if parts.credit is not None:
        if is_credit(parts.credit, weak=False):
            return True
        return count_words(parts.text) >= 3 and bool(_CAPTION_END.search(parts.text))
    return bool(_CAPTION_LEAD.match(text))


def _text_of(el: etree._Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _outside_article(el: etree._Element, outside: frozenset[str] = _OUTSIDE) -> bool:
    """Inside navigation, footer, aside or a link: a teaser's picture, not this story's."""
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag in outside:
            return True
        parent = parent.getparent()
    return False


def _classes(el: etree._Element) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _reads_as_caption(alt: str, min_words: int) -> bool:
    """Alt text worth keeping: a sentence-like description, not a file name or a logo label."""
    words = alt.split()
    if len(words) < min_words or _FILE_NAME.search(alt.strip()):
        return False
    lower = sum(1 for w in words if w[:1].islower())
    return lower >= 2  # a run of capitalised words is a title or a name, not a description


def _figure_alt(figcaption: etree._Element, min_words: int) -> str:
    """Descriptive alt text of the image in the same figure as `figcaption`, or ""."""
    figure = figcaption.getparent()
    if figure is None:
        return ""
    for img in figure.iter("img"):
        alt = (img.get("alt") or "").strip()
        if _reads_as_caption(alt, min_words):
            return alt
    return ""


_LABELS = etree.XPath("//h1|//h2|//h3|//h4|//h5|//h6|//a[not(starts-with(@href, '#'))]")


def _page_labels(tree: etree._Element) -> set[str]:
    """Caption keys of the page's headings and off-page link labels. An image whose alt text
    repeats one of them is a teaser card's picture (its headline is the link beside it) or a
    section's illustration: the text is the page's own, never a caption to move out."""
    return {caption_key(_text_of(el)) for el in _LABELS(tree)}


class HtmlCaptionStep(Step):
    """Collect captions from figures, caption/credit-classed elements and descriptive alt text."""

    name = "html_captions"
    section = "html"
    applies_to = frozenset({"html"})
    reads = frozenset({"tree", "captions"})
    writes = frozenset({"captions"})

    def apply(self, doc: Article) -> Drop | None:
        if doc.markup.tree is None:
            return None
        cfg = self.settings
        found: list[Caption] = []
        seen: set[str] = {caption_key(c.text + (c.credit or "")) for c in doc.captions}
        used: set[etree._Element] = set()

        def add(
            text: str, credit: str | None = None, min_words: int = cfg.caption_min_words
        ) -> None:
            parts = split_credit(text)
            caption, credit = parts.text, credit or parts.credit
            words = count_words(caption)
            if words == 0:  # a bare credit with no caption beside it is not a caption
                return
            if words > cfg.caption_max_words or (words < min_words and not credit):
                return
            key = caption_key(caption + (credit or ""))
            if key and key not in seen and not any(key in k for k in seen):
                seen.add(key)
                found.append(Caption(text=caption, credit=credit))

        for fig in doc.markup.tree.iter("figcaption"):
            if _outside_article(fig, _OUTSIDE_FIGURE):
                continue
            used.update(fig.iter())
            # a credit printed in its own child element ("<span class=credit>") is kept apart
            credit_el = next(
                (e for e in fig.iter() if e is not fig and "credit" in _classes(e).lower()), None
            )
            credit = _text_of(credit_el) if credit_el is not None else None
            text = _text_of(fig)
            if credit and text.endswith(credit):
                text = text[: -len(credit)]
            if not split_credit(text).text:
                # a credit-only figcaption: the picture's alt text, if descriptive, is the caption
                credit = credit or split_credit(text).credit
                text = _figure_alt(fig, cfg.caption_min_words)
            add(text, credit or None, min_words=2)  # figcaption markup: short captions count
        # class and id values repeat across a page's elements: each pair is searched once a
        # page (a dict of the page's pairs is cheaper than a bounded cache across pages)
        classed: dict[str, bool] = {}
        for el in doc.markup.tree.iter(etree.Element):  # elements only: no comments
            # the class test first: it rules out nearly every element of the page at once
            cls, ident = el.get("class"), el.get("id")
            if cls is None and ident is None:
                continue
            attrs = f"{cls or ''} {ident or ''}"
            hit = classed.get(attrs)
            if hit is None:
                hit = classed[attrs] = _CAPTION_CLASS.found(attrs)
            if not hit:
                continue
            if el in used or el.tag in ("html", "body"):
                continue
            if not _outside_article(el):
                used.update(el.iter())
                add(_text_of(el))
        labels: set[str] | None = None
        for img in doc.markup.tree.iter("img"):
            alt = (img.get("alt") or "").strip()
            if alt and _reads_as_caption(alt, cfg.caption_min_words) and not _outside_article(img):
                if labels is None:
                    labels = _page_labels(doc.markup.tree)
                if caption_key(alt) not in labels:
                    add(alt)
        if found:
            doc.captions.extend(found)
            doc.note("caption_from_html", len(found))
        return None


# A list item of the extracted body ("- What does it cost? ..."): the body's own structure (an
# FAQ, a list of models) even where the page wraps it in caption-classed markup; no extractor
# prints a figure's caption as a list item.
_LIST_ITEM = "- "


class TextCaptionStep(Step):
    """Move caption lines out of `doc.text` into `doc.captions`, each caption kept once.

    A paragraph that is a caption (credit pattern, or the text of a caption already taken from
    the HTML) leaves the body; a credit-only line right after a caption becomes its credit.
    Two guards keep the body's own text: the lead (the first paragraph that reads as a
    sentence of some length) is never moved on its form alone ("(Reuters) - The attorney
    general ..." has the form of a credited caption), and a run of `MIN_RUN` or more moved
    paragraphs longer than twice the longest caption stays: that is body sections held in
    caption-classed markup (a buying guide's product blurbs), not a gallery's captions. A list
    item of the body is never moved (`_LIST_ITEM`).
    """

    name = "text_captions"
    section = "html"
    reads = frozenset({"text", "captions"})
    writes = frozenset({"text", "captions"})
    MIN_RUN = 3
    LEAD_MIN_WORDS = 12

    def apply(self, doc: Article) -> Drop | None:
        paragraphs = doc.paragraphs
        moved = self._sort(doc, paragraphs, frozenset(), dry=True)
        if not moved:  # most pages: nothing to move, nothing to note
            return None
        keep = self._long_runs(paragraphs, moved)
        if keep:
            doc.note("caption_run_kept", len(keep))
        self._sort(doc, paragraphs, keep, dry=False)
        return None

    def _long_runs(self, paragraphs: list[str], moved: list[int]) -> frozenset[int]:
        """Indices of the moved paragraphs that stand in long runs (see the class docstring)."""
        keep: set[int] = set()
        limit = 2 * self.settings.caption_max_words
        k = 0
        while k < len(moved):
            j = k
            while j + 1 < len(moved) and moved[j + 1] == moved[j] + 1:
                j += 1
            run = moved[k : j + 1]
            if len(run) >= self.MIN_RUN and sum(count_words(paragraphs[i]) for i in run) > limit:
                keep.update(run)
            k = j + 1
        return frozenset(keep)

    def _sort(
        self, doc: Article, paragraphs: list[str], keep: frozenset[int], dry: bool
    ) -> list[int]:
        """Move the caption paragraphs (not those in `keep`); return the moved indices. A dry
        run changes nothing: it works on copies of the captions and notes nothing."""
        captions = [replace(c) for c in doc.captions] if dry else doc.captions
        note = (lambda reason: None) if dry else doc.note
        known = {caption_key(c.text): c for c in captions if c.text}
        kept: list[str] = []
        moved: list[int] = []
        last: Caption | None = None
        max_words = self.settings.caption_max_words
        lead: int | None = None  # found when a paragraph first has a caption's form
        for i, para in enumerate(paragraphs):
            if (
                i in keep
                or para.startswith(_LIST_ITEM)
                or (
                    (para.count(" ") >= max_words or not para.isascii())
                    and count_words(para) > max_words
                )
            ):
                kept.append(para)  # longer than any caption (HTML ones included): body text
                last = None
                continue
            # a page without captions (most) matches no known one: no key to compute
            key = caption_key(para) if known else None
            if key in known and count_words(key) >= self.settings.caption_min_words:
                note("caption_duplicate_removed")
                moved.append(i)
                last = known[key]
                continue
            weak_ok = last is not None and last.credit is None  # a credit line for it
            caption_form = is_caption_line(para, max_words, weak_ok)
            if caption_form and lead is None:
                lead = self._lead(paragraphs)
            if not caption_form or i == lead:
                kept.append(para)
                last = None
                continue
            moved.append(i)
            parts = split_credit(para)
            if not parts.text:  # a credit alone: it belongs to the caption just before it
                if last is not None and last.credit is None:
                    last.credit = parts.credit
                note("credit_line_removed")
                continue
            ckey = caption_key(parts.text)
            if ckey in known:
                note("caption_duplicate_removed")
                if known[ckey].credit is None:
                    known[ckey].credit = parts.credit
                last = known[ckey]
                continue
            caption = Caption(text=parts.text, credit=parts.credit)
            captions.append(caption)
            known[ckey] = caption
            known[caption_key(para) if key is None else key] = caption
            last = caption
            note("caption_moved")
        if not dry and len(kept) != len(paragraphs):
            doc.set_paragraphs(kept)
        return moved

    def _lead(self, paragraphs: list[str]) -> int:
        """Index of the lead: the first paragraph of `LEAD_MIN_WORDS` words ending a sentence
        that has no caption form of its own: a credit *after* the text ("... (AP Photo/Sam
        Reed)") or an AP-style "FILE - " opening. A credit before the text is a wire dateline
        ("(Reuters) - The attorney general ..."): the lead's form, not a caption's."""
        for i, para in enumerate(paragraphs):
            text = para.strip()
            if not _CAPTION_END.search(text) or count_words(text) < self.LEAD_MIN_WORDS:
                continue
            parts = split_credit(text)
            if (parts.credit and text.startswith(parts.text)) or _CAPTION_LEAD.match(text):
                continue  # a caption before the lead (the lead image's)
            return i
        return -1
