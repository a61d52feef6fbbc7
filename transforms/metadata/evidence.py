"""What a page states about itself, gathered before any choice is made (`html_evidence`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transforms.metadata.dates import FoundDate


@dataclass(slots=True)
class Positioned:
    """A text found in the page with its document-order index (for nearness to the h1)."""

    text: str
    order: int
    attr: str = ""  # datetime attribute for <time>, the matched class for bylines
    in_article: bool = False  # inside <article>/<main> or an itemprop=articleBody container
    hint: str = ""  # class/itemprop/label words around it ("updated", "published", ...)


@dataclass(slots=True)
class HtmlEvidence:
    """Everything a page states about itself, before any choice is made."""

    articles: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD article nodes
    pages: list[dict[str, Any]] = field(default_factory=list)  # JSON-LD WebPage nodes
    graph: dict[str, dict[str, Any]] = field(default_factory=dict)  # @id -> node
    meta: dict[str, list[str]] = field(default_factory=dict)  # lowercased key -> contents
    itemprops: dict[str, list[str]] = field(default_factory=dict)  # itemprop -> texts
    title_tag: str | None = None
    h1: list[Positioned] = field(default_factory=list)
    bylines: list[Positioned] = field(default_factory=list)
    rel_authors: list[Positioned] = field(default_factory=list)
    # links to the site's page of one writer ("/author/jane-doe"), outside chrome
    author_links: list[Positioned] = field(default_factory=list)
    # itemprop=author elements outside link cards, with their position
    author_props: list[Positioned] = field(default_factory=list)
    labelled: list[Positioned] = field(default_factory=list)  # "By Name" / "Written by" lines
    # an author box: a heading that is a name over a bio about that person ("Jane Doe" /
    # "Jane is a reporter covering ...")
    author_boxes: list[Positioned] = field(default_factory=list)
    times: list[Positioned] = field(default_factory=list)
    canonical: str | None = None
    lang: str | None = None
    header_byline: str | None = None  # a "By Name ..." run of text beside the h1
    header_text: str = ""  # visible text around the h1 (250 characters before, 600 after)
    header_after: str = ""  # the part of it after the h1, one line a block
    deks: list[Positioned] = field(default_factory=list)  # class/id says dek, standfirst, ...
    header_dates: list[FoundDate] = field(default_factory=list)  # shown right after the h1
    before_dates: list[FoundDate] = field(default_factory=list)  # shown just above the h1

    def meta_first(self, *keys: str) -> str | None:
        """The first non-empty meta content among `keys`, in the order given."""
        for k in keys:
            for v in self.meta.get(k, ()):
                if v.strip():
                    return v.strip()
        return None
