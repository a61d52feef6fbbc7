"""Every threshold and option of the pipeline, in one place.

`PipelineConfig` is passed (as a plain, picklable dataclass) from the flow to every stage. A stage
reads only the fields it needs; nothing else in the code base hard-codes these numbers.

A config checks itself when it is made (`__post_init__`): each field's type and allowed range
is in `_RANGES` below, so a wrong value fails with the field's name and range before any work
starts, whether it came from `--set`, a deployment's `settings` or code.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    # --- discovery and sharding
    # Input files per shard task (a task run costs ~6 ms in Prefect). Small enough that a shard's
    # cleaned text stays a small share of a worker's memory at any corpus size.
    shard_size: int = 1000
    shard_bytes: int = 256 * 1024 * 1024  # ... or fewer, when the files are this large
    min_shard_files: int = 25  # below this, splitting for parallelism costs more than it saves
    # Shards per worker at least (files permitting): workers take the next shard as they finish,
    # so with several each, a slow shard leaves a core idle for less time at the end of a run.
    shards_per_worker: int = 4
    # ... and the last shards of a run shrink (guided scheduling: the files left split among the
    # workers), down to this share of a full shard, so the run ends on small shards and no
    # worker waits long for the last one to finish. Never below min_shard_files.
    tail_shard_share: float = 0.25
    input_suffixes: tuple[str, ...] = (".html", ".htm", ".txt", ".jsonl", ".warc")

    # --- reading: hard limits so that no input can exhaust the machine
    max_file_bytes: int = 64 * 1024 * 1024  # a raw file larger than this is quarantined
    max_decompressed_bytes: int = 64 * 1024 * 1024  # gzip bomb guard, per file
    max_record_bytes: int = 16 * 1024 * 1024  # one JSONL line / WARC record payload
    max_html_depth: int = 2000  # deeper markup is quarantined (lxml recursion, DoS)

    # --- cleaning
    min_words: int = 50  # a body shorter than this is not an article
    min_paragraph_words_for_repeat: int = 4  # shorter repeated lines may be legitimate
    splice_min_chars: int = 40  # a scraper splice repeats at least this many characters
    splice_min_words: int = 8  # ... holding at least this many words
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

    # Recurrence across a batch (transforms.clean.recurrence): a paragraph of at most max_words words
    # found in min_docs articles of one site with different ledes, and in min_share of them,
    # is chrome; a document with more than max_shared of its paragraphs that frequent is a copy
    # of a story and does not count.
    recurrence_min_docs: int = 5
    recurrence_min_share: float = 0.25
    recurrence_max_words: int = 40
    recurrence_max_shared: float = 0.5

    # --- HTML body extraction and captions (transforms.html.extract, transforms.html.captions)
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
    # JSON-LD articleBody replaces the extracted body when it is this much longer and holds
    # this share of the extracted words (the extractor then stopped early).
    jsonld_body_gain: float = 1.5
    jsonld_body_containment: float = 0.6
    # Leftovers the articles suite warns about (transforms.clean.leftovers): a line of at most this
    # many words that holds a boilerplate prompt or a photo credit goes whole; in a longer
    # line, the sentence holding it when the sentence is this short, else the matched words.
    leftover_line_max_words: int = 40
    caption_credit_max_chars: int = 80  # a longer credit is cut at a separator, else flagged
    caption_min_words: int = 4  # alt text / caption-class text shorter than this is not a caption
    caption_max_words: int = 80  # longer text in a caption-classed element is body, not caption

    # --- run outcome
    # A run fails when more than this share of its new documents ended in quarantine (1.0:
    # never; a run whose inputs were all rejected still completes and says so). For teams
    # that want an alert on a bad batch.
    max_quarantine_share: float = 1.0

    # --- deduplication
    shingle_size: int = 5  # word n-grams
    num_perm: int = 128  # MinHash permutations >= bands * rows
    # 64 bands of 2 rows: a pair at Jaccard 0.25 (a truncated half-copy) is a candidate with
    # p = 0.98 (32x4 found only 0.87 at J=0.5 and missed 1 in 5 truncated copies: eval-dedup)
    bands: int = 64
    rows: int = 2
    near_jaccard: float = 0.8  # estimated Jaccard to call a near-duplicate
    # or: the smaller body is this much inside the larger (estimated) ... and covers at least
    # this share of it. A quote of two paragraphs stays far below 0.85 (measured max 0.68 on
    # eval-dedup's quoting negatives); a half-length truncated copy covers ~0.25-0.5 of the story.
    near_containment: float = 0.85
    containment_min_share: float = 0.2
    seed: int = 1  # MinHash permutation seed: changing it invalidates the dedup index

    # --- language
    language_min_chars: int = 40

    # --- metadata
    metadata_htmldate: bool = True  # last-resort date heuristics (htmldate fast mode, ~10 ms)
    metadata_htmldate_extensive: bool = False  # also htmldate's free-text search (low precision)

    # --- the OUTPUT lock (transforms.run.lock)
    # A lock left by a run on another host is taken over once its heartbeat (the lock file's
    # mtime, renewed every 15 s while the run lives) is this many seconds old; 0: never (the
    # default: across hosts no one can tell a dead run from a slow filesystem or a clock skew,
    # so an operator removes the lock file by hand; the refusal names it).
    lock_other_host_stale_seconds: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            _check(f.name, getattr(self, f.name), f.default)
        if self.num_perm < self.bands * self.rows:
            raise ValueError(
                f"num_perm={self.num_perm} is out of range: must be >= bands * rows "
                f"({self.bands} * {self.rows} = {self.bands * self.rows})"
            )
        if self.caption_max_words < self.caption_min_words:
            raise ValueError(
                f"caption_max_words={self.caption_max_words} is out of range: must be >= "
                f"caption_min_words ({self.caption_min_words})"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> PipelineConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown config keys: {sorted(unknown)}")
        return cls(**values)

    def with_settings(self, settings: dict[str, Any]) -> PipelineConfig:
        """A copy with `settings` applied; string values (from a command line) are converted
        to the field's type ("0" -> 0.0 for a float, "false" -> False for a bool)."""
        current = self.to_dict()
        values = {}
        for key, value in settings.items():
            if key not in current:
                raise ValueError(
                    f"unknown setting {key!r}: see transforms/core/config.py for the fields"
                )
            values[key] = _convert(key, value, current[key])
        return PipelineConfig.from_dict({**current, **values})


# Allowed range of each field: (low, high, low_open, high_open); None: unbounded on that side.
_AT_LEAST_1 = (1, None, False, False)
_AT_LEAST_0 = (0, None, False, False)
_SHARE = (0, 1, False, False)  # a share or probability: [0, 1]
_POSITIVE_SHARE = (0, 1, True, False)  # (0, 1]: 0 would match everything
_RANGES: dict[str, tuple[float | None, float | None, bool, bool]] = {
    "shard_size": _AT_LEAST_1,
    "shard_bytes": _AT_LEAST_1,
    "min_shard_files": _AT_LEAST_1,
    "shards_per_worker": _AT_LEAST_1,
    "tail_shard_share": _SHARE,
    "max_file_bytes": _AT_LEAST_1,
    "max_decompressed_bytes": _AT_LEAST_1,
    "max_record_bytes": _AT_LEAST_1,
    "max_html_depth": _AT_LEAST_1,
    "min_words": _AT_LEAST_0,
    "min_paragraph_words_for_repeat": _AT_LEAST_1,
    "splice_min_chars": _AT_LEAST_1,
    "splice_min_words": _AT_LEAST_1,
    "text_tail_cut_share": _SHARE,
    "text_tail_cut_share_prompt": _SHARE,
    "text_comments_min_article_words": _AT_LEAST_0,
    "text_lead_keep_lines": _AT_LEAST_0,
    "text_trailing_max_share": _AT_LEAST_0,
    "text_end_matter_share": _SHARE,
    "text_end_matter_share_legal": _SHARE,
    "recurrence_min_docs": (2, None, False, False),  # one document cannot recur
    "recurrence_min_share": _SHARE,
    "recurrence_max_words": _AT_LEAST_1,
    "recurrence_max_shared": _SHARE,
    "extract_min_words_before_fallback": _AT_LEAST_0,
    "extract_compare_page_ratio": _AT_LEAST_0,  # 0: always compare
    "extract_recall_page_ratio": _AT_LEAST_0,  # 0: never
    "extract_recall_gain": _AT_LEAST_0,
    "extract_recall_containment": _SHARE,
    "edge_line_max_words": _AT_LEAST_0,
    "jsonld_body_gain": _AT_LEAST_0,
    "jsonld_body_containment": _SHARE,
    "leftover_line_max_words": _AT_LEAST_0,
    "caption_credit_max_chars": _AT_LEAST_1,
    "caption_min_words": _AT_LEAST_0,
    "caption_max_words": _AT_LEAST_0,  # and >= caption_min_words (__post_init__)
    "max_quarantine_share": _SHARE,  # 1: never fail on quarantined rows
    "shingle_size": _AT_LEAST_1,
    "num_perm": _AT_LEAST_1,  # and >= bands * rows (__post_init__)
    "bands": _AT_LEAST_1,
    "rows": _AT_LEAST_1,
    "near_jaccard": _POSITIVE_SHARE,
    "near_containment": _POSITIVE_SHARE,
    "containment_min_share": _SHARE,
    "seed": (0, 2**63 - 1, False, False),  # numpy's PCG64 takes a non-negative seed
    "language_min_chars": _AT_LEAST_0,
    "lock_other_host_stale_seconds": _AT_LEAST_0,
}


def _check(name: str, value: Any, default: Any) -> None:
    """Raise ValueError naming `name` when `value` has the wrong type or is out of its range."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{name}={value!r}: expected a bool (true or false)")
        return
    if isinstance(default, tuple):
        if not value or not all(isinstance(s, str) and s.startswith(".") for s in value):
            raise ValueError(f"{name}={value!r}: expected one or more suffixes like .html")
        return
    # an int field takes only ints; a float field ints or floats (never a bool, never NaN)
    numeric = (int,) if isinstance(default, int) else (int, float)
    if isinstance(value, bool) or not isinstance(value, numeric) or math.isnan(value):
        raise ValueError(f"{name}={value!r}: expected a {type(default).__name__}")
    low, high, low_open, high_open = _RANGES[name]
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        raise ValueError(f"{name}={value!r} is out of range: must be {_describe(_RANGES[name])}")


def _describe(bounds: tuple[float | None, float | None, bool, bool]) -> str:
    low, high, low_open, high_open = bounds
    if high is None:
        return f"{'>' if low_open else '>='} {low}"
    return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


def _convert(key: str, value: Any, default: Any) -> Any:
    if not isinstance(value, str) or isinstance(default, str):
        return value
    text = value.strip()
    try:
        if isinstance(default, bool):
            if text.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                raise ValueError(text)
            return text.lower() in {"true", "1", "yes"}
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, tuple):
            return tuple(part.strip() for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"setting {key}={value!r}: expected a {type(default).__name__}") from None
    return value
