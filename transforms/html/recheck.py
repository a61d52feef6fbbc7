"""The second opinion, asked once the page's type is known: where the type says the extractor is
often wrong and the body looks wrong.

trafilatura is tuned for articles: on a forum thread it keeps the question and drops the
answers, on a listing it keeps a few teasers. Those are the types where readability-lxml's body
(`transforms.html.second_opinion`) is measured to be better more often than not (on collection
and product pages it is not: docs/quality.md), so the second opinion is asked only on pages of
the types in `html.second_opinion_page_types`, and
there only when the body looks wrong (`looks_wrong`: a small share of the page's text, or
mostly short lines); its body wins on the same rule as anywhere (`prefer_second`).

On article pages that rule gained too little for its cost; there the failure is a body cut
short, and the question is another one (`cut_short`): asked where the body is under
`second_opinion_cut_share` of the page's text (measured by the extraction, so most article
pages cost nothing), resiliparse's body is taken when it holds the first and clearly more and
readability's agrees that there is more (docs/quality.md).

The step runs right after the page type is decided, before any text cleaning, so the second
body is cleaned like the first. The extraction consumed the parsed tree: the page is parsed
again, only for pages of the listed types.
"""

from __future__ import annotations

import re

from lxml import etree

from transforms.core.record import Article, Drop
from transforms.core.schema import ARTICLE_PAGE_TYPES
from transforms.core.steps import Step
from transforms.html.extract import (
    _CODE_TAGS,
    filter_paragraphs,
    link_text,
    page_text_chars,
    parse_html,
)
from transforms.html.second_opinion import (
    cut_short,
    looks_wrong,
    prefer_second,
    readability_body,
    resiliparse_body,
)

_LINES = re.compile(r"\n+")


def _types(setting: str) -> set[str]:
    """The page types of a comma-separated setting ("forum, collection")."""
    return {name.strip() for name in setting.split(",") if name.strip()}


class SecondOpinionStep(Step):
    """Replace the body by readability-lxml's on a page of a listed type whose body looks
    wrong, when readability's holds clearly more prose (noted `second_opinion_taken`)."""

    name = "second_opinion"
    section = "html"
    applies_to = frozenset({"html"})
    reads = frozenset({"html", "text", "page_type"})
    writes = frozenset({"text"})

    def apply(self, doc: Article) -> Drop | None:
        cfg = self.settings
        html = doc.markup.html
        article = doc.page_type in ARTICLE_PAGE_TYPES
        if not html or not (article or doc.page_type in _types(cfg.second_opinion_page_types)):
            return None
        if article:
            return self._cut_short(doc, html, doc.text, doc.markup.page_chars or 0)
        tree = parse_html(html)
        if tree is None:
            return None
        etree.strip_elements(tree, *_CODE_TAGS, with_tail=False)
        text = doc.text
        if not looks_wrong(
            text,
            page_text_chars(tree),
            cfg.second_opinion_max_share,
            cfg.second_opinion_short_share,
        ):
            return None
        doc.note("second_opinion_asked")
        other = readability_body(html)
        if not prefer_second(
            text, other, cfg.second_opinion_gain, link_text(tree), cfg.second_opinion_max_link_share
        ):
            return None
        self._take(doc, other, "second_opinion_taken")
        return None

    def _cut_short(self, doc: Article, html: str, text: str, page_chars: int) -> Drop | None:
        """An article page: resiliparse's body where two extractors agree the first body was
        cut short (`cut_short`), noted `second_opinion_cut_short`."""
        cfg = self.settings
        if not text or len(text) >= cfg.second_opinion_cut_share * page_chars:
            return None  # most article pages: no parse, no second extractor
        doc.note("second_opinion_asked")
        wider = resiliparse_body(html)
        if not cut_short(
            text,
            wider,
            lambda: readability_body(html),
            cfg.second_opinion_cut_gain,
            cfg.second_opinion_cut_containment,
            cfg.second_opinion_cut_vote,
        ):
            return None
        self._take(doc, wider, "second_opinion_cut_short")
        return None

    def _take(self, doc: Article, body: str, reason: str) -> None:
        """`body` replaces the document's, through the same edge-line filter, noted `reason`."""
        paragraphs = [p.strip() for p in _LINES.split(body) if p.strip()]
        kept, removed = filter_paragraphs(paragraphs, self.settings.edge_line_max_words)
        for why, n in removed.items():
            doc.note(why, n)
        doc.set_paragraphs(kept)
        doc.note(reason)
