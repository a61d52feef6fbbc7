"""What the readers hand to the first step: the one place that says which `Article` fields are
there before any step runs (`transforms.core.steps.check_order` starts from it).
"""

from __future__ import annotations

# set by every reader (transforms.read.files, .jsonl, .warc): the record's identity and payload
IDENTITY = frozenset(
    {"doc_id", "source_path", "source_format", "content_kind", "source_record", "content_hash"}
)
PAYLOAD = frozenset({"raw", "declared_charset"})  # the charset when the container states one
# the scraper record's own facts, when it has them (WARC headers, JSONL fields)
RECORD_FACTS = frozenset({"url", "fetched_at"})
# the published metadata starts unknown (None or empty: nothing is invented), and "still
# unknown" is a value a step may read: it fills a field only while it is empty
UNKNOWN_AT_READ = frozenset(
    {
        "title",
        "subtitle",
        "authors",
        "author_organizations",
        "site_name",
        "published_at",
        "published_at_precision",
        "published_at_source",
        "published_date",
        "language",
        "captions",
    }
)
# the page type starts as an article of no evidence (article, 0.5, "default"): plain text, which
# has no markup to tell, keeps it; HTML pages get theirs from `transforms.pagetype`
TYPED_AT_READ = frozenset({"page_type", "page_type_confidence", "page_type_source"})
# not here: `text` (the body), `html` and `tree`, which steps produce from `raw`
READ_FIELDS = IDENTITY | PAYLOAD | RECORD_FACTS | UNKNOWN_AT_READ | TYPED_AT_READ
