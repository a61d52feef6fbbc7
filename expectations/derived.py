"""Derived columns: facts about a row that no stored column states, computed for validation only.

Some rules of the output contract are about the structure inside a value ("every paragraph
once", "every caption has text"). Built-in expectations test one column at a time, so the
validator adds a helper column per such fact to the dataframe it hands to Great Expectations and
the suites test that column. Helper columns start with `_`, are never written to the datasets,
and are computed only when a suite names them.

- `_body_words`: words of `body` in any script (`count_words`) (word_count must equal it).
- `_repeated_paragraphs`: paragraphs of `body` (blank-line separated, at least
  `clean.min_paragraph_words_for_repeat` words, compared with whitespace collapsed and
  lower-cased) that occur more than once; `_first_repeated_paragraph` is the one whose first
  copy comes first. List items, table rows, code and short labels repeat by design and are not
  counted (`transforms.clean.repetition.is_structure`, the rule the repair uses).
- `_markup_share`: share of the body's characters inside tag forms (`<p>`, `</div>`,
  `<a href=...>`); `_first_markup` is the first such form.
- `_captions_in_body`: captions whose text (compared the same way) is still a paragraph of the
  body; `_first_caption_in_body` is one of them.

Paragraph work is vectorised with pyarrow (split, flatten, group by): it runs on every row.
- `_caption_min_text_chars`: shortest caption text (stripped); null when there is no caption.
- `_caption_max_credit_chars`: longest caption credit (stripped); null when no credit is given.
- `_published_at_earliest`: the earliest instant `published_at` can denote. A date-only value
  (precision 'day') is stored as midnight UTC, but a page dated in UTC+14 can be fetched up to
  14 hours before that midnight, so the bound moves back 14 hours for such values.
- `_published_day_gap`: days between `published_date` (the stated day) and the UTC day of
  `published_at`: at most 1 (time zones run from UTC-12 to UTC+14); -1 when exactly one of the
  two is null (they are set together).
- `_duplicate_of_self`: `doc_id == duplicate_of`. doc_id is the key of one input record
  (path, record index, bytes: `transforms.core.ids`), so a copy never shares its canonical's id,
  identical bytes at two paths included (they share `content_hash` instead).
- `_merged_into_self`: `story_id == merged_into` in story_links: a story is never merged into
  itself (`transforms.dedup.stories`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pyarrow as pa
import pyarrow.compute as pc

from transforms.clean.repetition import is_structure
from transforms.core.config import PipelineConfig
from transforms.core.schema import UTC_TS
from transforms.core.words import count_words

Columns = dict[str, pa.Array]  # typed, so that an all-null or empty column keeps its type
Producer = Callable[[pa.Table, PipelineConfig], Columns]

# The largest UTC offset in use (Line Islands, UTC+14).
MAX_UTC_OFFSET = timedelta(hours=14)


def _paragraph_keys(bodies: pa.ChunkedArray | pa.Array) -> pa.Table:
    """One row per paragraph of every body: its row (`parent`), position in the flattened
    list (`pos`), text, word count and comparison key (whitespace collapsed, lower case)."""
    paragraphs = pc.split_pattern(bodies, "\n\n")
    text = pc.list_flatten(paragraphs)
    words = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(text))
    return pa.table(
        {
            "parent": pc.list_parent_indices(paragraphs),
            "pos": pa.array(range(len(text)), pa.int64()),
            "text": text,
            "words": pc.list_value_length(words),
            "key": pc.utf8_lower(pc.binary_join(words, " ")),
        }
    )


# `derive` shares one table's paragraph keys between its producers (two of them split the
# bodies): id(table) -> (table, keys), for the length of one `derive` call
_SHARED_PARAGRAPHS: dict[int, tuple[pa.Table, pa.Table]] = {}


def _paragraphs_of(table: pa.Table) -> pa.Table:
    """`_paragraph_keys` of the table's bodies, computed once a `derive` call."""
    hit = _SHARED_PARAGRAPHS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    return _paragraph_keys(table.column("body"))


def _per_row(n: int, parents: pa.Array, values: pa.Array, type_: pa.DataType) -> pa.Array:
    out = [None] * n
    for parent, value in zip(parents.to_pylist(), values.to_pylist(), strict=True):
        out[parent] = value
    return pa.array(out, type_)


def body_words(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_body_words` (see module docstring). `count_words`, as `Article.word_count` uses."""
    words = [None if b is None else count_words(b) for b in table.column("body").to_pylist()]
    return {"_body_words": pa.array(words, pa.int32())}


def repeated_paragraphs(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_repeated_paragraphs` and `_first_repeated_paragraph` (see module docstring)."""
    every = _paragraphs_of(table)
    # short lines ("Photos", "Q: Why?") and structure (lists, tables, code) may recur
    long = every.filter(
        pc.greater_equal(every["words"], config.clean.min_paragraph_words_for_repeat)
    )
    # structure is a Python test: only on the long paragraphs whose key recurs in their body
    # (leaving structure out can only lower a count, so no other paragraph can be repeated)
    keys = long.group_by(["parent", "key"]).aggregate([("pos", "count")])
    recurring = keys.filter(pc.greater(keys["pos_count"], 1)).select(["parent", "key"])
    candidates = long.join(recurring, ["parent", "key"], join_type="inner")
    prose = pa.array([not is_structure(t) for t in candidates["text"].to_pylist()], pa.bool_())
    paragraphs = candidates.filter(prose)
    groups = paragraphs.group_by(["parent", "key"]).aggregate([("pos", "count"), ("pos", "min")])
    repeated = groups.filter(pc.greater(groups["pos_count"], 1))
    per_row = repeated.group_by("parent").aggregate([("key", "count"), ("pos_min", "min")])
    n = table.num_rows
    counts = _per_row(n, per_row["parent"], per_row["key_count"], pa.int32())
    first_pos = _per_row(n, per_row["parent"], per_row["pos_min_min"], pa.int64())
    texts = every["text"]
    firsts = [None if i is None else texts[i].as_py().strip() for i in first_pos.to_pylist()]
    return {
        "_repeated_paragraphs": pc.fill_null(counts, 0),
        "_first_repeated_paragraph": pa.array(firsts, pa.string()),
    }


def captions_in_body(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_captions_in_body` and `_first_caption_in_body` (see module docstring)."""
    captions = table.column("captions")
    caption_text = pc.struct_field(pc.list_flatten(captions), "text")
    caption_words = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(caption_text))
    caption_keys = pa.table(
        {
            "parent": pc.list_parent_indices(captions),
            "key": pc.utf8_lower(pc.binary_join(caption_words, " ")),
            "caption": caption_text,
        }
    ).filter(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(caption_text)), 0))
    paragraphs = _paragraphs_of(table).select(["parent", "key"])
    left = caption_keys.join(
        paragraphs.group_by(["parent", "key"]).aggregate([]), ["parent", "key"], join_type="inner"
    )
    per_row = left.group_by("parent", use_threads=False).aggregate(
        [("caption", "count"), ("caption", "first")]
    )
    n = table.num_rows
    counts = _per_row(n, per_row["parent"], per_row["caption_count"], pa.int32())
    firsts = _per_row(n, per_row["parent"], per_row["caption_first"], pa.string())
    return {"_captions_in_body": pc.fill_null(counts, 0), "_first_caption_in_body": firsts}


def caption_shape(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_caption_min_text_chars` and `_caption_max_credit_chars` (see module docstring)."""
    min_text: list[int | None] = []
    max_credit: list[int | None] = []
    for captions in table.column("captions").to_pylist():
        texts = [len((c.get("text") or "").strip()) for c in captions or []]
        credits = [len(c["credit"].strip()) for c in captions or [] if c.get("credit") is not None]
        min_text.append(min(texts) if texts else None)
        max_credit.append(max(credits) if credits else None)
    return {
        "_caption_min_text_chars": pa.array(min_text, pa.int32()),
        "_caption_max_credit_chars": pa.array(max_credit, pa.int32()),
    }


_TAG = re.compile(r"</?[A-Za-z!?][^<>\n]{0,200}>")


def markup_share(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_markup_share` and `_first_markup` (see module docstring)."""
    shares: list[float | None] = []
    firsts: list[str | None] = []
    for body in table.column("body").to_pylist():
        if not body:
            shares.append(None if body is None else 0.0)
            firsts.append(None)
            continue
        tags = [m.group(0) for m in _TAG.finditer(body)] if "<" in body else []
        shares.append(sum(map(len, tags)) / len(body))
        firsts.append(tags[0] if tags else None)
    return {
        "_markup_share": pa.array(shares, pa.float64()),
        "_first_markup": pa.array(firsts, pa.string()),
    }


def published_at_earliest(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_published_at_earliest` (see module docstring)."""
    out = []
    for ts, precision in zip(
        table.column("published_at").to_pylist(),
        table.column("published_at_precision").to_pylist(),
        strict=True,
    ):
        out.append(ts - MAX_UTC_OFFSET if ts is not None and precision == "day" else ts)
    return {"_published_at_earliest": pa.array(out, UTC_TS)}


def duplicate_of_self(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_duplicate_of_self` (see module docstring)."""
    same = pc.equal(table.column("doc_id"), table.column("duplicate_of"))
    return {"_duplicate_of_self": pa.chunked_array(same).combine_chunks()}


def merged_into_self(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_merged_into_self` (see module docstring)."""
    same = pc.equal(table.column("story_id"), table.column("merged_into"))
    return {"_merged_into_self": pa.chunked_array(same).combine_chunks()}


def published_day_gap(table: pa.Table, config: PipelineConfig) -> Columns:
    """`_published_day_gap` (see module docstring)."""
    out = []
    for ts, day in zip(
        table.column("published_at").to_pylist(),
        table.column("published_date").to_pylist(),
        strict=True,
    ):
        if ts is None and day is None:
            out.append(None)
        elif ts is None or day is None:
            out.append(-1)
        else:
            out.append(abs((ts.date() - day).days))
    return {"_published_day_gap": pa.array(out, pa.int32())}


# Derived column name -> the producer that computes it (with its sibling columns).
DERIVED: dict[str, Producer] = {
    "_body_words": body_words,
    "_repeated_paragraphs": repeated_paragraphs,
    "_first_repeated_paragraph": repeated_paragraphs,
    "_captions_in_body": captions_in_body,
    "_first_caption_in_body": captions_in_body,
    "_caption_min_text_chars": caption_shape,
    "_caption_max_credit_chars": caption_shape,
    "_markup_share": markup_share,
    "_first_markup": markup_share,
    "_published_at_earliest": published_at_earliest,
    "_duplicate_of_self": duplicate_of_self,
    "_merged_into_self": merged_into_self,
    "_published_day_gap": published_day_gap,
}


def derive(table: pa.Table, names: set[str], config: PipelineConfig) -> Columns:
    """Compute the derived columns `names` (and their siblings) for every row of `table`."""
    unknown = sorted(n for n in names if n not in DERIVED)
    if unknown:
        raise KeyError(f"no producer for derived columns {unknown}")
    out: Columns = {}
    producers = list(dict.fromkeys(DERIVED[n] for n in sorted(names)))
    if repeated_paragraphs in producers and captions_in_body in producers:
        _SHARED_PARAGRAPHS[id(table)] = (table, _paragraph_keys(table.column("body")))
    try:
        for producer in producers:
            out.update(producer(table, config))
    finally:
        _SHARED_PARAGRAPHS.pop(id(table), None)
    return out
