"""The one record type that flows through the per-document stages.

An `Article` starts as raw bytes from a reader and is filled in, stage by stage, until it is a
row of the `articles` table (see `transforms.core.schema`). Stages change it in place and note each
change with a stable snake_case reason (`Article.note`), so every edit is counted and auditable.
A stage that rejects a document returns a `Drop`; the step runner turns it into a quarantine row.

What is never published (the payload bytes, the decoded markup, its parsed tree, the declared
charset) lives apart, in the article's `Markup`, which the step runner releases as a document
leaves each run of per-document steps: the `Article`'s own fields are the published record and
the record's identity, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from transforms.core.ids import UNREAD, content_hash, record_key
from transforms.core.words import count_words

SourceFormat = Literal["html", "text", "jsonl", "warc"]
ContentKind = Literal["html", "text"]


@dataclass(slots=True)
class Caption:
    """A photo caption taken out of the body; `credit` is the photographer/agency, if stated."""

    text: str
    credit: str | None = None


@dataclass(slots=True, frozen=True)
class Drop:
    """Why a document left the pipeline: the stage, a stable snake_case reason, a detail."""

    stage: str
    reason: str
    detail: str = ""
    value: str | None = None  # the offending value, when there is one (validation)


@dataclass(slots=True)
class Markup:
    """The transient part of a document: what it is read and parsed from, never written out.

    A reader sets `raw` (and `declared_charset` when the container states one); decoding turns
    `raw` into `html` (markup) or the article's text and empties `raw`; parsing turns `html`
    into `tree`; extracting the body consumes `tree`. `release` drops all of it: the step runner
    calls it when a document leaves each run of per-document steps (a batch holds only the
    cleaned fields) and at the end.
    """

    raw: bytes = b""  # the record's payload bytes, before decoding; cleared after decoding
    declared_charset: str | None = None  # from HTTP headers / JSONL field, if any
    html: str | None = None  # decoded markup (content_kind == "html")
    tree: Any = None  # parsed lxml tree of `html`
    # the page-type features read from the tree, until the body they are completed with is
    # extracted (transforms.pagetype.steps)
    page_features: dict[str, float] | None = None
    # a live blog's updates: (start of the update's first paragraph, its time and author line)
    live_updates: list[tuple[str, str]] | None = None
    # the texts of the page's parts (URL, title, links, visible text), for the word model
    # (a `transforms.pagetype.words.PageTexts`: core does not import the page-type phase)
    page_words: Any = None
    # the page's visible text length, measured by the extraction (transforms.html.recheck)
    page_chars: int | None = None
    # the text of the page's off-page links, lower-cased (the extraction reads it; the learned
    # line filter asks whether a body line is a link's label: transforms.text.block_filter)
    link_text: str | None = None

    def release(self) -> None:
        """Drop the bytes, the markup and the tree (they are large; no later step reads them)."""
        self.raw = b""
        self.declared_charset = None
        self.html = None
        self.tree = None
        self.page_features = None
        self.live_updates = None
        self.page_words = None
        self.page_chars = None
        self.link_text = None

    @property
    def held(self) -> bool:
        """Whether anything is still held (False once released)."""
        return (
            bool(self.raw)
            or self.declared_charset is not None
            or self.html is not None
            or (self.tree is not None)
            or self.page_features is not None
            or self.live_updates is not None
            or self.page_words is not None
            or self.page_chars is not None
            or self.link_text is not None
        )


@dataclass(slots=True)
class Article:
    """A document being cleaned. Fields that are unknown stay None: nothing is invented.

    The fields are the published record (see `transforms.run.tables.articles_table`) and its
    identity; the transient bytes, markup and tree are in `markup`, given whole to the
    constructor (`Article(..., markup=Markup(raw=b"..."))`) rather than as init-only `raw=` /
    `html=` arguments: one way to set them and one place to read them, so an old `doc.raw` fails
    loudly instead of reading a class default.
    """

    doc_id: (
        str  # the record's key: path, record index, content hash (transforms.core.ids.record_key)
    )
    source_path: str  # relative to the run's INPUT, POSIX separators
    source_format: SourceFormat  # the container it came in
    content_kind: ContentKind  # what the payload is: markup or plain text
    source_record: int | None = None  # line number (JSONL, 1-based) or record index (WARC)
    text: str = ""  # the body being cleaned: paragraphs separated by one blank line
    url: str | None = None
    fetched_at: datetime | None = None  # tz-aware UTC, from the scraper record when known
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)  # people only, in page order
    # organisations credited as the byline (an agency, a desk, a "Staff" byline)
    author_organizations: list[str] = field(default_factory=list)
    published_at: datetime | None = None  # tz-aware UTC
    published_at_precision: Literal["day", "second"] | None = None
    published_at_source: str | None = None  # provenance: jsonld, meta, time_element, url, ...
    published_date: date | None = None  # the day as the page states it (its own time zone)
    site_name: str | None = None
    language: str | None = None  # ISO 639-1
    captions: list[Caption] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)  # reason -> count of in-place edits
    content_hash: str | None = None  # xxh3-128 of the raw record bytes; None when never read
    # what the page is (transforms.pagetype): article until evidence says otherwise
    page_type: str = "article"
    page_type_confidence: float = 0.5  # no evidence either way (transforms.pagetype.classify)
    page_type_source: str = "default"
    # transient, never published: released by the step runner (see `Markup`)
    markup: Markup = field(default_factory=Markup)

    @classmethod
    def from_raw(
        cls,
        record_bytes: bytes | None,
        source_path: str,
        source_format: SourceFormat,
        content_kind: ContentKind,
        source_record: int | None = None,
        **fields: Any,
    ) -> Article:
        """A record found at (`source_path`, `source_record`) with raw bytes `record_bytes` (None
        when they could not be read), its `doc_id` and `content_hash` set from them
        (transforms.core.ids). `fields` are other Article fields (`markup` among them)."""
        digest = None if record_bytes is None else content_hash(record_bytes)
        key = record_key(source_path, source_record, digest or UNREAD)
        return cls(
            key,
            source_path,
            source_format,
            content_kind,
            source_record=source_record,
            content_hash=digest,
            **fields,
        )

    def note(self, reason: str, count: int = 1) -> None:
        """Record an in-place change (a repair or removal inside the document)."""
        if count:
            self.changes[reason] = self.changes.get(reason, 0) + count

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs (blank-line separated), empty ones skipped."""
        return [p for p in self.text.split("\n\n") if p.strip()]

    def set_paragraphs(self, paragraphs: list[str]) -> None:
        """Replace the body with these paragraphs, joined by one blank line."""
        self.text = "\n\n".join(p for p in paragraphs if p.strip())

    @property
    def word_count(self) -> int:
        """Words of the body in any script (`transforms.core.words.count_words`)."""
        return count_words(self.text)
