"""The settings of each phase: one frozen dataclass per section of `PipelineConfig`.

A section holds the knobs of the phase that reads them, so a step is handed its own section
and cannot silently depend on another phase's. A setting is named by its dotted key,
`<section>.<field>` (`clean.min_words`), on the command line, in a deployment's `settings`, in
the manifest and in the suites' `$PARAMETER` values. Each section checks its fields' types and
ranges (`RANGES`, keyed by dotted name) and its cross-field rules when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from transforms.core.config.values import (
    AT_LEAST_0,
    AT_LEAST_1,
    POSITIVE_SHARE,
    SHARE,
    Bounds,
    check_fields,
)
from transforms.core.storage import (
    credential_options,
    parse_options,
    retry_attempts,
    retry_max_backoff,
)


@dataclass(frozen=True, slots=True)
class ShardSettings:
    """How discovered files are split into shard tasks (`transforms.run.planning`)."""

    key: ClassVar[str] = "shards"
    # Input files per shard task (a task run has a small fixed cost in Prefect). Small enough that a shard's
    # cleaned text stays a small share of a worker's memory at any corpus size.
    shard_size: int = 1000
    shard_bytes: int = 256 * 1024 * 1024  # ... or fewer, when the files are this large
    min_shard_files: int = 25  # below this, splitting for parallelism costs more than it saves
    # Shards per worker at least (files permitting): workers take the next shard as they finish,
    # so with several each, a slow shard leaves a core idle for less time at the end of a run.
    shards_per_worker: int = 4
    # ... and the last shards of a run shrink (guided scheduling: the files and the bytes left
    # split among the workers), down to this share of a full shard, so the run ends on small
    # shards and no worker waits long for the last one to finish. Never below min_shard_files.
    tail_shard_share: float = 0.1
    # The flow's process validates the shards as they come back (flows/validation.py), in
    # batches: a batch has a fixed CPU cost before its first row, taken from the workers' cores
    # while they all clean. So while every worker has a shard, the shards that came back wait
    # until they hold this many articles together; once a worker has none left (the run's
    # tail), each is validated as it comes back, on the core that worker left free.
    validate_batch_rows: int = 500
    # A shard's time limit (`transforms.run.shard_time`): this many seconds, plus these many a
    # MB of its input, from the moment a worker is free to take it. Past it the worker is
    # killed and the shard tried once more on a fresh one, then its documents are quarantined
    # (`shard_timeout`): a hung worker never holds the run. Far above the cost of real pages
    # (docs/operations_faults.md: the stages' cost by page size).
    timeout_base_seconds: float = 120.0
    timeout_seconds_per_mb: float = 10.0

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)


@dataclass(frozen=True, slots=True)
class ReadSettings:
    """What discovery accepts and the hard limits on reading it (`transforms.read`), so that
    no input can exhaust the machine."""

    key: ClassVar[str] = "read"
    input_suffixes: tuple[str, ...] = (".html", ".htm", ".txt", ".jsonl", ".warc")
    max_file_bytes: int = 64 * 1024 * 1024  # a raw file larger than this is quarantined
    max_decompressed_bytes: int = 64 * 1024 * 1024  # gzip bomb guard, per file
    max_record_bytes: int = 16 * 1024 * 1024  # one JSONL line / WARC record payload
    # Deeper markup is quarantined (lxml recursion, DoS). Read by the HTML parse step, but it is
    # one of the input limits, so it lives with them (the parse step's section is `read`).
    max_html_depth: int = 2000
    # A document's budget in the stages (`transforms.core.budget`): HTML longer than this many
    # characters is cut to it before it is parsed (noted `html_cut_for_cost`): extraction's
    # time and memory grow faster than the page; a document still using more than this many
    # CPU seconds is quarantined (`document_too_costly`). Both from the cost of pages by size
    # in docs/operations_faults.md.
    max_parse_chars: int = 8 * 1024 * 1024
    max_document_cpu_seconds: float = 60.0

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)


@dataclass(frozen=True, slots=True)
class HtmlSettings:
    """Body extraction and captions from the HTML (`transforms.html`)."""

    key: ClassVar[str] = "html"
    # A second, recall-oriented trafilatura pass (fast mode) runs when the page's visible text
    # is more than page_ratio x the first body's (characters), or the body has fewer than
    # min_words_before_fallback words; its body wins when it is gain x longer and contains
    # containment of the first body. (0 for page_ratio: never.)
    extract_min_words_before_fallback: int = 25
    # trafilatura's readability/justext comparison runs only when the first body is short,
    # structurally odd, or the page holds more than compare_page_ratio x its text (below 2x
    # the comparison cannot win); 0: always, as trafilatura.extract does.
    extract_compare_page_ratio: float = 2.0
    extract_recall_page_ratio: float = 1.5
    extract_recall_gain: float = 1.1
    extract_recall_containment: float = 0.9
    # Short lines without end punctuation at the very start or end of an extracted body
    # ("Share this", "Join our newsletter", section labels) are chrome around the text.
    edge_line_max_words: int = 8
    # ... unless fewer words than this would remain: the page is made of such lines (a
    # collection's grid, a list of links), there is no body they frame (docs/quality.md)
    edge_min_words_left: int = 35
    # JSON-LD articleBody replaces the extracted body when it is this much longer and holds
    # this share of the extracted words (the extractor then stopped early).
    jsonld_body_gain: float = 1.5
    jsonld_body_containment: float = 0.6
    caption_min_words: int = 4  # alt text / caption-class text shorter than this is not a caption
    caption_max_words: int = 80  # longer text in a caption-classed element is body, not caption
    # A second opinion (readability-lxml, `transforms.html.second_opinion`) where the body looks
    # wrong: under max_share of the page's text, or short_share of its lines short. Its body
    # wins with more than gain x the prose words and at most max_link_share of link words.
    # (0 for max_share and 1 for short_share: never asked.)
    second_opinion_max_share: float = 0.25
    second_opinion_short_share: float = 1.0
    second_opinion_gain: float = 2.0
    second_opinion_max_link_share: float = 0.5
    # ... asked only on pages of these types (comma-separated; `transforms.html.recheck`)
    second_opinion_page_types: str = "forum,listing"
    # On an article page whose body is under cut_share of the page's text: resiliparse's body
    # replaces it when it holds cut_gain x its words and cut_containment of them, and
    # readability's holds cut_vote x its words too (two extractors agree it was cut short).
    # (0 for cut_share: never asked.)
    second_opinion_cut_share: float = 0.3
    second_opinion_cut_gain: float = 1.3
    second_opinion_cut_containment: float = 0.9
    second_opinion_cut_vote: float = 1.5

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)
        if self.caption_max_words < self.caption_min_words:
            raise ValueError(
                f"html.caption_max_words={self.caption_max_words} is out of range: must be >= "
                f"html.caption_min_words ({self.caption_min_words})"
            )


@dataclass(frozen=True, slots=True)
class CleanSettings:
    """Cleaning the text: lines, end matter, recurrence, repetition, leftovers and the
    word-count gate (`transforms.clean`)."""

    key: ClassVar[str] = "clean"
    min_words: int = 50  # a body shorter than this is not an article
    # ... and this for a page typed as another kind (a product's description, a collection's
    # introduction: the `pages` table), whose content is shorter than an article's
    min_words_page: int = 35
    min_paragraph_words_for_repeat: int = 4  # shorter repeated lines may be legitimate
    splice_min_chars: int = 40  # a scraper splice repeats at least this many characters
    splice_min_words: int = 8  # ... holding at least this many words
    # page types whose repeated paragraphs stay (in a body taken from HTML): their markup repeats
    # them on purpose (one tab a language or plan, each with the same notes); docs/quality.md
    repeats_kept_page_types: str = "documentation,service"
    # a teaser/footer header followed by at most this share of the article's words ends it
    text_tail_cut_share: float = 0.5
    text_tail_cut_share_prompt: float = 0.25  # the same after a subscribe/app prompt
    # a comment header cuts to the end when the thread is shorter than the article or the
    # article before it has at least this many words
    text_comments_min_article_words: int = 150
    # lines kept above the first body paragraph (title, subtitle, byline, date); higher ones
    # are navigation
    text_lead_keep_lines: int = 4
    # lines after the last body paragraph are furniture unless they outweigh the body by this
    text_trailing_max_share: float = 1.0
    # a bio, references/disclaimer header or legal notice followed by at most this share
    # of the text before it opens the end matter: it and what follows go
    text_end_matter_share: float = 0.2
    text_end_matter_share_legal: float = 0.35  # ... for a legal notice
    # Recurrence across a batch (transforms.clean.recurrence): a paragraph of at most max_words
    # words found in min_docs articles of one site with different ledes, and in min_share of
    # them, is chrome; a document with more than max_shared of its paragraphs that frequent is
    # a copy of a story and does not count.
    recurrence_min_docs: int = 5
    recurrence_min_share: float = 0.25
    recurrence_max_words: int = 40
    recurrence_max_shared: float = 0.5
    # Leftovers the articles suite warns about (transforms.clean.leftovers): a line of at most
    # this many words that holds a boilerplate prompt or a photo credit goes whole; in a longer
    # line, the sentence holding it when the sentence is this short, else the matched words.
    leftover_line_max_words: int = 40
    # A longer caption credit is cut at a separator, else flagged. Read only by the leftovers
    # step (and the articles suite), not by caption extraction, so it is a cleaning setting.
    caption_credit_max_chars: int = 80
    # The learned line filter (transforms.text.block_filter), on pages of these types: a line
    # whose probability of belonging to the body is under min_keep goes (0: off), unless less
    # than min_share of the body's words would stay (docs/quality.md)
    block_filter_min_keep: float = 0.3
    block_filter_min_share: float = 0.5
    # not article pages: there the measured gain does not pay the step's CPU (docs/quality.md)
    block_filter_page_types: str = "documentation,product"
    block_filter_text_min_keep: float = 0.25  # the same on plain-text dumps (their own model)

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)


@dataclass(frozen=True, slots=True)
class MetadataSettings:
    """Metadata and language (`transforms.metadata`)."""

    key: ClassVar[str] = "metadata"
    language_min_chars: int = 40
    metadata_htmldate: bool = True  # last-resort date heuristics (htmldate fast mode)
    metadata_htmldate_extensive: bool = False  # also htmldate's free-text search (low precision)

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """MinHash signatures and near-duplicate search (`transforms.dedup`)."""

    key: ClassVar[str] = "dedup"
    # word n-grams. 4, not 5: a copy editor's scattered word changes (2-5% of words) break k
    # shingles each, so 5-shingles lost much of a copy-edited copy's set and missed such copies;
    # 4-shingles keep copies above the containment threshold and negatives below it (3-shingles:
    # narrower margins, and common word triples made the candidate search far slower). Figures:
    # `make eval-dedup`, `make bench-dedup`, docs/performance.md. Changing it (or num_perm, bands, rows, seed) changes `params`: an
    # index built with others is refused.
    shingle_size: int = 4
    num_perm: int = 128  # MinHash permutations >= bands * rows
    # 64 bands of 2 rows: a pair at Jaccard 0.25 (a truncated half-copy) is a candidate with
    # p = 0.98 (32x4 found only 0.87 at J=0.5 and missed 1 in 5 truncated copies: eval-dedup)
    bands: int = 64
    rows: int = 2
    near_jaccard: float = 0.8  # estimated Jaccard to call a near-duplicate
    # or: the smaller body is this much inside the larger (estimated) ... and covers at least
    # this share of it. eval-dedup (4-shingles): copies keep containment >= 0.69 (copy-edited
    # and truncated) and share >= 0.27 (truncated to half and trimmed); negatives: a story that
    # quotes two paragraphs has containment <= 0.56 and covers <= 0.16 of the larger; stories
    # under one chrome or on one event have containment <= 0.31.
    near_containment: float = 0.6
    containment_min_share: float = 0.25
    seed: int = 1  # MinHash permutation seed: changing it invalidates the dedup index

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)
        if self.num_perm < self.bands * self.rows:
            raise ValueError(
                f"dedup.num_perm={self.num_perm} is out of range: must be >= dedup.bands * "
                f"dedup.rows ({self.bands} * {self.rows} = {self.bands * self.rows})"
            )


@dataclass(frozen=True, slots=True)
class RunSettings:
    """The run as a whole: its outcome and OUTPUT's lock (`transforms.run`)."""

    key: ClassVar[str] = "run"
    # A run fails when more than this share of its new documents ended in quarantine (1.0:
    # never; a run whose inputs were all rejected still completes and says so). For teams
    # that want an alert on a bad batch.
    max_quarantine_share: float = 1.0
    # A lock left by a run on another host is taken over once its heartbeat (the lock file's
    # mtime, renewed every 15 s while the run lives) is this many seconds old; 0: never (the
    # default: across hosts no one can tell a dead run from a slow filesystem or a clock skew,
    # so an operator removes the lock file by hand; the refusal names it).
    lock_other_host_stale_seconds: float = 0.0
    # A run whose lock's heartbeat shows no progress (no phase begun or ended, no shard
    # finished) for this many seconds is hung: the next run on this host ends it and takes
    # its lock over (docs/operations_faults.md). Above the longest quiet stretch of a healthy
    # run: a shard's time limit (shards.timeout_*) and a phase of a large run.
    lock_stall_seconds: float = 900.0
    # Compaction writes a published table's history one file a calendar month
    # (`<table>/ingest_month=YYYY-MM/`, docs/compaction.md); a month past either cap is split
    # into several files (the bytes: the Parquet written, compressed).
    compact_file_rows: int = 1_000_000
    compact_file_bytes: int = 512 * 1024 * 1024

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """How INPUT and OUTPUT are opened when they are object-store URIs (`transforms.core.storage`).

    `options`: extra storage options, comma-separated key=value pairs passed to the filesystem
    (s3fs), e.g. "endpoint_url=http://127.0.0.1:9000,region=eu-west-1" or "profile=scraper".
    Credentials never go here (key, secret, token ... are refused): a setting travels in the
    flow's parameters, which Prefect stores; they come from the AWS environment variables, the
    AWS config files or a profile. The manifest records the option names only.
    """

    key: ClassVar[str] = "storage"
    options: str = ""

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)
        try:
            parsed = parse_options(self.options)
            retry_attempts(parsed)
            retry_max_backoff(parsed)
        except ValueError as exc:
            raise ValueError(f"storage.options: {exc}") from None
        secret = credential_options(parsed)
        if secret:
            raise ValueError(
                f"storage.options: {', '.join(secret)} would carry a credential into the run's "
                "parameters; give credentials by the AWS environment variables, config files or "
                "profile= instead"
            )

    def parsed(self) -> dict[str, str]:
        """The options as a mapping (for `resolve_location`)."""
        return parse_options(self.options)


# Allowed range of every numeric setting, by dotted key (bools and suffixes check their type).
@dataclass(frozen=True, slots=True)
class PageTypeSettings:
    """What a page is (`transforms.pagetype`): when the page-type model may route a page out of
    `articles`. Chosen from cross-validated measurements (docs/page_types.md)."""

    key: ClassVar[str] = "pagetype"

    # A page leaves `articles` for `pages` only when the model gives "not an article" at least
    # this probability: a real article must not leave on weak evidence.
    route_min_confidence: float = 0.96
    # Never-content pages (error, consent, paywall stub, login): prose (words in paragraphs of
    # 15+ words) below this is "no article here"; a page with more is content whatever it says.
    never_content_max_prose_words: int = 150
    # An empty script shell: visible words below this with scripts or an app root.
    empty_shell_max_words: int = 25

    def __post_init__(self) -> None:
        check_fields(self, self.key, RANGES)


RANGES: dict[str, Bounds] = {
    "pagetype.route_min_confidence": SHARE,
    "pagetype.never_content_max_prose_words": AT_LEAST_0,
    "pagetype.empty_shell_max_words": AT_LEAST_0,
    "shards.shard_size": AT_LEAST_1,
    "shards.shard_bytes": AT_LEAST_1,
    "shards.min_shard_files": AT_LEAST_1,
    "shards.shards_per_worker": AT_LEAST_1,
    "shards.tail_shard_share": SHARE,
    "shards.validate_batch_rows": AT_LEAST_1,
    "shards.timeout_base_seconds": AT_LEAST_1,
    "shards.timeout_seconds_per_mb": AT_LEAST_0,
    "read.max_file_bytes": AT_LEAST_1,
    "read.max_decompressed_bytes": AT_LEAST_1,
    "read.max_record_bytes": AT_LEAST_1,
    "read.max_html_depth": AT_LEAST_1,
    "read.max_parse_chars": AT_LEAST_1,
    "read.max_document_cpu_seconds": AT_LEAST_1,
    "html.extract_min_words_before_fallback": AT_LEAST_0,
    "html.extract_compare_page_ratio": AT_LEAST_0,  # 0: always compare
    "html.extract_recall_page_ratio": AT_LEAST_0,  # 0: never
    "html.extract_recall_gain": AT_LEAST_0,
    "html.extract_recall_containment": SHARE,
    "html.edge_line_max_words": AT_LEAST_0,
    "html.edge_min_words_left": AT_LEAST_0,
    "html.jsonld_body_gain": AT_LEAST_0,
    "html.jsonld_body_containment": SHARE,
    "html.caption_min_words": AT_LEAST_0,
    "html.caption_max_words": AT_LEAST_0,  # and >= caption_min_words (__post_init__)
    "html.second_opinion_max_share": SHARE,  # 0: never on this signal
    "html.second_opinion_short_share": SHARE,  # 1: only a body of short lines only
    "html.second_opinion_gain": AT_LEAST_0,
    "html.second_opinion_max_link_share": SHARE,
    "html.second_opinion_cut_share": SHARE,  # 0: never on article pages
    "html.second_opinion_cut_gain": AT_LEAST_0,
    "html.second_opinion_cut_containment": SHARE,
    "html.second_opinion_cut_vote": AT_LEAST_0,
    "clean.min_words": AT_LEAST_0,
    "clean.min_words_page": AT_LEAST_0,
    "clean.min_paragraph_words_for_repeat": AT_LEAST_1,
    "clean.splice_min_chars": AT_LEAST_1,
    "clean.splice_min_words": AT_LEAST_1,
    "clean.text_tail_cut_share": SHARE,
    "clean.text_tail_cut_share_prompt": SHARE,
    "clean.text_comments_min_article_words": AT_LEAST_0,
    "clean.text_lead_keep_lines": AT_LEAST_0,
    "clean.text_trailing_max_share": AT_LEAST_0,
    "clean.text_end_matter_share": SHARE,
    "clean.text_end_matter_share_legal": SHARE,
    "clean.recurrence_min_docs": (2, None, False, False),  # one document cannot recur
    "clean.recurrence_min_share": SHARE,
    "clean.recurrence_max_words": AT_LEAST_1,
    "clean.recurrence_max_shared": SHARE,
    "clean.leftover_line_max_words": AT_LEAST_0,
    "clean.caption_credit_max_chars": AT_LEAST_1,
    "clean.block_filter_min_keep": SHARE,
    "clean.block_filter_min_share": SHARE,
    "clean.block_filter_text_min_keep": SHARE,
    "metadata.language_min_chars": AT_LEAST_0,
    "dedup.shingle_size": AT_LEAST_1,
    "dedup.num_perm": AT_LEAST_1,  # and >= bands * rows (__post_init__)
    "dedup.bands": AT_LEAST_1,
    "dedup.rows": AT_LEAST_1,
    "dedup.near_jaccard": POSITIVE_SHARE,
    "dedup.near_containment": POSITIVE_SHARE,
    "dedup.containment_min_share": SHARE,
    "dedup.seed": (0, 2**63 - 1, False, False),  # numpy's PCG64 takes a non-negative seed
    "run.max_quarantine_share": SHARE,  # 1: never fail on quarantined rows
    "run.lock_other_host_stale_seconds": AT_LEAST_0,
    "run.lock_stall_seconds": (1, None, False, False),
    "run.compact_file_rows": (1, None, False, False),
    "run.compact_file_bytes": (1, None, False, False),
}
