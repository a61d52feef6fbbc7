"""Unit tests of transforms.text.normalize: text repairs, their counts, and the normalize stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.core.record import Article, Caption, Markup
from transforms.text.decode import DecodeStep
from transforms.text.normalize import NormalizeStep, normalize_line, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected", "reason"),
    [
        ("The caf\u00c3\u00a9 opened", "The café opened", "mojibake_repaired"),
        ("He said \u00e2\u20ac\u0153yes\u00e2\u20ac\u009d", "He said “yes”", "mojibake_repaired"),
        ("Ten\u00a0km away", "Ten km away", "nbsp_replaced"),
        ("10\u202f000 people", "10 000 people", "nbsp_replaced"),
        ("zero\u200bwidth\u2060joined\ufeff", "zerowidthjoined", "zero_width_removed"),
        ("soft\u00adhyphen", "softhyphen", "soft_hyphen_removed"),
        ("bell\x07 and\x1b escape\x7f", "bell and escape", "control_chars_removed"),
        # a C1 code is cp1252 text read as latin-1: ftfy restores the cp1252 character
        ("wait\x85 and see", "wait… and see", "mojibake_repaired"),
        ("cafe\u0301", "café", "unicode_nfc"),
    ],
)
def test_repairs_are_made_and_counted(raw: str, expected: str, reason: str) -> None:
    text, changes = normalize_text(raw)
    assert text == expected
    assert changes[reason] >= 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("one   two\t\tthree", "one two three"),
        ("  lead and trail  \n  next line ", "lead and trail\nnext line"),
        ("para one\n\n\n\n\npara two", "para one\n\npara two"),
        ("para one\n \n\t\npara two", "para one\n\npara two"),
        ("\n\n  body  \n\n", "body"),
        ("line\u2028next\u2029para", "line\nnext\n\npara"),
    ],
)
def test_whitespace_and_line_endings(raw: str, expected: str) -> None:
    assert normalize_text(raw)[0] == expected


@pytest.mark.parametrize(
    "clean",
    [
        "“Curly quotes” and ‘single’ ones stay — so do dashes… and ﬁ ligatures",
        "Señor Ñandú, Ðorđe and ÂGE are real words",
        "São Paulo, Zürich, Kraków, Αθήνα, Москва, 東京",
        "A tab-free paragraph.\n\nA second paragraph.",
        "Emoji family 👨\u200d👩\u200d👧 keeps its joiners",
        "Persian نمی\u200cخواهم keeps its non-joiner",
        "&amp; and &lt;b&gt; are text, not markup",
    ],
)
def test_clean_text_is_left_alone(clean: str) -> None:
    text, changes = normalize_text(clean)
    assert text == clean
    assert not changes


def test_joiner_next_to_ascii_is_removed() -> None:
    assert normalize_text("word\u200d next\u200c")[0] == "word next"


@pytest.mark.parametrize(
    "raw",
    [
        "The caf\u00c3\u00a9\u00a0opened\u200b\r\n\r\n\r\nnext",
        "a \u200d\u200d b",
        "x\u00c3\u00a0 la carte",
        "  \t\u00a0\n",
    ],
)
def test_idempotent(raw: str) -> None:
    once, _ = normalize_text(raw)
    twice, changes = normalize_text(once)
    assert twice == once
    assert not changes


def test_normalize_line_joins_lines() -> None:
    assert normalize_line(" A title\nsplit \u00a0in two ")[0] == "A title split in two"


def test_step_normalises_body_title_subtitle_captions_and_keeps_paragraphs() -> None:
    doc = Article("id", "a.html", "html", "html")
    doc.text = "First\u00a0paragraph.\n\nSecond   one.\n\n\n\nThird caf\u00c3\u00a9."
    doc.title = "Title\u00a0here"
    doc.subtitle = "\u200b"
    doc.captions = [Caption("A\u00a0caption", "Name\u00a0/AP")]
    assert NormalizeStep().apply(doc) is None
    assert doc.paragraphs == ["First paragraph.", "Second one.", "Third café."]
    assert doc.title == "Title here"
    assert doc.subtitle is None
    assert doc.captions[0].text == "A caption"
    assert doc.captions[0].credit == "Name /AP"
    assert doc.changes["nbsp_replaced"] == 4
    assert doc.changes["mojibake_repaired"] == 1
    assert doc.changes["zero_width_removed"] == 1


SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


@pytest.mark.shared
@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} is absent (shared dev data)")
@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")) or ["none"])
def test_seed_decodes_and_normalises_cleanly(name: str) -> None:
    raw = (SEEDS / name).read_bytes()
    doc = Article("id", name, "text", "text", markup=Markup(raw=raw))
    assert DecodeStep().apply(doc) is None
    assert NormalizeStep().apply(doc) is None
    original = raw.decode("utf-8")
    for ch in "\u00a0\u202f\u200b\ufeff\r":
        assert ch not in doc.text
    # curly quotes and dashes survive, one for one
    for ch in "“”‘’—":
        assert doc.text.count(ch) == original.count(ch), ch
    assert "\n\n\n" not in doc.text
    assert "charset_detected" not in doc.changes
    assert "mojibake_repaired" not in doc.changes
    assert len(doc.paragraphs) == sum(1 for line in original.splitlines() if line.strip())
