"""JSON Lines scraper records: one JSON object per line, one document per non-blank line.

Accepted field names (the first present, non-empty string wins, in this order):

| what         | fields                                                          |
|--------------|-----------------------------------------------------------------|
| url          | `url`, `link`, `source_url`                                      |
| markup       | `html`, `raw_html`, `content_html` (content_kind "html")        |
| plain text   | `text`, `content`, `body` (used when no markup field is present) |
| fetched time | `fetched_at`, `fetch_time`, `crawled_at`, `timestamp`, `date_fetched` |

The fetched time may be ISO 8601 (a time without zone is UTC), an HTTP/RFC 2822 date, or epoch
seconds (a number or a numeric string; values above 1e11 are read as milliseconds); it becomes
a tz-aware UTC datetime, or stays null when unparseable (noted `fetched_at_unparseable`).
Other fields, `title` included, are ignored: a scraper's title is not trusted as ground truth.

`source_record` is the 1-based line number; blank lines are skipped (they are not documents).
Drop reasons (stage "read"): malformed_jsonl (not JSON, or not an object; the detail has the
JSON error), record_without_content (no content field), empty_record (content blank),
record_too_large (line above `max_record_bytes`). The record's content hash is the line's bytes' (`transforms.core.ids`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from transforms.core.config import ReadSettings
from transforms.core.record import Article, ContentKind, Drop
from transforms.read.fetch_time import parse_time

URL_FIELDS = ("url", "link", "source_url")
HTML_FIELDS = ("html", "raw_html", "content_html")
TEXT_FIELDS = ("text", "content", "body")
TIME_FIELDS = ("fetched_at", "fetch_time", "crawled_at", "timestamp", "date_fetched")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _first_text(record: dict, keys: tuple[str, ...]) -> tuple[str | None, bool]:
    """(first non-blank string among `keys`, whether any key held a string at all)."""
    seen = False
    for key in keys:
        value = record.get(key)
        if isinstance(value, str):
            seen = True
            if value.strip():
                return value, True
    return None, seen


def _record(
    path: str, line: bytes, number: int, settings: ReadSettings
) -> tuple[Article, Drop | None]:
    failed = Article.from_raw(line, path, "jsonl", "text", source_record=number)
    if len(line) > settings.max_record_bytes:
        detail = f"{len(line)} bytes > max_record_bytes={settings.max_record_bytes}"
        return failed, Drop("read", "record_too_large", detail)
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        return failed, Drop("read", "malformed_jsonl", f"{type(exc).__name__}: {exc}"[:300])
    if not isinstance(record, dict):
        return failed, Drop("read", "malformed_jsonl", f"a JSON {type(record).__name__}")
    html, has_html = _first_text(record, HTML_FIELDS)
    text, has_text = _first_text(record, TEXT_FIELDS)
    content = html if html is not None else text
    kind: ContentKind = "html" if html is not None or (text is None and has_html) else "text"
    failed.content_kind = kind
    url, _ = _first_text(record, URL_FIELDS)
    failed.url = url.strip() if url else None
    if content is None:
        if has_html or has_text:
            return failed, Drop("read", "empty_record", "the content field is blank")
        fields = ", ".join(HTML_FIELDS + TEXT_FIELDS)
        return failed, Drop("read", "record_without_content", f"none of: {fields}")
    doc = failed
    if _SURROGATES.search(content):  # lone surrogates from JSON escapes cannot be UTF-8
        content, n = _SURROGATES.subn("\ufffd", content)
        doc.note("surrogates_replaced", n)
    doc.markup.raw = content.encode("utf-8")
    doc.markup.declared_charset = "utf-8"
    for key in TIME_FIELDS:
        if key in record and record[key] not in (None, ""):
            doc.fetched_at = parse_time(record[key])
            if doc.fetched_at is None:
                doc.note("fetched_at_unparseable")
            break
    return doc, None


def read_jsonl(
    path: str, data: bytes, settings: ReadSettings, cut: Drop | None = None
) -> Iterator[tuple[Article, Drop | None]]:
    """One tuple per non-blank line of `data`. `cut` says the data ends early (truncated or
    over a size limit): the incomplete last line, or else one extra tuple, carries it."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
        partial = False
    else:
        partial = cut is not None
    for number, line in enumerate(lines, 1):
        line = line.removesuffix(b"\r")
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if partial and number == len(lines):
            yield Article.from_raw(line, path, "jsonl", "text", source_record=number), cut
            return
        if not line.strip():
            continue
        yield _record(path, line, number, settings)
    if cut is not None:
        number = len(lines) + 1
        yield Article.from_raw(None, path, "jsonl", "text", source_record=number), cut
