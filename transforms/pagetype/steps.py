"""The page-type stages: read the page, decide its type once its body is known, and clear
metadata its type makes false.

`PageTypeStep` runs on the parsed tree after the HTML metadata (so that a paywall stub's
quarantine row keeps the headline, byline and date found) and before the body is extracted
(extraction consumes the tree). It quarantines pages that are never content
(`transforms.pagetype.never_content`) and keeps the tree's features in the document's
transient markup. `ClassifyPageStep` completes them with the extracted body's shape and sets
`page_type`, its confidence and its source (`transforms.pagetype.classify`), and gives a live
blog's updates their time and author lines (`transforms.pagetype.liveblog`); `articles` or
`pages` is chosen from it when the run's rows are published (`transforms.run.stage_outputs`).
Plain text has no markup to tell: it keeps the record's default (article, 0.5, default).

`PageTypeMetadataStep` runs after the metadata is final: a listing or a product/category grid
has no author and no publication date of its own, so a date or a byline found there belongs to
a teaser card and is cleared (noted `teaser_metadata_cleared`).
"""

from __future__ import annotations

from transforms.core.record import Article, Drop
from transforms.core.steps import Step
from transforms.pagetype.classify import classify
from transforms.pagetype.features import body_features, page_features, record_features
from transforms.pagetype.liveblog import live_updates, stamp_body
from transforms.pagetype.model import shipped_model
from transforms.pagetype.never_content import never_content

# page types with no author or publication date of their own (their cards have them)
NO_OWN_METADATA = frozenset({"listing", "collection"})


def presents_article(doc: Article, features: dict[str, float]) -> bool:
    """The page presents itself as one article: an article type, a byline or a date."""
    return bool(features["ld_article"] or features["og_article"] or doc.authors or doc.published_at)


class PageTypeStep(Step):
    """Quarantine never-content pages; keep the tree's page-type features for the decision."""

    name = "page_type"
    section = "pagetype"
    applies_to = frozenset({"html"})
    reads = frozenset({"tree", "url", "authors", "published_at", "title"})
    writes = frozenset({"page_features", "page_words", "live_updates"})

    def apply(self, doc: Article) -> Drop | None:
        tree = doc.markup.tree
        features, text, texts, marks = page_features(tree, doc.url)
        features.update(record_features(doc))
        article = presents_article(doc, features)
        found = never_content(tree, text, features, marks, article, self.settings)
        if found is not None:
            return self.drop(*found)
        doc.markup.page_features = features
        doc.markup.page_words = texts  # tokenised only if a word model reads them
        if features["ld_liveblog"] or features["n_time"] >= 5:
            doc.markup.live_updates = live_updates(tree)
        return None


class ClassifyPageStep(Step):
    """Set page_type, its confidence and its source from the page's and the body's features."""

    name = "classify_page"
    section = "pagetype"
    applies_to = frozenset({"html"})
    reads = frozenset({"page_features", "page_words", "live_updates", "text", "url"})
    writes = frozenset({"page_type", "page_type_confidence", "page_type_source", "text"})
    releases = frozenset({"page_features", "page_words", "live_updates"})

    def apply(self, doc: Article) -> Drop | None:
        features, texts = doc.markup.page_features, doc.markup.page_words
        doc.markup.page_features = doc.markup.page_words = None
        if features is None:
            return None
        features.update(body_features(doc.text, features["words"]))
        model = shipped_model()
        text = doc.text
        # the words of the page's parts and body, tokenised only when a word model asks
        words = (lambda: texts.parts(text)) if texts is not None else None
        if model is not None and model.words is not None and words is not None:
            features.update(model.words.features(words()))
        kind = classify(features, model, self.settings, doc.url, words)
        doc.page_type = kind.page_type
        doc.page_type_confidence = kind.confidence
        doc.page_type_source = kind.source
        updates, doc.markup.live_updates = doc.markup.live_updates, None
        if kind.page_type == "liveblog" and updates:
            paragraphs, placed = stamp_body(doc.paragraphs, updates)
            doc.set_paragraphs(paragraphs)
            doc.note("live_update_stamped", placed)
        return None


class PageTypeMetadataStep(Step):
    """Clear the date and authors of pages whose type has none of its own (teaser cards')."""

    name = "page_type_metadata"
    applies_to = frozenset({"html"})  # plain text is never typed a listing
    reads = frozenset({"page_type", "authors", "published_at"})
    writes = frozenset(
        {
            "authors",
            "published_at",
            "published_date",
            "published_at_precision",
            "published_at_source",
        }
    )

    def apply(self, doc: Article) -> Drop | None:
        if doc.page_type not in NO_OWN_METADATA:
            return None
        if doc.published_at is not None or doc.published_date is not None:
            doc.published_at = doc.published_date = None
            doc.published_at_precision = doc.published_at_source = None
            doc.note("teaser_metadata_cleared")
        if doc.authors:
            doc.authors = []
            doc.note("teaser_metadata_cleared")
        return None
