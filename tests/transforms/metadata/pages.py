"""An HTML page as the parse step leaves it, run through the HTML metadata step: the tests of
the metadata phase build their pages here (htmldate off, so a page's date is what it states)."""

from __future__ import annotations

from lxml import html as lxml_html

from transforms.core.config import PipelineConfig
from transforms.core.record import Article
from transforms.metadata.steps import HtmlMetadataStep

NO_HTMLDATE = PipelineConfig().with_settings({"metadata.metadata_htmldate": False})


def html_metadata(markup: str, url: str | None) -> Article:
    """A document of `markup` at `url`, parsed, after `HtmlMetadataStep` (htmldate off)."""
    doc = Article(doc_id="d", source_path="p.html", source_format="html", content_kind="html")
    doc.url = url
    doc.markup.html = markup
    doc.markup.tree = lxml_html.fromstring(markup)
    HtmlMetadataStep(NO_HTMLDATE).apply(doc)
    return doc
