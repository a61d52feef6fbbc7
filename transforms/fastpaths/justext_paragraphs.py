"""justext's paragraph maker and classifier as trafilatura's justext fallback calls them, ~3x faster.

trafilatura runs justext (`try_justext`: make paragraphs, classify, revise) when its own body is
short or "unclean" and in its recall escalation: on a minority of pages, at a high cost a call
(`python -m benchmarks.stage_cpu --profile`). Most of that is overhead around the algorithm: lxml's SAX bridge builds
namespace maps and attribute objects for every element, each paragraph start formats two path
strings (kept only for paragraphs with text), `Paragraph.text` re-joins and re-normalizes its
text nodes on each of its ~6 reads in classification, and `classify_paragraphs` hashes the
154,000-word stoplist tuple on every call (an lru_cache key).

`ParagraphMaker.make_paragraphs` here walks the tree directly with the same events in the same
order as `lxml.sax.saxify` (comments and processing instructions give only their tails) and
builds the same paragraphs: same text, DOM path, XPath, link characters and tag count.
`CachedParagraph` freezes its text when the paragraph closes. `classify_paragraphs` hands
justext's own classifier a frozenset of the stoplist, whose hash Python caches. `install()` puts
both in `trafilatura.external`, where `try_justext` looks them up.
"""

from __future__ import annotations

import importlib

from justext import core as justext_core
from justext.paragraph import Paragraph
from justext.utils import normalize_whitespace
from lxml import etree

_PARAGRAPH_TAGS = justext_core.PARAGRAPH_TAGS


class CachedParagraph(Paragraph):
    """A justext `Paragraph` whose text and words are computed once, when it closes."""

    def __init__(self, dom_path: str, xpath: str, text_nodes: list[str], links: int, tags: int):
        self.dom_path = dom_path
        self.xpath = xpath
        self.text_nodes = text_nodes
        self.chars_count_in_links = links
        self.tags_count = tags
        self.class_type = ""
        self._text = normalize_whitespace("".join(text_nodes).strip())
        self._words = self._text.split()

    @property
    def text(self) -> str:
        return self._text

    def __len__(self) -> int:
        return len(self._text)

    @property
    def words_count(self) -> int:
        return len(self._words)

    def stopwords_count(self, stopwords) -> int:
        return sum(word.lower() in stopwords for word in self._words)


class _Maker:
    """The state of justext's `ParagraphMaker`, with paragraphs opened as plain lists."""

    def __init__(self) -> None:
        self.path: list[list] = []  # [tag, order among same-tag siblings, children counts]
        self.paragraphs: list[CachedParagraph] = []
        self.link = False
        self.br = False
        self._open()

    def _open(self) -> None:
        self.snapshot = tuple(self.path)  # the path where this paragraph starts
        self.nodes: list[str] = []
        self.links = 0
        self.tags = 0

    def new_paragraph(self) -> None:
        if self.nodes:
            paragraph = CachedParagraph(
                ".".join(e[0] for e in self.snapshot),
                "/" + "/".join(f"{e[0]}[{e[1]}]" for e in self.snapshot),
                self.nodes,
                self.links,
                self.tags,
            )
            # justext keeps a paragraph that has text nodes and is truthy (non-empty text)
            if paragraph.text:
                self.paragraphs.append(paragraph)
        self._open()

    def start(self, name: str) -> None:
        children = self.path[-1][2] if self.path else {}
        order = children.get(name, 0) + 1
        children[name] = order
        self.path.append([name, order, {}])
        if name in _PARAGRAPH_TAGS or (name == "br" and self.br):
            if name == "br":
                self.tags -= 1  # the <br><br> separator is not a tag of the paragraph
            self.new_paragraph()
        else:
            self.br = name == "br"
            if self.br:
                self.nodes.append(" ")
            elif name == "a":
                self.link = True
            self.tags += 1

    def end(self, name: str) -> None:
        self.path.pop()
        if name in _PARAGRAPH_TAGS:
            self.new_paragraph()
        if name == "a":
            self.link = False

    def characters(self, content: str) -> None:
        if not content or content.isspace():
            return
        text = normalize_whitespace(content)
        self.nodes.append(text)
        if self.link:
            self.links += len(text)
        self.br = False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[1] if tag[:1] == "{" else tag


class ParagraphMaker:
    """Drop-in for `justext.core.ParagraphMaker` as trafilatura uses it (`make_paragraphs`)."""

    @classmethod
    def make_paragraphs(cls, root: etree._Element) -> list[CachedParagraph]:
        """The paragraphs justext's SAX-driven maker finds in `root`, in document order."""
        maker = _Maker()
        before, after = _sibling_instructions(root)
        for tail in before:
            maker.characters(tail)
        stack: list[tuple[etree._Element, bool]] = [(root, False)]
        while stack:
            el, closing = stack.pop()
            if closing:
                maker.end(_local(el.tag))
                if el.tail:
                    maker.characters(el.tail)
                continue
            if not isinstance(el.tag, str):  # comment or processing instruction: its tail only
                if el.tail:
                    maker.characters(el.tail)
                continue
            maker.start(_local(el.tag))
            if el.text:
                maker.characters(el.text)
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
        for tail in after:
            maker.characters(tail)
        maker.new_paragraph()  # endDocument
        return maker.paragraphs


def _sibling_instructions(root: etree._Element) -> tuple[list[str], list[str]]:
    """Tails of the processing instructions just before and after the root (saxify emits them)."""
    before, after = [], []
    sibling = root.getprevious()
    while sibling is not None and sibling.tag is etree.ProcessingInstruction:
        before.append(sibling.tail)
        sibling = sibling.getprevious()
    sibling = root.getnext()
    while sibling is not None and sibling.tag is etree.ProcessingInstruction:
        after.append(sibling.tail)
        sibling = sibling.getnext()
    return [t for t in reversed(before) if t], [t for t in after if t]


_STOPLISTS: dict[int, tuple[tuple, frozenset[str]]] = {}


def classify_paragraphs(paragraphs, stoplist, *args, **kwargs) -> None:
    """justext's `classify_paragraphs`, given a tuple stoplist as a frozenset made once per tuple.

    (justext's stoplists by language are frozensets already and pass through.)
    """
    if isinstance(stoplist, tuple):
        entry = _STOPLISTS.get(id(stoplist))
        if entry is None or entry[0] is not stoplist:
            if len(_STOPLISTS) >= 8:
                _STOPLISTS.clear()
            entry = _STOPLISTS[id(stoplist)] = (stoplist, frozenset(stoplist))
        stoplist = entry[1]
    justext_core.classify_paragraphs(paragraphs, stoplist, *args, **kwargs)


_ORIGINALS: dict[str, object] = {}


def install() -> bool:
    """Put the maker and the classifier in `trafilatura.external` (idempotent).

    Only where trafilatura's names are justext's own functions: anything else keeps its own.
    """
    external = importlib.import_module("trafilatura.external")
    mine = {"ParagraphMaker": ParagraphMaker, "classify_paragraphs": classify_paragraphs}
    theirs = {
        "ParagraphMaker": justext_core.ParagraphMaker,
        "classify_paragraphs": justext_core.classify_paragraphs,
    }
    for name, replacement in mine.items():
        current = getattr(external, name, None)
        if current is theirs[name]:
            _ORIGINALS[name] = current
            setattr(external, name, replacement)
    return all(getattr(external, name, None) is mine[name] for name in mine)


def installed() -> bool:
    """Does `trafilatura.external` use this module's maker in this process?"""
    return getattr(importlib.import_module("trafilatura.external"), "ParagraphMaker", None) is (
        ParagraphMaker
    )


def uninstall() -> None:
    """Give `trafilatura.external` justext's own maker and classifier back."""
    external = importlib.import_module("trafilatura.external")
    for name, original in _ORIGINALS.items():
        setattr(external, name, original)
