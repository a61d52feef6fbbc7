"""Unit tests of transforms.text.decode: charset choice, binary sniffing and the decode stage."""

from __future__ import annotations

import pytest

from transforms.core.record import Article, Markup
from transforms.text.decode import (
    _HTML_CONTROL_RE,
    DecodeStep,
    XmlSafeMarkup,
    _has_xml_bad_bytes,
    bytes_scan_is_exact,
    decode_bytes,
    looks_binary,
    sniff_html_charset,
    text_to_paragraphs,
)

WESTERN = "Le café “Zéphyr” a rouvert — enfin… à 8 h, dit Chloë."
CYRILLIC = "Кафе снова открылось в восемь часов утра, сообщили жители города."


@pytest.mark.parametrize(
    ("raw", "declared", "encoding"),
    [
        (WESTERN.encode("utf-8"), None, "utf-8"),
        (b"\xef\xbb\xbf" + WESTERN.encode("utf-8"), None, "utf-8-sig"),
        (WESTERN.encode("utf-16"), None, "utf-16"),
        ("\ufeff".encode("utf-16-be") + WESTERN.encode("utf-16-be"), None, "utf-16"),
        (WESTERN.encode("utf-32"), None, "utf-32"),
        (WESTERN.encode("utf-16-le"), None, "utf-16-le"),  # no BOM: NULs every other byte
        (WESTERN.encode("cp1252"), None, "cp1252"),  # detected, cp1252 preferred
        (WESTERN.encode("cp1252"), "windows-1252", "cp1252"),
        (WESTERN.encode("cp1252"), "ISO-8859-1", "cp1252"),  # latin-1 label read as cp1252
        (CYRILLIC.encode("cp1251"), "windows-1251", "cp1251"),
        (CYRILLIC.encode("koi8_r"), "KOI8-R", "koi8-r"),
    ],
)
def test_decodes_to_the_original_text(raw: bytes, declared: str | None, encoding: str) -> None:
    text, used = decode_bytes(raw, declared)
    assert text in (WESTERN, CYRILLIC)
    assert used == encoding


@pytest.mark.parametrize(
    ("raw", "declared"),
    [
        (WESTERN.encode("utf-8"), "iso-8859-1"),  # valid multi-byte UTF-8 beats a latin-1 label
        (WESTERN.encode("utf-8"), "windows-1251"),
        (WESTERN.encode("cp1252"), "utf-8"),  # declared UTF-8 but not valid UTF-8
        (WESTERN.encode("cp1252"), "no-such-charset"),
        (WESTERN.encode("cp1252"), "cp500"),  # EBCDIC: not ASCII-compatible, not believed
        (WESTERN.encode("cp1252"), "utf-7"),
    ],
)
def test_wrong_declaration_is_overridden(raw: bytes, declared: str) -> None:
    assert decode_bytes(raw, declared)[0] == WESTERN


def test_html_meta_charset_is_used() -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body>{CYRILLIC}</body></html>'
    text, used = decode_bytes(page.encode("cp1251"), None, is_html=True)
    assert CYRILLIC in text and used == "cp1251"
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">'
    assert sniff_html_charset(equiv.encode()) == "KOI8-R"
    assert sniff_html_charset(b'<?xml version="1.0" encoding="ISO-8859-2"?><html>') == "ISO-8859-2"
    assert sniff_html_charset(b"<html><body>" + b" " * 5000 + b'<meta charset="x">') is None


def test_stray_invalid_bytes_in_utf8_are_read_as_cp1252() -> None:
    raw = "Zürich and Genève: ".encode() + b"caf\xe9 \x93ok\x94"
    text, used = decode_bytes(raw)
    assert text == "Zürich and Genève: café “ok”"
    assert used == "utf-8+cp1252"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff",
        b"\xfe\xff\x00",
        b"\x00" * 7,
        bytes(range(256)) * 3,
        b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc" * 50,  # invalid UTF-8 sequences
        b"\xef\xbb\xbf\xff\xfe",
    ],
)
def test_never_raises(raw: bytes) -> None:
    text, used = decode_bytes(raw, "bogus", is_html=True)
    assert isinstance(text, str) and used


@pytest.mark.parametrize(
    ("raw", "binary"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), True),
        (bytes(range(256)) * 8, True),
        (b"plain text\x00\x00\x00 with NULs" * 3, True),
        (WESTERN.encode("utf-8") * 50, False),
        (WESTERN.encode("cp1252") * 50, False),
        (WESTERN.encode("utf-16"), False),
        (WESTERN.encode("utf-16-le"), False),
        (b"a long page with one stray NUL \x00 " + b"text " * 400, False),
        (b"form feed\x0c and tabs\t are text", False),
    ],
)
def test_looks_binary(raw: bytes, binary: bool) -> None:
    assert looks_binary(raw) is binary


def _doc(raw: bytes, kind: str = "text", declared: str | None = None) -> Article:
    fmt = "html" if kind == "html" else "text"
    return Article("id", "x", fmt, kind, markup=Markup(raw=raw, declared_charset=declared))  # type: ignore[arg-type]


def test_step_text_kind_makes_one_paragraph_per_line() -> None:
    raw = "  First line.  \r\nSecond\u00a0line.\n\n\n  Third line.\n".encode()
    doc = _doc(raw)
    assert DecodeStep().apply(doc) is None
    assert doc.text == "First line.\n\nSecond line.\n\nThird line."
    assert doc.markup.raw == b""
    assert doc.changes == {"nbsp_replaced": 1}


def test_step_html_kind_sets_html_and_strips_control_chars() -> None:
    filler = b"<p>" + b"Ordinary paragraph text. " * 20 + b"</p>"
    doc = _doc(b"<html><body><p>A\x01B\x0bC</p>" + filler + b"</body></html>", "html")
    assert DecodeStep().apply(doc) is None
    assert doc.markup.html == "<html><body><p>ABC</p>" + filler.decode() + "</body></html>"
    assert doc.changes == {"control_chars_removed": 2}
    assert doc.text == ""
    assert isinstance(doc.markup.html, XmlSafeMarkup)  # parse_html need not search it again


@pytest.mark.parametrize(
    ("codec", "exact"),
    [
        ("utf-8", True),
        ("cp1252", True),
        ("iso8859-1", True),
        ("koi8-r", True),
        ("cp1251", True),
        ("gb18030", False),  # four bytes, none of them a control byte, give U+FFFE
        ("shift_jis", False),
        ("utf-7", False),  # "+AAE-" is U+0001
        ("utf-16", False),
        ("cp037", False),  # EBCDIC: its control characters come from other bytes
        ("no-such-codec", False),
    ],
)
def test_bytes_scan_is_exact(codec: str, exact: bool) -> None:
    assert bytes_scan_is_exact(codec) is exact


@pytest.mark.parametrize(
    "text",
    [
        "<p>plain</p>",
        "<p>café “quoted” ￼ ｡ \ufffd</p>",  # EF BF BC, EF BD A1, EF BF BD: allowed
        "<p>a\ufffeb</p>",  # EF BF BE
        "<p>a\uffffb</p>",  # EF BF BF
        "\ufeff<p>\ufffe at the end</p>\uffff",
        "<p>a\x0bb</p>",
        "<p>a\x00b</p>",
        "<p>tab\tline\nfeed\rreturn</p>",
        "<p>\u00ef\u00bf\u00be spelled out</p>",  # C3 AF C2 BF C2 BE: not U+FFFE
    ],
)
def test_xml_bad_bytes_of_utf8_agree_with_the_text(text: str) -> None:
    """The bytes scan (with its one-byte 0xEF precheck) finds what the text regex finds."""
    raw = text.encode("utf-8")
    assert _has_xml_bad_bytes(raw) is bool(_HTML_CONTROL_RE.search(text))
    assert _has_xml_bad_bytes(raw[:-1] + b"\xef") is bool(_HTML_CONTROL_RE.search(text))


def test_step_searches_the_text_of_a_multibyte_codec() -> None:
    # GB18030 encodes U+FFFE without an EF BF BE sequence or a control byte: the raw-bytes scan
    # cannot see it, so the decoded text is searched and the character removed, counted
    filler = "<p>" + "普通的段落文字。" * 30 + "</p>"
    markup = f"<html><body><p>A\ufffeB</p>{filler}</body></html>"
    doc = _doc(markup.encode("gb18030"), "html")
    doc.markup.declared_charset = "gb18030"
    assert DecodeStep().apply(doc) is None
    assert "\ufffe" not in doc.markup.html
    assert "<p>AB</p>" in doc.markup.html
    assert doc.changes.get("control_chars_removed") == 1


@pytest.mark.parametrize(
    ("raw", "declared", "note"),
    [
        (WESTERN.encode("utf-8"), "iso-8859-1", "charset_declared_wrong"),
        (WESTERN.encode("cp1252"), "utf-8", "charset_declared_wrong"),
        (WESTERN.encode("cp1252"), None, "charset_detected"),
    ],
)
def test_step_notes_exceptional_charset_events(raw: bytes, declared: str | None, note: str) -> None:
    doc = _doc(raw, declared=declared)
    assert DecodeStep().apply(doc) is None
    assert doc.text == WESTERN
    assert doc.changes.get(note) == 1


def test_step_notes_nothing_for_ordinary_utf8() -> None:
    doc = _doc(WESTERN.encode("utf-8"), declared="utf-8")
    assert DecodeStep().apply(doc) is None
    assert doc.changes == {}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty_content"),
        (b" \n\t ", "empty_content"),
        (bytes(range(256)) * 4, "binary_content"),
        ("\x01\x02\x03\x04 text".encode("utf-16"), "binary_content"),
    ],
)
def test_step_drops(raw: bytes, reason: str) -> None:
    drop = DecodeStep().apply(_doc(raw))
    assert drop is not None and drop.stage == "decode" and drop.reason == reason


def test_text_to_paragraphs() -> None:
    assert text_to_paragraphs("a\n  b  \n\n\nc\n") == "a\n\nb\n\nc"
    assert (
        text_to_paragraphs("1. Numbered stays\n- dash stays") == "1. Numbered stays\n\n- dash stays"
    )
