"""Bytes to text: charset choice, binary sniffing, and the `decode` stage.

The order of evidence in `decode_bytes` (strongest first):
1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. strict UTF-8: bytes that decode as UTF-8 *and* contain multi-byte sequences are UTF-8 whatever
   a header says (a long non-UTF-8 text is almost never valid UTF-8 by accident, while servers
   and scrapers very often declare latin-1 for UTF-8 pages);
3. the declared charset (HTTP header / record field, else an HTML `<meta charset>` or
   http-equiv in the first 4 KB) when the bytes decode with it; latin-1 and ascii labels are
   read as cp1252, as browsers do;
4. UTF-8 with a few stray invalid bytes (a page pasted together from two sources): the stray
   bytes are read as cp1252;
5. UTF-16 without a BOM (NUL bytes on every other position);
6. detection with charset_normalizer, preferring cp1252 over latin-1.
The fallback never raises: cp1252, else UTF-8 with U+FFFD replacements.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import ClassVar

from transforms.core.record import Article, ContentKind, Drop
from transforms.core.steps import Step
from transforms.text.normalize import normalize_text

_BOMS = (  # UTF-32 first: its LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.\-]{1,40})""")
# Labels that browsers read as windows-1252 (WHATWG encoding standard).
_CP1252_LABELS = {"latin-1", "iso8859-1", "ascii", "cp1252"}
_ASCII_PROBE = "<meta charset='x'> Az09\n"
_MAX_STRAY_BYTES = 8  # more invalid UTF-8 sequences than this: not "UTF-8 with a few strays"
_SNIFF_BYTES = 8192
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13}) + b"\x7f"
_BINARY_CONTROL_SHARE = 0.02
# Encodings whose use says nothing about the declaration (BOMs, plain ASCII, valid UTF-8).
_UNREMARKABLE = {"ascii", "utf-8", "utf-8-sig", "utf-16", "utf-32"}


def _canonical(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None
    if name in _CP1252_LABELS:
        return "cp1252"
    # Only ASCII-compatible charsets are believed (as browsers do): a header naming EBCDIC or
    # UTF-7 on a web page is an error, and trusting it would turn the page into noise.
    try:
        compatible = _ASCII_PROBE.encode(name) == _ASCII_PROBE.encode("ascii")
    except (UnicodeError, LookupError):
        compatible = False
    return name if compatible or name.startswith(("utf-16", "utf-32")) else None


def sniff_html_charset(raw: bytes) -> str | None:
    """The charset an HTML document declares in its first 4 KB (meta or XML declaration)."""
    head = raw[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def _utf8_with_strays(raw: bytes) -> str | None:
    """Decode mostly-UTF-8 bytes, reading up to `_MAX_STRAY_BYTES` invalid sequences as cp1252."""
    good: list[str] = []
    parts: list[str] = []
    pos = 0
    for _ in range(_MAX_STRAY_BYTES + 1):
        try:
            good.append(raw[pos:].decode("utf-8"))
            parts.append(good[-1])
            break
        except UnicodeDecodeError as exc:
            good.append(raw[pos : pos + exc.start].decode("utf-8"))
            parts.append(good[-1])
            parts.append(raw[pos + exc.start : pos + exc.end].decode("cp1252", errors="replace"))
            pos += exc.end
    else:
        return None
    # Only UTF-8 if real multi-byte sequences are present; otherwise a single-byte text.
    return None if "".join(good).isascii() else "".join(parts)


def _looks_utf16(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs fill one byte of each pair (BOM-less UTF-16 text)."""
    sample = raw[: _SNIFF_BYTES & ~1]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def looks_binary(raw: bytes) -> bool:
    """True for bytes that are not text: NULs or control bytes in the first 8 KB (BOM-aware).

    A NUL weighs ten control bytes: one stray NUL in a page is tolerated, a binary file is not.
    """
    sample = raw[:_SNIFF_BYTES]
    if not sample or any(sample.startswith(bom) for bom, _, _ in _BOMS) or _looks_utf16(raw):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls + 9 * sample.count(0) > _BINARY_CONTROL_SHARE * len(sample)


def _detect(raw: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes  # imported on the rare path only

    best = from_bytes(raw[: 1024 * 1024]).best()
    if best is None:
        return None
    encoding = best.encoding
    # Web text labelled or detected as latin-1 is cp1252 in practice (curly quotes, dashes).
    if encoding != "cp1252" and (
        "cp1252" in best.could_be_from_charset or encoding in {"latin_1", "iso8859_15"}
    ):
        text = _try(raw, "cp1252")
        if text is not None:
            return text, "cp1252"
    text = _try(raw, encoding)
    return (text, codecs.lookup(encoding).name) if text is not None else None


def _try(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(raw: bytes, declared: str | None = None, is_html: bool = False) -> tuple[str, str]:
    """Decode `raw` to text; return (text, encoding_used). Never raises.

    `encoding_used` is a Python codec name, suffixed "+cp1252" when stray invalid bytes in UTF-8
    were read as cp1252 and "+replace" when undecodable bytes became U+FFFD.
    """
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace"), label
    if raw.isascii():
        return raw.decode("ascii"), "ascii"
    text = _try(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    label = _canonical(declared) or (_canonical(sniff_html_charset(raw)) if is_html else None)
    if label is not None and label != "utf-8" and not label.startswith(("utf-16", "utf-32")):
        text = _try(raw, label)
        if text is None and label == "cp1252":  # 5 bytes undefined in cp1252: latin-1 them
            text = _try(raw, "iso8859-1")
        if text is not None:
            return text, label
    text = _utf8_with_strays(raw)
    if text is not None:
        return text, "utf-8+cp1252"
    utf16 = _looks_utf16(raw)
    if utf16 and (text := _try(raw, utf16)) is not None:
        return text, utf16
    detected = _detect(raw)
    if detected is not None:
        return detected
    text = _try(raw, "cp1252")
    if text is not None:
        return text, "cp1252"
    return raw.decode("utf-8", errors="replace"), "utf-8+replace"


def declared_label(raw: bytes, declared: str | None, is_html: bool) -> str | None:
    """The canonical charset the record or the markup declares, if any."""
    return _canonical(declared) or (_canonical(sniff_html_charset(raw)) if is_html else None)


_CONTROL_CHAR_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def control_share(text: str) -> float:
    """Share of characters that are control codes (not whitespace) or U+FFFD."""
    return len(_CONTROL_CHAR_RE.findall(text)) / len(text) if text else 0.0


# Characters XML/lxml refuses in a string: removed from markup before parsing.
_HTML_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_XML_BAD_BYTES = bytes([*range(9), 11, 12, *range(14, 32)])


def _has_xml_bad_bytes(raw: bytes) -> bool:
    """Whether ASCII-compatible bytes can decode to a character `_HTML_CONTROL_RE` removes."""
    # a one-byte search (memchr) first: 0xEF is in one page in ten, and each three-byte search
    # costs as much as the translate
    return len(raw.translate(None, _XML_BAD_BYTES)) != len(raw) or (
        b"\xef" in raw and (b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw)
    )


@lru_cache(maxsize=128)
def bytes_scan_is_exact(codec: str) -> bool:
    """Does `_has_xml_bad_bytes` of the raw bytes tell whether their text, decoded with `codec`,
    holds a character `_HTML_CONTROL_RE` removes?

    Yes for UTF-8 (a control character only from its own byte, U+FFFE/U+FFFF only from
    EF BF BE/BF; stray bytes read as cp1252 or replaced give neither) and for a single-byte
    codec whose bytes that decode to such a character are all control bytes (not EBCDIC).
    Not for multi-byte or stateful codecs (GB18030 maps four bytes to U+FFFE, UTF-7 "+AAE-"
    to U+0001): their text is searched instead.
    """
    if codec in ("utf-8", "utf-8-sig", "ascii"):
        return True
    try:
        singles = [bytes([b]).decode(codec, errors="replace") for b in range(256)]
        whole = bytes(range(256)).decode(codec, errors="replace")
    except (LookupError, ValueError):
        return False
    if whole != "".join(singles) or any(len(c) != 1 for c in singles):
        return False  # bytes combine: not a single-byte codec
    return all(b in _XML_BAD_BYTES or not _HTML_CONTROL_RE.match(c) for b, c in enumerate(singles))


class XmlSafeMarkup(str):
    """Decoded markup that holds no character lxml refuses (none `_HTML_CONTROL_RE` matches).

    `DecodeStep` makes its html one, so `parse_html` skips its own search for them (a regex pass
    over the whole page). A string made from it (a slice, a concatenation) is a plain
    str again, so the promise never outlives the text it was checked on.
    """

    __slots__ = ()


def text_to_paragraphs(text: str) -> str:
    """Body form of a plain-text dump: each non-empty line is a paragraph."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


class DecodeStep(Step):
    """doc.markup.raw -> doc.markup.html (html kind) or doc.text (text kind, normalised, one line a paragraph)."""

    name = "decode"
    reads = frozenset({"raw", "declared_charset", "content_kind"})
    writes = frozenset({"html", "text"})
    # markup for an HTML document, the body for a plain-text one
    writes_by_kind: ClassVar[Mapping[ContentKind, frozenset[str]]] = {
        "html": frozenset({"html"}),
        "text": frozenset({"text"}),
    }
    releases = frozenset({"raw"})

    def apply(self, doc: Article) -> Drop | None:
        raw, doc.markup.raw = doc.markup.raw, b""  # the bytes are not needed past this point
        if not raw.strip():
            return self.drop("empty_content", "no bytes to decode")
        if looks_binary(raw):
            return self.drop("binary_content", "NUL or control bytes in the first 8 KB")
        is_html = doc.content_kind == "html"
        text, used = decode_bytes(raw, doc.markup.declared_charset, is_html)
        base = used.split("+")[0]
        if base not in _UNREMARKABLE:
            declared = declared_label(raw, doc.markup.declared_charset, is_html)
            if declared is None:
                doc.note("charset_detected")
            elif base != declared and not (declared == "cp1252" and base == "iso8859-1"):
                doc.note("charset_declared_wrong")
        elif base == "utf-8" and declared_label(raw, doc.markup.declared_charset, is_html) not in {
            None,
            "utf-8",
        }:
            doc.note("charset_declared_wrong")
        if used.endswith("+cp1252"):
            doc.note("invalid_utf8_repaired")
        share = control_share(text[:_SNIFF_BYTES])
        if used.endswith("+replace") and share > 0.05:
            return self.drop("undecodable", f"no charset decodes it ({share:.0%} replaced)")
        if share > 0.1:
            return self.drop("binary_content", f"{share:.0%} control characters after decoding")
        if is_html:
            # lxml refuses strings with NULs or control characters: drop them here, counted.
            # A scan of the raw bytes (C speed) spares the regex pass on clean pages, where
            # the bytes answer for the text (UTF-8, single-byte codecs)
            if not bytes_scan_is_exact(base) or _has_xml_bad_bytes(raw):
                text, n = _HTML_CONTROL_RE.subn("", text)
                doc.note("control_chars_removed", n)
            doc.markup.html = XmlSafeMarkup(text)
            return None
        text, changes = normalize_text(text)
        for reason, n in sorted(changes.items()):
            doc.note(reason, n)
        doc.text = text_to_paragraphs(text)
        return None
