"""The Arrow schemas of every dataset the pipeline writes: the single source of truth.

Readers (docs/data_dictionary.md, GX suites, tests) derive from these objects; nothing else
declares a column. Field metadata `doc` holds the data-dictionary text for each column.
Datasets are hive-partitioned by `PARTITION_KEY` (the UTC ingestion date, YYYY-MM-DD), which is
a directory level, not a column inside the files; compaction writes a table's history one
folder a month (`MONTH_KEY`), `ingest_date` then a column of its files (`stored_schema`).
"""

from __future__ import annotations

import pyarrow as pa

PIPELINE_VERSION = "0.1.0"
PARTITION_KEY = "ingest_date"
MONTH_KEY = "ingest_month"  # compacted history: <table>/ingest_month=YYYY-MM/ (docs/compaction.md)

# Table names double as directory names under OUTPUT and as GX suite names.
ARTICLES = "articles"
PAGES = "pages"  # content pages that are not articles: the articles columns (docs/page_types.md)
DUPLICATES = "duplicates"
QUARANTINE = "quarantine"
DEDUP_INDEX = "dedup_index"
LEDGER = "ledger"
QUALITY_FLAGS = "quality_flags"  # the articles column the suite's warnings fill
UNREADABLE = "unreadable"
STORY_LINKS = "story_links"

UTC_TS = pa.timestamp("us", tz="UTC")
CAPTION_TYPE = pa.struct([pa.field("text", pa.string()), pa.field("credit", pa.string())])
CHANGE_TYPE = pa.struct([pa.field("reason", pa.string()), pa.field("count", pa.int32())])


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


_DOC_ID = (
    "Key of the input record, unique across articles, pages, duplicates and quarantine and stable "
    "across runs: xxh3-128 hex of source_path, source_record and content_hash (the same bytes "
    "at two paths, or on two lines, are two records with two ids)."
)
_CONTENT_HASH = (
    "xxh3-128 hex of the record's raw bytes (the file after gzip decompression, the JSONL line, "
    "the WARC payload): equal for identical records wherever they were found; for exact-"
    "duplicate detection and lineage."
)

_STORY_ID = (
    "Story this row belongs to when it was published: the doc_id of the article that founded the "
    "story (an article's own doc_id). Stories merged by a later run keep their ids here; their "
    "current story is in story_links (docs/reading.md: Stories)."
)

# page types (docs/page_types.md): `articles` holds the first two, `pages` the others
ARTICLE_PAGE_TYPES = ("article", "liveblog")
PAGE_TYPES = (
    *ARTICLE_PAGE_TYPES,
    "forum",
    "product",
    "collection",
    "listing",
    "documentation",
    "service",
    "other",
)
_PAGE_TYPE = (
    "What the page is: article or liveblog (in articles); forum, product, collection (product "
    "grids), listing (section, tag, author, search, archive pages), documentation, service "
    "(marketing, pricing, about, terms) or other (in pages)."
)
_PAGE_TYPE_SOURCE = (
    "The evidence page_type rests on: json_ld, open_graph, markup (one article element, "
    "product microdata), url, "
    "model, or default (no markup to tell: plain text is taken as an article)."
)

_SOURCE_FIELDS = [
    _f("doc_id", pa.string(), _DOC_ID, False),
    _f("content_hash", pa.string(), _CONTENT_HASH, False),
    _f("source_path", pa.string(), "Path of the input file, relative to INPUT.", False),
    _f("source_record", pa.int64(), "Line number (JSONL, 1-based) or record index (WARC)."),
    _f("source_format", pa.string(), "Container: html, text, jsonl or warc.", False),
]

ARTICLES_SCHEMA = pa.schema(
    [
        *_SOURCE_FIELDS,
        _f("url", pa.string(), "Canonical URL (canonical link, og:url, record URL), or null."),
        _f("site_name", pa.string(), "Publisher name without decoration, or null."),
        _f("title", pa.string(), "Headline without site suffix; null when the input has none."),
        _f("subtitle", pa.string(), "Standfirst/dek under the headline, or null."),
        _f("authors", pa.list_(pa.string()), "Author names; empty when none is stated."),
        _f("published_at", UTC_TS, "Publication time in UTC; null when not stated."),
        _f(
            "published_date",
            pa.date32(),
            "Publication day as the page states it, in the publisher's time zone (published_at "
            "in UTC can fall on the next or previous day); null when not stated.",
        ),
        _f(
            "published_at_precision",
            pa.string(),
            "'second' when the source gives a time, 'day' when only a date (midnight UTC).",
        ),
        _f(
            "published_at_source",
            pa.string(),
            "Where the date came from: jsonld, meta, time_element, htmldate, url, dateline, text;"
            " updated when the page states no publication date, only an update stamp.",
        ),
        _f("language", pa.string(), "ISO 639-1 code of the body, detected."),
        _f("body", pa.string(), "Clean text; paragraphs separated by one blank line.", False),
        _f(
            "captions", pa.list_(CAPTION_TYPE), "Photo captions removed from the body, with credit."
        ),
        _f("word_count", pa.int32(), "Words in body, any script (CJK: one a letter).", False),
        _f("changes", pa.list_(CHANGE_TYPE), "In-place repairs made to this document, by reason."),
        _f(
            QUALITY_FLAGS,
            pa.list_(pa.string()),
            "Quality findings on this published article, as stable snake_case names (the "
            "warning expectations of expectations/articles.json); empty when clean.",
            False,
        ),
        _f("fetched_at", UTC_TS, "When the scraper fetched the page (JSONL/WARC), or null."),
        _f("story_id", pa.string(), _STORY_ID, False),
        _f("ingested_at", UTC_TS, "When this run processed the document.", False),
        _f("run_id", pa.string(), "The run that published this row.", False),
        _f("pipeline_version", pa.string(), "Version of this pipeline that wrote the row.", False),
        _f(
            "author_organizations",
            pa.list_(pa.string()),
            "Organisations credited in the byline (a wire agency, a newsroom, a 'Staff' or "
            "'Team' byline), in page order; `authors` holds people only. Editors, reviewers and "
            "photographers are in neither. Empty when none is stated.",
        ),
        _f("page_type", pa.string(), _PAGE_TYPE, False),
        _f(
            "page_type_confidence",
            pa.float32(),
            "How sure the classifier is of page_type, 0-1 (docs/page_types.md).",
            False,
        ),
        _f("page_type_source", pa.string(), _PAGE_TYPE_SOURCE, False),
    ]
)
# `pages` holds the content pages that are not articles, with the same columns
PAGES_SCHEMA = ARTICLES_SCHEMA

DUPLICATES_SCHEMA = pa.schema(
    [
        *_SOURCE_FIELDS,
        _f("url", pa.string(), "URL of the dropped copy, or null."),
        _f("title", pa.string(), "Title of the dropped copy, or null."),
        _f(
            "duplicate_of",
            pa.string(),
            "doc_id of the canonical article kept (never this row's own doc_id).",
            False,
        ),
        _f("kind", pa.string(), "exact (same normalised body) or near (MinHash, verified).", False),
        _f(
            "similarity",
            pa.float64(),
            "Verified similarity to the canonical (1.0 for exact).",
            False,
        ),
        _f(
            "rule",
            pa.string(),
            "Why the other copy is canonical (the canonical-choice rule).",
            False,
        ),
        _f(
            "story_id",
            pa.string(),
            "Story of the canonical article when this row was published (see articles.story_id; "
            "the current story is in story_links).",
            False,
        ),
        _f("ingested_at", UTC_TS, "When this run processed the document.", False),
        _f("run_id", pa.string(), "The run that wrote this row.", False),
        _f("site_name", pa.string(), "Publisher of the dropped copy, or null: where it ran."),
        _f("published_at", UTC_TS, "Publication time of the dropped copy in UTC, or null."),
        _f(
            "published_date",
            pa.date32(),
            "Publication day of the dropped copy as its page states it, or null.",
        ),
    ]
)

QUARANTINE_SCHEMA = pa.schema(
    [
        _f(
            "doc_id",
            pa.string(),
            "Key of the input record, as in articles; for a file or entry that could not be "
            "read, of its path and state (see transforms/core/ids.py).",
        ),
        _f(
            "content_hash",
            pa.string(),
            "xxh3-128 hex of the record's raw bytes (of the file as read when the record could "
            "not be told apart), or null when nothing could be read.",
        ),
        _f("source_path", pa.string(), "Path of the input file, relative to INPUT.", False),
        _f("source_record", pa.int64(), "Line number (JSONL) or record index (WARC), or null."),
        _f("source_format", pa.string(), "Container: html, text, jsonl, warc, or null."),
        _f(
            "stage",
            pa.string(),
            "Stage that rejected it: read, extract, clean, validate, ...",
            False,
        ),
        _f("reason", pa.string(), "Stable snake_case reason (or the failed expectation).", False),
        _f("detail", pa.string(), "Human-readable detail."),
        _f("value", pa.string(), "The value that failed, when there is one."),
        _f("ingested_at", UTC_TS, "When this run processed the input.", False),
        _f("run_id", pa.string(), "The run that wrote this row.", False),
        _f("url", pa.string(), "URL found before the document was rejected, or null."),
        _f(
            "title",
            pa.string(),
            "Title found before it was rejected (a paywall stub's, a text-less page's head), or null.",
        ),
        _f("authors", pa.list_(pa.string()), "Authors found before it was rejected, or null."),
        _f("published_at", UTC_TS, "Publication time found before it was rejected, or null."),
        _f("page_type", pa.string(), "Page type found before it was rejected, or null."),
    ]
)

# OUTPUT/story_links: append-only, one row each time a run changes the story a published story_id
# belongs to (a new document linked two stories published earlier). Every row points at a story
# that was a story of its own (no row of its own) when the row was written, and a story that is
# merged gets a row, as do the stories merged into it before: the current story of a story_id is
# therefore the merged_into of its row whose merged_into has no row itself, or the story_id
# itself when it has no row (transforms.dedup.stories; docs/reading.md: Stories).
STORY_LINKS_SCHEMA = pa.schema(
    [
        _f(
            "story_id",
            pa.string(),
            "A story published earlier (articles/duplicates story_id).",
            False,
        ),
        _f(
            "merged_into",
            pa.string(),
            "The surviving story it belongs to from this run on: of the stories linked, the one "
            "whose founding article was published first (then the smallest id).",
            False,
        ),
        _f("via_doc_id", pa.string(), "doc_id of the new document that linked the stories.", False),
        _f(
            "reason",
            pa.string(),
            "linked_by_new_document (this story was linked to merged_into by via_doc_id) or "
            "followed_merged_story (this story had been merged into a story that was now merged).",
            False,
        ),
        _f("ingested_at", UTC_TS, "When the run that wrote the row started.", False),
        _f("run_id", pa.string(), "The run that wrote this row.", False),
    ]
)

# Signature columns that `transforms.dedup.clusters.dedup_columns` adds to each staged article row.
DEDUP_COLUMNS_SCHEMA = pa.schema(
    [
        _f(
            "body_hash",
            pa.string(),
            "xxh3-128 hex of the normalised body (casefold, words only).",
            False,
        ),
        _f(
            "minhash",
            pa.list_(pa.uint32()),
            "MinHash signature of the body's word shingles.",
            False,
        ),
        _f("band_keys", pa.list_(pa.int64()), "LSH band keys: one 64-bit key per band.", False),
        _f(
            "shingle_count",
            pa.int32(),
            "Word shingles in the body (set size for containment).",
            False,
        ),
    ]
)

# OUTPUT/dedup_index: one row per (article, LSH band) of every article a run deduplicated
# (canonical ones and their duplicates, so later runs join the same clusters). Columns that
# describe the document rather than the band are set on the band-0 row only and null on the
# others, which keeps the signature stored once per article.
DEDUP_INDEX_SCHEMA = pa.schema(
    [
        _f("doc_id", pa.string(), "Article id (articles.doc_id or duplicates.doc_id).", False),
        _f("band", pa.int16(), "LSH band number, 0-based.", False),
        _f(
            "key",
            pa.int64(),
            "Band key (band number mixed in: keys never collide across bands).",
            False,
        ),
        _f("cluster_id", pa.string(), "doc_id of the cluster's published canonical (band 0 only)."),
        _f("content_hash", pa.string(), "Raw-bytes hash of the article (band 0 only)."),
        _f("body_hash", pa.string(), "Normalised-body hash (band 0 only)."),
        _f("minhash", pa.list_(pa.uint32()), "MinHash signature (band 0 only)."),
        _f("shingle_count", pa.int32(), "Word shingles in the body (band 0 only)."),
        _f("word_count", pa.int32(), "Words in the body (band 0 only)."),
        _f("published_at", UTC_TS, "Publication time (band 0 only)."),
        _f(
            "params",
            pa.string(),
            "Signature parameters; the index is only valid for these (band 0 only).",
        ),
    ]
)

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    ARTICLES: ARTICLES_SCHEMA,
    PAGES: PAGES_SCHEMA,
    DUPLICATES: DUPLICATES_SCHEMA,
    QUARANTINE: QUARANTINE_SCHEMA,
    STORY_LINKS: STORY_LINKS_SCHEMA,
}
# the tables keyed by doc_id: every input document ends in exactly one of them
DOCUMENT_TABLES = (ARTICLES, PAGES, DUPLICATES, QUARANTINE)


def stored_schema(table: str) -> pa.Schema:
    """A published table's columns with `ingest_date` (a date) last: what readers return, and
    the columns of a compacted month file (which stores `ingest_date`; daily files have it in
    their folder name)."""
    return TABLE_SCHEMAS[table].append(pa.field(PARTITION_KEY, pa.date32()))


def column_docs(schema: pa.Schema) -> dict[str, str]:
    """Column name -> data-dictionary text, from the field metadata."""
    return {f.name: (f.metadata or {}).get(b"doc", b"").decode() for f in schema}


LEDGER_SCHEMA = pa.schema(
    [
        _f("source_path", pa.string(), "Input file, relative to INPUT.", False),
        _f("file_hash", pa.string(), "xxh3-128 of the file's bytes when processed.", False),
        _f("size", pa.int64(), "File size in bytes.", False),
        _f("run_id", pa.string(), "The run that processed it.", False),
        _f("processed_at", UTC_TS, "When the run processed it.", False),
        _f(
            "mtime_ns",
            pa.int64(),
            "The file's mtime (ns) when read; null when it could not vouch for the bytes (changed "
            "while read, or modified just before) and in ledgers written before it was recorded. "
            "A later discovery reuses file_hash for a path whose size and mtime_ns are unchanged.",
        ),
        _f(
            "etag",
            pa.string(),
            "An object's ETag when read (INPUT in object storage; every read was conditional on "
            "it); null for local files and in ledgers written before it was recorded. A later "
            "discovery reuses file_hash for an object whose size and etag are unchanged.",
        ),
    ]
)

# OUTPUT/unreadable: entries of INPUT that discovery could not read (a symlink loop, a broken
# link, a folder without permission, a FIFO named .html ...), one row each time such an entry
# is quarantined. A later run skips an entry whose latest row still describes it (same reason,
# kind, times and link target) and quarantines it again once any of them changes.
UNREADABLE_SCHEMA = pa.schema(
    [
        _f("source_path", pa.string(), "Entry, relative to INPUT.", False),
        _f(
            "kind",
            pa.string(),
            "symlink, directory, file, special (FIFO, socket, device) or unknown.",
            False,
        ),
        _f("reason", pa.string(), "The discover-stage reason it was quarantined with.", False),
        _f("mtime_ns", pa.int64(), "Modification time (lstat, ns), or null when unknown."),
        _f("ctime_ns", pa.int64(), "Status-change time (lstat, ns: chmod changes it), or null."),
        _f("link_target", pa.string(), "What a symlink points to (readlink), or null."),
        _f("run_id", pa.string(), "The run that quarantined it.", False),
        _f("recorded_at", UTC_TS, "When that run started.", False),
    ]
)


def data_dictionary(schema: pa.Schema) -> str:
    """The data-dictionary table for `schema` (docs/data_dictionary.md; a test keeps it in sync)."""
    rows = ["| column | type | nullable | meaning |", "|---|---|---|---|"]
    for f in schema:
        doc = (f.metadata or {}).get(b"doc", b"").decode()
        rows.append(f"| `{f.name}` | `{f.type}` | {'yes' if f.nullable else 'no'} | {doc} |")
    return "\n".join(rows)


# OUTPUT/doc_index: one row per document a run published (articles, pages, duplicates,
# quarantine), so that "already published" is one lookup in a few files rather than a scan of
# every partition of four tables (transforms/run/doc_index.py; rebuilt from the tables by a
# compaction when an OUTPUT predates it).
DOC_INDEX = "doc_index"
DOC_INDEX_SCHEMA = pa.schema(
    [
        _f("doc_id", pa.string(), "The document's id (doc_id of its table's row).", False),
        _f("table", pa.string(), "The table holding its row.", False),
        _f("duplicate_of", pa.string(), "A duplicate's duplicate_of; null otherwise."),
        _f("ingested_at", UTC_TS, "When the run that published it started."),
    ]
)
