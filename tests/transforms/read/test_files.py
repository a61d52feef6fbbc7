"""Tests of transforms.read.files (discover, read_file), the JSONL and WARC readers, and bad input.

Every input is generated here under tmp_path. The bad-input cases of issue 6 each end in a Drop
with a stable reason while the good documents beside them are read unchanged.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from transforms.core.config import ReadSettings
from transforms.core.ids import doc_id_for, file_hash
from transforms.core.record import Article, Drop
from transforms.read.files import InputFile, discover, read_file
from transforms.text.decode import DecodeStep

PAGE = b"<html><head><title>T</title></head><body><p>A paragraph of news.</p></body></html>"
TEXT = "First paragraph of a story.\nSecond paragraph, with “quotes”.\n"
REPO = Path(__file__).resolve().parents[3]


def read_all(root: Path, settings: ReadSettings | None = None):
    """discover + read_file over root: (all tuples, discover drops, ignored paths)."""
    files, drops, ignored = discover(root, settings)
    docs = [t for f in files for t in read_file(root, f, settings)]
    return docs, drops, ignored


def by_path(docs):
    out: dict[str, list[tuple[Article, Drop | None]]] = {}
    for doc, drop in docs:
        out.setdefault(doc.source_path, []).append((doc, drop))
    return out


def reasons(items) -> list[str | None]:
    return [drop.reason if drop else None for _, drop in items]


# --- discover -----------------------------------------------------------------------------


def test_discover_accepts_input_suffixes_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    names = [
        "z.html",
        "A.HTM",
        "b/page.htm.gz",
        "b/c/notes.TXT",
        "b/c/dump.jsonl.gz",
        "crawl.warc",
        "crawl2.warc.gz",
        "x.txt.gz",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    for name in ["readme.md", "image.png", "b/data.json", "archive.tar.gz"]:
        (tmp_path / name).write_bytes(b"x")
    files, drops, ignored = discover(tmp_path)
    assert [f.path for f in files] == sorted(names)
    assert drops == []
    assert ignored == ["archive.tar.gz", "b/data.json", "image.png", "readme.md"]


def test_discover_hash_and_size_match_the_bytes_on_disk(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # more than one read chunk
    (tmp_path / "big.html").write_bytes(data)
    (files, _, _) = discover(tmp_path)
    assert files == [InputFile("big.html", len(data), file_hash(data))]


def test_discover_missing_root_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        discover(tmp_path / "missing")


def test_discover_config_suffixes(tmp_path: Path) -> None:
    for name in ["a.html", "b.txt", "c.jsonl"]:
        (tmp_path / name).write_bytes(b"x")
    files, _, ignored = discover(tmp_path, ReadSettings(input_suffixes=(".txt",)))
    assert [f.path for f in files] == ["b.txt"]
    assert ignored == ["a.html", "c.jsonl"]
    with pytest.raises(ValueError, match="no reader"):
        discover(tmp_path, ReadSettings(input_suffixes=(".pdf",)))


def test_symlinks_loops_outside_and_aliases(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "page.html").write_bytes(PAGE)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not input")
    os.symlink("..", root / "sub" / "up")  # a loop: points to its own ancestor
    os.symlink("self.html", root / "self.html")  # resolves to itself
    os.symlink(outside, root / "elsewhere")
    os.symlink(outside / "secret.txt", root / "secret.txt")
    os.symlink("sub/page.html", root / "alias.html")  # inside: read once, under its real path
    os.symlink("sub", root / "sub2")
    os.symlink("missing.txt", root / "broken.txt")
    files, drops, ignored = discover(root)
    assert [f.path for f in files] == ["sub/page.html"]
    assert [(p, d.reason) for p, d in drops] == [
        ("broken.txt", "symlink_broken"),
        ("elsewhere", "symlink_outside_input"),
        ("secret.txt", "symlink_outside_input"),
        ("self.html", "symlink_loop"),
        ("sub/up", "symlink_loop"),
    ]
    assert all(d.stage == "discover" for _, d in drops)
    assert ignored == ["alias.html", "sub2"]


def test_fifo_under_an_input_name_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    (tmp_path / "ok.txt").write_text(TEXT)
    files, drops, _ = discover(tmp_path)
    assert [f.path for f in files] == ["ok.txt"]
    assert [(p, d.reason) for p, d in drops] == [("pipe.txt", "not_regular_file")]


_UNREADABLE_SCRIPT = """
import json, sys
from transforms.read.files import discover
files, drops, _ = discover(sys.argv[1])
print(json.dumps([[f.path for f in files], [[p, d.stage, d.reason] for p, d in drops]]))
"""


def test_unreadable_file_and_directory(tmp_path: Path) -> None:
    """chmod 000 stops a process without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH.

    Root has those capabilities, so as root the check runs in a child whose capability
    bounding set lacks them (setpriv): the same code path a normal user's run takes.
    """
    (tmp_path / "ok.html").write_bytes(PAGE)
    (tmp_path / "locked.html").write_bytes(PAGE)
    (tmp_path / "locked.html").chmod(0)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inner.txt").write_text(TEXT)
    (tmp_path / "closed").chmod(0)
    cmd = [sys.executable, "-c", _UNREADABLE_SCRIPT, str(tmp_path)]
    try:
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv: root reads a chmod 000 file")
            cmd = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *cmd]
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=60)
    finally:
        (tmp_path / "closed").chmod(0o755)
        (tmp_path / "locked.html").chmod(0o644)
    if run.returncode != 0 and "setpriv" in run.stderr:
        pytest.skip(f"cannot drop capabilities here: {run.stderr.strip()[:200]}")
    assert run.returncode == 0, run.stderr
    files, drops = json.loads(run.stdout)
    assert files == ["ok.html"]
    assert drops == [
        ["closed", "discover", "unreadable_directory"],
        ["locked.html", "discover", "unreadable_file"],
    ]


def test_file_removed_after_discovery_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "gone.html").write_bytes(PAGE)
    (files, _, _) = discover(tmp_path)
    (tmp_path / "gone.html").unlink()
    [(doc, drop)] = list(read_file(tmp_path, files[0]))
    assert drop == Drop("read", "unreadable_file", drop.detail)
    # no bytes were read: the record is keyed by its path alone, with no content hash
    assert doc.doc_id == doc_id_for(None, "gone.html") and doc.content_hash is None


# --- single documents ---------------------------------------------------------------------


def test_html_and_text_files(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_bytes(PAGE)
    (tmp_path / "t.txt").write_text(TEXT)
    (tmp_path / "h.txt").write_bytes(b"\xef\xbb\xbf<!DOCTYPE html>" + PAGE)
    docs, _, _ = read_all(tmp_path)
    got = {d.source_path: d for d, drop in docs if drop is None}
    assert got["p.html"].content_kind == "html" and got["p.html"].source_format == "html"
    assert got["p.html"].markup.raw == PAGE and got["p.html"].doc_id == doc_id_for(PAGE, "p.html")
    assert got["t.txt"].content_kind == "text" and got["t.txt"].source_format == "text"
    assert got["h.txt"].content_kind == "html"  # markup saved under a .txt name
    assert all(d.source_record is None for d in got.values())


def test_file_names_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    names = ["my page (1).html", "café – résumé.txt", "новости/статья дня.txt", "日本語.htm"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(PAGE if name.endswith(("html", "htm")) else TEXT.encode())
    docs, drops, _ = read_all(tmp_path)
    assert drops == []
    assert sorted(d.source_path for d, drop in docs if drop is None) == sorted(names)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names must be UTF-8")
def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(TEXT)
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as fh:
        fh.write(TEXT.encode())
    files, drops, _ = discover(tmp_path)
    assert [f.path for f in files] == ["ok.txt"]
    assert [(p, d.reason) for p, d in drops] == [("caf\\xe9.txt", "undecodable_file_name")]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty_file"),
        ("blank.html", b" \n\t\r\n  ", "empty_file"),
        ("bom.txt", b"\xef\xbb\xbf \n", "empty_file"),
        ("empty.jsonl", b"\n\n", "empty_file"),
        ("empty.warc", b"", "empty_file"),
        ("empty.warc.gz", gzip.compress(b""), "empty_file"),
        ("empty.txt.gz", gzip.compress(b"   "), "empty_file"),
        (
            "png.html",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "binary_content",
        ),
        ("random.txt", bytes(range(256)) * 16, "binary_content"),
        ("zeros.jsonl", bytes(4096), "binary_content"),
        ("truncated.html.gz", gzip.compress(PAGE * 50)[:-40], "truncated_gzip"),
        ("notgzip.txt.gz", b"plain text under a .gz name", "corrupt_gzip"),
    ],
)
def test_bad_single_files_are_dropped_and_neighbours_unaffected(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    (tmp_path / name).write_bytes(content)
    (tmp_path / "good.html").write_bytes(PAGE)
    docs, _, _ = read_all(tmp_path)
    got = by_path(docs)
    assert reasons(got[name]) == [reason]
    doc, drop = got[name][0]
    assert drop is not None and drop.stage == "read"
    assert doc.source_path == name and doc.markup.raw == b""
    assert reasons(got["good.html"]) == [None] and got["good.html"][0][0].markup.raw == PAGE


def test_gzip_and_multi_member_gzip_and_gzip_without_suffix(tmp_path: Path) -> None:
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(PAGE))
    half = len(PAGE) // 2
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(PAGE[:half]) + gzip.compress(PAGE[half:]))
    (tmp_path / "c.html").write_bytes(gzip.compress(PAGE))  # saved compressed, plain name
    docs, _, _ = read_all(tmp_path)
    assert [(d.source_path, d.markup.raw, drop) for d, drop in docs] == [
        ("a.html.gz", PAGE, None),
        ("b.html.gz", PAGE, None),
        ("c.html", PAGE, None),
    ]


def test_file_too_large(tmp_path: Path) -> None:
    (tmp_path / "big.html").write_bytes(PAGE * 100)
    (tmp_path / "small.html").write_bytes(PAGE)
    docs, _, _ = read_all(tmp_path, ReadSettings(max_file_bytes=len(PAGE) * 10))
    assert reasons(by_path(docs)["big.html"]) == ["file_too_large"]
    assert reasons(by_path(docs)["small.html"]) == [None]


@pytest.mark.parametrize("name", ["bomb.html.gz", "bomb.jsonl.gz", "bomb.warc.gz"])
def test_gzip_bomb_is_rejected_quickly_with_bounded_memory(tmp_path: Path, name: str) -> None:
    """200 MB of zeros (about 200 KB compressed) against a 16 MB bound."""
    zeros = bytes(1 << 20)
    with gzip.open(tmp_path / name, "wb", compresslevel=1) as out:  # streamed: 1 MB at a time
        for _ in range(200):
            out.write(zeros)
    assert (tmp_path / name).stat().st_size < 2 << 20
    bound = 16 << 20
    config = ReadSettings(max_decompressed_bytes=bound)
    (files, _, _) = discover(tmp_path, config)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        result = list(read_file(tmp_path, files[0], config))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - t0 < 5
    assert [drop.reason if drop else None for _, drop in result] == ["decompressed_too_large"]
    assert peak < 2.5 * bound


# --- JSONL --------------------------------------------------------------------------------


def _jsonl(*records: object) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records
    )


def test_jsonl_fields_and_one_drop_per_bad_line(tmp_path: Path) -> None:
    lines = _jsonl(
        {"url": "https://a.example/1", "html": "<p>one</p>", "fetched_at": "2024-03-01T10:00:00Z"},
        b"",  # blank line: skipped, not a document
        b'{"url": "https://a.example/2", "html": ',  # malformed
        {"link": "https://a.example/3", "body": "plain three", "crawled_at": 1709287200},
        {"url": "https://a.example/4", "title": "only a title"},  # no content
        [1, 2, 3],  # JSON, not an object
        {"source_url": "https://a.example/6", "raw_html": "<p>six</p>", "timestamp": "nonsense"},
        {"content_html": "   ", "text": ""},  # content fields present but blank
        {"content": "seven", "date_fetched": "2024-03-01 12:00:00+02:00"},
        {"text": "eight", "fetch_time": 1709287200123},  # epoch milliseconds
        b"   ",
        b"\xff\xfe not utf-8",
    )
    (tmp_path / "records.jsonl").write_bytes(lines)
    docs, _, _ = read_all(tmp_path)
    assert [
        (d.source_record, d.content_kind, drop.reason if drop else None) for d, drop in docs
    ] == [
        (1, "html", None),
        (3, "text", "malformed_jsonl"),
        (4, "text", None),
        (5, "text", "record_without_content"),
        (6, "text", "malformed_jsonl"),
        (7, "html", None),
        (8, "html", "empty_record"),
        (9, "text", None),
        (10, "text", None),
        (12, "text", "malformed_jsonl"),
    ]
    doc = {d.source_record: d for d, _ in docs}
    assert doc[1].url == "https://a.example/1" and doc[1].markup.raw == b"<p>one</p>"
    assert doc[1].fetched_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert doc[4].url == "https://a.example/3" and doc[4].markup.raw == b"plain three"
    assert doc[4].fetched_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert doc[7].url == "https://a.example/6" and doc[7].fetched_at is None
    assert doc[7].changes == {"fetched_at_unparseable": 1}
    assert doc[9].fetched_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert doc[10].fetched_at == datetime(2024, 3, 1, 10, 0, 0, 123000, tzinfo=UTC)
    assert "Expecting" in docs[1][1].detail  # the JSON error is in the detail
    line1 = lines.split(b"\n")[0]
    assert doc[1].doc_id == doc_id_for(line1, "records.jsonl", 1)
    assert len({d.doc_id for d, _ in docs}) == len(docs)


def test_jsonl_title_is_ignored_and_html_preferred(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_bytes(
        _jsonl({"title": "Scraper title", "html": "<p>markup</p>", "text": "plain"})
    )
    [(doc, drop)] = read_all(tmp_path)[0]
    assert drop is None and doc.title is None
    assert doc.content_kind == "html" and doc.markup.raw == b"<p>markup</p>"


def test_jsonl_lone_surrogate_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_bytes(b'{"text": "broken \\ud800 pair"}\n')
    [(doc, drop)] = read_all(tmp_path)[0]
    assert drop is None and doc.markup.raw == "broken \ufffd pair".encode()
    assert doc.changes == {"surrogates_replaced": 1}


def test_jsonl_record_too_large(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_bytes(_jsonl({"text": "x" * 500}, {"text": "short"}))
    docs, _, _ = read_all(tmp_path, ReadSettings(max_record_bytes=100))
    assert reasons(docs) == ["record_too_large", None]


@pytest.mark.parametrize("ends_with_newline", [True, False])
def test_truncated_jsonl_gzip_keeps_the_records_before(
    tmp_path: Path, ends_with_newline: bool
) -> None:
    records = _jsonl(*({"text": f"record {i} " + "word " * 50} for i in range(40)))
    compressed = gzip.compress(records)
    cut = len(compressed) // 2
    (tmp_path / "r.jsonl.gz").write_bytes(compressed[:cut])
    docs, _, _ = read_all(tmp_path)
    assert reasons(docs)[-1] == "truncated_gzip"
    assert set(reasons(docs)[:-1]) == {None}
    assert 5 < len(docs) < 40
    numbers = [d.source_record for d, _ in docs]
    assert numbers == list(range(1, len(docs) + 1))


# --- WARC ---------------------------------------------------------------------------------


def _warc(records: list[tuple[str, str, bytes, list[tuple[str, str]], str]], gz: bool) -> bytes:
    """WARC bytes from (type, uri, payload, http headers, status) tuples, via warcio."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for rec_type, uri, payload, headers, status in records:
        if rec_type == "request":
            http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "a.example")], is_http_request=True)
        else:
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri,
            rec_type,
            payload=io.BytesIO(payload),
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-03-01T10:00:00Z"},
        )
        writer.write_record(record)
    return buf.getvalue()


HTML_UTF8 = [("Content-Type", "text/html; charset=utf-8")]
ARTICLE = "<html><body><p>Zürich café “news”.</p></body></html>".encode()


@pytest.mark.parametrize("gz", [False, True])
def test_warc_response_records(tmp_path: Path, gz: bool) -> None:
    data = _warc(
        [
            ("request", "https://a.example/1", b"", [], ""),
            ("response", "https://a.example/1", ARTICLE, HTML_UTF8, "200 OK"),
            (
                "response",
                "https://a.example/i.png",
                b"\x89PNG\r\n",
                [("Content-Type", "image/png")],
                "200 OK",
            ),
            (
                "response",
                "https://a.example/2",
                b"Plain story text.",
                [("Content-Type", "text/plain")],
                "200 OK",
            ),
            (
                "response",
                "https://a.example/old",
                b"<p>Moved</p>",
                HTML_UTF8,
                "301 Moved Permanently",
            ),
            ("response", "https://a.example/empty", b"", HTML_UTF8, "200 OK"),
            ("response", "https://a.example/3", b"<p>no type</p>", [], "200 OK"),
        ],
        gz,
    )
    name = "crawl.warc.gz" if gz else "crawl.warc"
    (tmp_path / name).write_bytes(data)
    docs, _, _ = read_all(tmp_path)
    assert [
        (d.source_record, d.content_kind, drop.reason if drop else None) for d, drop in docs
    ] == [
        (0, "html", None),
        (1, "html", "unsupported_content_type"),
        (2, "text", None),
        (3, "html", "http_status_not_ok"),
        (4, "html", "empty_record"),
        (5, "html", None),
    ]
    first = docs[0][0]
    assert first.source_format == "warc" and first.url == "https://a.example/1"
    assert first.fetched_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert first.markup.raw == ARTICLE and first.markup.declared_charset == "utf-8"
    assert first.doc_id == doc_id_for(ARTICLE, name, 0)
    assert docs[1][1].value == "image/png" and docs[3][1].value == "301"


def test_warc_chunked_and_gzip_content_encoding(tmp_path: Path) -> None:
    body = gzip.compress(ARTICLE)
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    headers = [*HTML_UTF8, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
    (tmp_path / "c.warc").write_bytes(
        _warc([("response", "https://a.example/z", chunked, headers, "200 OK")], False)
    )
    [(doc, drop)] = read_all(tmp_path)[0]
    assert drop is None and doc.markup.raw == ARTICLE


def test_warc_content_encoding_bomb_is_bounded(tmp_path: Path) -> None:
    """A response whose gzip Content-Encoding inflates to 50 MB stops at max_record_bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=1) as out:
        for _ in range(50):
            out.write(bytes(1 << 20))
    headers = [*HTML_UTF8, ("Content-Encoding", "gzip")]
    records = [
        ("response", "https://a.example/bomb", buf.getvalue(), headers, "200 OK"),
        ("response", "https://a.example/ok", ARTICLE, HTML_UTF8, "200 OK"),
    ]
    (tmp_path / "b.warc").write_bytes(_warc(records, False))
    t0 = time.perf_counter()
    docs, _, _ = read_all(tmp_path, ReadSettings(max_record_bytes=1 << 20))
    assert time.perf_counter() - t0 < 5
    assert reasons(docs) == ["record_too_large", None]
    assert docs[1][0].markup.raw == ARTICLE


@pytest.mark.parametrize("cut_back", [30, 250])  # inside the payload / inside the headers
def test_truncated_warc_record(tmp_path: Path, cut_back: int) -> None:
    records = [
        ("response", f"https://a.example/{i}", ARTICLE * 3, HTML_UTF8, "200 OK") for i in range(3)
    ]
    data = _warc(records, False)
    (tmp_path / "t.warc").write_bytes(data[:-cut_back])
    docs, _, _ = read_all(tmp_path)
    assert reasons(docs) == [None, None, "truncated_warc_record"]
    assert [d.source_record for d, _ in docs] == [0, 1, 2]


def test_truncated_warc_gzip_keeps_complete_records(tmp_path: Path) -> None:
    png = [("Content-Type", "image/png")]
    records = [("response", "https://a.example/i.png", bytes(range(256)) * 8, png, "200 OK")]
    records += [
        ("response", f"https://a.example/{i}", ARTICLE * 40, HTML_UTF8, "200 OK") for i in range(6)
    ]
    data = _warc(records, True)
    (tmp_path / "t.warc.gz").write_bytes(data[: len(data) * 2 // 3])
    docs, _, _ = read_all(tmp_path)
    assert reasons(docs)[0] == "unsupported_content_type"  # binary payloads do not spoil it
    assert reasons(docs)[-1] == "truncated_gzip"
    assert set(reasons(docs)[1:-1]) == {None} and 3 <= len(docs) <= 7


def test_not_a_warc(tmp_path: Path) -> None:
    (tmp_path / "fake.warc").write_bytes(b"this is not a WARC file at all\n" * 10)
    docs, _, _ = read_all(tmp_path)
    assert reasons(docs) == ["malformed_warc"]


def test_wrong_declared_charset_in_warc_is_overridden_at_decode(tmp_path: Path) -> None:
    latin1_label = [("Content-Type", "text/html; charset=ISO-8859-1")]
    (tmp_path / "w.warc").write_bytes(
        _warc([("response", "https://a.example/w", ARTICLE, latin1_label, "200 OK")], False)
    )
    [(doc, drop)] = read_all(tmp_path)[0]
    assert drop is None and doc.markup.declared_charset == "ISO-8859-1"
    assert DecodeStep().apply(doc) is None
    assert "Zürich café “news”" in (doc.markup.html or "")
    assert doc.changes == {"charset_declared_wrong": 1}


def test_invalid_utf8_text_file_decodes(tmp_path: Path) -> None:
    (tmp_path / "mixed.txt").write_bytes(
        "Genève and Zürich.\n".encode() + b"Caf\xe9 \x93open\x94.\n"
    )
    [(doc, drop)] = read_all(tmp_path)[0]
    assert drop is None
    assert DecodeStep().apply(doc) is None
    assert doc.text == "Genève and Zürich.\n\nCafé “open”."


# --- accounting ---------------------------------------------------------------------------


def test_every_document_is_exactly_one_tuple(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.jsonl").write_bytes(_jsonl({"text": "x"}, b"{bad", {"html": "<p>y</p>"}) + b"\n")
    (tmp_path / "d.warc").write_bytes(
        _warc(
            [
                ("response", f"https://a.example/{i}", ARTICLE, HTML_UTF8, "200 OK")
                for i in range(4)
            ],
            False,
        )
    )
    (tmp_path / "e.html.gz").write_bytes(gzip.compress(PAGE)[:-5])
    docs, drops, _ = read_all(tmp_path)
    assert drops == []
    assert len(docs) == 1 + 1 + 3 + 4 + 1
    assert sum(drop is None for _, drop in docs) == 1 + 2 + 4
    keys = [(d.source_path, d.source_record) for d, _ in docs]
    assert len(set(keys)) == len(keys)
