"""WARC archives (warcio): one document per response or resource record.

Request, metadata, revisit and warcinfo records are skipped (they are not documents). Each
response/resource record is a document: `source_record` is its 0-based index among them, `url`
comes from WARC-Target-URI, `fetched_at` from WARC-Date, the declared charset from the HTTP
Content-Type header. The payload is the HTTP body after chunked transfer and content encodings
are undone, read with a bound (`max_record_bytes`); the content hash is the payload's.

Drop reasons (stage "read"): unsupported_content_type (not HTML or plain text; the MIME type is
the value), http_status_not_ok (a status outside 2xx: redirects and error pages are not
articles), empty_record, binary_content, record_too_large, truncated_warc_record (the archive
ends inside a record), malformed_warc (the rest of the archive cannot be parsed).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from transforms.core.config import ReadSettings
from transforms.core.record import Article, ContentKind, Drop
from transforms.read.fetch_time import parse_time
from transforms.text.decode import looks_binary

_DOCUMENT_RECORDS = {"response", "resource"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain"}
_SNIFF_TYPES = {"", "application/octet-stream", "unknown/unknown"}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.IGNORECASE)


def _content_type(record) -> str:
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    return headers.get_header("Content-Type") or ""


def _document(record, index: int, path: str, settings: ReadSettings) -> tuple[Article, Drop | None]:
    """The Article of one response/resource record, with its Drop when it is not usable."""
    ctype = _content_type(record)
    mime = ctype.split(";")[0].strip().lower()
    payload = record.content_stream().read(settings.max_record_bytes + 1)
    kind: ContentKind = "text" if mime in _TEXT_TYPES else "html"
    if mime in _SNIFF_TYPES:
        kind = "html" if payload.lstrip()[:1] == b"<" else "text"
    doc = Article.from_raw(payload, path, "warc", kind, source_record=index)
    doc.url = record.rec_headers.get_header("WARC-Target-URI") or None
    doc.fetched_at = parse_time(record.rec_headers.get_header("WARC-Date"))
    match = _CHARSET.search(ctype)
    doc.markup.declared_charset = match.group(1) if match else None
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    if len(payload) > settings.max_record_bytes:
        return doc, Drop("read", "record_too_large", f"over {settings.max_record_bytes} bytes")
    if getattr(record.raw_stream, "limit", 0) > 0:
        return doc, Drop("read", "truncated_warc_record", "the archive ends inside the record")
    if status and not status.startswith("2"):
        return doc, Drop("read", "http_status_not_ok", f"HTTP {status}", status)
    if mime not in _HTML_TYPES | _TEXT_TYPES | _SNIFF_TYPES:
        return doc, Drop("read", "unsupported_content_type", "not HTML or text", mime)
    if not payload.strip():
        return doc, Drop("read", "empty_record", "no payload")
    if looks_binary(payload):
        return doc, Drop("read", "binary_content", "NUL or control bytes", mime or None)
    doc.markup.raw = payload
    return doc, None


def read_warc(
    path: str, data: bytes, settings: ReadSettings, cut: Drop | None = None
) -> Iterator[tuple[Article, Drop | None]]:
    """One tuple per response/resource record of the (uncompressed) WARC bytes `data`.

    `cut` says the data ends early (a truncated gzip or a size limit): the record it cuts, or
    else one extra tuple, carries that Drop instead of `truncated_warc_record`.
    """
    from warcio.archiveiterator import ArchiveIterator  # imported only when a WARC is read

    if data.lstrip()[:5] != b"WARC/":  # warcio would read any 5-word line as an ARC record
        doc = Article.from_raw(None, path, "warc", "html", source_record=0)
        yield doc, cut or Drop("read", "malformed_warc", "does not start with a WARC record")
        return
    iterator = ArchiveIterator(io.BytesIO(data))
    records = iter(iterator)
    index = 0
    while True:
        try:
            record = next(records)
            if record.format != "warc":
                raise ValueError(f"a {record.format} record inside a WARC file")
        except StopIteration:
            break
        except Exception as exc:  # warcio raises many types on damaged archives
            doc = Article.from_raw(None, path, "warc", "html", source_record=index)
            yield doc, cut or Drop("read", "malformed_warc", f"{type(exc).__name__}: {exc}"[:300])
            return
        if record.rec_type not in _DOCUMENT_RECORDS:
            continue
        try:
            doc, drop = _document(record, index, path, settings)
        except Exception as exc:  # a damaged record (bad chunking, bad content encoding)
            doc = Article.from_raw(None, path, "warc", "html", source_record=index)
            drop = Drop("read", "malformed_warc", f"{type(exc).__name__}: {exc}"[:300])
        if drop is not None and drop.reason == "truncated_warc_record" and cut is not None:
            drop, cut = cut, None
        index += 1
        yield doc, drop
    # bytes left after the last complete record: a record cut inside its headers
    if data[iterator.offset :].strip():
        doc = Article.from_raw(None, path, "warc", "html", source_record=index)
        yield doc, cut or Drop("read", "truncated_warc_record", "the archive ends inside a record")
    elif cut is not None:
        doc = Article.from_raw(None, path, "warc", "html", source_record=index)
        yield doc, cut
