"""Loader for the WCXB dev set: gzipped HTML pages beside their ground-truth JSON.

Layout: ``html/NNNN.html.gz`` and ``ground-truth/NNNN.json`` with ``ground_truth.{main_content,
title, author, publish_date, with, without}`` and ``_internal.page_type.primary``. The set lives
outside the repo (``../shared/data/wcxb-dev``); nothing from it is copied into the project.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from transforms.core.record import Article, Markup

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wcxb-dev"


@dataclass(slots=True)
class Page:
    """One dev page: its markup and the ground truth of its main content and metadata."""

    file_id: str
    url: str | None
    page_type: str
    html_bytes: bytes
    main_content: str
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    publish_date: str | None = None

    @property
    def html(self) -> str:
        return self.html_bytes.decode("utf-8", errors="replace")

    def as_article(self) -> Article:
        """The page as the flow reads an HTML file: raw bytes and the fetch URL."""
        return Article(
            doc_id=f"wcxb-{self.file_id}",
            source_path=f"html/{self.file_id}.html.gz",
            source_format="html",
            content_kind="html",
            markup=Markup(raw=self.html_bytes),
            url=self.url,
        )


def page_ids(data: Path = DEFAULT_DATA) -> list[str]:
    """Ids of the pages that have both markup and ground truth, sorted."""
    html = {p.name.split(".")[0] for p in (data / "html").glob("*.html.gz")}
    truth = {p.stem for p in (data / "ground-truth").glob("*.json")}
    return sorted(html & truth)


def load_page(data: Path, file_id: str) -> Page:
    """Read one page and its ground truth."""
    raw = gzip.decompress((data / "html" / f"{file_id}.html.gz").read_bytes())
    meta = json.loads((data / "ground-truth" / f"{file_id}.json").read_text(encoding="utf-8"))
    gt = meta.get("ground_truth", {})
    page_type = (meta.get("_internal", {}).get("page_type", {}) or {}).get("primary", "unknown")
    return Page(
        file_id=file_id,
        url=meta.get("url"),
        page_type=page_type or "unknown",
        html_bytes=raw,
        main_content=gt.get("main_content") or "",
        with_snippets=list(gt.get("with") or []),
        without_snippets=list(gt.get("without") or []),
        title=gt.get("title"),
        author=gt.get("author"),
        publish_date=gt.get("publish_date"),
    )


def iter_pages(
    data: Path = DEFAULT_DATA, limit: int | None = None, page_type: str | None = None
) -> Iterator[Page]:
    """Pages of the set in id order, optionally of one page type and at most `limit` of them."""
    n = 0
    for file_id in page_ids(data):
        if limit is not None and n >= limit:
            return
        page = load_page(data, file_id)
        if page_type and page.page_type != page_type:
            continue
        n += 1
        yield page
