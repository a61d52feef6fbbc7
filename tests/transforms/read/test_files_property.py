"""Property tests (hypothesis): the input side never raises and never loses or adds a document.

- `decode_bytes` and the decode/normalize steps take any bytes;
- `normalize_text` takes any text, is idempotent and leaves no character it promises to remove;
- `read_file` takes any bytes under any input name and yields exactly one tuple per document.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from transforms.core.config import ReadSettings
from transforms.core.record import Article, Markup
from transforms.read.files import InputFile, read_file
from transforms.text.decode import DecodeStep, decode_bytes
from transforms.text.normalize import NormalizeStep, normalize_text

FAST = settings(max_examples=150, deadline=None)
WITH_TMP = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CONFIG = ReadSettings(max_file_bytes=1 << 20, max_decompressed_bytes=1 << 20)

# Text rich in what normalisation touches: odd spaces, joiners, controls, mojibake pairs,
# surrogates, combining marks and line breaks, mixed with ordinary letters.
SPECIAL = [
    *(
        "\u00a0\u202f\u2007\u200b\u200c\u200d\u2060\ufeff\u00ad\r\n\t \x00\x07\x1b\x85\x9d\u2028"
        "\u2029\u0301\u0308\ufffd\ud800\udfffÃÂâ€œ\u0153\u00a9\u00c3\u00a9aé “”'"
    ),
    *["Ã©", "â€œ", "â€\x9d", "\r\n", "\n\n\n", "Ã\xa0"],
]
texts = st.lists(
    st.one_of(
        st.sampled_from(SPECIAL),
        st.text(alphabet=st.characters(exclude_categories=()), max_size=8),
    ),
    max_size=40,
).map("".join)


@FAST
@given(
    st.binary(max_size=3000),
    st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus", "koi8-r", ""])),
    st.booleans(),
)
def test_decode_bytes_never_raises(raw: bytes, declared: str | None, is_html: bool) -> None:
    text, used = decode_bytes(raw, declared, is_html)
    assert isinstance(text, str) and used


@FAST
@given(texts)
def test_normalize_text_is_idempotent_and_clean(s: str) -> None:
    once, _ = normalize_text(s)
    twice, changes = normalize_text(once)
    assert twice == once
    assert not changes
    for ch in "\u00a0\u202f\u2007\u200b\u2060\ufeff\u00ad\r\x00\x07":
        assert ch not in once
    assert "\n\n\n" not in once
    assert once == once.strip()
    once.encode("utf-8")  # no lone surrogate left: the text can be written to Parquet


@FAST
@given(
    st.binary(max_size=2000),
    st.sampled_from(["html", "text"]),
    st.one_of(st.none(), st.just("latin-1")),
)
def test_decode_and_normalize_steps_never_raise(
    raw: bytes, kind: str, declared: str | None
) -> None:
    doc = Article("id", "x", "text", kind, markup=Markup(raw=raw, declared_charset=declared))  # type: ignore[arg-type]
    if DecodeStep().apply(doc) is None:
        if kind == "html":
            assert doc.markup.html is not None
            doc.text = doc.markup.html  # stand-in for the extracted body
        assert NormalizeStep().apply(doc) is None
        assert "\n\n\n" not in doc.text
    assert doc.markup.raw == b""


def _read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_file(tmp_path, InputFile(name, len(data), "h"), CONFIG))


NAMES = ["a.html", "a.htm", "a.txt", "a.jsonl", "a.warc", "a.html.gz", "a.jsonl.gz", "a.warc.gz"]


@WITH_TMP
@given(st.binary(max_size=4000), st.sampled_from(NAMES), st.booleans())
def test_read_file_never_raises_on_any_bytes(
    tmp_path: Path, data: bytes, name: str, gz: bool
) -> None:
    if gz:
        data = gzip.compress(data)
    out = _read(tmp_path, name, data)
    assert len(out) >= 1
    if name.startswith(("a.html", "a.htm", "a.txt")):
        assert len(out) == 1
    for doc, drop in out:
        assert doc.source_path == name and doc.doc_id
        assert (drop is None) == bool(doc.markup.raw)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
records = st.one_of(
    st.fixed_dictionaries(
        {"url": st.text(max_size=10)},
        optional={
            "html": st.text(max_size=50),
            "text": st.text(max_size=50),
            "fetched_at": json_values | st.floats(allow_nan=True),
            "title": json_values,
        },
    ).map(json.dumps),
    json_values.map(json.dumps),
    st.text(alphabet=st.characters(exclude_characters="\n\r"), max_size=30),  # mostly not JSON
)


@WITH_TMP
@given(st.lists(records, min_size=1, max_size=12))
def test_jsonl_one_tuple_per_non_blank_line(tmp_path: Path, lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
    out = _read(tmp_path, "r.jsonl", data)
    non_blank = [i for i, line in enumerate(data.split(b"\n")[:-1], 1) if line.strip()]
    if len(out) == 1 and out[0][1] is not None and out[0][0].source_record is None:
        assert out[0][1].reason in {"empty_file", "binary_content"}  # judged as a whole file
    else:
        assert [doc.source_record for doc, _ in out] == non_blank


warc_records = st.lists(
    st.tuples(
        st.sampled_from(["response", "request", "resource", "metadata"]),
        st.binary(max_size=300),
        st.sampled_from(["text/html", "text/plain; charset=latin-1", "image/png", ""]),
        st.sampled_from(["200 OK", "404 Not Found"]),
    ),
    max_size=6,
)


@WITH_TMP
@given(warc_records, st.booleans())
def test_warc_one_tuple_per_response_or_resource_record(tmp_path: Path, recs, gz: bool) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "tests"}))
    for rec_type, payload, ctype, status in recs:
        http = None
        if rec_type == "request":
            http = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
        elif rec_type == "response":
            headers = [("Content-Type", ctype)] if ctype else []
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://a.example/", rec_type, payload=io.BytesIO(payload), http_headers=http
        )
        writer.write_record(record)
    out = _read(tmp_path, "x.warc.gz" if gz else "x.warc", buf.getvalue())
    documents = sum(r[0] in ("response", "resource") for r in recs)
    if documents == 0:
        assert out == []
    else:
        assert [doc.source_record for doc, _ in out] == list(range(documents))
