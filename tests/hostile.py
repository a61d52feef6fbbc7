"""A hostile corpus written by the tests: every bad-input case of issue 6, plus good articles.

`write_hostile_corpus(root)` writes the files and returns {case: relative path}; the good
articles are under `good/`. Nothing here is copied from the dev data: the articles are invented.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLES = {
    "harbour": (
        "Harbour dredging begins after long delay",
        [
            "Dredging of the northern harbour channel began on Monday, three years after the work "
            "was first approved, as port officials raced to restore the depth needed by the larger "
            "cargo ships that have been turned away since the silt built up after the storms.",
            "The contractor said two barges would work around the clock for about eleven weeks, "
            "removing roughly ninety thousand cubic metres of sand and mud from the fairway and "
            "carrying it to a licensed site well offshore.",
            "Fishing crews welcomed the start of the work but asked the port to keep one berth "
            "free for them during the night shifts, when most of the small boats come back in.",
            "The port authority said the channel would stay open throughout, with a pilot boat "
            "guiding traffic past the barges, and that a survey in the autumn would decide "
            "whether a second phase is needed next year.",
        ],
    ),
    "choir": (
        "Village choir wins regional contest",
        [
            "A village choir of twenty-six singers won the regional contest on Saturday evening, "
            "beating eleven groups from larger towns with a programme of folk songs arranged by "
            "its own director, a retired music teacher who founded it nine years ago.",
            "The judges praised the balance of the voices and the choice of songs, several of "
            "which had not been performed in public for decades, according to the organisers.",
            "Members rehearse twice a week in the school hall and paid for their travel to the "
            "contest with a bake sale and a concert in the parish church last month.",
            "The win earns the choir a place at the national final in the spring, and the "
            "director said the singers would start learning a new set of songs this week, with "
            "two new members joining from the neighbouring village.",
        ],
    ),
    "bakery": (
        "Bakery reopens after fire",
        [
            "The family bakery on Mill Street reopened on Thursday, eight months after a fire in "
            "the flour store closed it, and a queue had formed outside well before the doors "
            "opened at seven in the morning, stretching past the post office.",
            "The owners rebuilt the kitchen with help from an insurance payout and a collection "
            "organised by neighbours, who raised more than enough to replace the old ovens.",
            "Regular customers said they had missed the rye bread most of all, and several "
            "brought flowers and cards for the staff, who had been kept on during the closure.",
            "The owners said they would keep the same recipes and prices, and that the new "
            "ovens would let them bake a second batch in the afternoon for the first time, "
            "which they hoped would bring in people finishing work.",
        ],
    ),
}

# an external-entity / entity-expansion ("billion laughs") DOCTYPE in front of a small page
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<html><body><p>&lol9;</p></body></html>\n"
)


def page(title: str, paragraphs: list[str], site: str = "Coast Courier") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer><p>Copyright 2026 {site}. All rights reserved.</p></footer></body></html>"
    )


def warc_bytes(records: list[tuple[str, bytes]]) -> bytes:
    """A WARC file of HTML response records (uri, payload), written with warcio."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for uri, payload in records:
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(payload),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2026-03-01T10:00:00Z"},
            )
        )
    return buf.getvalue()


def _gzip_bomb(path: Path, megabytes: int) -> None:
    zeros = bytes(1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as out:  # streamed: 1 MB at a time
        for _ in range(megabytes):
            out.write(zeros)


def write_hostile_corpus(root: Path, bomb_megabytes: int = 256) -> dict[str, str]:
    """Write every bad-input case and three good articles; return {case: relative path}."""
    root.mkdir(parents=True, exist_ok=True)
    cases: dict[str, str] = {}

    def put(case: str, rel: str, data: bytes | str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        cases[case] = rel

    for key, (title, paragraphs) in ARTICLES.items():
        put(f"good {key}", f"good/{key}.html", page(title, paragraphs))

    put("empty file", "empty.html", b"")
    put("whitespace-only file", "blank.txt", b"  \n\t\r\n   \n")
    put("binary data under .txt", "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    put("binary data under .html", "archive.html", b"PK\x03\x04" + bytes(range(256)) * 16)
    whole = gzip.compress(page(*ARTICLES["harbour"]).encode() * 20)
    put("truncated gzip", "cut.html.gz", whole[: len(whole) // 2])
    _gzip_bomb(root / "bomb.html.gz", bomb_megabytes)
    cases["gzip bomb"] = "bomb.html.gz"
    put(
        "HTML nested 300,000 deep",
        "deep.html",
        "<html><body>" + "<div>" * 300_000 + "deep" + "</div>" * 300_000 + "</body></html>",
    )
    put("entity expansion (billion laughs)", "laughs.html", BILLION_LAUGHS)
    title, paragraphs = ARTICLES["harbour"]
    text = f"{title}\n\n" + "\n\n".join(paragraphs).replace("northern", "northern Zürich")
    # stray bytes that are not UTF-8 (a lone 0xff, a cut sequence, an encoded surrogate)
    put(
        "invalid UTF-8",
        "badutf8.txt",
        text.encode().replace(b"three years", b"three \xff\xfe years \xc3\x28 \xed\xa0\x80"),
    )
    title, paragraphs = ARTICLES["choir"]
    put(
        "wrong declared charset",
        "charset.html",
        page(title, paragraphs)
        .replace('charset="utf-8"', 'charset="shift_jis"')
        .replace("twenty-six", "twenty\u2011six café")
        .encode("utf-8"),
    )
    put(
        "page with only scripts",
        "scripts.html",
        "<html><head><script>var a = 1;</script></head><body>"
        "<script>document.write('<p>' + 'x'.repeat(500) + '</p>')</script>"
        "<script src='app.js'></script><noscript></noscript></body></html>",
    )
    put(
        "page with no body",
        "nobody.html",
        "<html><head><title>Nothing here</title><meta charset='utf-8'></head></html>",
    )
    good_line = {
        "url": "https://example.org/bakery",
        "html": page(*ARTICLES["bakery"], site="Scraper Feed"),
        "fetched_at": "2026-03-01T10:00:00Z",
    }
    lines = [
        json.dumps(good_line),
        "{not json at all",
        json.dumps({"url": "https://example.org/x", "fetched_at": "2026-03-01T10:00:00Z"}),
        json.dumps(["a", "list", "not", "a", "record"]),
        json.dumps({"url": "https://example.org/y", "text": "   "}),
    ]
    put("JSONL with malformed lines and records without content", "scraped.jsonl", "\n".join(lines))
    warc = warc_bytes(
        [
            ("https://example.org/w1", page(*ARTICLES["harbour"], site="Crawl Wire").encode()),
            ("https://example.org/w2", page(*ARTICLES["choir"], site="Crawl Wire").encode()),
        ]
    )
    put("truncated WARC record", "crawl.warc", warc[:-200])
    os.symlink("loop.html", root / "loop.html")  # a link to itself: ELOOP
    cases["symlink loop"] = "loop.html"
    os.symlink(".", root / "here.html")  # a link to its own folder
    cases["symlink to its own folder"] = "here.html"
    title, paragraphs = ARTICLES["bakery"]
    put(
        "file name with spaces and non-ASCII",
        "spaces and ünïcödé/Bäckerei öffnet wieder – 東京.html",
        page(title, paragraphs, site="Mill Street Gazette").replace("Bakery", "Our bakery"),
    )
    return cases
