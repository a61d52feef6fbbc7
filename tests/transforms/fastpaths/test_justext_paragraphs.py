"""The fast paragraph maker and classifier give justext's own paragraphs and classes."""

from __future__ import annotations

import gzip
import importlib
import random
from copy import copy

import pytest
from justext import core as justext_core
from lxml import etree, html

from tests.conftest import WCXB, requires_wcxb
from transforms.fastpaths import justext_paragraphs
from transforms.fastpaths.justext_paragraphs import ParagraphMaker, classify_paragraphs

STOPLIST = ("the", "a", "of", "and", "to", "in", "is", "The", "it", "that", "on", "for")


def _justext(tree, maker, classify) -> list[tuple]:
    paragraphs = maker.make_paragraphs(tree)
    classify(paragraphs, STOPLIST, 50, 150, 0.1, 0.2, 0.25, True)
    justext_core.revise_paragraph_classification(paragraphs, 150)
    fields = ("text", "dom_path", "xpath", "chars_count_in_links", "tags_count", "words_count")
    fields += ("cf_class", "class_type", "heading", "is_boilerplate")
    return [(len(p), *(getattr(p, f) for f in fields)) for p in paragraphs]


def _assert_same(tree, context: str = "") -> None:
    expected = _justext(tree, justext_core.ParagraphMaker, justext_core.classify_paragraphs)
    assert _justext(tree, ParagraphMaker, classify_paragraphs) == expected, context


PROSE = "The city council voted on the plan to rebuild the bridge and it is in the budget. " * 3

CASES = {
    "paragraphs": f"<p>{PROSE}</p><p>Short one.</p><div>{PROSE}<p>inner</p>tail text</div>",
    "links": f'<p>{PROSE}<a href="/x">a link of the text</a> after</p><ul><li><a>menu</a></li></ul>',
    "double br splits": f"<div>{PROSE}<br><br>{PROSE}<br>one break</div>",
    "br alone": "<div><br></div><p> <br> </p>",
    "headings": f"<h2>A heading</h2><p>{PROSE}</p><h3>Far heading</h3>",
    "comments and pis": f"<p>{PROSE}<!-- a comment -->comment tail<?pi x?>pi tail</p>",
    "whitespace": "<p>  \n\t </p><p>a\n\n  b\r\n c</p>",
    "select and copyright": f"<select><option>{PROSE}</option></select><p>\xa9 2024 {PROSE}</p>",
    "same-tag siblings": "<div><p>one text</p><p>two text</p><span>x</span><p>three</p></div>",
    "nested inline": f"<p><b>bold <i>italic {PROSE}</i></b> end</p>",
    "empty document": "",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_paragraphs_and_classes_as_justext(name: str) -> None:
    tree = html.fromstring(f"<html><body>{CASES[name]}</body></html>")
    _assert_same(tree, name)


def test_processing_instructions_beside_the_root() -> None:
    # saxify emits the tails of processing instructions next to the root as text
    doc = html.document_fromstring(f"<html><body><p>{PROSE}</p></body></html>")
    for place, words in ((doc.addprevious, "words before the root"), (doc.addnext, "words after")):
        instruction = etree.ProcessingInstruction("x", "y")
        place(instruction)
        instruction.tail = words
    _assert_same(doc, "pi beside the root")


_TAGS = ["p", "div", "a", "br", "span", "h2", "li", "ul", "b", "td", "select", "option"]
_WORDS = ["the", "a", "of", "bridge", "council", "\xa9", "vote", " ", "\n", "Plan", "and"]


def _random_body(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 5)):
        text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.1:
            parts.append(f"<!--c-->{text}")
            continue
        tag = rng.choice(_TAGS)
        inner = _random_body(rng, depth + 1) if depth < 5 and rng.random() < 0.6 else text
        parts.append(f"<{tag}>{inner}</{tag}>{text if rng.random() < 0.5 else ''}")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(30))
def test_same_as_justext_on_random_trees(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        tree = html.fromstring(f"<html><body>{_random_body(rng)}</body></html>")
        _assert_same(tree, f"seed {seed}")


def test_a_frozenset_stoplist_passes_through(monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(justext_core, "classify_paragraphs", lambda ps, sl, *a: seen.append(sl))
    stoplist = frozenset({"the"})
    classify_paragraphs([], stoplist)
    classify_paragraphs([], STOPLIST)
    classify_paragraphs([], STOPLIST)
    assert seen[0] is stoplist
    assert seen[1] == frozenset(STOPLIST) and seen[2] is seen[1]  # made once per tuple


def test_install_and_uninstall() -> None:
    external = importlib.import_module("trafilatura.external")
    assert justext_paragraphs.install()
    assert external.ParagraphMaker is ParagraphMaker
    assert external.classify_paragraphs is classify_paragraphs
    justext_paragraphs.uninstall()
    assert external.ParagraphMaker is justext_core.ParagraphMaker
    assert not justext_paragraphs.installed()
    assert justext_paragraphs.install() and justext_paragraphs.installed()


@requires_wcxb
@pytest.mark.shared
def test_same_as_justext_on_dev_pages() -> None:
    # trafilatura's input to justext (basic_cleaning of the page), every 10th dev page; all
    # 1,497 pages were compared the same way when the module was written
    from trafilatura.utils import load_html

    basic_cleaning = importlib.import_module("trafilatura.baseline").basic_cleaning
    for path in sorted((WCXB / "html").glob("*.html.gz"))[::10]:
        tree = load_html(gzip.decompress(path.read_bytes()))
        if tree is not None:
            _assert_same(basic_cleaning(copy(tree)), path.name)
